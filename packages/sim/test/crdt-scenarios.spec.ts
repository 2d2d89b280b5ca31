/**
 * crdtSync's pure core over the simulated network (issue 17): membership + Plumtree carry the
 * real CRDT frames; the network splits in two halves, every node edits, 30% of the nodes crash
 * and restart from their store, the network heals. Scaled down to 100 nodes (the 1,000-node
 * run is `npm run bench:crdt`).
 */
import { expect } from 'aegir/chai'
import { runCrdtScenario, validateCrdtScenario } from '../src/crdt/run-crdt.ts'
import type { CrdtResult, CrdtScenario } from '../src/crdt/run-crdt.ts'

export const crdtScenario = (nodes: number): CrdtScenario => ({
  name: `crdt-partition-crash30-${nodes}`,
  seed: 1,
  nodes,
  latency: { min: 10, max: 50 },
  joinInterval: 20,
  subscribeAt: nodes * 20 + 2000,
  antiEntropyInterval: 2000,
  partitionAt: nodes * 20 + 4000,
  edits: { from: nodes * 20 + 5000, to: nodes * 20 + 13_000, perNode: 3 },
  crash: { at: nodes * 20 + 7000, fraction: 0.3, restartAt: nodes * 20 + 10_000 },
  healAt: nodes * 20 + 15_000,
  // Plumtree's topic overlay took 7–20 s to join the halves again in runs at 100 nodes
  duration: nodes * 20 + 55_000
})

describe('crdt in the simulator: partition, 30% crash/restart, heal (100 nodes)', function () {
  // a few seconds of CPU; the wall time grows with the load of the machine
  this.timeout(600_000)
  let result: CrdtResult

  before(() => {
    result = runCrdtScenario(crdtScenario(100))
  })

  it('every live replica holds every operation within two anti-entropy periods of the topic overlay joining again, and all are equal', () => {
    expect(result.crashed).to.equal(30)
    expect(result.operations).to.be.greaterThan(300)
    expect(result.converged).to.equal(true)
    expect(result.convergedAfterHealMs).to.not.equal(null)
    // the first crdt frame crossing between the halves marks Plumtree's topic overlay joined;
    // from there the CRDT's own anti-entropy is what the issue bounds
    expect(result.topicReconnectedAfterHealMs).to.not.equal(null)
    expect(result.convergedAfterReconnectMs as number).to.be.at.most(2 * 2000)
  })

  it('restarted nodes rebuild from their store and never reuse one of their own dots', () => {
    expect(result.restoredFromStore).to.equal(30)
    expect(result.dotReuse).to.equal(0)
  })

  it('after the heal, repairs ship the missing deltas, not states', () => {
    expect(result.repairs).to.be.greaterThan(0)
    // the repairs are of the order of what each half missed, far below one state per node
    expect(result.deltaBytes).to.be.at.most(4 * result.partitionDeltaBytes)
    expect(result.deltaBytes).to.be.lessThan(result.fullStateSyncBytes / 10)
  })

  it('after the heal, a few members speak for all: fewer digests than members, most of them suppressed', () => {
    // every member has the same reason after the heal; one digest per member per period (732
    // in this run before the suppression rule of SPEC.md §9.4) grows with the square of the topic
    expect(result.digests).to.be.greaterThan(0)
    expect(result.digests).to.be.lessThan(result.nodes)
    expect(result.digestsSuppressed).to.be.greaterThan(result.digests)
  })

  it('refuses an inconsistent scenario with a named error', () => {
    expect(() => validateCrdtScenario({ ...crdtScenario(10), healAt: 0 })).to.throw(/crdt scenario/).with.property('code', 'ERR_INVALID_CONFIG')
  })
})
