/**
 * MLS groups' ordering rule (SPEC.md §11.4) over the simulated network (issue 15): membership +
 * Plumtree carry the group's messages, the groups pure core runs with the fake MLS; the
 * network splits, both halves commit, the network heals.
 */
import { expect } from 'aegir/chai'
import { runGroupsScenario, validateGroupsScenario } from '../src/groups/run-groups.ts'
import type { GroupsResult, GroupsScenario } from '../src/groups/run-groups.ts'

export const groupsScenario = (nodes: number, seed = 1): GroupsScenario => ({
  name: `groups-partition-${nodes}`,
  seed,
  nodes,
  latency: { min: 10, max: 50 },
  joinInterval: 20,
  subscribeAt: nodes * 20 + 2000,
  addAllAt: nodes * 20 + 5000,
  partitionAt: nodes * 20 + 10_000,
  // side 0 makes three commits (the last removes a member of side 1), side 1 one
  commits: [3, 1],
  messages: 5,
  healAt: nodes * 20 + 25_000,
  afterMergeSenders: 5,
  headInterval: 5000,
  duration: nodes * 20 + 60_000
})

describe('groups in the simulator: concurrent commits on both sides of a partition (SPEC.md §11.4)', function () {
  this.timeout(600_000)

  for (const seed of [1, 2]) {
    describe(`100 nodes, seed ${seed}`, () => {
      let result: GroupsResult

      before(() => {
        result = runGroupsScenario(groupsScenario(100, seed))
      })

      it('the halves were on two branches before the heal, and every member is on one head after it, nobody left on a fork', () => {
        expect(result.headsBeforeHeal).to.equal(2)
        expect(result.mergedAfterHealMs).to.not.equal(null)
        expect(result.headsAtEnd).to.equal(1)
        // 100 members less the one side 0 removed
        expect(result.members).to.equal(99)
        // the losing side switched; its commit is made again on the winning chain
        expect(result.forkSwitches).to.be.greaterThan(0)
        expect(result.reproposals).to.be.greaterThan(0)
        // epoch 1 (the add) + side 0's three commits, plus the re-proposed one
        expect(result.epoch).to.be.at.least(4)
      })

      it('the group works on the merged chain: messages sent after the merge reach every other member exactly once', () => {
        expect(result.afterMerge.expected).to.equal(5 * 98)
        expect(result.afterMerge.delivered).to.equal(result.afterMerge.expected)
        expect(result.afterMerge.duplicates).to.equal(0)
      })
    })
  }

  it('refuses an inconsistent scenario with a named error', () => {
    expect(() => validateGroupsScenario({ ...groupsScenario(10), healAt: 0 })).to.throw(/groups scenario/).with.property('code', 'ERR_INVALID_CONFIG')
  })
})
