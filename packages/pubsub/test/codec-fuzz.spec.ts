import { expect } from 'aegir/chai'
import { decodeRpc, encodeRpc } from '../src/codec.ts'
import { InvalidFrameError } from '../src/errors.ts'
import type { PubsubPeerCodec } from '../src/codec.ts'

const codec: PubsubPeerCodec<string> = {
  toBytes: (p) => new TextEncoder().encode(p),
  fromBytes: (b) => new TextDecoder().decode(b)
}

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], h => parseInt(h, 16))

/** Inputs found by the fuzzer (fuzz/, target pubsub-codec) */
describe('pubsub codec fuzz regressions', () => {
  it('refuses a topic that is not UTF-8 (it would change when relayed)', () => {
    // AE_WANT whose 53-byte topic starts ff 09 b2 01: decoded, it held lone surrogates that re-encode as U+FFFD
    const frame = hex('08101235ff09b2010801120274311a20010101010101010101010101010101010101010101010101010101010101010128c0843d3203010203')
    expect(() => decodeRpc(frame, codec)).to.throw(InvalidFrameError)
    const sub = encodeRpc({ type: 'subscriptions', subscribe: ['ok'], unsubscribe: [] }, codec)
    expect(decodeRpc(sub, codec)).to.deep.equal({ type: 'subscriptions', subscribe: ['ok'], unsubscribe: [] })
  })
})
