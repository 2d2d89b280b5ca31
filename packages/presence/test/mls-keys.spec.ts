import { expect } from 'aegir/chai'
import { GroupKey, GroupKeyring, PRESENCE_EXPORTER_LABEL } from '../src/index.ts'
import type { GroupsSource } from '../src/index.ts'

const GRACE = 1_000
const peer = Uint8Array.from({ length: 38 }, (_, i) => i)

/** groups() by shape: one group whose epoch and secret the test moves */
class FakeGroups implements GroupsSource {
  epoch = 1
  secret = new Uint8Array(32).fill(1)
  member = true
  exports = 0
  labels: string[] = []
  list (): Array<{ id: string, epoch: number, member: boolean }> {
    return [{ id: 'g', epoch: this.epoch, member: this.member }]
  }

  async exportSecret (groupId: string, label: string, length: number): Promise<{ epoch: number, secret: Uint8Array }> {
    this.exports++
    this.labels.push(label)
    expect(length).to.equal(32)
    return { epoch: this.epoch, secret: this.secret }
  }

  addEventListener (): void {}
  removeEventListener (): void {}
}

function opens (keys: GroupKey[], sealedBy: GroupKey): boolean {
  const tag = sealedBy.tag(peer, 1)
  const sealed = sealedBy.seal(tag, Uint8Array.of(7))
  return keys.some(k => k.open(tag, sealed) != null)
}

describe('group keys exported from groups() (SPEC.md §8.3)', () => {
  it('follows the epoch: seals with the new key at once, opens the previous epoch\'s for the grace period only', async () => {
    const groups = new FakeGroups()
    const ring = new GroupKeyring(groups, GRACE, () => {})
    expect(await ring.refresh(0)).to.equal(true)
    expect(groups.labels).to.deep.equal([PRESENCE_EXPORTER_LABEL])
    const old = new GroupKey({ groupId: 'g', secret: groups.secret })
    // nothing moved: no export, no change
    expect(await ring.refresh(10)).to.equal(false)
    expect(groups.exports).to.equal(1)
    groups.epoch = 2
    groups.secret = new Uint8Array(32).fill(2)
    const next = new GroupKey({ groupId: 'g', secret: groups.secret })
    expect(await ring.refresh(100)).to.equal(true)
    expect(opens(ring.sealing(), next)).to.equal(true)
    expect(opens(ring.sealing(), old)).to.equal(false)
    expect(opens(ring.opening(100 + GRACE - 1), old), 'within the grace period').to.equal(true)
    expect(opens(ring.opening(100 + GRACE), old), 'after it').to.equal(false)
    expect(opens(ring.opening(100 + GRACE), next)).to.equal(true)
  })

  it('a fork switch to a branch of the same height changes the key without changing the epoch: a recheck finds it', async () => {
    const groups = new FakeGroups()
    const ring = new GroupKeyring(groups, GRACE, () => {})
    await ring.refresh(0)
    groups.secret = new Uint8Array(32).fill(3)
    expect(await ring.refresh(1)).to.equal(false)
    expect(await ring.refresh(2, true)).to.equal(true)
    expect(opens(ring.sealing(), new GroupKey({ groupId: 'g', secret: groups.secret }))).to.equal(true)
  })

  it('a group we are no longer in loses both keys at once, with no grace', async () => {
    const groups = new FakeGroups()
    const ring = new GroupKeyring(groups, GRACE, () => {})
    await ring.refresh(0)
    const first = new GroupKey({ groupId: 'g', secret: groups.secret })
    groups.epoch = 2
    groups.secret = new Uint8Array(32).fill(2)
    await ring.refresh(1)
    groups.member = false
    expect(await ring.refresh(2)).to.equal(true)
    expect(ring.sealing()).to.deep.equal([])
    expect(opens(ring.opening(3), first)).to.equal(false)
    expect(ring.opening(3)).to.deep.equal([])
  })

  it('an export that fails is reported and leaves the other keys alone', async () => {
    const groups = new FakeGroups()
    const errors: string[] = []
    const ring = new GroupKeyring(groups, GRACE, (id) => { errors.push(id) })
    groups.exportSecret = async () => { throw new Error('not a member') }
    expect(await ring.refresh(0)).to.equal(false)
    expect(errors).to.deep.equal(['g'])
    expect(ring.sealing()).to.deep.equal([])
  })
})
