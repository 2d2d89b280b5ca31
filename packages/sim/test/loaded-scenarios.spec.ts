import { expect } from 'aegir/chai'
import { runBroadcastScenario } from '../src/broadcast/run-broadcast.ts'
import { runMembershipScenario } from '../src/run-membership.ts'
import type { BroadcastScenario } from '../src/broadcast/scenario.ts'

/**
 * Issue 12: 100 nodes sharing 2 cores (50 per simulated core, the benchmark's processes) with
 * the processing costs of SPEC.md §4.1 scaled up until the event loop lags hundreds of ms
 * during formation. The protocols must form, stay formed and deliver without turning their
 * own lag into verdicts or dropped links (SPEC.md §6.9, §7.13). The first two runs are stress
 * tests at the load they were written for: the stock stack's frames (preset `stock`, twice the
 * patched stack's per frame) at `scale` 3, one and a half times the real sweep's calibration.
 * Heavier, the contact every node joins through falls seconds behind and can be declared dead
 * before its refutation leaves its queue (SPEC.md §6.9).
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
      processing: { preset: 'stock', nodesPerCore: 50, scale: 3 }
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
      processing: { preset: 'stock', nodesPerCore: 50, scale: 3 }
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

  it('past saturation plumtree slows down but loses nothing: 100 nodes on 2 cores at 10, 20 and 40 msg/s (scenarios/saturation-100.json)', function () {
    // the real 100-node sweep's costs: scale 2 and 4.4 KB payloads (1 KiB plus the signature) put
    // P50 at 10, 20 and 40 msg/s where bench:sweep measured it over TCP (benchmarks/README.md)
    this.timeout(120_000)
    const scenario: BroadcastScenario = {
      name: 'saturation-100',
      seed: 1,
      nodes: 100,
      latency: { min: 1, max: 3 },
      join: { interval: 10 },
      subscribeAt: 15_000,
      payloadSize: 4400,
      processing: { preset: 'default', nodesPerCore: 50, scale: 2 },
      traffic: [
        { label: 'warm-up', at: 25_000, count: 10, interval: 500, sender: 'random' },
        { label: '10 msg/s', at: 32_000, count: 200, interval: 100, sender: 'random' },
        { label: '20 msg/s', at: 60_000, count: 200, interval: 50, sender: 'random' },
        { label: '40 msg/s', at: 80_000, count: 400, interval: 25, sender: 'random' }
      ],
      duration: 150_000
    }
    const r = runBroadcastScenario(scenario, 'plumtree')
    const p50 = (label: string): number => r.traffic.find(t => t.label === label)?.latency.p50 as number
    expect(p50('40 msg/s'), 'the cores must actually saturate').to.be.above(2000)
    expect(p50('10 msg/s')).to.be.below(p50('20 msg/s'))
    expect(p50('20 msg/s')).to.be.below(p50('40 msg/s'))
    for (const t of r.traffic) {
      expect(t.deliveryRatio, t.label).to.equal(1)
    }
    expect(r.coreStats?.linkTimeouts, 'no topic link lost to the lag').to.equal(0)
  })
})
