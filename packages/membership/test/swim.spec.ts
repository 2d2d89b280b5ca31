import { createRng } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { Swim } from '../src/core/swim.ts'
import { emitted, sentTo, timers } from './helpers.ts'
import type { Effects } from './helpers.ts'
import type { SwimConfig } from '../src/core/swim-config.ts'

function swim (self: string, neighbours: string[], config: Partial<SwimConfig> = {}): Swim<string> {
  const s = new Swim(self, createRng(self), config)
  for (const n of neighbours) {
    s.monitor(n, 0)
  }
  return s
}

/** Runs probe ticks until a ping goes to `target`; returns its seq and the effects */
function probeUntil (s: Swim<string>, target: string, start = 1000): { seq: number, effects: Effects, now: number } {
  for (let now = start; now < start + 60_000; now += 1000) {
    const effects = s.handleTimer({ kind: 'swim-probe' }, now)
    const [ping] = sentTo(effects, target, 'ping')
    if (ping != null) {
      return { seq: ping.seq, effects, now }
    }
  }
  throw new Error(`never probed ${target}`)
}

function flush (s: Swim<string>, now: number): Effects {
  return s.handleTimer({ kind: 'swim-flush' }, now)
}

describe('SWIM core', () => {
  it('a probe answered in time raises nothing', () => {
    const s = swim('a', ['b', 'c', 'd'])
    const { seq, effects, now } = probeUntil(s, 'b')
    // only the ack deadline is set up front; the end-of-probe deadline comes with indirect probing
    expect(timers(effects).map(t => t.key)).to.include(`swim:ack:${seq}`)
    expect(timers(effects).map(t => t.key)).to.not.include(`swim:end:${seq}`)
    const after = s.handleMessage('b', { proto: 'swim', type: 'ack', seq, incarnation: 0, updates: [], neighbors: ['a'] }, now + 30)
    expect(after.filter(e => e.type === 'cancel-timer').map(e => (e as any).key)).to.include.members([`swim:ack:${seq}`, `swim:end:${seq}`])
    expect(s.handleTimer({ kind: 'swim-probe-end', seq, due: now + 450 }, now + 450)).to.deep.equal([])
    expect(s.statusOf('b')).to.equal('alive')
  })

  it('no ack: indirect probes through k others, then suspicion at the end of the probe', () => {
    const s = swim('a', ['b', 'c', 'd', 'e'], { indirectProbes: 2 })
    const { seq, now } = probeUntil(s, 'b')
    const indirect = s.handleTimer({ kind: 'swim-ack-timeout', seq }, now + 200)
    const helpers = indirect.flatMap(e => e.type === 'send' && e.message.type === 'ping-req' ? [e.to] : [])
    expect(helpers).to.have.length(2)
    expect(timers(indirect).find(t => t.key === `swim:end:${seq}`)?.at).to.equal(now + 200 + 250)
    expect(helpers).to.not.include('b')
    const end = s.handleTimer({ kind: 'swim-probe-end', seq, due: now + 450 }, now + 450)
    expect(emitted(end, 'peer-suspect')).to.deep.equal([{ type: 'peer-suspect', peer: 'b', incarnation: 0 }])
    expect(s.statusOf('b')).to.equal('suspect')
    expect(timers(end).some(t => t.key === 'swim:sus:b')).to.be.true()
  })

  it('indirect probes go first to helpers the target named as its neighbours (they hold a connection to it)', () => {
    for (const self of ['a', 'a1', 'a2', 'a3']) {
      const s = swim(self, ['b', 'c', 'd', 'e', 'f', 'g'], { indirectProbes: 2 })
      const first = probeUntil(s, 'b')
      s.handleMessage('b', { proto: 'swim', type: 'ack', seq: first.seq, incarnation: 0, updates: [], neighbors: [self, 'f', 'g'] }, first.now + 30)
      const { seq, now } = probeUntil(s, 'b', first.now + 1000)
      const indirect = s.handleTimer({ kind: 'swim-ack-timeout', seq }, now + 200)
      const helpers = indirect.flatMap(e => e.type === 'send' && e.message.type === 'ping-req' ? [e.to] : [])
      expect(helpers.sort()).to.deep.equal(['f', 'g'])
    }
    // fewer linked helpers than k: the rest come from the other neighbours
    const s = swim('a', ['b', 'c', 'd', 'e', 'f'], { indirectProbes: 3 })
    const first = probeUntil(s, 'b')
    s.handleMessage('b', { proto: 'swim', type: 'ack', seq: first.seq, incarnation: 0, updates: [], neighbors: ['a', 'f'] }, first.now + 30)
    const { seq, now } = probeUntil(s, 'b', first.now + 1000)
    const helpers = s.handleTimer({ kind: 'swim-ack-timeout', seq }, now + 200).flatMap(e => e.type === 'send' && e.message.type === 'ping-req' ? [e.to] : [])
    expect(helpers).to.have.length(3)
    expect(helpers).to.include('f')
    expect(helpers).to.not.include('b')
  })

  it('an ack with a list reports the neighbour\'s view and its size (us included) when either changes', () => {
    const s = swim('a', ['b', 'c'])
    const first = probeUntil(s, 'b')
    const out = s.handleMessage('b', { proto: 'swim', type: 'ack', seq: first.seq, incarnation: 0, updates: [], neighbors: ['a', 'f', 'g'] }, first.now + 30)
    expect(emitted(out, 'neighbors-of')).to.deep.equal([{ type: 'neighbors-of', peer: 'b', neighbors: ['f', 'g'], size: 3 }])
    // the same list again: nothing new
    const again = probeUntil(s, 'b', first.now + 1000)
    expect(emitted(s.handleMessage('b', { proto: 'swim', type: 'ack', seq: again.seq, incarnation: 0, updates: [], neighbors: ['a', 'f', 'g'] }, again.now + 30), 'neighbors-of')).to.deep.equal([])
    // it dropped us: same others, smaller view
    const third = probeUntil(s, 'b', again.now + 1000)
    expect(emitted(s.handleMessage('b', { proto: 'swim', type: 'ack', seq: third.seq, incarnation: 0, updates: [], neighbors: ['f', 'g'] }, third.now + 30), 'neighbors-of')).to.deep.equal([{ type: 'neighbors-of', peer: 'b', neighbors: ['f', 'g'], size: 2 }])
  })

  it('an indirect ack through a helper counts as an answer', () => {
    const s = swim('a', ['b', 'c', 'd'], { indirectProbes: 1 })
    const { seq, now } = probeUntil(s, 'b')
    const indirect = s.handleTimer({ kind: 'swim-ack-timeout', seq }, now + 200)
    const [helper] = indirect.flatMap(e => e.type === 'send' && e.message.type === 'ping-req' ? [e.to] : [])
    s.handleMessage(helper, { proto: 'swim', type: 'ack', seq, incarnation: 0, updates: [], neighbors: [] }, now + 300)
    expect(s.handleTimer({ kind: 'swim-probe-end', seq, due: now + 450 }, now + 450)).to.deep.equal([])
    expect(s.statusOf('b')).to.equal('alive')
  })

  it('an unanswered suspicion becomes a dead verdict after the timeout (Lifeguard off: fixed 3 s)', () => {
    const s = swim('a', ['b', 'c'], { lifeguard: false })
    const { seq, now } = probeUntil(s, 'b')
    s.handleTimer({ kind: 'swim-ack-timeout', seq }, now + 200)
    const end = s.handleTimer({ kind: 'swim-probe-end', seq, due: now + 450 }, now + 450)
    const suspicion = timers(end).find(t => t.key === 'swim:sus:b')
    expect(suspicion?.at).to.equal(now + 450 + 3000)
    const verdict = s.handleTimer({ kind: 'swim-suspicion', member: 'b' }, now + 3450)
    expect(emitted(verdict, 'peer-dead')).to.deep.equal([{ type: 'peer-dead', peer: 'b', incarnation: 0, by: 'a' }])
    expect(s.statusOf('b')).to.equal('dead')
  })

  it('Lifeguard: independent confirmations shrink the suspicion timeout towards the minimum', () => {
    const s = swim('a', ['b', 'c'], { suspicionMinTimeout: 300, suspicionMaxTimeout: 3000, expectedConfirmations: 5 })
    const first = s.handleMessage('c', { proto: 'swim', type: 'gossip', updates: [{ member: 'b', incarnation: 0, status: 'suspect', from: 'c' }] }, 0)
    expect(timers(first).find(t => t.key === 'swim:sus:b')?.at).to.equal(3000)
    let at = 3000
    for (const [i, from] of ['x1', 'x2', 'x3', 'x4', 'x5'].entries()) {
      const effects = s.handleMessage(from, { proto: 'swim', type: 'gossip', updates: [{ member: 'b', incarnation: 0, status: 'suspect', from }] }, 10 + i)
      const next = timers(effects).find(t => t.key === 'swim:sus:b')?.at as number
      expect(next).to.be.below(at)
      at = next
    }
    expect(at).to.equal(300)
    // a repeated confirmation from the same peer changes nothing
    expect(timers(s.handleMessage('x1', { proto: 'swim', type: 'gossip', updates: [{ member: 'b', incarnation: 0, status: 'suspect', from: 'x1' }] }, 20))).to.deep.equal([])
  })

  it('refutes a suspicion about itself with a higher incarnation, sent to its monitors and to the accuser', () => {
    const s = swim('a', ['b', 'c'])
    const effects = s.handleMessage('x', { proto: 'swim', type: 'gossip', updates: [{ member: 'a', incarnation: 0, status: 'suspect', from: 'x' }] }, 100)
    expect(s.ownIncarnation).to.equal(1)
    expect(s.stats.refutations).to.equal(1)
    expect(timers(effects).some(t => t.key === 'swim:flush')).to.be.true()
    const out = flush(s, 110)
    const alive = { member: 'a', incarnation: 1, status: 'alive', from: 'a' }
    for (const peer of ['b', 'c', 'x']) {
      expect(sentTo(out, peer, 'gossip').flatMap(m => m.updates)).to.deep.include(alive)
    }
    // the next ack carries the new incarnation
    const ack = s.handleMessage('b', { proto: 'swim', type: 'ping', seq: 9, updates: [] }, 120)
    expect(sentTo(ack, 'b', 'ack')[0].incarnation).to.equal(1)
  })

  it('answers an accuser again when it repeats the accusation an ack wait after our answer (that answer was lost)', () => {
    const s = swim('a', ['b', 'c'])
    const accuse = (now: number): Effects => s.handleMessage('x', { proto: 'swim', type: 'gossip', updates: [{ member: 'a', incarnation: 0, status: 'suspect', from: 'x' }] }, now)
    const toX = (out: Effects): unknown[] => sentTo(out, 'x', 'gossip').flatMap(m => m.updates)
    const alive = { member: 'a', incarnation: 1, status: 'alive', from: 'a' }
    accuse(100)
    expect(toX(flush(s, 110))).to.deep.include(alive)
    // repeated within an ack wait (200 ms): our answer may still be on its way
    accuse(250)
    expect(toX(flush(s, 260))).to.not.deep.include(alive)
    // repeated after it: our answer was lost, and the accuser would declare us dead
    accuse(400)
    expect(toX(flush(s, 410))).to.deep.include(alive)
    expect(s.ownIncarnation, 'one refutation, answered twice').to.equal(1)
  })

  it('a forged dead verdict at the largest incarnation is ignored, so its victim can always refute', () => {
    const now = 50_000
    const MAX = Number.MAX_SAFE_INTEGER - 1
    // a third party about m: without the bound m would be dead here for ever (no refutation can exceed MAX)
    const s = swim('a', [])
    s.handleMessage('z', { proto: 'swim', type: 'gossip', updates: [{ member: 'm', incarnation: 3, status: 'alive', from: 'm' }] }, now)
    s.handleMessage('z', { proto: 'swim', type: 'gossip', updates: [{ member: 'm', incarnation: MAX, status: 'dead', from: 'z' }] }, now)
    expect(s.statusOf('m'), 'm after a dead verdict at MAX_INCARNATION').to.equal('alive')
    // about ourselves: not refuted upwards to a value no refutation could ever beat
    const victim = swim('v', ['b'])
    victim.handleMessage('z', { proto: 'swim', type: 'gossip', updates: [{ member: 'v', incarnation: MAX, status: 'dead', from: 'z' }] }, now)
    expect(victim.ownIncarnation, 'own incarnation after the forged verdict').to.equal(0)
    // an accusation within the bound is refuted as before, and the refutation is accepted elsewhere
    victim.handleMessage('z', { proto: 'swim', type: 'gossip', updates: [{ member: 'v', incarnation: now + 2 ** 32, status: 'dead', from: 'z' }] }, now)
    expect(victim.ownIncarnation).to.equal(now + 2 ** 32 + 1)
    s.handleMessage('z', { proto: 'swim', type: 'gossip', updates: [{ member: 'v', incarnation: now + 2 ** 32, status: 'dead', from: 'z' }] }, now)
    expect(s.statusOf('v')).to.equal('dead')
    s.handleMessage('v', { proto: 'swim', type: 'gossip', updates: [{ member: 'v', incarnation: victim.ownIncarnation, status: 'alive', from: 'v' }] }, now)
    expect(s.statusOf('v'), 'the victim after its refutation').to.equal('alive')
  })

  it("another node's dead verdict about a member we monitor is checked with a probe: an answer discards it, silence confirms it", () => {
    const now = 10_000
    const verdict = { member: 'b', incarnation: 5, status: 'dead' as const, from: 'z' }
    // b answers: the verdict is discarded and b stays a monitored, live member
    const s = swim('a', ['b', 'c'])
    const checked = s.handleMessage('z', { proto: 'swim', type: 'gossip', updates: [verdict] }, now)
    expect(emitted(checked, 'peer-dead')).to.deep.equal([])
    expect(s.statusOf('b')).to.equal('alive')
    const [ping] = sentTo(checked, 'b', 'ping')
    expect(ping, 'a direct probe of the accused').to.not.equal(undefined)
    // the accused is told, so that it refutes for everyone else
    const told = [...sentTo(checked, 'b', 'ping'), ...sentTo(flush(s, now + 20), 'b', 'gossip')].flatMap((m: any) => m.updates)
    expect(told.some((u: any) => u.member === 'b' && u.status === 'dead')).to.equal(true)
    const answered = s.handleMessage('b', { proto: 'swim', type: 'ack', seq: ping.seq, incarnation: 1, updates: [] }, now + 30)
    expect(emitted(answered, 'peer-dead')).to.deep.equal([])
    expect(s.handleTimer({ kind: 'swim-ack-timeout', seq: ping.seq }, now + 5000).filter(e => e.type === 'emit')).to.deep.equal([])
    expect(s.statusOf('b')).to.equal('alive')
    expect(s.stats.verdictsChecked).to.equal(1)
    expect(s.stats.verdictsRefuted).to.equal(1)

    // b is silent: the verdict stands once the probe's ack deadline passes
    const t = swim('a', ['b', 'c'])
    const [ping2] = sentTo(t.handleMessage('z', { proto: 'swim', type: 'gossip', updates: [verdict] }, now), 'b', 'ping')
    const confirmed = t.handleTimer({ kind: 'swim-ack-timeout', seq: ping2.seq }, now + 1000)
    expect(emitted(confirmed, 'peer-dead')).to.deep.equal([{ type: 'peer-dead', peer: 'b', incarnation: 5, by: 'z' }])
    expect(t.statusOf('b')).to.equal('dead')

    // our own verdict settles one we were checking: the check's deadline does not declare b again
    const w = swim('a', ['b', 'c'])
    const [ping3] = sentTo(w.handleMessage('z', { proto: 'swim', type: 'gossip', updates: [verdict] }, now), 'b', 'ping')
    expect(emitted(w.handleMessage('y', { proto: 'swim', type: 'gossip', updates: [{ ...verdict, from: 'a' }] }, now + 10), 'peer-dead')).to.have.length(1)
    expect(emitted(w.handleTimer({ kind: 'swim-ack-timeout', seq: ping3.seq }, now + 1000), 'peer-dead')).to.deep.equal([])

    // about a member we do not monitor, and with Lifeguard off, a verdict is obeyed at once
    for (const u of [swim('a', ['c']), swim('a', ['b'], { lifeguard: false })]) {
      expect(emitted(u.handleMessage('z', { proto: 'swim', type: 'gossip', updates: [verdict] }, now), 'peer-dead')).to.have.length(1)
    }
  })

  it('applies updates by SWIM precedence: higher incarnation wins; at equal, dead > suspect > alive', () => {
    const s = swim('a', [])
    const apply = (status: 'alive' | 'suspect' | 'dead', incarnation: number): void => {
      s.handleMessage('z', { proto: 'swim', type: 'gossip', updates: [{ member: 'm', incarnation, status, from: 'z' }] }, 0)
    }
    apply('alive', 1)
    apply('suspect', 0)
    expect(s.statusOf('m')).to.equal('alive')
    apply('suspect', 1)
    expect(s.statusOf('m')).to.equal('suspect')
    apply('alive', 1)
    expect(s.statusOf('m')).to.equal('suspect')
    apply('alive', 2)
    expect(s.statusOf('m')).to.equal('alive')
    apply('dead', 2)
    expect(s.statusOf('m')).to.equal('dead')
    apply('suspect', 2)
    apply('alive', 2)
    expect(s.statusOf('m')).to.equal('dead')
    apply('alive', 3)
    expect(s.statusOf('m')).to.equal('alive')
  })

  it('a non-monitor records a suspicion but never turns it into a verdict itself', () => {
    const s = swim('a', ['c'])
    const effects = s.handleMessage('c', { proto: 'swim', type: 'gossip', updates: [{ member: 'far', incarnation: 0, status: 'suspect', from: 'c' }] }, 0)
    expect(s.statusOf('far')).to.equal('suspect')
    expect(timers(effects).some(t => t.key === 'swim:sus:far')).to.be.false()
  })

  it('Lifeguard: a monitor that hears a suspicion probes the member itself, and a failed check confirms', () => {
    const s = swim('a', ['b', 'c'])
    const effects = s.handleMessage('c', { proto: 'swim', type: 'gossip', updates: [{ member: 'b', incarnation: 0, status: 'suspect', from: 'c' }] }, 0)
    const [ping] = sentTo(effects, 'b', 'ping')
    expect(ping).to.not.equal(undefined)
    s.handleTimer({ kind: 'swim-ack-timeout', seq: ping.seq }, 200)
    const out = flush(s, 210)
    const confirmation = out.flatMap(e => e.type === 'send' ? (e.message as any).updates ?? [] : []).find((u: any) => u.member === 'b' && u.from === 'a')
    expect(confirmation).to.deep.include({ status: 'suspect', incarnation: 0 })
  })

  it('Lifeguard: after a refutation, a failed confirmation probe does not accuse again', () => {
    const s = swim('a', ['b', 'c'])
    const effects = s.handleMessage('c', { proto: 'swim', type: 'gossip', updates: [{ member: 'b', incarnation: 0, status: 'suspect', from: 'c' }] }, 0)
    const [ping] = sentTo(effects, 'b', 'ping')
    s.handleMessage('b', { proto: 'swim', type: 'gossip', updates: [{ member: 'b', incarnation: 1, status: 'alive', from: 'b' }] }, 50)
    const before = s.stats.suspicionsRaised
    s.handleTimer({ kind: 'swim-ack-timeout', seq: ping.seq }, 200)
    expect(s.statusOf('b')).to.equal('alive')
    expect(s.stats.suspicionsRaised).to.equal(before)
  })

  it('Lifeguard: missing nacks raise the local health multiplier once their helpers are heard from, which stretches the probe waits (not the period); acks lower it', () => {
    const s = swim('a', ['b', 'c', 'd', 'e'], { indirectProbes: 3 })
    const { seq, now } = probeUntil(s, 'b')
    const asked = s.handleTimer({ kind: 'swim-ack-timeout', seq }, now + 200)
    const helpers = asked.flatMap(e => e.type === 'send' && e.message.type === 'ping-req' ? [e.to] : [])
    expect(helpers).to.have.length(3)
    s.handleTimer({ kind: 'swim-probe-end', seq, due: now + 450 }, now + 450)
    expect(s.localHealthMultiplier, 'held until the helpers show they are alive').to.equal(0)
    for (const helper of helpers) {
      s.handleMessage(helper, { proto: 'swim', type: 'gossip', updates: [] }, now + 600)
    }
    expect(s.localHealthMultiplier).to.equal(3) // three live helpers, no nack from any
    const tick = s.handleTimer({ kind: 'swim-probe' }, now + 1000)
    // the period follows our own event-loop lag, not the multiplier (SPEC.md §6.5)
    expect(timers(tick).find(t => t.key === 'swim:probe')?.at).to.equal(now + 1000 + 1000)
    // the suspect b is probed again, and its ack is awaited (LHM + 1) × ackTimeout
    const [again] = tick.flatMap(e => e.type === 'send' && e.to === 'b' && e.message.type === 'ping' ? [e.message] : [])
    expect(timers(tick).find(t => t.key === `swim:ack:${String(again.seq)}`)?.at).to.equal(now + 1000 + 4 * 200)
    // a helper that nacks shows our own links work: no increase
    const s2 = swim('a', ['b', 'c'], { indirectProbes: 1 })
    const p2 = probeUntil(s2, 'b')
    const req = s2.handleTimer({ kind: 'swim-ack-timeout', seq: p2.seq }, p2.now + 200)
    const [helper] = req.flatMap(e => e.type === 'send' && e.message.type === 'ping-req' ? [e.to] : [])
    s2.handleMessage(helper, { proto: 'swim', type: 'nack', seq: p2.seq }, p2.now + 300)
    s2.handleTimer({ kind: 'swim-probe-end', seq: p2.seq, due: p2.now + 450 }, p2.now + 450)
    expect(s2.localHealthMultiplier).to.equal(0)
    // a helper that turns out to be suspected (it crashed too) is forgiven, even if it speaks later
    const s3 = swim('a', ['b', 'c'], { indirectProbes: 1 })
    const p3 = probeUntil(s3, 'b')
    const req3 = s3.handleTimer({ kind: 'swim-ack-timeout', seq: p3.seq }, p3.now + 200)
    const [helper3] = req3.flatMap(e => e.type === 'send' && e.message.type === 'ping-req' ? [e.to] : [])
    s3.handleTimer({ kind: 'swim-probe-end', seq: p3.seq, due: p3.now + 450 }, p3.now + 450)
    s3.handleMessage('b', { proto: 'swim', type: 'gossip', updates: [{ member: helper3, incarnation: 0, status: 'suspect', from: 'b' }] }, p3.now + 500)
    s3.handleMessage(helper3, { proto: 'swim', type: 'gossip', updates: [] }, p3.now + 600)
    expect(s3.localHealthMultiplier).to.equal(0)
  })

  it('a failed probe is followed by the next round-robin probe at once, not a period later', () => {
    const s = swim('a', ['b', 'c', 'd'])
    const { seq, now } = probeUntil(s, 'b')
    const asked = s.handleTimer({ kind: 'swim-ack-timeout', seq }, now + 200)
    expect(asked.filter(e => e.type === 'send' && e.message.type === 'ping')).to.have.length(0)
    const out = s.handleTimer({ kind: 'swim-probe-end', seq, due: now + 450 }, now + 450)
    expect(emitted(out, 'peer-suspect')).to.have.length(1)
    const pings = out.flatMap(e => e.type === 'send' && e.message.type === 'ping' ? [e.to] : [])
    expect(pings).to.have.length(1)
    expect(pings[0]).to.not.equal('b')
    // a node that shows signs of its own slowness does not
    const slow = swim('a', ['b', 'c', 'd'])
    const p = probeUntil(slow, 'b')
    slow.handleTimer({ kind: 'swim-probe-end', seq: p.seq, due: p.now + 450 }, p.now + 2450) // stalled: LHM 1
    const q = probeUntil(slow, 'c', p.now + 2500)
    slow.handleTimer({ kind: 'swim-ack-timeout', seq: q.seq }, q.now + 200)
    const out2 = slow.handleTimer({ kind: 'swim-probe-end', seq: q.seq, due: q.now + 900 }, q.now + 900)
    expect(emitted(out2, 'peer-suspect')).to.have.length(1)
    expect(out2.filter(e => e.type === 'send' && e.message.type === 'ping')).to.have.length(0)
  })

  it('Lifeguard: a probe deadline that fires late (we were stalled) is inconclusive, not a suspicion', () => {
    const s = swim('a', ['b', 'c'])
    const { seq, now } = probeUntil(s, 'b')
    const late = s.handleTimer({ kind: 'swim-probe-end', seq, due: now + 450 }, now + 2450)
    expect(emitted(late, 'peer-suspect')).to.deep.equal([])
    expect(s.stats.inconclusiveProbes).to.equal(1)
    expect(s.localHealthMultiplier).to.equal(1)
    // with Lifeguard off the same late deadline does suspect
    const off = swim('a', ['b', 'c'], { lifeguard: false })
    const p = probeUntil(off, 'b')
    expect(emitted(off.handleTimer({ kind: 'swim-probe-end', seq: p.seq, due: p.now + 450 }, p.now + 2450), 'peer-suspect')).to.have.length(1)
  })

  it('relays ping-req: pings the target, forwards its ack, and nacks on silence', () => {
    const s = swim('h', ['r', 't'])
    const req = s.handleMessage('r', { proto: 'swim', type: 'ping-req', seq: 77, target: 't', updates: [] }, 0)
    const [ping] = sentTo(req, 't', 'ping')
    const fwd = s.handleMessage('t', { proto: 'swim', type: 'ack', seq: ping.seq, incarnation: 0, updates: [], neighbors: [] }, 40)
    expect(sentTo(fwd, 'r', 'ack')[0].seq).to.equal(77)
    const req2 = s.handleMessage('r', { proto: 'swim', type: 'ping-req', seq: 78, target: 't', updates: [] }, 100)
    const [ping2] = sentTo(req2, 't', 'ping')
    const nack = s.handleTimer({ kind: 'swim-relay-timeout', seq: ping2.seq }, 300)
    expect(sentTo(nack, 'r', 'nack')).to.deep.equal([{ proto: 'swim', type: 'nack', seq: 78 }])
  })

  it('piggybacks each update a bounded number of times, never twice in one message', () => {
    const s = swim('a', ['b'], { retransmitLimit: 3, maxPiggyback: 8 })
    s.handleMessage('z', { proto: 'swim', type: 'gossip', updates: [{ member: 'm', incarnation: 0, status: 'dead', from: 'z' }] }, 0)
    let carried = 0
    for (let i = 0; i < 6; i++) {
      const ack = sentTo(s.handleMessage('b', { proto: 'swim', type: 'ping', seq: i, updates: [] }, i), 'b', 'ack')[0]
      const copies = ack.updates.filter((u: any) => u.member === 'm').length
      expect(copies).to.be.at.most(1)
      carried += copies
    }
    expect(carried).to.equal(3)
  })

  it('acks advertise our active view; an ack that leaves us out reports a one-sided link', () => {
    const s = swim('a', ['b'])
    const ack = sentTo(s.handleMessage('b', { proto: 'swim', type: 'ping', seq: 1, updates: [] }, 0), 'b', 'ack')[0]
    expect(ack.neighbors).to.deep.equal(['b'])
    const { seq, now } = probeUntil(s, 'b', 5000)
    const effects = s.handleMessage('b', { proto: 'swim', type: 'ack', seq, incarnation: 0, updates: [], neighbors: ['x', 'y'] }, now + 20)
    expect(emitted(effects, 'link-asymmetric')).to.deep.equal([{ type: 'link-asymmetric', peer: 'b' }])
  })

  it('bad input is dropped and counted, never thrown', () => {
    const s = swim('a', ['b'], { maxUpdatesPerMessage: 4 })
    s.handleMessage('b', { proto: 'swim', type: 'gossip', updates: new Array(5).fill({ member: 'x', incarnation: 0, status: 'dead', from: 'b' }) }, 0)
    s.handleMessage('b', { proto: 'swim', type: 'gossip', updates: [{ member: 'x', incarnation: -1, status: 'dead', from: 'b' }] }, 0)
    s.handleMessage('b', { proto: 'swim', type: 'gossip', updates: [{ member: 'x', incarnation: 0, status: 'zombie' as any, from: 'b' }] }, 0)
    s.handleMessage('b', { proto: 'swim', type: 'gossip', updates: 'x' as any }, 0)
    s.handleMessage('b', { proto: 'swim', type: 'ping-req', seq: 1, target: 'a', updates: [] }, 0)
    s.handleMessage('b', { proto: 'swim', type: 'what' } as any, 0)
    expect(s.drops.invalid).to.equal(6)
    expect(s.statusOf('x')).to.equal(undefined)
    s.handleMessage('b', { proto: 'swim', type: 'ack', seq: 999, incarnation: 0, updates: [], neighbors: [] }, 0)
    s.handleMessage('b', { proto: 'swim', type: 'nack', seq: 999 }, 0)
    expect(s.drops.unexpected).to.equal(2)
  })

  it('rejects invalid configuration with InvalidConfigError', () => {
    for (const config of [{ probeInterval: 0 }, { ackTimeout: 900, indirectTimeout: 200 }, { suspicionMinTimeout: 5000 }, { lifeguard: 'yes' as any }, { maxPiggyback: 1.5 }]) {
      expect(() => swim('a', [], config)).to.throw().that.includes({ name: 'InvalidConfigError', code: 'ERR_INVALID_CONFIG' })
    }
  })
})
