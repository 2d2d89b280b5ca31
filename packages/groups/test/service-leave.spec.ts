import { expect } from 'aegir/chai'
import { createGroupNodes, waitFor } from './fixtures/nodes.ts'
import type { GroupNode } from './fixtures/nodes.ts'

const DUTY_TIMEOUT = 2_000

describe('groups() leave with the first remover offline (SPEC.md §11.3): 4 real nodes', function () {
  this.timeout(180_000)
  let nodes: GroupNode[] = []

  after(async () => {
    await Promise.all(nodes.map(async node => node.stop()))
  })

  it('the next remaining member commits the removal after dutyTimeout', async () => {
    nodes = await createGroupNodes(4, { groups: { core: { dutyTimeout: DUTY_TIMEOUT } } })
    await waitFor(() => nodes.every(node => node.services.membership.activeView().length >= 3), 30_000, 'a full mesh')
    let group = await nodes[0].services.groups.create('leave')
    for (const n of nodes.slice(1)) {
      group = await nodes[0].services.groups.invite(group.id, n.peerId)
    }
    await waitFor(() => nodes.every(n => n.services.groups.list()[0]?.epoch === 3), 30_000, 'every member at epoch 3')
    // the leaver is the member that sorts last; the first of the others (the one due to commit) goes down
    const sorted = [...nodes].sort((a, b) => a.peerId.toString() < b.peerId.toString() ? -1 : 1)
    const leaver = sorted[3]
    const [down, ...rest] = sorted.slice(0, 3)
    await down.stop()
    await waitFor(() => rest.every(n => n.services.pubsub.getMeshPeers(group.topic).length >= 1) && leaver.services.pubsub.getMeshPeers(group.topic).length >= 1,
      30_000, 'the topic linked without the stopped member')
    const asked = Date.now()
    await leaver.services.groups.leave(group.id)
    await waitFor(() => rest.every(n => n.services.groups.list()[0]?.epoch === 4), 30_000,
      () => `the removal committed (epochs ${rest.map(n => n.services.groups.list()[0]?.epoch).join(', ')})`)
    // not before the second member's turn: the first (down) had it for dutyTimeout
    expect(Date.now() - asked).to.be.at.least(DUTY_TIMEOUT - 100)
    for (const n of rest) {
      expect(n.services.groups.members(group.id).map(String)).to.not.include(leaver.peerId.toString())
      expect(n.services.groups.members(group.id).map(String)).to.include(down.peerId.toString())
    }
    nodes = nodes.filter(n => n !== down)
  })
})
