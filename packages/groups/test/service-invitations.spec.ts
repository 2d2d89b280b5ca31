import { expect } from 'aegir/chai'
import { createGroupNode, waitFor } from './fixtures/nodes.ts'
import type { GroupNode } from './fixtures/nodes.ts'
import type { Invitation } from '../src/index.ts'

describe('groups() service: invitations and leaving', function () {
  this.timeout(120_000)
  let nodes: GroupNode[] = []

  afterEach(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
    nodes = []
  })

  it('an invitee whose policy declines gives no key package; one that accepts joins; a member that leaves is removed by the others', async () => {
    const first = await createGroupNode()
    const bootstrap = [first.getMultiaddrs()[0].toString()]
    const asked: Invitation[] = []
    const picky = await createGroupNode({ bootstrap, groups: { acceptInvitation: (inv) => { asked.push(inv); return inv.name !== 'spam' } } })
    const other = await createGroupNode({ bootstrap })
    nodes = [first, picky, other]
    await waitFor(() => nodes.every(n => n.services.membership.activeView().length > 0), 20_000, 'membership')

    const spam = await first.services.groups.create('spam')
    const err = await first.services.groups.invite(spam.id, picky.peerId).catch((e: Error) => e)
    expect(err).to.have.property('name', 'InvitationFailedError')
    expect(picky.services.groups.refusals()['invitation-refused']).to.equal(1)
    expect(first.services.groups.members(spam.id).map(String)).to.deep.equal([first.peerId.toString()])
    expect(picky.services.groups.list()).to.deep.equal([])

    const good = await first.services.groups.create('good')
    const joined = new Promise(resolve => { picky.services.groups.addEventListener('joined', resolve, { once: true }) })
    await first.services.groups.invite(good.id, picky.peerId)
    await first.services.groups.invite(good.id, other.peerId)
    await joined
    expect(asked.map(i => [i.name, i.from.toString(), i.suite])).to.deep.equal([['spam', first.peerId.toString(), 87], ['good', first.peerId.toString(), 87]])
    await waitFor(() => [first, picky, other].every(n => n.services.groups.list().find(g => g.id === good.id)?.epoch === 2), 20_000, 'epoch 2')
    await waitFor(() => nodes.every(n => n.services.pubsub.getMeshPeers(good.topic).length > 0), 30_000, 'topic links')

    // leaving: the member forgets the group; the remaining member that sorts first commits the removal
    await other.services.groups.leave(good.id)
    expect(other.services.groups.list().map(g => g.id)).to.not.include(good.id)
    await waitFor(() => [first, picky].every(n => n.services.groups.list().find(g => g.id === good.id)?.epoch === 3), 20_000, 'removal committed')
    for (const n of [first, picky]) {
      expect(n.services.groups.members(good.id).map(String)).to.have.members([first.peerId.toString(), picky.peerId.toString()])
    }
    // a group on another suite (1: classical, for comparison) works the same way
    const classic = await first.services.groups.create('classic', { suite: 1 })
    await first.services.groups.invite(classic.id, picky.peerId)
    await waitFor(() => picky.services.groups.list().some(g => g.id === classic.id), 10_000, 'suite-1 join')
    expect(picky.services.groups.list().find(g => g.id === classic.id)).to.include({ suite: 1, epoch: 1, member: true })

    // API misuse is a named error
    const unknown = await first.services.groups.send('ab'.repeat(32), new Uint8Array(1)).catch((e: Error) => e)
    expect(unknown).to.have.property('name', 'UnknownGroupError')
  })
})
