import { expect } from 'aegir/chai'
import { createGroupNodes, observe, topicLinked, waitFor } from './fixtures/nodes.ts'
import type { GroupNode } from './fixtures/nodes.ts'

const enc = new TextEncoder()

describe('groups() service: concurrent commits with real MLS', function () {
  this.timeout(120_000)
  let nodes: GroupNode[] = []

  afterEach(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
    nodes = []
  })

  it('two members commit in the same epoch at once: every member ends on one chain and reads both', async () => {
    nodes = await createGroupNodes(4)
    const current: { topic?: string } = {}
    const seen = observe(nodes, () => current.topic)
    await waitFor(() => nodes.every(n => n.services.membership.activeView().length > 0), 20_000, 'membership')
    const group = await nodes[0].services.groups.create('racing')
    current.topic = group.topic
    for (const n of nodes.slice(1)) {
      await nodes[0].services.groups.invite(group.id, n.peerId)
    }
    await waitFor(() => topicLinked(nodes, group.topic), 30_000, 'topic links')
    await waitFor(() => nodes.every(n => n.services.groups.list()[0]?.epoch === 3), 20_000, 'epoch 3')
    const epochs = (): number[] => nodes.map(n => n.services.groups.list()[0]?.epoch)
    // both commit from epoch 3 before seeing the other's commit
    await Promise.all([nodes[1].services.groups.update(group.id), nodes[2].services.groups.update(group.id)])
    // one update wins epoch 4; the loser's update is re-proposed on top: epoch 5 for everyone
    await waitFor(() => epochs().every(e => e === 5), 30_000, () => `epochs ${epochs().join(',')}`)
    await new Promise(resolve => setTimeout(resolve, 500))
    expect(epochs()).to.deep.equal([5, 5, 5, 5])
    await nodes[1].services.groups.send(group.id, enc.encode('from 1'))
    await nodes[2].services.groups.send(group.id, enc.encode('from 2'))
    await waitFor(() => [0, 3].every(i => seen.plaintexts[i].includes('from 1') && seen.plaintexts[i].includes('from 2')) &&
      seen.plaintexts[1].includes('from 2') && seen.plaintexts[2].includes('from 1'), 20_000, () => `plaintexts ${JSON.stringify(seen.plaintexts)}`)
  })
})
