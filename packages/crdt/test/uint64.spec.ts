import { expect } from 'aegir/chai'
import { decodeFrame, encodeFrame, frameToState } from '../src/codec.ts'
import { LwwMap } from '../src/core/lww-map.ts'
import { Frame } from '../src/pb/crdt.ts'

/**
 * Regression for protons-runtime's bigint uint64 writer (fuzz/known-bugs/protons-uint64):
 * a low word with bit 31 set was sized as one byte, so values in [2^31, 2^32) did not
 * round-trip. Dot numbers and HLC walls are declared jstype = JS_NUMBER, which takes the
 * writer's other path.
 */

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
const empty = (): Frame => ({ kind: Frame.Kind.DELTA, type: Frame.Type.ORSET, context: [], orset: [], lww: [], yjs: new Uint8Array(0) })

describe('crdt uint64 fields (jstype = JS_NUMBER)', () => {
  for (const v of VALUES) {
    it(`${v} encodes as the reference varint and round-trips in ranges, dots and walls`, () => {
      const ref = varint(BigInt(v))
      // Frame.context (field 3) = DotRange { replica 'a', from 1, to v }
      const range = [0x0a, 0x01, 0x61, 0x10, 0x01, 0x18, ...ref]
      expect(hex(encodeFrame({ ...empty(), context: [{ replica: 'a', from: 1, to: v }] }))).to.equal(hex([0x1a, range.length, ...range]))

      const frame: Frame = {
        ...empty(),
        context: [{ replica: 'a', from: 1, to: v }],
        orset: [{ element: 'x', replica: 'a', seqs: [v, v - 1] }]
      }
      expect(decodeFrame(encodeFrame(frame))).to.deep.equal(frame)
      const set = frameToState(decodeFrame(encodeFrame(frame)))
      expect(set.context.ranges()).to.deep.equal([{ replica: 'a', from: 1, to: v }])

      const lww: Frame = {
        ...empty(),
        type: Frame.Type.LWW,
        context: [{ replica: 'n', from: 1, to: v }],
        lww: [{ key: 'k', wall: v, counter: 1, node: 'n', seq: v, value: Uint8Array.of(1) }]
      }
      const map = frameToState(decodeFrame(encodeFrame(lww))) as LwwMap
      expect(map.entries.get('k')?.hlc.wall).to.equal(v)
      expect(map.entries.get('k')?.dot).to.deep.equal({ replica: 'n', seq: v })
    })
  }

  it('refuses numbers above 2^53 - 1, also where a JS number would round', () => {
    for (const v of [2n ** 53n, 2n ** 53n + 1n, 2n ** 55n + 3n, 2n ** 60n, 2n ** 64n - 1n]) {
      const range = [0x0a, 0x01, 0x61, 0x10, 0x01, 0x18, ...varint(v)]
      expect(() => frameToState(decodeFrame(Uint8Array.from([0x1a, range.length, ...range]))), `to ${v}`).to.throw()
      const entry = [0x0a, 0x01, 0x6b, 0x10, ...varint(v), 0x18, 0x01, 0x22, 0x01, 0x6e, 0x28, 0x01]
      const lww = [0x10, 0x01, 0x1a, 0x07, 0x0a, 0x01, 0x6e, 0x10, 0x01, 0x18, 0x01, 0x2a, entry.length, ...entry]
      expect(() => frameToState(decodeFrame(Uint8Array.from(lww))), `wall ${v}`).to.throw()
    }
  })
})
