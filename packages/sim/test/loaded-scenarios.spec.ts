import { expect } from 'aegir/chai'
import { runBroadcastScenario } from '../src/broadcast/run-broadcast.ts'
import { runMembershipScenario } from '../src/run-membership.ts'
import type { BroadcastScenario } from '../src/broadcast/scenario.ts'

/**
 * Issue 12: 100 nodes sharing 2 cores (50 per simulated core, the benchmark's processes) with
 * the processing costs of SPEC.md §4.1 scaled up until the event loop lags hundreds of ms
 * during formation. The protocols must form, stay formed and deliver without turning their
 * own lag into verdicts or dropped links (SPEC.md §6.9, §7.13).
 */
describe('100 nodes on 2 loaded cores', function () {
  this.timeout(300_000)

  it('membership forms one component with no false dead verdicts while every event loop lags', () => {
    const r = runMembershipScenario({
      name: 'formation-100-loaded',
      seed: 1,
      nodes: 100,
      latency: { min: 10, max: 50 },
      duration: 60_000,
      join: { interval: 10 },
      processing: { preset: 'default', nodesPerCore: 50, scale: 3 }
    })
    expect(r.processing?.messages.p99 as number, 'the scenario must actually load the cores').to.be.greaterThan(1000)
    expect(r.final.components).to.equal(1)
    expect(r.final.isolated).to.equal(0)
    expect(r.falsePositives.healthy).to.equal(0)
  })

  it('plumtree forms, keeps its topic links and delivers everything while every event loop lags', () => {
    const scenario: BroadcastScenario = {
      name: 'broadcast-100-loaded',
      seed: 1,
      nodes: 100,
      latency: { min: 10, max: 50 },
      join: { interval: 10 },
      subscribeAt: 5_000,
      payloadSize: 1024,
      traffic: [
        { label: 'warm-up', at: 20_000, count: 10, interval: 200, sender: 'random' },
        { label: 'random', at: 30_000, count: 100, interval: 100, sender: 'random' }
      ],
      duration: 60_000,
      processing: { preset: 'default', nodesPerCore: 50, scale: 3 }
    }
    const r = runBroadcastScenario(scenario, 'plumtree')
    expect(r.processing?.messages.p99 as number, 'the scenario must actually load the cores').to.be.greaterThan(1000)
    for (const t of r.traffic) {
      expect(t.deliveryRatio, t.label).to.equal(1)
    }
    // after formation topic links stay (issue 12: ≈ 0 dropped): a handful of TOPIC_LEAVEs once
    // publishing starts come from membership churn (a new neighbour announcing the topic moves a
    // link; seeds 1–3 gave 2, 0 and 1), not from lag; the fixed timers this replaced dropped
    // thousands of links on 100 loaded real nodes
    expect(r.totals.messagesByType['topic-leave'] ?? 0).to.be.at.most(3)
    // and nobody is left pinging a link the other side dropped: pings are answered with pongs
    expect(r.totals.messagesByType['topic-pong'] ?? 0).to.be.at.least((r.totals.messagesByType['topic-ping'] ?? 0) * 0.95)
    const random = r.traffic.find(t => t.label === 'random')
    expect(random?.rmr as number).to.be.below(1)
    // the cores' own counters, summed over the nodes, agree with what the network saw delivered
    const delivered = r.traffic.reduce((n, t) => n + t.delivered, 0)
    expect(r.coreStats?.delivered).to.equal(delivered)
    expect(r.coreStats?.['dropped.invalid']).to.equal(0)
  })
})
