import { toHex } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { decodeFrame, encodeFrame } from '../src/codec.ts'
import { Frame, FrameType } from '../src/pb/membership.ts'
import type { PeerCodec } from '../src/codec.ts'

/**
 * Regression for protons-runtime's bigint uint64 writer (fuzz/known-bugs/protons-uint64):
 * a low word with bit 31 set was sized as one byte, so [2^31, 2^32) did not round-trip.
 * Our uint64 fields are declared jstype = JS_NUMBER, which takes the writer's other path.
 */

const names: PeerCodec<string> = {
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

const VALUES = [2 ** 31, 0x8FFFFFFF, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, 2 ** 40 + 3, 1_790_000_000_000, Number.MAX_SAFE_INTEGER]

describe('uint64 fields (jstype = JS_NUMBER)', () => {
  for (const v of VALUES) {
    it(`seq and incarnation ${v} encode as the reference varint and round-trip`, () => {
      const bytes = encodeFrame({ proto: 'swim', type: 'ack', seq: v, incarnation: v, updates: [{ member: 'm', incarnation: v, status: 'alive', from: 'f' }] }, names)
      const update = [0x0a, 0x01, 0x6d, 0x10, ...varint(BigInt(v)), 0x22, 0x01, 0x66]
      expect(toHex(bytes)).to.equal(toHex(Uint8Array.from([0x08, 0x09, 0x20, 0x01, 0x30, ...varint(BigInt(v)), 0x38, ...varint(BigInt(v)), 0x42, update.length, ...update])))
      expect(decodeFrame(bytes, names).message).to.deep.equal({ proto: 'swim', type: 'ack', seq: v, incarnation: v, updates: [{ member: 'm', incarnation: v, status: 'alive', from: 'f' }] })
      expect(Frame.decode(Frame.encode(Frame.decode(bytes)))).to.deep.equal(Frame.decode(bytes))
    })
  }

  it('the fuzzer\'s input (NACK, seq 0x8FFFFFFF) re-encodes to bytes that decode', () => {
    // fuzz/known-bugs/protons-uint64/membership-codec.bin
    const input = Uint8Array.from([0x08, 0x0b, 0x30, 0xff, 0xff, 0xff, 0xff, 0x08, 0x00, 0x02])
    const message = decodeFrame(input, names).message
    expect(message).to.deep.equal({ proto: 'swim', type: 'nack', seq: 0x8FFFFFFF })
    expect(decodeFrame(encodeFrame(message, names), names).message).to.deep.equal(message)
  })

  it('refuses seq and incarnation above 2^53 - 1 with InvalidFrameError, also where a number would round', () => {
    for (const v of [2n ** 53n, 2n ** 53n + 1n, 2n ** 55n + 3n, 2n ** 60n, 2n ** 64n - 1n]) {
      const ping = Uint8Array.from([0x08, FrameType.PING, 0x30, ...varint(v)])
      expect(() => decodeFrame(ping, names), `seq ${v}`).to.throw().that.includes({ name: 'InvalidFrameError' })
      const update = [0x0a, 0x01, 0x6d, 0x10, ...varint(v), 0x22, 0x01, 0x66]
      const gossip = Uint8Array.from([0x08, FrameType.GOSSIP, 0x42, update.length, ...update])
      expect(() => decodeFrame(gossip, names), `incarnation ${v}`).to.throw().that.includes({ name: 'InvalidFrameError' })
    }
  })
})
