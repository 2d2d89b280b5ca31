import { expect } from 'aegir/chai'
import fc from 'fast-check'
import { HlcClock } from '../src/core/hlc.ts'
import { Replica } from '../src/core/replica.ts'
import { canon } from './helpers/histories.ts'
import type { LwwMap } from '../src/core/lww-map.ts'
import type { OrSet } from '../src/core/orset.ts'
import type { CrdtKind, CrdtState } from '../src/core/replica.ts'

/** Pure-core anti-entropy round: every replica ships each other the delta-interval of its own operations they lack */
function antiEntropy (replicas: Replica[]): void {
  for (const from of replicas) {
    for (const to of replicas.filter(r => r !== from)) {
      const interval = from.intervalFor(to.digest())
      if (interval != null) {
        to.receive(from.self, interval.delta, interval.ops, 0)
      }
    }
  }
}

function edit (kind: CrdtKind, r: Replica, clock: HlcClock, round: number, i: number, now: number): CrdtState {
  const element = `e${(round * 7 + i) % 9}`
  if (kind === 'lww') {
    return (r.state as LwwMap).set(element, round % 4 === 3 ? null : new Uint8Array([i, round]), clock.tick(now))
  }
  return round % 3 === 2 ? (r.state as OrSet).remove(r.self, element) : (r.state as OrSet).add(r.self, element)
}

/** Deliver within one half only */
function broadcast (half: Replica[], from: Replica, delta: CrdtState, seq: number, now: number): void {
  for (const other of half.filter(r => r !== from)) {
    other.receive(from.self, delta, { replica: from.self, from: seq, to: seq }, now)
  }
}

describe('partition: two halves edit, heal, converge', () => {
  for (const kind of ['orset', 'lww'] as const) {
    it(`${kind}: six replicas in two halves edit for 20 rounds, heal, and converge in one anti-entropy round`, () => {
      const names = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5']
      const replicas = names.map(n => new Replica(n, kind, { maxClockSkewMs: 1e9, maxLoggedDeltas: 3, tombstoneHorizonMs: 0 }))
      const clocks = names.map(n => new HlcClock(n))
      const halves = [replicas.slice(0, 3), replicas.slice(3)]
      let now = 0
      for (let round = 0; round < 20; round++) {
        for (let i = 0; i < replicas.length; i++) {
          now++
          const delta = edit(kind, replicas[i], clocks[i], round, i, now)
          const seq = replicas[i].recordLocal(delta)
          // only every other round is delivered, even within a half: the rest is left to anti-entropy
          if (round % 2 === 0) {
            broadcast(halves[i < 3 ? 0 : 1], replicas[i], delta, seq, now)
          }
        }
      }
      expect(canon(replicas[0].state)).to.not.equal(canon(replicas[3].state))
      antiEntropy(replicas)
      const first = canon(replicas[0].state)
      for (const r of replicas) {
        expect(canon(r.state)).to.equal(first)
      }
    })
  }

  it('property: any edits with any deltas lost or duplicated converge after one anti-entropy round (both types, small logs)', () => {
    const op = fc.record({ r: fc.nat(2), remove: fc.boolean(), element: fc.nat(4), deliver: fc.array(fc.nat(3), { maxLength: 3 }) })
    fc.assert(fc.property(fc.constantFrom('orset' as const, 'lww' as const), fc.array(op, { maxLength: 30 }), (kind, ops) => {
      const names = ['r0', 'r1', 'r2']
      const replicas = names.map(n => new Replica(n, kind, { maxClockSkewMs: 1e9, maxLoggedDeltas: 2, tombstoneHorizonMs: 0 }))
      const clocks = names.map(n => new HlcClock(n))
      ops.forEach((o, t) => {
        const r = replicas[o.r]
        const delta = kind === 'lww'
          ? (r.state as LwwMap).set(`k${o.element}`, o.remove ? null : new Uint8Array([o.r, t]), clocks[o.r].tick(t))
          : o.remove ? (r.state as OrSet).remove(r.self, `e${o.element}`) : (r.state as OrSet).add(r.self, `e${o.element}`)
        const seq = r.recordLocal(delta)
        // delivered to any subset, possibly twice (index 3: nobody)
        for (const to of o.deliver) {
          if (to >= 3 || to === o.r) {
            continue
          }
          replicas[to].receive(r.self, delta, { replica: r.self, from: seq, to: seq }, t)
        }
      })
      antiEntropy(replicas)
      expect(canon(replicas[1].state)).to.equal(canon(replicas[0].state))
      expect(canon(replicas[2].state)).to.equal(canon(replicas[0].state))
    }), { numRuns: 1000 })
  })
})
