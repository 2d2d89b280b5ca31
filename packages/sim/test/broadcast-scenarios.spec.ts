/**
 * Plumtree against the baselines at 1,000 nodes in the simulator, with the
 * thresholds issue 5 asks for. Membership (HyParView + SWIM) runs beside each
 * broadcast protocol: all protocols see the same overlay and the same
 * publish schedule (both depend only on the seed). Seeds are fixed.
 */
import { expect } from 'aegir/chai'
import { runBroadcastScenario } from '../src/broadcast/run-broadcast.ts'
import { validateBroadcastScenario } from '../src/broadcast/scenario.ts'
import type { BroadcastResult, TrafficResult } from '../src/broadcast/run-broadcast.ts'
import type { BroadcastScenario } from '../src/broadcast/scenario.ts'

const base = {
  seed: 1,
  nodes: 1000,
  latency: { min: 10, max: 50 },
  join: { interval: 20 },
  subscribeAt: 22_000,
  payloadSize: 256
}

function label (result: BroadcastResult, name: string): TrafficResult {
  const found = result.traffic.find(t => t.label === name)
  if (found == null) {
    throw new Error(`no traffic ${name}`)
  }
  return found
}

describe('Plumtree at 1,000 nodes (simulator, link latency 10–50 ms)', function () {
  this.timeout(600_000)

  const stable: BroadcastScenario = {
    ...base,
    name: 'stable',
    traffic: [
      { label: 'warm-up', at: 26_000, count: 10, interval: 200, sender: 'fixed' },
      { label: 'one sender', at: 30_000, count: 50, interval: 200, sender: 'fixed' },
      { label: 'random sender', at: 42_000, count: 50, interval: 200, sender: 'random' },
      { label: 'burst', at: 55_000, count: 1000, interval: 0, sender: 'all' }
    ],
    duration: 65_000
  }
  let plumtree: BroadcastResult
  let mesh: BroadcastResult

  before(() => {
    plumtree = runBroadcastScenario(stable, 'plumtree')
    mesh = runBroadcastScenario(stable, 'mesh')
  })

  it('one sender, stable overlay, after a warm-up: missed 0, RMR <= 0.05, LDH <= 12', () => {
    const t = label(plumtree, 'one sender')
    expect(t.messages).to.equal(50)
    expect(t.expected).to.equal(50 * 1000)
    expect(t.missed).to.equal(0)
    expect(t.duplicatesDelivered).to.equal(0)
    expect(t.rmr).to.be.at.most(0.05)
    expect(t.ldh).to.be.at.most(12)
  })

  it('random sender per message: missed 0, RMR <= 0.5', () => {
    const t = label(plumtree, 'random sender')
    expect(t.missed).to.equal(0)
    expect(t.rmr).to.be.at.most(0.5)
  })

  it('burst, every node publishes once at the same moment: missed 0, RMR <= 2', () => {
    const t = label(plumtree, 'burst')
    expect(t.messages).to.equal(1000)
    expect(t.missed).to.equal(0)
    expect(t.duplicatesDelivered).to.equal(0)
    expect(t.rmr).to.be.at.most(2)
  })

  it('RMR at most a fifth of the gossipsub-style mesh at equal delivery (one sender, random senders, burst)', () => {
    for (const name of ['one sender', 'random sender', 'burst']) {
      const p = label(plumtree, name)
      const m = label(mesh, name)
      expect(m.missed, `mesh ${name}`).to.equal(0)
      expect(p.missed, `plumtree ${name}`).to.equal(0)
      expect(p.rmr, name).to.be.at.most(m.rmr / 5)
    }
  })

  it('30% of nodes crash while messages flow: everything reaches every survivor; from 5 s after the crash through the tree or IWANT', () => {
    const result = runBroadcastScenario({
      ...base,
      name: 'crash30',
      traffic: [
        { label: 'before', at: 26_000, count: 40, interval: 100, sender: 'random' },
        { label: 'first 5 s', at: 30_000, count: 50, interval: 100, sender: 'random' },
        { label: 'after 5 s', at: 35_000, count: 100, interval: 100, sender: 'random' }
      ],
      timeline: [{ at: 30_000, action: 'crash', fraction: 0.3 }],
      duration: 60_000
    }, 'plumtree')
    for (const t of result.traffic) {
      expect(t.missed, t.label).to.equal(0)
      // a message whose origin crashed before any survivor got it is owed to nobody
      expect(t.expected, t.label).to.equal((t.messages - t.unrecoverable) * 700)
    }
    expect(label(result, 'after 5 s').unrecoverable).to.equal(0)
    expect(result.traffic.reduce((n, t) => n + t.unrecoverable, 0)).to.be.at.most(2)
    const after = label(result, 'after 5 s')
    // no anti-entropy repair was needed for these: tree pushes and IHAVE/GRAFT delivered them
    expect(after.viaRepair).to.equal(0)
  })

  it('two halves for 60 s, then heal: every message is everywhere within two anti-entropy periods, at bounded sketch cost', () => {
    const result = runBroadcastScenario({
      ...base,
      name: 'partition',
      traffic: [
        { label: 'before', at: 26_000, count: 10, interval: 200, sender: 'random' },
        { label: 'partitioned', at: 31_000, count: 58, interval: 1000, sender: 'random' },
        { label: 'after heal', at: 100_000, count: 10, interval: 200, sender: 'random' }
      ],
      timeline: [{ at: 30_000, action: 'partition' }, { at: 90_000, action: 'heal' }],
      duration: 120_000
    }, 'plumtree')
    for (const t of result.traffic) {
      expect(t.missed, t.label).to.equal(0)
    }
    expect(label(result, 'partitioned').viaRepair).to.be.greaterThan(0)
    expect(result.completeAfterHeal).to.not.equal(null)
    expect(result.completeAfterHeal as number).to.be.at.most(2 * 5000)
    // per session: bytes <= 3 × (ids missing on either side × 32 B) + a constant
    expect(result.antiEntropy.sessionsWithDifferences).to.be.greaterThan(0)
    // the constant (SPEC.md §7.5): one digest, up to two batches of 16 coded symbols (few differences
    // sometimes need more than 16) and message headers
    expect(result.antiEntropy.worstExcess).to.be.at.most(1024)
  })

  it('a topic with 5% of nodes subscribed: no subscriber misses, no payload reaches or is relayed by a non-subscriber; non-subscribers can publish', () => {
    const result = runBroadcastScenario({
      ...base,
      name: 'sparse-topic',
      subscribers: 0.05,
      traffic: [
        { label: 'subscribers publish', at: 30_000, count: 30, interval: 200, sender: 'random' },
        { label: 'non-subscribers publish', at: 40_000, count: 30, interval: 200, sender: 'non-subscriber' }
      ],
      duration: 50_000
    }, 'plumtree')
    expect(result.subscribers).to.equal(50)
    for (const t of result.traffic) {
      expect(t.messages, t.label).to.equal(30)
      expect(t.missed, t.label).to.equal(0)
    }
    expect(result.nonSubscribers.payloadsReceived).to.equal(0)
    expect(result.nonSubscribers.payloadsRelayed).to.equal(0)
  })
})

describe('broadcast simulator harness', () => {
  const small: BroadcastScenario = {
    ...base,
    name: 'small',
    nodes: 60,
    join: { interval: 20 },
    subscribeAt: 3_000,
    traffic: [{ label: 'random sender', at: 6_000, count: 10, interval: 100, sender: 'random' }],
    duration: 10_000
  }

  it('is deterministic: the same scenario and seed give identical results, for every protocol', () => {
    for (const protocol of ['plumtree', 'mesh', 'flood'] as const) {
      const a = runBroadcastScenario(small, protocol)
      const b = runBroadcastScenario(small, protocol)
      expect(JSON.stringify(a), protocol).to.equal(JSON.stringify(b))
      expect(label(a, 'random sender').missed, protocol).to.equal(0)
    }
  })

  it('counts what it should: flooding sends every payload over every link but one per node', () => {
    const flood = runBroadcastScenario(small, 'flood')
    const t = label(flood, 'random sender')
    // RMR of flooding is (sum of degrees − (n − 1)) / (n − 1) − 1 > 5 on a degree-8+ overlay
    expect(t.rmr).to.be.greaterThan(5)
    expect(t.ldh).to.be.at.least(2)
  })

  it('rejects an invalid scenario with InvalidConfigError naming the problem', () => {
    // the message names the bad field
    expect(() => validateBroadcastScenario({ ...small, traffic: [{ label: 'x', at: 0, count: 1, interval: 0, sender: 'someone' }] })).to.throw(/sender/).that.includes({ name: 'InvalidConfigError', code: 'ERR_INVALID_CONFIG' })
    expect(() => validateBroadcastScenario({ ...small, nodes: 1 })).to.throw(/nodes/).with.property('code', 'ERR_INVALID_CONFIG')
    expect(() => validateBroadcastScenario({ ...small, protocols: ['gossipsub'] })).to.throw(/protocols/).with.property('code', 'ERR_INVALID_CONFIG')
    expect(validateBroadcastScenario(small)).to.equal(small)
  })
})

describe('broadcast simulator with the real wire codecs', () => {
  it('every plumtree and membership message survives encode/decode: same deliveries, exact byte counts near the estimates', function () {
    this.timeout(300_000)
    const scenario: BroadcastScenario = {
      ...base,
      name: 'codec',
      nodes: 300,
      subscribeAt: 8_000,
      traffic: [
        { label: 'random sender', at: 12_000, count: 30, interval: 100, sender: 'random' }
      ],
      timeline: [{ at: 13_000, action: 'partition' }, { at: 25_000, action: 'heal' }],
      duration: 40_000
    }
    const estimated = runBroadcastScenario(scenario, 'plumtree')
    const exact = runBroadcastScenario({ ...scenario, codec: true }, 'plumtree')
    expect(exact.traffic).to.deep.equal(estimated.traffic)
    expect(label(exact, 'random sender').missed).to.equal(0)
    expect(exact.antiEntropy.sessionsWithDifferences).to.be.greaterThan(0)
    expect(exact.totals.bytes).to.not.equal(estimated.totals.bytes)
    for (const type of ['gossip', 'ihave', 'graft', 'prune', 'topic-join', 'ae-digest', 'ae-symbols']) {
      const ratio = (estimated.totals.bytesByType[type] ?? 0) / (exact.totals.bytesByType[type] ?? 1)
      expect(ratio, type).to.be.within(0.9, 1.1)
    }
    expect(() => runBroadcastScenario({ ...scenario, codec: true }, 'mesh')).to.throw(/plumtree/).with.property('code', 'ERR_INVALID_CONFIG')
  })
})
