import { createRng } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { Swim } from '../src/core/swim.ts'
import { sentTo, timers } from './helpers.ts'
import type { Effects } from './helpers.ts'
import type { SwimConfig } from '../src/core/swim-config.ts'

/** SPEC.md §6.2: a probe slot answered by a frame the member had just sent us sends no ping */

/** A node monitoring only `b`, whose first probe was answered with b's neighbour list; returns the next slot's time */
function watching (config: Partial<SwimConfig> = {}): { s: Swim<string>, next: number } {
  const s = new Swim('a', createRng('a'), config)
  s.monitor('b', 0)
  for (let now = 0; now < 60_000; now += 1000) {
    const [ping] = sentTo(s.handleTimer({ kind: 'swim-probe', due: now }, now), 'b', 'ping')
    if (ping != null) {
      s.handleMessage('b', { proto: 'swim', type: 'ack', seq: ping.seq, incarnation: 1, updates: [], neighbors: ['a'] }, now + 10)
      return { s, next: now + 1000 }
    }
  }
  throw new Error('b never probed')
}

const tick = (s: Swim<string>, now: number): Effects => s.handleTimer({ kind: 'swim-probe', due: now }, now)

describe('SWIM: probes answered by traffic', () => {
  it('a member heard within the ack wait before its slot gets no ping; silent until the recheck, it is pinged then', () => {
    const { s, next } = watching()
    s.heard('b', next - 50)
    const effects = tick(s, next)
    expect(sentTo(effects, 'b', 'ping')).to.have.length(0)
    expect(s.stats.probesAnsweredByTraffic).to.equal(1)
    const [recheck] = timers(effects).filter(t => t.timer.kind === 'swim-recheck')
    // one ack wait (200 ms) after the frame
    expect(recheck.at).to.equal(next - 50 + 200 + 1)
    const pinged = s.handleTimer(recheck.timer, recheck.at)
    expect(sentTo(pinged, 'b', 'ping')).to.have.length(1)
  })

  it('a member heard again before the recheck is not pinged by it', () => {
    const { s, next } = watching()
    s.heard('b', next - 50)
    const [recheck] = timers(tick(s, next)).filter(t => t.timer.kind === 'swim-recheck')
    s.heard('b', next + 100)
    expect(sentTo(s.handleTimer(recheck.timer, recheck.at), 'b', 'ping')).to.have.length(0)
  })

  it('a frame older than the ack wait, or any frame with the rule off, answers nothing', () => {
    const late = watching()
    late.s.heard('b', late.next - 500)
    expect(sentTo(tick(late.s, late.next), 'b', 'ping')).to.have.length(1)
    const off = watching({ trafficAnswersProbe: false })
    off.s.heard('b', off.next - 50)
    expect(sentTo(tick(off.s, off.next), 'b', 'ping')).to.have.length(1)
    expect(off.s.stats.probesAnsweredByTraffic).to.equal(0)
  })

  it('a ping that would carry news is sent even when the member was just heard', () => {
    const { s, next } = watching()
    // news about another member, to be piggybacked on our next pings (SWIM §4.1)
    s.handleMessage('b', { proto: 'swim', type: 'gossip', updates: [{ member: 'z', incarnation: 3, status: 'suspect', from: 'b' }] }, next - 100)
    s.heard('b', next - 50)
    const [ping] = sentTo(tick(s, next), 'b', 'ping')
    expect(ping).to.not.equal(undefined)
    expect(ping.updates.map((u: { member: string }) => u.member)).to.include('z')
  })
})
