import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { expect } from 'aegir/chai'
import { register } from 'prom-client'
import { createOverlay, topicFormed, waitFor } from './fixtures/nodes.ts'
import type { PlumtreeNode } from './fixtures/nodes.ts'

/** Value of `metric{label="key"}` (or the unlabelled metric) in a Prometheus text dump */
function value (dump: string, metric: string, label?: string): number | undefined {
  const re = new RegExp(`^${metric}${label == null ? '' : `\\{[a-z_]+="${label}"\\}`} (\\S+)$`, 'm')
  const m = dump.match(re)
  return m == null ? undefined : Number(m[1])
}

describe('plumtree() metrics through libp2p\'s metrics interface', function () {
  this.timeout(60_000)
  let nodes: PlumtreeNode[] = []

  after(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
    register.clear()
  })

  it('exports deliveries, duplicates, grafts, prunes, IHAVE counts, frames, drops and peer scores', async () => {
    register.clear()
    // only the first node reports to Prometheus (one registry per process)
    nodes = await createOverlay('memory', 4)
    const observed = await createOverlay('memory', 1, { extra: { metrics: prometheusMetrics({ preserveExistingMetrics: true }) }, membership: { bootstrap: [nodes[0].getMultiaddrs()[0].toString()] } })
    nodes.push(...observed)
    for (const n of nodes) {
      n.services.pubsub.subscribe('metrics')
    }
    await waitFor(() => topicFormed(nodes, 'metrics'), 20_000, 'topic links')
    for (let m = 0; m < 20; m++) {
      await nodes[m % 4].services.pubsub.publish('metrics', new Uint8Array([m]))
    }
    const target = observed[0]
    await waitFor(() => (target.services.pubsub.stats.core?.delivered ?? 0) >= 20, 10_000, 'deliveries at the observed node')
    const dump = await register.metrics()
    const core = target.services.pubsub.stats.core
    expect(value(dump, 'saorsa_gossip_plumtree_core', 'delivered')).to.equal(core?.delivered)
    for (const key of ['duplicates', 'grafts', 'prunes', 'ihaveSent', 'ihaveReceived', 'payloadsSent', 'dropped_invalid', 'graylisted']) {
      expect(value(dump, 'saorsa_gossip_plumtree_core', key), key).to.be.a('number')
    }
    expect(value(dump, 'saorsa_gossip_plumtree_frames_in', 'gossip')).to.be.at.least(20)
    expect(value(dump, 'saorsa_gossip_plumtree_drops', 'malformed')).to.equal(0)
    // one score per peer with a plumtree stream: honest peers that delivered first copies score above 0
    const scores = [...dump.matchAll(/^saorsa_gossip_plumtree_peer_score\{peer="([^"]+)"\} (\S+)$/gm)].map(m => Number(m[2]))
    expect(scores.length).to.be.at.least(1)
    expect(Math.max(...scores)).to.be.greaterThan(0)
  })
})
