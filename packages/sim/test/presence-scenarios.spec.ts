/**
 * presence()'s pure core over the simulated network (issue 16): membership + Plumtree build the
 * membership and topic views, presence beacons and FOAF lookups run on them. 1,000 nodes in 10
 * topics of ~100; the 10,000-node run is `npm run sim -- packages/sim/scenarios/presence-10000.json`.
 */
import { expect } from 'aegir/chai'
import { runPresenceScenario, validatePresenceScenario } from '../src/presence/run-presence.ts'
import type { PresenceResult, PresenceScenario } from '../src/presence/run-presence.ts'

const scenario = (scoped: boolean): PresenceScenario => ({
  name: 'presence-1000',
  seed: 1,
  nodes: 1000,
  latency: { min: 5, max: 120 },
  joinInterval: 20,
  contact: 'random',
  topics: { count: 10, perNode: 1, subscribeAt: 22_000 },
  lookups: { at: 60_000, interval: 50, topicPeers: 200, anyPeers: 200 },
  scoped,
  duration: 85_000
})

describe('presence in the simulator: FOAF lookups over membership and topic views (1,000 nodes)', function () {
  // ~5 s of CPU each
  this.timeout(300_000)
  let scopedRun: PresenceResult
  let plainRun: PresenceResult

  before(() => {
    scopedRun = runPresenceScenario(scenario(true))
    plainRun = runPresenceScenario(scenario(false))
  })

  it('finds ≥ 99% of unconnected peers that share a topic with the searcher, within the query deadline', () => {
    expect(scopedRun.topicPeers.lookups).to.equal(200)
    expect(scopedRun.topicPeers.success).to.be.at.least(0.99)
    expect(scopedRun.topicPeers.latency.max).to.be.below(3000)
    expect(scopedRun.topicPeers.messagesPerLookup).to.be.greaterThan(0)
  })

  it('with the topic views, more topic peers are found than over the membership overlay alone', () => {
    expect(scopedRun.topicPeers.success).to.be.greaterThan(plainRun.topicPeers.success)
  })

  it('topic neighbours hold each other\'s neighbours\' records (friends of a friend): more records than membership alone gives', () => {
    // a node's membership active view is 8–12; its topic view ~7 more, and their neighbours' ~40
    expect(scopedRun.records.p50).to.be.at.least(30)
    expect(scopedRun.records.p50).to.be.greaterThan(plainRun.records.p50 ?? Infinity)
    expect(plainRun.counters.beaconsRelayed ?? 0).to.equal(0)
    expect(scopedRun.counters.beaconsRelayed).to.be.greaterThan(0)
  })

  it('still finds most arbitrary peers through the membership branches of a scoped lookup', () => {
    expect(scopedRun.anyPeer.success).to.be.at.least(0.6)
  })

  it('refuses an invalid scenario with a named error', () => {
    expect(() => validatePresenceScenario({ ...scenario(true), nodes: 3 })).to.throw(/presence scenario/)
  })
})
