import { expect } from 'aegir/chai'
import { createOverlay, topicFormed, waitFor } from './fixtures/nodes.ts'
import type { PlumtreeNode, TransportKind } from './fixtures/nodes.ts'

const NODES = 30
const MESSAGES = 1000
const TOPIC = 'saorsa/test/30'

for (const kind of ['tcp', 'quic'] as TransportKind[]) {
  describe(`plumtree() over ${kind}: ${NODES} libp2p nodes`, function () {
    this.timeout(240_000)
    let nodes: PlumtreeNode[] = []

    after(async () => {
      await Promise.all(nodes.map(async n => n.stop()))
    })

    it(`delivers ${MESSAGES} messages from random publishers exactly once to every subscriber`, async () => {
      nodes = await createOverlay(kind, NODES)
      // per node: payload text → deliveries
      const counts = nodes.map(() => new Map<string, number>())
      let total = 0
      nodes.forEach((n, i) => {
        n.services.pubsub.subscribe(TOPIC)
        n.services.pubsub.addEventListener('message', evt => {
          const text = new TextDecoder().decode(evt.detail.data)
          counts[i].set(text, (counts[i].get(text) ?? 0) + 1)
          total++
        })
      })
      await waitFor(() => topicFormed(nodes, TOPIC, 2), 60_000, () => `topic neighbours ${nodes.map(n => n.services.pubsub.getMeshPeers(TOPIC).length).join(',')}`)

      const publishers: number[] = []
      const started = Date.now()
      for (let m = 0; m < MESSAGES; m++) {
        // deterministic spread of publishers over the nodes
        const p = (m * 7919 + 13) % NODES
        publishers.push(p)
        await nodes[p].services.pubsub.publish(TOPIC, new TextEncoder().encode(`m${m}`))
        if (m % 20 === 19) {
          // about 400 messages/s offered in total: bursts of 20 every 50 ms
          await new Promise(resolve => setTimeout(resolve, 50))
        }
      }
      const expected = MESSAGES * (NODES - 1)
      await waitFor(() => total >= expected, 120_000, () => `${total}/${expected} deliveries`)
      const elapsed = Date.now() - started
      // anything late (a duplicate) would arrive within the graft timers and an anti-entropy period
      await new Promise(resolve => setTimeout(resolve, 6_000))

      let duplicates = 0
      let missing = 0
      for (let i = 0; i < NODES; i++) {
        for (let m = 0; m < MESSAGES; m++) {
          const c = counts[i].get(`m${m}`) ?? 0
          if (publishers[m] === i) {
            expect(c, `node ${i} got its own message m${m}`).to.equal(0)
            continue
          }
          if (c === 0) {
            missing++
          }
          if (c > 1) {
            duplicates += c - 1
          }
        }
      }
      expect(missing).to.equal(0)
      expect(duplicates).to.equal(0)
      expect(total).to.equal(expected)
      const stats = nodes.map(n => n.services.pubsub.stats)
      const sum = (f: (s: typeof stats[number]) => number): number => stats.reduce((a, s) => a + f(s), 0)
      const dupFrames = sum(s => s.core?.duplicates ?? 0)
      const payloads = sum(s => s.core?.payloadsSent ?? 0)
      // eslint-disable-next-line no-console
      console.log(`      ${kind}: ${expected} deliveries in ${elapsed} ms; payload frames ${payloads} (RMR ${(payloads / expected - 1).toFixed(3)}), duplicate frames ${dupFrames}, grafts ${sum(s => s.core?.grafts ?? 0)}, AE repaired ${sum(s => s.core?.aeRepaired ?? 0)}, origins resolved ${sum(s => s.originsResolved)}, drops ${JSON.stringify(stats.reduce<Record<string, number>>((a, s) => { for (const [k, v] of Object.entries(s.drops)) { a[k] = (a[k] ?? 0) + v } return a }, {}))}`)
    })
  })
}
