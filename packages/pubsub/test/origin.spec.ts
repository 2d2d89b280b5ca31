import { PqIdentity, verifyMlDsa65 } from '@saorsa-gossip/identity'
import { expect } from 'aegir/chai'
import { checkOriginStructure, decodeOriginHeader, encodeOriginHeader, originMessageId, originSigningBytes, signOrigin } from '../src/origin.ts'
import type { GossipMessage } from '../src/core/messages.ts'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const from = new Uint8Array(38).fill(0x12)
const payload = new TextEncoder().encode('hello world')

describe('origin header and signature', () => {
  const identity = PqIdentity.fromSeed(new Uint8Array(32).fill(7))

  function signed (overrides: Partial<GossipMessage> = {}): GossipMessage {
    const fields = { topic: 'saorsa/chat', from, seqno: 7n, publishedAt: 1_700_000_000_000, payload }
    const { id, header } = signOrigin(fields, bytes => identity.sign(bytes))
    return { type: 'gossip', topic: fields.topic, id, round: 1, publishedAt: fields.publishedAt, payload, header, ...overrides }
  }

  it('derives the id from topic, seqno, origin and payload (SPEC.md §7.10 vector)', () => {
    const id = originMessageId({ topic: 'saorsa/chat', from, seqno: 7n, payload })
    expect(hex(id)).to.equal('b4a0f20e73288441b187feefda5663a5ffb61ffd2c462f7926363a900ad5f628')
    expect(hex(originSigningBytes(id, 1_700_000_000_000)).slice(-16)).to.equal('0000018bcfe56800')
  })

  it('a signed message passes the structure check and its ML-DSA-65 signature verifies', () => {
    const message = signed()
    const checked = checkOriginStructure(message)
    expect(checked).to.not.equal(undefined)
    expect(checked?.seqno).to.equal(7n)
    expect(verifyMlDsa65(identity.publicKey, checked?.signingBytes ?? new Uint8Array(), checked?.signature ?? new Uint8Array())).to.equal(true)
  })

  it('tampering with payload, topic or claimed id fails the structure check; with publishedAt, the signature', () => {
    const good = signed()
    expect(checkOriginStructure({ ...good, payload: new TextEncoder().encode('hello world!') })).to.equal(undefined)
    expect(checkOriginStructure({ ...good, topic: 'saorsa/other' })).to.equal(undefined)
    expect(checkOriginStructure({ ...good, id: new Uint8Array(32) })).to.equal(undefined)
    expect(checkOriginStructure({ ...good, header: undefined })).to.equal(undefined)
    expect(checkOriginStructure({ ...good, header: new Uint8Array([0xff, 0xff]) })).to.equal(undefined)
    const moved = checkOriginStructure({ ...good, publishedAt: good.publishedAt + 1 })
    expect(moved).to.not.equal(undefined)
    expect(verifyMlDsa65(identity.publicKey, moved?.signingBytes ?? new Uint8Array(), moved?.signature ?? new Uint8Array())).to.equal(false)
  })

  it('another seqno or origin in the header changes the id: the check fails', () => {
    const good = signed()
    const decoded = decodeOriginHeader(good.header ?? new Uint8Array())
    expect(checkOriginStructure({ ...good, header: encodeOriginHeader({ ...decoded, seqno: 8n }) })).to.equal(undefined)
    expect(checkOriginStructure({ ...good, header: encodeOriginHeader({ ...decoded, from: new Uint8Array(38).fill(0x13) }) })).to.equal(undefined)
  })

  it('header limits: empty or oversize origin or signature is refused with InvalidFrameError', () => {
    const sig = new Uint8Array(3309)
    expect(() => decodeOriginHeader(encodeOriginHeader({ from: new Uint8Array(), seqno: 1n, signature: sig }))).to.throw().with.property('name', 'InvalidFrameError')
    expect(() => decodeOriginHeader(encodeOriginHeader({ from: new Uint8Array(65), seqno: 1n, signature: sig }))).to.throw().with.property('name', 'InvalidFrameError')
    expect(() => decodeOriginHeader(encodeOriginHeader({ from, seqno: 1n, signature: new Uint8Array(4097) }))).to.throw().with.property('name', 'InvalidFrameError')
    expect(decodeOriginHeader(encodeOriginHeader({ from, seqno: 1n, signature: sig })).signature).to.have.length(3309)
  })
})
