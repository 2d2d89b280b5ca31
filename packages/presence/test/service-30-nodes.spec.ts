import { expect } from 'aegir/chai'
import { createTopicNode, waitFor } from './fixtures/nodes.ts'
import type { TopicNode } from './fixtures/nodes.ts'

type Node = TopicNode

const NODES = 30
const TOPICS = 3
const topicOf = (i: number): string => `presence-30-${i % TOPICS}`

// small membership views (walks for topic peers cross few links); topic views are plumtree's
// own (6 in a topic of 10). This set-up split a topic for 60 s+ before FIND carried the
// origin's topic view (SPEC.md §7.4)
const createNode = async (bootstrap: string[]): Promise<Node> => createTopicNode(bootstrap, { membershipView: [2, 3] })

describe(`presence() on ${NODES} real nodes in ${TOPICS} topics (memory transport, plumtree, no kad-dht)`, function () {
  this.timeout(300_000)
  let nodes: Node[]

  before(async () => {
    nodes = []
    for (let i = 0; i < NODES; i++) {
      // each node joins through a random earlier one, so the views are not one chain of joins
      const contact = i === 0 ? [] : [nodes[Math.floor(Math.random() * i)].getMultiaddrs()[0].toString()]
      nodes.push(await createNode(contact))
    }
    nodes.forEach((n, i) => { n.services.pubsub.subscribe(topicOf(i)) })
    // every topic's view graph in one piece (else no routing can cross it), and beacons exchanged
    const reached = (topic: string): number => {
      const members = nodes.filter((_, i) => topicOf(i) === topic)
      const byId = new Map(members.map(n => [n.peerId.toString(), n]))
      const seen = new Set([members[0].peerId.toString()])
      const stack = [members[0]]
      while (stack.length > 0) {
        for (const p of stack.pop()?.services.pubsub.getMeshPeers(topic) ?? []) {
          const next = byId.get(p)
          if (next != null && !seen.has(p)) {
            seen.add(p)
            stack.push(next)
          }
        }
      }
      return seen.size
    }
    const connected = (topic: string): boolean => reached(topic) === nodes.filter((_, i) => topicOf(i) === topic).length
    await waitFor(() => Array.from({ length: TOPICS }, (_, t) => topicOf(t)).every(connected) && nodes.every(n => n.services.presence.stats.records >= 2), 60_000,
      () => `connected topic views and beacons (reached per topic ${Array.from({ length: TOPICS }, (_, t) => reached(topicOf(t))).join(', ')}; views ${nodes.map((n, i) => n.services.pubsub.getMeshPeers(topicOf(i)).length).join(' ')}; records ${nodes.map(n => n.services.presence.stats.records).join(' ')})`)
    // topic views are read every 2 s and beacons passed on as they change
    await new Promise(resolve => setTimeout(resolve, 5_000))
  })

  after(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
  })

  it('findPeer and dial(peerId) reach every member of its topic a node has no connection to', async () => {
    let looked = 0
    let fromCache = 0
    for (const [s, searcher] of nodes.entries()) {
      if (s % 2 !== 0) {
        continue
      }
      for (const [t, target] of nodes.entries()) {
        if (t === s || topicOf(t) !== topicOf(s) || searcher.getConnections(target.peerId).length > 0) {
          continue
        }
        const framesOut = searcher.services.presence.stats.framesOut
        const info = await searcher.peerRouting.findPeer(target.peerId)
        expect(info.id.toString()).to.equal(target.peerId.toString())
        fromCache += searcher.services.presence.stats.framesOut === framesOut ? 1 : 0
        const connection = await searcher.dial(target.peerId)
        expect(connection.remotePeer.toString()).to.equal(target.peerId.toString())
        await searcher.hangUp(target.peerId)
        looked++
      }
    }
    // fifteen searchers, each with the topic peers it was not connected to (of nine)
    expect(looked).to.be.at.least(15)
    // the records of topic peers two hops out answer some lookups with no query at all
    expect(fromCache).to.be.greaterThan(0)
  })
})
