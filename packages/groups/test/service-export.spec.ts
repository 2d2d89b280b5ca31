import { expect } from 'aegir/chai'
import { createGroupNodes, waitFor } from './fixtures/nodes.ts'
import type { GroupNode } from './fixtures/nodes.ts'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

describe('groups() exportSecret (RFC 9420 §8.5, SPEC.md §11.8): 3 real nodes, a group of 2', function () {
  this.timeout(120_000)
  let nodes: GroupNode[] = []

  after(async () => {
    await Promise.all(nodes.map(async node => node.stop()))
  })

  it('members of an epoch export the same secret per label, the next commit replaces it, bad requests are refused by name', async () => {
    nodes = await createGroupNodes(3)
    await waitFor(() => nodes.every(node => node.services.membership.activeView().length >= 1), 30_000, 'membership')
    const [a, b, outsider] = nodes
    const group = await a.services.groups.create('export')
    await a.services.groups.invite(group.id, b.peerId)
    await waitFor(() => b.services.groups.list()[0]?.epoch === 1, 30_000, 'b joined')

    const fromA = await a.services.groups.exportSecret(group.id, 'app/test/v1', 32)
    const fromB = await b.services.groups.exportSecret(group.id, 'app/test/v1', 32)
    expect(fromA).to.include({ groupId: group.id, epoch: 1 })
    expect(fromA.secret).to.have.length(32)
    expect(hex(fromB.secret)).to.equal(hex(fromA.secret))
    const otherLabel = await a.services.groups.exportSecret(group.id, 'app/other/v1', 32)
    expect(hex(otherLabel.secret)).to.not.equal(hex(fromA.secret))
    expect((await a.services.groups.exportSecret(group.id, 'app/test/v1', 64)).secret).to.have.length(64)

    await b.services.groups.update(group.id)
    await waitFor(() => a.services.groups.list()[0]?.epoch === 2, 30_000, 'a at epoch 2')
    const nextA = await a.services.groups.exportSecret(group.id, 'app/test/v1', 32)
    const nextB = await b.services.groups.exportSecret(group.id, 'app/test/v1', 32)
    expect(nextA.epoch).to.equal(2)
    expect(hex(nextA.secret)).to.equal(hex(nextB.secret))
    expect(hex(nextA.secret)).to.not.equal(hex(fromA.secret))

    // our own key's label, an empty one, lengths out of range; a node not in the group
    for (const [label, length] of [['saorsa-gossip/groups/app/v1', 32], ['', 32], ['app/test/v1', 0], ['app/test/v1', 1025], ['app/test/v1', 1.5]] as const) {
      await expect(a.services.groups.exportSecret(group.id, label, length), `${label} ${length}`).to.eventually.be.rejected.with.property('name', 'InvalidExportError')
    }
    await expect(outsider.services.groups.exportSecret(group.id, 'app/test/v1', 32)).to.eventually.be.rejected.with.property('name', 'UnknownGroupError')
  })
})
