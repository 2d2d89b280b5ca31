import { expect } from 'aegir/chai'
import { createTopicNode, waitFor } from './fixtures/nodes.ts'
import type { TopicNode } from './fixtures/nodes.ts'

const TOPIC = 'presence-topic-test'

// membership views of 1–2: most topic neighbours are not membership neighbours; topic views of
// 2–3 in a topic of 8: some members are two topic hops away
const createNode = async (bootstrap: string[]): Promise<TopicNode> => createTopicNode(bootstrap, { membershipView: [1, 2], topicView: [2, 3] })

describe('presence() with plumtree(): topic neighbours\' records (memory transport)', function () {
  this.timeout(120_000)
  let nodes: TopicNode[]

  before(async () => {
    const first = await createNode([])
    nodes = [first]
    for (let i = 1; i < 8; i++) {
      nodes.push(await createNode([first.getMultiaddrs()[0].toString()]))
    }
    nodes.forEach(n => { n.services.pubsub.subscribe(TOPIC) })
    await waitFor(() => nodes.every(n => n.services.pubsub.getMeshPeers(TOPIC).length >= 1), 60_000, 'a topic neighbour each')
  })

  after(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
  })

  it('topic neighbours exchange beacons and pass on their neighbours\', so a topic peer is found from the cache, with no query', async () => {
    // every node ends up holding the records of its topic neighbours (their own beacons) and of
    // their topic neighbours (relayed by them), besides its membership neighbours'
    const byId = new Map(nodes.map(n => [n.peerId.toString(), n]))
    const expected = (n: TopicNode): number => {
      const near = new Set(n.services.membership.activeView().map(String))
      for (const p of n.services.pubsub.getMeshPeers(TOPIC)) {
        near.add(p)
        byId.get(p)?.services.pubsub.getMeshPeers(TOPIC).forEach(q => near.add(q))
      }
      near.delete(n.peerId.toString())
      return near.size
    }
    await waitFor(() => nodes.every(n => n.services.presence.stats.records >= expected(n)), 30_000,
      () => `records of the topic two hops out (held / expected: ${nodes.map(n => `${n.services.presence.stats.records}/${expected(n)}`).join(', ')})`)
    expect(nodes.some(n => n.services.presence.stats.beaconsRelayed > 0)).to.equal(true)
    // a searcher and a topic member two topic hops from it that it holds no link to
    const linkedTo = (n: TopicNode): Set<string> => new Set([...n.services.membership.activeView().map(String), ...n.services.pubsub.getMeshPeers(TOPIC)])
    const twoHops = (n: TopicNode): string[] => n.services.pubsub.getMeshPeers(TOPIC).flatMap(p => byId.get(p)?.services.pubsub.getMeshPeers(TOPIC) ?? [])
    const pairs = nodes.flatMap(s => twoHops(s).filter(t => t !== s.peerId.toString() && !linkedTo(s).has(t)).map(t => [s, byId.get(t)] as const))
    if (pairs.length === 0) {
      throw new Error('no member two topic hops away from another without a link: the topology gives nothing to look up')
    }
    const [searcher, target] = pairs[0]
    if (target == null) {
      throw new Error('unknown target')
    }
    const sent = searcher.services.presence.stats.framesOut
    const info = await searcher.peerRouting.findPeer(target.peerId)
    expect(info.id.toString()).to.equal(target.peerId.toString())
    expect(info.multiaddrs.length).to.be.greaterThan(0)
    expect(searcher.services.presence.stats.framesOut).to.equal(sent)
  })
})
