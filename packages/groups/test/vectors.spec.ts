import { toHex } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { decodeGroupMessage, encodeGroupMessage } from '../src/codec.ts'
import { commitId, rootId } from '../src/core/commit-id.ts'
import { leafSigningBytes } from '../src/mls/credential.ts'

/** Test vectors of SPEC.md §11.2–11.3 */
describe('groups test vectors', () => {
  const groupId = new Uint8Array(32).fill(0x11)

  it('root id, commit id, leaf signing bytes', () => {
    expect(rootId(groupId)).to.equal('842fa78287781b16273f314bf121714c69a8a6f789914d6c5e935a3bb0064617')
    expect(commitId(new TextEncoder().encode('saorsa'))).to.equal('aa8574364e9999a1a8f40e4950b98ccc693e161aed9c9e806ba8b134aafd32a3')
    expect(toHex(leafSigningBytes(87, Uint8Array.of(0xaa, 0xbb)))).to.equal('73616f7273612d676f737369702f67726f7570732f63726564656e7469616c2f7631000057aabb')
  })

  it('a GroupMessage round-trips and refuses malformed fields', () => {
    const bytes = encodeGroupMessage(groupId, { kind: 'application', epoch: 5, parent: rootId(groupId), mls: Uint8Array.of(1, 2, 3) })
    expect(toHex(bytes)).to.equal('08011220' + '11'.repeat(32) + '18052220842fa78287781b16273f314bf121714c69a8a6f789914d6c5e935a3bb00646172a03010203')
    expect(decodeGroupMessage(bytes).message).to.deep.equal({ kind: 'application', epoch: 5, parent: rootId(groupId), mls: Uint8Array.of(1, 2, 3) })
    // a parent that is not 32 bytes, an application without MLS bytes, an empty group id
    expect(() => decodeGroupMessage(Uint8Array.of(0x08, 0x01, 0x12, 0x01, 0x01, 0x22, 0x01, 0x00))).to.throw()
    const noMls = encodeGroupMessage(groupId, { kind: 'head', epoch: 1, parent: rootId(groupId) })
    expect(decodeGroupMessage(noMls).message.kind).to.equal('head')
    expect(() => decodeGroupMessage(Uint8Array.of(0x08, 0x01, 0x22, 0x20, ...new Uint8Array(32)))).to.throw()
  })
})
