import { expect } from 'aegir/chai'
import { decodeBeaconBody, decodeQueryBody } from '../src/codec.ts'
import { BeaconBody, QueryBody } from '../src/pb/presence.ts'

/**
 * Regression for protons-runtime's bigint uint64 writer (fuzz/known-bugs/protons-uint64):
 * a low word with bit 31 set was sized as one byte, so values in [2^31, 2^32) did not
 * round-trip. seq and the times are declared jstype = JS_NUMBER, which takes the writer's
 * other path.
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
const PEER = Uint8Array.of(0, 2, 1, 2)
const VALUES = [2 ** 31, 0x8FFFFFFF, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, 2 ** 40 + 3, 1_790_000_000_000, Number.MAX_SAFE_INTEGER]
const signed = (body: Uint8Array): { body: Uint8Array<ArrayBuffer>, signature: Uint8Array<ArrayBuffer>, binding: Uint8Array<ArrayBuffer>, ttl: number } =>
  ({ body: body as Uint8Array<ArrayBuffer>, signature: new Uint8Array(0), binding: new Uint8Array(0), ttl: 0 })

describe('presence uint64 fields (jstype = JS_NUMBER)', () => {
  for (const v of VALUES) {
    it(`${v} encodes as the reference varint and round-trips in beacon and query bodies`, () => {
      const ref = varint(BigInt(v))
      const body = BeaconBody.encode({ peer: PEER, seq: v, issuedAtMs: v, expiresAtMs: v, addrs: [] })
      expect(hex(body)).to.equal(hex([0x0a, 0x04, ...PEER, 0x10, ...ref, 0x18, ...ref, 0x20, ...ref]))
      expect(decodeBeaconBody(signed(body), 4)).to.deep.include({ seq: v, issuedAtMs: v, expiresAtMs: v })
      const query = QueryBody.encode({ id: new Uint8Array(16).fill(1), origin: PEER, target: PEER, hopLimit: 3, issuedAtMs: v, originAddrs: [], tags: [] })
      expect(decodeQueryBody(signed(query), 4).issuedAtMs).to.equal(v)
    })
  }

  it('refuses numbers above 2^53 - 1, also where a JS number would round', () => {
    const beacon = [...BeaconBody.encode({ peer: PEER, seq: 1, issuedAtMs: 1, expiresAtMs: 2, addrs: [] })]
    const query = [...QueryBody.encode({ id: new Uint8Array(16).fill(1), origin: PEER, target: PEER, hopLimit: 3, issuedAtMs: 1, originAddrs: [], tags: [] })]
    for (const v of [2n ** 53n, 2n ** 53n + 1n, 2n ** 55n + 3n, 2n ** 60n, 2n ** 64n - 1n]) {
      for (const tag of [0x10, 0x18, 0x20]) {
        // a later occurrence of a field replaces the earlier one
        expect(() => decodeBeaconBody(signed(Uint8Array.from([...beacon, tag, ...varint(v)])), 4), `beacon field ${tag >> 3} = ${v}`).to.throw()
      }
      expect(() => decodeQueryBody(signed(Uint8Array.from([...query, 0x28, ...varint(v)])), 4), `query issuedAtMs ${v}`).to.throw()
    }
  })
})
