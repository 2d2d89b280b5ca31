import { expect } from 'aegir/chai'
import { decodeRpc, encodeRpc } from '../src/codec.ts'
import { decodeOriginHeader, encodeOriginHeader } from '../src/origin.ts'
import { OriginHeader, Rpc, RpcType } from '../src/pb/pubsub.ts'
import type { PubsubPeerCodec } from '../src/codec.ts'
import type { PubsubMessage } from '../src/core/messages.ts'

/**
 * Regression for protons-runtime's bigint uint64 writer (fuzz/known-bugs/protons-uint64):
 * a low word with bit 31 set was sized as one byte, so values in [2^31, 2^32) did not
 * round-trip. Our 64-bit fields are declared jstype = JS_NUMBER, which takes the writer's
 * other path.
 */

const codec: PubsubPeerCodec<string> = {
  toBytes: (p) => new TextEncoder().encode(p),
  fromBytes: (b) => new TextDecoder().decode(b)
}

/** Reference varint, written here so the expected bytes do not come from the code under test */
function varint (value: bigint): number[] {
  const out: number[] = []
  while (value >= 0x80n) {
    out.push(Number(value & 0x7fn) | 0x80)
    value >>= 7n
  }
  out.push(Number(value))
  return out
}

const hex = (b: Uint8Array | number[]): string => Buffer.from(b).toString('hex')
const VALUES = [2 ** 31, 0x8FFFFFFF, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, 2 ** 40 + 3, 1_790_000_000_000, Number.MAX_SAFE_INTEGER]
const TOO_BIG = [2n ** 53n, 2n ** 53n + 1n, 2n ** 55n + 3n, 2n ** 60n, 2n ** 64n - 1n]

describe('64-bit fields (jstype = JS_NUMBER)', () => {
  for (const v of VALUES) {
    it(`${v} encodes as the reference varint and round-trips in every uint64 field`, () => {
      const ref = varint(BigInt(v))
      // field 15 (nonce) alone: tag 0x78
      expect(hex(Rpc.encode({ ...Rpc.decode(new Uint8Array()), nonce: v }))).to.equal(hex([0x78, ...ref]))
      const messages: Array<PubsubMessage<string>> = [
        { type: 'ae-digest', topic: 't', session: v, from: v, to: v, count: 3, digest: new Uint8Array(32).fill(1) },
        { type: 'topic-ping', topic: 't', nonce: v },
        { type: 'find', topic: 't', origin: 'o', ttl: 3, walk: v },
        { type: 'gossip', topic: 't', id: new Uint8Array(32).fill(2), round: 1, publishedAt: v, payload: Uint8Array.of(1) }
      ]
      for (const m of messages) {
        expect(decodeRpc(encodeRpc(m, codec), codec)).to.deep.equal(m)
      }
      const header = { from: Uint8Array.of(1, 2), seqno: BigInt(v), signature: Uint8Array.of(3) }
      const encoded = encodeOriginHeader(header)
      expect(hex(encoded)).to.equal(hex([0x0a, 0x02, 1, 2, 0x10, ...ref, 0x1a, 0x01, 3]))
      expect(decodeOriginHeader(encoded)).to.deep.equal(header)
    })
  }

  it('RIBLT symbol counts (sint64) round-trip across the 32-bit boundaries', () => {
    const counts = [1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 0x8FFFFFFF - 2 ** 31]
    const m: PubsubMessage<string> = { type: 'ae-symbols', topic: 't', session: 0x8FFFFFFF, from: 2 ** 32, to: 2 ** 32 + 1, offset: 0, symbols: counts.map(count => ({ count, hi: 0x80000000, lo: 0xffffffff, check: 1 })) }
    expect(decodeRpc(encodeRpc(m, codec), codec)).to.deep.equal(m)
    // zig-zag reference: -1 → 1, 2^31 → 2^32
    expect(hex(Rpc.encode({ ...Rpc.decode(new Uint8Array()), symbols: [{ count: -1, hi: 0, lo: 0, check: 0 }, { count: 2 ** 31, hi: 0, lo: 0, check: 0 }] }))).to.equal(hex([0xaa, 0x01, 0x02, 0x08, 0x01, 0xaa, 0x01, 0x06, 0x08, ...varint(2n ** 32n)]))
  })

  it('the fuzzer\'s input (AE_MORE, session 0x8FFFFFFF) re-encodes to bytes that decode', () => {
    // fuzz/known-bugs/protons-uint64/pubsub-codec.bin
    const input = Uint8Array.from([0x08, 0x0f, 0x12, 0x02, 0x75, 0x31, 0x78, 0xff, 0xff, 0xff, 0xff, 0x08, 0x00, 0x09, 0x90, 0x01, 0x04, 0xa0, 0x01, 0x02])
    const message = decodeRpc(input, codec)
    expect(message).to.deep.equal({ type: 'ae-more', topic: 'u1', session: 0x8FFFFFFF, offset: 2, count: 4 })
    expect(decodeRpc(encodeRpc(message, codec), codec)).to.deep.equal(message)
    // the example from the report: type 15, topic 't', nonce 0x8FFFFFFF
    expect(Rpc.decode(Rpc.encode({ ...Rpc.decode(new Uint8Array()), type: RpcType.AE_MORE, topic: 't', nonce: 0x8FFFFFFF })).nonce).to.equal(0x8FFFFFFF)
  })

  it('refuses values above 2^53 - 1 with InvalidFrameError, also where a number would round', () => {
    const base = [...Rpc.encode({ ...Rpc.decode(new Uint8Array()), type: RpcType.TOPIC_PING, topic: 't' })]
    const gossip = [...Rpc.encode({ ...Rpc.decode(new Uint8Array()), type: RpcType.GOSSIP, topic: 't', id: new Uint8Array(32), round: 1 })]
    for (const v of TOO_BIG) {
      expect(() => decodeRpc(Uint8Array.from([...base, 0x78, ...varint(v)]), codec), `nonce ${v}`).to.throw().with.property('name', 'InvalidFrameError')
      expect(() => decodeRpc(Uint8Array.from([...gossip, 0x28, ...varint(v)]), codec), `publishedAt ${v}`).to.throw().with.property('name', 'InvalidFrameError')
      const header = Uint8Array.from([...OriginHeader.encode({ from: Uint8Array.of(1), seqno: 0, signature: Uint8Array.of(3) }), 0x10, ...varint(v)])
      expect(() => decodeOriginHeader(header), `seqno ${v}`).to.throw().with.property('name', 'InvalidFrameError')
    }
    expect(() => encodeOriginHeader({ from: Uint8Array.of(1), seqno: 2n ** 53n, signature: Uint8Array.of(3) })).to.throw().with.property('name', 'InvalidFrameError')
  })
})
