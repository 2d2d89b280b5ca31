import { expect } from 'aegir/chai'
import { OrSet } from '../src/core/orset.ts'
import { Replica } from '../src/core/replica.ts'
import { ReplicaSync } from '../src/core/sync.ts'
import { CrdtConfigError } from '../src/errors.ts'
import { crdtSync } from '../src/index.ts'
import type { DotRange } from '../src/core/causal-context.ts'

const config = { maxClockSkewMs: 1000, maxLoggedDeltas: 16, tombstoneHorizonMs: 0 }

/** A replica that has received one add from each of `writers` authors w0, w1, … */
function withWriters (self: string, writers: number): Replica {
  const r = new Replica(self, 'orset', config)
  for (let i = 0; i < writers; i++) {
    expect(r.receive(`w${i}`, new OrSet().add(`w${i}`, `e${i}`), { replica: `w${i}`, from: 1, to: 1 }, 0)).to.equal('applied')
  }
  return r
}

/** Periods until a digest goes out, random fixed (at most `max`) */
function periodsUntilDigest (sync: ReplicaSync, random: number, max = 20): number {
  for (let period = 1; period <= max; period++) {
    if (sync.digest(period * 1000, false, random) != null) {
      return period
    }
  }
  return Infinity
}

describe('replica sync: when a digest is due (SPEC.md §9.4)', () => {
  it('sends the first digest after open whatever the draw, then stays quiet while nothing is missing', () => {
    const sync = new ReplicaSync(withWriters('me', 100))
    expect(sync.digest(0, false, 0.999)).to.have.length(100)
    // deltas joining without a gap are no reason: every member would otherwise send one per period
    sync.replica.receive('w0', new OrSet().add('w0', 'more'), { replica: 'w0', from: 2, to: 2 }, 0)
    expect(periodsUntilDigest(sync, 0)).to.equal(Infinity)
  })

  it('acts on a reason every member may share with probability sharedDigests / writers, four times more each period it waits', () => {
    const sync = new ReplicaSync(withWriters('me', 100), 1)
    sync.digest(0, false, 0)
    sync.peerArrived()
    // 1/100, 4/100, 16/100, 64/100: a draw of 0.5 passes in the fourth period
    expect(periodsUntilDigest(sync, 0.5)).to.equal(4)
    // with few writers every reason is acted on at once
    const small = new ReplicaSync(withWriters('me', 3))
    small.digest(0, false, 0)
    small.peerArrived()
    expect(periodsUntilDigest(small, 0.99)).to.equal(1)
  })

  it('a peer digest naming dots we lack is a reason; one that lacks everything we lack speaks for us', () => {
    const sync = new ReplicaSync(withWriters('me', 10))
    sync.digest(0, false, 0)
    const ahead: DotRange[] = [...sync.replica.digest(), { replica: 'stranger', from: 1, to: 3 }]
    sync.onDigest(ahead)
    // 8/10 of a chance in the first period
    expect(sync.digest(1000, false, 0.7)).to.not.equal(undefined)

    sync.onDigest(ahead)
    // a member lacking what we lack (and more) published first: its answers carry ours
    const behind = sync.replica.digest().filter(r => r.replica !== 'w3')
    sync.onDigest(behind)
    expect(sync.suppressed).to.equal(1)
    expect(periodsUntilDigest(sync, 0)).to.equal(Infinity)
  })

  it('a digest holding dots we lack does not speak for us', () => {
    const sync = new ReplicaSync(withWriters('me', 10))
    sync.digest(0, false, 0)
    sync.peerArrived()
    sync.onDigest([...sync.replica.digest(), { replica: 'stranger', from: 1, to: 1 }])
    expect(sync.suppressed).to.equal(0)
    expect(sync.digest(1000, false, 0)).to.not.equal(undefined)
  })

  it('also suppresses the first digest when another member lacking everything we lack spoke first', () => {
    const sync = new ReplicaSync(withWriters('me', 10))
    sync.onDigest([])
    expect(sync.digest(0, false, 0)).to.equal(undefined)
  })

  it('heartbeats are drawn with probability sharedDigests / writers', () => {
    const sync = new ReplicaSync(withWriters('me', 100))
    sync.digest(0, false, 0)
    expect(sync.digest(1000, true, 0.5)).to.equal(undefined)
    expect(sync.digest(2000, true, 0.07)).to.not.equal(undefined)
  })

  it('a gap in an author\'s operations is a reason, once per change of what we hold', () => {
    const sync = new ReplicaSync(withWriters('me', 2))
    sync.digest(0, false, 0)
    const z = new OrSet()
    z.add('z', 'a')
    z.add('z', 'b')
    // z's third operation arrives; its first two did not
    expect(sync.replica.receive('z', z.add('z', 'c'), { replica: 'z', from: 3, to: 3 }, 0)).to.equal('applied')
    expect(sync.digest(1000, false, 0)).to.deep.include({ replica: 'z', from: 3, to: 3 })
    expect(sync.digest(2000, false, 0)).to.equal(undefined)
  })

  it('a digest lacking our own operations never speaks for us: only our digest tells the others what we wrote', () => {
    const me = new Replica('me', 'orset', config)
    me.recordLocal((me.state as OrSet).add('me', 'unpublished'))
    const sync = new ReplicaSync(me)
    sync.onDigest([], 'peer')
    expect(sync.suppressed).to.equal(0)
    expect(sync.digest(0, false, 0.99)).to.deep.equal([{ replica: 'me', from: 1, to: 1 }])
  })

  it('a restored replica answers digests lacking its own operations from the first period', () => {
    const me = new Replica('me', 'orset', config)
    me.recordLocal((me.state as OrSet).add('me', 'x'))
    const fresh = new ReplicaSync(me)
    expect(fresh.onDigest([])).to.equal(undefined)
    const restored = new ReplicaSync(me)
    restored.restored()
    expect(restored.onDigest([])?.ops).to.deep.equal({ replica: 'me', from: 1, to: 1 })
  })

  it('the topic size counts the members whose digests we saw, not only the writers (two writers, a hundred readers)', () => {
    const sync = new ReplicaSync(withWriters('me', 2))
    sync.digest(0, false, 0)
    // a hundred readers' digests that show nothing new: they teach the size only
    for (let i = 0; i < 100; i++) {
      sync.onDigest([{ replica: 'w0', from: 1, to: 1 }, { replica: 'w1', from: 1, to: 1 }], `reader-${i}`)
    }
    sync.peerArrived()
    // 8 / 101: a draw of 0.5 does not pass, 0.05 does
    expect(sync.digest(1000, false, 0.5)).to.equal(undefined)
    expect(sync.digest(2000, false, 0.05)).to.not.equal(undefined)
  })

  it('a heartbeat is skipped when a digest that speaks for us came since the last heartbeat draw', () => {
    const sync = new ReplicaSync(withWriters('me', 2))
    sync.digest(0, false, 0)
    sync.onDigest(sync.replica.digest(), 'peer')
    expect(sync.digest(1000, true, 0)).to.equal(undefined)
    expect(sync.digest(2000, true, 0)).to.not.equal(undefined)
  })

  it('with writers, runs of other authors are no reason (we would refuse those operations)', () => {
    const r = withWriters('me', 2)
    r.writers = new Set(['w0', 'w1'])
    const sync = new ReplicaSync(r)
    sync.digest(0, false, 0)
    sync.onDigest([...r.digest(), { replica: 'intruder', from: 1, to: 50 }], 'peer')
    expect(periodsUntilDigest(sync, 0)).to.equal(Infinity)
    sync.onDigest([...r.digest(), { replica: 'w1', from: 1, to: 2 }], 'peer')
    expect(sync.digest(30_000, false, 0)).to.not.equal(undefined)
  })

  it('answers a digest lacking our operations of two periods ago with the interval, once per period', () => {
    const me = new Replica('me', 'orset', config)
    const sync = new ReplicaSync(me)
    me.recordLocal((me.state as OrSet).add('me', 'x'))
    me.recordLocal((me.state as OrSet).add('me', 'y'))
    // operations younger than two periods may still be in flight: no answer
    expect(sync.onDigest([])).to.equal(undefined)
    sync.digest(0, false, 0)
    sync.digest(1000, false, 0)
    expect(sync.onDigest([])?.ops).to.deep.equal({ replica: 'me', from: 1, to: 2 })
    expect(sync.onDigest([])).to.equal(undefined)
    expect(sync.onDigest([{ replica: 'me', from: 1, to: 1 }])).to.equal(undefined)
  })
})

describe('crdtSync(): numeric options', () => {
  for (const [key, value] of [['sharedDigests', 0.5], ['antiEntropyInterval', -1], ['heartbeatPeriods', 1.5], ['maxFrameBytes', Number.NaN], ['snapshotDelay', -5], ['maxOwnRecords', '4']] as const) {
    it(`refuses ${key}: ${String(value)} with a named error`, () => {
      expect(() => crdtSync({ [key]: value } as any)({} as any)).to.throw(CrdtConfigError, key).with.property('code', 'ERR_CRDT_CONFIG')
    })
  }

  it('refuses replica options that would switch a check off', () => {
    expect(() => crdtSync({ replica: { maxClockSkewMs: Number.NaN } })({} as any)).to.throw(CrdtConfigError, 'maxClockSkewMs')
    expect(() => crdtSync({ replica: { maxLoggedDeltas: 0 } })({} as any)).to.throw(CrdtConfigError, 'maxLoggedDeltas')
    expect(() => crdtSync({ replica: { tombstoneHorizonMs: -1 } })({} as any)).to.throw(CrdtConfigError, 'tombstoneHorizonMs')
  })

  it('accepts the documented values', () => {
    expect(() => crdtSync({ sharedDigests: 1.5, antiEntropyInterval: 1, heartbeatPeriods: 1, snapshotDelay: 0, maxOwnRecords: 1 })({ logger: { forComponent: () => () => {} } } as any)).to.not.throw()
  })
})
