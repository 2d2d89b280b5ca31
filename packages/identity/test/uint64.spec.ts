import { generateKeyPair } from '@libp2p/crypto/keys'
import { expect } from 'aegir/chai'
import { createBinding, decodeBinding, encodeBinding, verifyBinding } from '../src/binding.ts'
import { PqIdentity } from '../src/identity.ts'
import { BindingRecord } from '../src/pb/identity.ts'
import type { PrivateKey } from '@libp2p/interface'

/**
 * Regression for protons-runtime's bigint uint64 writer (fuzz/known-bugs/protons-uint64):
 * a low word with bit 31 set was sized as one byte, so a createdAtMs in [2^31, 2^32) came
 * back as 0. created_at_ms is declared jstype = JS_NUMBER, which takes the writer's other path.
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

const VALUES = [2 ** 31, 0x8FFFFFFF, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, 1_790_000_000_000, Number.MAX_SAFE_INTEGER]

describe('created_at_ms (uint64, jstype = JS_NUMBER)', () => {
  let identity: PqIdentity
  let key: PrivateKey

  before(async () => {
    identity = PqIdentity.generate()
    key = await generateKeyPair('Ed25519')
  })

  it(`bindings created at ${VALUES.join(', ')} encode the reference varint, round-trip and verify`, async () => {
    for (const v of VALUES) {
      const record = await createBinding(identity, key, v)
      const bytes = encodeBinding(record)
      expect(BindingRecord.encode({ ...BindingRecord.decode(new Uint8Array()), createdAtMs: v }), String(v)).to.equalBytes(Uint8Array.from([0x28, ...varint(BigInt(v))]))
      const decoded = decodeBinding(bytes)
      expect(decoded.createdAtMs, String(v)).to.equal(v)
      expect(encodeBinding(decoded), String(v)).to.equalBytes(bytes)
      expect((await verifyBinding(decoded)).createdAtMs, String(v)).to.equal(v)
    }
  })

  it('the fuzzer\'s input (createdAtMs 2^31 alone) re-encodes to the same bytes', () => {
    // fuzz/known-bugs/protons-uint64/identity-binding.bin
    const input = Uint8Array.from([0x28, 0x80, 0x80, 0x80, 0x80, 0x08])
    expect(decodeBinding(input).createdAtMs).to.equal(2 ** 31)
    expect(encodeBinding(decodeBinding(input))).to.equalBytes(input)
  })

  it('a createdAtMs above 2^53 - 1 on the wire is refused: InvalidBindingError on decode or verify', async () => {
    const record = await createBinding(identity, key, 1_790_000_000_000)
    const body = encodeBinding({ ...record, createdAtMs: 0 })
    for (const v of [2n ** 53n, 2n ** 53n + 1n, 2n ** 55n + 3n, 2n ** 60n, 2n ** 64n - 1n]) {
      const bytes = Uint8Array.from([...body, 0x28, ...varint(v)])
      let error: unknown
      try {
        await verifyBinding(decodeBinding(bytes))
      } catch (err) {
        error = err
      }
      expect(error, String(v)).to.have.property('name', 'InvalidBindingError')
    }
  })
})
