import { blake3 } from '@noble/hashes/blake3.js'
import { expect } from 'aegir/chai'
import { concatBytes, toHex } from '../src/bytes.ts'
import { assertMessageId, deriveMessageId, payloadHash } from '../src/message-id.ts'
import { TopicId } from '../src/topic-id.ts'

const topic = TopicId.fromString('saorsa/chat')
const signer = new Uint8Array(32).fill(0xab)
const payload = new TextEncoder().encode('hello world')

describe('deriveMessageId', () => {
  it('is BLAKE3(topic ‖ epoch u64be ‖ signer ‖ BLAKE3(payload)) (SPEC.md §2.2 vector)', () => {
    const id = deriveMessageId({ topic, epoch: 7n, signer, payload })
    const epoch = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 7])
    expect(id).to.equalBytes(blake3(concatBytes(topic.bytes, epoch, signer, blake3(payload))))
    expect(toHex(id)).to.equal('3c48a5b70e5637f84ed2923c4dfc45d19125e9175c667807f7be44e050ac43ed')
  })

  it('accepts the payload hash in place of the payload', () => {
    expect(deriveMessageId({ topic, epoch: 7, signer, payloadHash: payloadHash(payload) }))
      .to.equalBytes(deriveMessageId({ topic, epoch: 7n, signer, payload }))
  })

  it('changes when any input changes', () => {
    const base = toHex(deriveMessageId({ topic, epoch: 7n, signer, payload }))
    const variants = [
      deriveMessageId({ topic: TopicId.fromString('other'), epoch: 7n, signer, payload }),
      deriveMessageId({ topic, epoch: 8n, signer, payload }),
      deriveMessageId({ topic, epoch: 7n, signer: new Uint8Array(32).fill(0xac), payload }),
      deriveMessageId({ topic, epoch: 7n, signer, payload: new TextEncoder().encode('hello worle') })
    ]
    const seen = new Set([base, ...variants.map(toHex)])
    expect(seen.size).to.equal(5)
  })

  it('accepts the full u64 epoch range and rejects values outside it', () => {
    expect(deriveMessageId({ topic, epoch: (1n << 64n) - 1n, signer, payload })).to.have.lengthOf(32)
    for (const epoch of [-1n, 1n << 64n, 1.5, Number.MAX_SAFE_INTEGER + 1, -1]) {
      expect(() => deriveMessageId({ topic, epoch, signer, payload })).to.throw().with.property('name', 'InvalidMessageIdError')
    }
  })

  it('rejects empty or oversize signers, missing payloads and bad hashes', () => {
    const cases: any[] = [
      { topic, epoch: 1, signer: new Uint8Array(0), payload },
      { topic, epoch: 1, signer: new Uint8Array(4097), payload },
      { topic, epoch: 1, signer },
      { topic, epoch: 1, signer, payloadHash: new Uint8Array(31) },
      { topic, epoch: 1, signer, payload, payloadHash: payloadHash(payload) },
      { topic: { bytes: new Uint8Array(3) }, epoch: 1, signer, payload }
    ]
    for (const input of cases) {
      expect(() => deriveMessageId(input)).to.throw().with.property('name', 'InvalidMessageIdError')
    }
  })

  it('checks the length of ids received on the wire', () => {
    expect(assertMessageId(new Uint8Array(32))).to.have.lengthOf(32)
    expect(() => assertMessageId(new Uint8Array(31))).to.throw().with.property('name', 'InvalidMessageIdError')
  })
})
