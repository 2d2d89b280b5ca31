import { identify } from '@libp2p/identify'
import { memory } from '@libp2p/memory'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { pqIdentity } from '@saorsa-gossip/identity'
import { membership } from '@saorsa-gossip/membership'
import { plumtree } from '@saorsa-gossip/pubsub'
import { expect } from 'aegir/chai'
import { createLibp2p } from 'libp2p'
import { presence } from '../src/index.ts'
import { waitFor } from './fixtures/nodes.ts'
import type { PresenceService } from '../src/index.ts'
import type { Libp2p } from '@libp2p/interface'
import type { MembershipService } from '@saorsa-gossip/membership'

type TopicNode = Libp2p<{ membership: MembershipService, pubsub: { subscribe(topic: string): void, getMeshPeers(topic: string): string[] }, presence: PresenceService }>

let counter = 0
const TOPIC = 'presence-topic-test'

async function createNode (bootstrap: string[]): Promise<TopicNode> {
  const n = counter++
  return createLibp2p({
    addresses: { listen: [`/memory/sg-presence-topics-${process.pid}-${n}`] },
    transports: [memory()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      pqIdentity: pqIdentity(),
      // membership views of 1–2: most topic neighbours are not membership neighbours
      membership: membership({ seed: `pt-${n}`, bootstrap, hyparview: { activeViewTarget: 1, activeViewCapacity: 2 } }),
      // topic views of 2–3 in a topic of 8: some members are two topic hops away
      pubsub: plumtree({ seed: `pt-${n}`, config: { topicActiveTarget: 2, topicActiveCapacity: 3 } }),
      presence: presence({ seed: `pt-${n}` })
    }
  }) as unknown as Promise<TopicNode>
}

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
