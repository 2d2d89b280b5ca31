import { createRng } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { Swim } from '../src/core/swim.ts'
import { emitted, sentTo, timers } from './helpers.ts'
import type { Effects } from './helpers.ts'

/** SPEC.md §6.4 (views in acks only when news) and §6.9 (timeouts under load) */

function swim (self: string, neighbours: string[]): Swim<string> {
  const s = new Swim(self, createRng(self))
  for (const n of neighbours) {
    s.monitor(n, 0)
  }
  return s
}

/** Probe ticks (each fired `lateBy` ms after it was due) until a ping goes to `target` */
function probeUntil (s: Swim<string>, target: string, start: number, lateBy = 0): { seq: number, effects: Effects, now: number } {
  for (let now = start; now < start + 120_000; now += 1000) {
    const effects = s.handleTimer({ kind: 'swim-probe', due: now - lateBy }, now)
    const [ping] = sentTo(effects, target, 'ping')
    if (ping != null) {
      return { seq: ping.seq, effects, now }
    }
  }
  throw new Error(`never probed ${target}`)
}

const ping = (seq: number): { proto: 'swim', type: 'ping', seq: number, updates: [] } => ({ proto: 'swim', type: 'ping', seq, updates: [] })

describe('SWIM under load', () => {
  it('an ack carries the view only when it is news to that prober, and repeats it every 8th ack', () => {
    const s = swim('a', ['b', 'c'])
    const acks = (from: string, n: number, at: number): Array<string[] | undefined> =>
      Array.from({ length: n }, (_, i) => sentTo(s.handleMessage(from, ping(at + i), at), from, 'ack')[0].neighbors)
    const first = acks('b', 9, 0)
    expect(first[0]).to.deep.equal(['b', 'c'])
    expect(first.slice(1, 8)).to.deep.equal(new Array(7).fill(undefined))
    expect(first[8]).to.deep.equal(['b', 'c'])
    // another prober gets its own first full list
    expect(acks('c', 1, 100)[0]).to.deep.equal(['b', 'c'])
    // a change of view is news to everyone
    s.monitor('d', 200)
    expect(acks('b', 1, 300)[0]).to.deep.equal(['b', 'c', 'd'])
    s.unmonitor('c')
    expect(acks('b', 1, 400)[0]).to.deep.equal(['b', 'd'])
    expect(acks('b', 1, 500)[0]).to.equal(undefined)
  })

  it('an ack without a list keeps the last list, including the one-sided-link check', () => {
    const s = swim('a', ['b'])
    let probe = probeUntil(s, 'b', 5000)
    let effects = s.handleMessage('b', { proto: 'swim', type: 'ack', seq: probe.seq, incarnation: 1, updates: [], neighbors: ['x'] }, probe.now + 10)
    expect(emitted(effects, 'link-asymmetric')).to.have.length(1)
    probe = probeUntil(s, 'b', probe.now + 1000)
    effects = s.handleMessage('b', { proto: 'swim', type: 'ack', seq: probe.seq, incarnation: 1, updates: [] }, probe.now + 10)
    // the omitted list means "unchanged": still one-sided
    expect(emitted(effects, 'link-asymmetric')).to.have.length(1)
    probe = probeUntil(s, 'b', probe.now + 1000)
    s.handleMessage('b', { proto: 'swim', type: 'ack', seq: probe.seq, incarnation: 1, updates: [], neighbors: ['a', 'x'] }, probe.now + 10)
    probe = probeUntil(s, 'b', probe.now + 1000)
    effects = s.handleMessage('b', { proto: 'swim', type: 'ack', seq: probe.seq, incarnation: 1, updates: [] }, probe.now + 10)
    expect(emitted(effects, 'link-asymmetric')).to.have.length(0)
  })

  it('an idle node waits ackTimeout; a node whose own timers fire 2 s late waits past its lag', () => {
    const idle = swim('a', ['b', 'c', 'd'])
    const p = probeUntil(idle, 'b', 1000)
    expect(timers(p.effects).find(t => t.key === `swim:ack:${p.seq}`)?.at).to.equal(p.now + 200)

    const loaded = swim('a', ['b', 'c', 'd'])
    const q = probeUntil(loaded, 'b', 1000, 2000)
    const ackAt = timers(q.effects).find(t => t.key === `swim:ack:${q.seq}`)?.at ?? 0
    expect(ackAt - q.now).to.be.at.least(2000)
    // the next probe is spaced by the lag too: a lagging node probes less often
    const next = timers(q.effects).find(t => t.key === 'swim:probe')?.at ?? 0
    expect(next - q.now).to.be.at.least(1000 + 2000)
    // its late ack (1.5 s) is an answer, not a failed probe
    const after = loaded.handleMessage('b', { proto: 'swim', type: 'ack', seq: q.seq, incarnation: 1, updates: [], neighbors: ['a'] }, q.now + 1500)
    expect(sentTo(after, 'c', 'ping-req').concat(sentTo(after, 'd', 'ping-req'))).to.have.length(0)
    expect(loaded.statusOf('b')).to.equal('alive')
    expect(loaded.stats.failedProbes).to.equal(0)
  })

  it('slow acks raise the ack timeout to the observed round trip (RFC 6298 RTO)', () => {
    const s = swim('a', ['b', 'c', 'd'])
    let now = 1000
    for (let i = 0; i < 6; i++) {
      const p = probeUntil(s, 'b', now)
      s.handleMessage('b', { proto: 'swim', type: 'ack', seq: p.seq, incarnation: 1, updates: [], neighbors: ['a'] }, p.now + 150)
      now = p.now + 1000
    }
    const p = probeUntil(s, 'b', now)
    const wait = (timers(p.effects).find(t => t.key === `swim:ack:${p.seq}`)?.at ?? 0) - p.now
    // RTO after steady 150 ms samples: SRTT → 150, RTTVAR shrinking from 75: above 150, and not below the 200 ms floor
    expect(wait).to.be.at.least(200)
    const slow = swim('a', ['b', 'c', 'd'])
    now = 1000
    for (let i = 0; i < 6; i++) {
      const q = probeUntil(slow, 'b', now)
      slow.handleMessage('b', { proto: 'swim', type: 'ack', seq: q.seq, incarnation: 1, updates: [], neighbors: ['a'] }, q.now + 190)
      now = q.now + 1000
    }
    const q = probeUntil(slow, 'b', now)
    const slowWait = (timers(q.effects).find(t => t.key === `swim:ack:${q.seq}`)?.at ?? 0) - q.now
    expect(slowWait).to.be.above(200)
  })

  it('the suspicion timeout of a lagging node is stretched by its lag', () => {
    const idle = swim('a', ['b', 'c', 'd'])
    const loaded = swim('a', ['b', 'c', 'd'])
    const suspicionWait = (s: Swim<string>, lateBy: number): number => {
      const p = probeUntil(s, 'b', 1000, lateBy)
      const ackDue = timers(p.effects).find(t => t.key === `swim:ack:${p.seq}`)?.at ?? 0
      const indirect = s.handleTimer({ kind: 'swim-ack-timeout', seq: p.seq }, ackDue)
      const end = timers(indirect).find(t => t.key === `swim:end:${p.seq}`)?.at ?? 0
      const effects = s.handleTimer({ kind: 'swim-probe-end', seq: p.seq, due: end }, end)
      expect(s.statusOf('b')).to.equal('suspect')
      return (timers(effects).find(t => t.key === 'swim:sus:b')?.at ?? 0) - end
    }
    const base = suspicionWait(idle, 0)
    expect(suspicionWait(loaded, 3000)).to.be.at.least(base + 3000)
  })
})
