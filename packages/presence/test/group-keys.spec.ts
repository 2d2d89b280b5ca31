import { toHex } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { GroupKey, HOUR_MS, InvalidGroupSecretError } from '../src/index.ts'

const secret = (fill: number): Uint8Array => new Uint8Array(32).fill(fill)
const peer = Uint8Array.of(0, 36, 8, 1, 18, 32, ...new Uint8Array(32).fill(9))
const NOW = 1_700_000_000_000
/** SPEC.md §8.3: secret 00 01 … 1f, peer bytes 00 01 … 25, hour slice 493,827 */
const TAG_VECTOR = 'ea32776ebfb5bfffe06ce74a67ccd86b'

describe('group presence keys', () => {
  it('refuses an all-zero or short secret (no zero-key fallback)', () => {
    expect(() => new GroupKey({ groupId: 'g', secret: new Uint8Array(32) })).to.throw().with.property('name', InvalidGroupSecretError.name)
    expect(() => new GroupKey({ groupId: 'g', secret: secret(1).subarray(0, 16) })).to.throw().with.property('name', InvalidGroupSecretError.name)
  })

  it('tags are stable within an hour, rotate across hours, and differ between groups', () => {
    const a = new GroupKey({ groupId: 'a', secret: secret(1) })
    const b = new GroupKey({ groupId: 'b', secret: secret(2) })
    const slice = Math.floor(NOW / HOUR_MS)
    expect(a.tag(peer, slice)).to.have.length(16)
    expect(a.tag(peer, slice)).to.deep.equal(a.tag(peer, slice))
    expect(a.tag(peer, slice)).to.not.deep.equal(a.tag(peer, slice + 1))
    expect(a.tag(peer, slice)).to.not.deep.equal(b.tag(peer, slice))
    expect(a.tagsAround(peer, NOW)).to.deep.equal([a.tag(peer, slice), a.tag(peer, slice - 1)])
  })

  it('matches the tag test vector of SPEC.md §8.3', () => {
    const key = new GroupKey({ groupId: 'v', secret: Uint8Array.from({ length: 32 }, (_, i) => i) })
    const vectorPeer = Uint8Array.from({ length: 38 }, (_, i) => i)
    expect(toHex(key.tag(vectorPeer, 493_827))).to.equal(TAG_VECTOR)
  })

  it('seals for members only, bound to its tag', () => {
    const a = new GroupKey({ groupId: 'a', secret: secret(1) })
    const outsider = new GroupKey({ groupId: 'x', secret: secret(3) })
    const tag = a.tag(peer, 5)
    const sealed = a.seal(tag, Uint8Array.of(1, 2, 3))
    expect(a.open(tag, sealed)).to.deep.equal(Uint8Array.of(1, 2, 3))
    expect(outsider.open(tag, sealed)).to.equal(undefined)
    expect(a.open(a.tag(peer, 6), sealed)).to.equal(undefined)
    const tampered = sealed.slice()
    tampered[14] ^= 1
    expect(a.open(tag, tampered)).to.equal(undefined)
  })
})
