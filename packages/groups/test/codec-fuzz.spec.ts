import { expect } from 'aegir/chai'
import { chainFromWire, decodeGroupMessage, decodeReply, decodeRequest } from '../src/codec.ts'
import { InvalidGroupFrameError } from '../src/errors.ts'
import type { PeerIdCodec } from '@saorsa-gossip/kit'

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], h => parseInt(h, 16))

/** Inputs found by the fuzzer (fuzz/, target groups-codec): remote bytes must fail with the named error */
describe('groups codec fuzz regressions', () => {
  it('a frame whose last field is cut short throws InvalidGroupFrameError, not RangeError', () => {
    // a valid COMMIT whose mls length prefix (2a 03) promises more bytes than remain
    const truncated = hex('1a100505050505050505050505050505050518012220' + 'ab'.repeat(32) + '2a03010203').subarray(0, 57)
    expect(() => decodeGroupMessage(truncated)).to.throw(InvalidGroupFrameError)
    expect(() => decodeRequest(truncated)).to.throw(InvalidGroupFrameError)
    expect(() => decodeReply(Uint8Array.of(0x1a, 0x05, 0x08))).to.throw(InvalidGroupFrameError)
  })

  it('out-of-range fields throw InvalidGroupFrameError', () => {
    expect(() => decodeGroupMessage(Uint8Array.of(0x08, 0x01, 0x12, 0x01, 0x01, 0x22, 0x01, 0x00))).to.throw(InvalidGroupFrameError)
    const codec = { toBytes: () => new Uint8Array(0), fromBytes: () => { throw new TypeError('not a peer id') } } as unknown as PeerIdCodec
    expect(() => chainFromWire([{ epoch: 1, parent: new Uint8Array(31), from: new Uint8Array(0), mls: Uint8Array.of(1) }], codec)).to.throw(InvalidGroupFrameError)
    expect(() => chainFromWire([{ epoch: 1, parent: new Uint8Array(32), from: new Uint8Array(0), mls: Uint8Array.of(1) }], codec)).to.throw(InvalidGroupFrameError)
  })
})
