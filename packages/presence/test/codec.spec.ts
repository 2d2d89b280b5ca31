import { expect } from 'aegir/chai'
import { decodeFrame, decodeQueryBody, encodeFrame, topicScope } from '../src/codec.ts'
import { MAX_PEER_ID_BYTES, MAX_QUERY_SCOPES } from '../src/constants.ts'
import { QueryBody } from '../src/pb/presence.ts'

const body = (scopes: Uint8Array[]): Uint8Array => QueryBody.encode({
  id: new Uint8Array(16),
  origin: Uint8Array.of(1, 2, 3),
  target: Uint8Array.of(4, 5, 6),
  hopLimit: 3,
  issuedAtMs: 1_700_000_000_000,
  originAddrs: [],
  tags: [],
  scopes: scopes as Array<Uint8Array<ArrayBuffer>>
})

const query = (scopes: Uint8Array[]): Parameters<typeof decodeQueryBody>[0] => ({ body: body(scopes) as Uint8Array<ArrayBuffer>, signature: new Uint8Array(0), binding: new Uint8Array(0), ttl: 3 })

describe('presence query scopes (SPEC.md §8.4)', () => {
  it('a topic\'s scope is the first 16 bytes of SHA-256(domain ‖ topic): the SPEC.md vector', () => {
    expect(Buffer.from(topicScope('chat')).toString('hex')).to.equal('f976458dce7971e95d289918a323efe5')
    expect(topicScope('chat')).to.have.length(16)
    expect(Buffer.from(topicScope('chats')).toString('hex')).to.not.equal('f976458dce7971e95d289918a323efe5')
  })

  it('decodes the scopes a query carries', () => {
    const decoded = decodeQueryBody(query([topicScope('a'), topicScope('b')]), 8)
    expect(decoded.scopes.map(s => Buffer.from(s).toString('hex'))).to.deep.equal([topicScope('a'), topicScope('b')].map(s => Buffer.from(s).toString('hex')))
  })

  it('refuses a scope that is not 16 bytes, and more scopes than the decode limit', () => {
    expect(() => decodeQueryBody(query([new Uint8Array(15)]), 8)).to.throw().with.property('name', 'InvalidPresenceFrameError')
    expect(() => decodeQueryBody(query(Array.from({ length: MAX_QUERY_SCOPES + 1 }, (_, i) => topicScope(`t${i}`))), 8)).to.throw(/scopes/)
  })
})

describe('presence Ask and Hint frames (SPEC.md §8.4, §8.6)', () => {
  const id = new Uint8Array(16).fill(9)
  const target = Uint8Array.of(0, 36, 8, 1)

  it('decode when well formed; an Ask and a Hint are tens of bytes', () => {
    const ask = encodeFrame({ ask: { id, target } })
    expect(ask.byteLength).to.be.below(64)
    expect(decodeFrame(ask).ask?.target).to.deep.equal(target)
    const hint = encodeFrame({ hint: { id } })
    expect(hint.byteLength).to.be.below(24)
    expect(decodeFrame(hint).hint?.id).to.deep.equal(id)
  })

  it('refuse a bad id, an empty or oversized target, two parts in one frame', () => {
    const bad = [
      encodeFrame({ ask: { id: new Uint8Array(15), target } }),
      encodeFrame({ ask: { id, target: new Uint8Array(0) } }),
      encodeFrame({ ask: { id, target: new Uint8Array(MAX_PEER_ID_BYTES + 1) } }),
      encodeFrame({ hint: { id: new Uint8Array(17) } }),
      encodeFrame({ ask: { id, target }, hint: { id } })
    ]
    for (const frame of bad) {
      expect(() => decodeFrame(frame)).to.throw().with.property('name', 'InvalidPresenceFrameError')
    }
  })
})
