import { createRng } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { Swim } from '../src/core/swim.ts'
import type { Effects } from './helpers.ts'

/**
 * SPEC.md §6.2: a monitor serves the slots of the interleaved schedule as they come (not one
 * probe per period), and a failed probe sweeps the other members ahead of their slots.
 */

/** The other monitors of each member, so that `a` ranks `rank` among `count` of them */
function monitorsWithRank (member: string, rank: number, count: number): string[] {
  // digits sort before letters: `rank` names before 'a', the rest after it
  return [...Array.from({ length: rank }, (_, i) => `0${member}${i}`), ...Array.from({ length: count - 1 - rank }, (_, i) => `z${member}${i}`)]
}

/** Pings sent in `effects`, by target */
function pinged (effects: Effects): string[] {
  return effects.flatMap(e => e.type === 'send' && e.message.type === 'ping' ? [e.to] : [])
}

/**
 * A node `a` watching `members`, each answering every ping at once with its neighbour list
 * (`lists`), for `seconds` probe periods; returns the pings by target per period.
 */
function run (s: Swim<string>, lists: Map<string, string[]>, from: number, seconds: number, silent = new Set<string>()): string[][] {
  const periods: string[][] = []
  for (let now = from; now < from + seconds * 1000; now += 1000) {
    const effects = s.handleTimer({ kind: 'swim-probe', due: now }, now)
    const targets = pinged(effects)
    periods.push(targets)
    for (const e of effects) {
      if (e.type === 'send' && e.message.type === 'ping' && !silent.has(e.to)) {
        s.handleMessage(e.to, { proto: 'swim', type: 'ack', seq: e.message.seq, incarnation: 1, updates: [], neighbors: ['a', ...(lists.get(e.to) ?? [])] }, now + 10)
      }
    }
  }
  return periods
}

function watching (lists: Map<string, string[]>): Swim<string> {
  const s = new Swim('a', createRng('a'), {})
  for (const member of lists.keys()) {
    s.monitor(member, 0)
  }
  return s
}

describe('SWIM: the interleaved schedule served as its slots come', () => {
  it('a sole monitor of three members probes each of them every period (three probes a period)', () => {
    const lists = new Map([['b', []], ['c', []], ['d', []]])
    const s = watching(lists)
    run(s, lists, 0, 10)
    const periods = run(s, lists, 10_000, 10)
    for (const member of lists.keys()) {
      // one probe per period each: before, one probe a period in all left each member a probe
      // every third period, the slots of its other monitors (none here) not covering the rest
      expect(periods.filter(p => p.includes(member)).length, member).to.equal(10)
    }
  })

  it('a member with ten monitors is probed at our slot only, once in ten periods', () => {
    const lists = new Map([['b', monitorsWithRank('b', 3, 10)]])
    const s = watching(lists)
    run(s, lists, 0, 20)
    const periods = run(s, lists, 20_000, 30)
    // before, our only member took every period's probe: ten times what its slots ask
    expect(periods.flat().filter(t => t === 'b')).to.have.length(3)
    // and at our rank's phase: slots t ≡ 3 s (mod 10 s)
    const at = periods.flatMap((p, i) => p.includes('b') ? [20 + i] : [])
    expect(at.map(t => t % 10)).to.deep.equal([3, 3, 3])
  })

  it('a failed probe sweeps every other member within a few periods, ahead of their slots', () => {
    // ten members, ten monitors each, our slots spread over the ten-second cycle
    const members = Array.from({ length: 10 }, (_, i) => `m${i}`)
    const lists = new Map(members.map((m, i) => [m, monitorsWithRank(m, i, 10)]))
    const s = watching(lists)
    run(s, lists, 0, 30)
    // the member probed next goes silent (crashed): its probe fails
    const start = 30_000
    const [ping] = s.handleTimer({ kind: 'swim-probe', due: start }, start).flatMap(e => e.type === 'send' && e.message.type === 'ping' ? [{ to: e.to, seq: e.message.seq }] : [])
    const victim = ping.to
    s.handleTimer({ kind: 'swim-ack-timeout', seq: ping.seq }, start + 200)
    const end = s.handleTimer({ kind: 'swim-probe-end', seq: ping.seq, due: start + 450 }, start + 450)
    expect(s.statusOf(victim)).to.equal('suspect')
    const swept = new Set(pinged(end))
    for (const period of run(s, lists, start + 1000, 3, new Set([victim]))) {
      for (const target of period) {
        swept.add(target)
      }
    }
    swept.delete(victim)
    // without the sweep, three periods reach the members whose slots come in them, about three
    expect([...swept].sort()).to.deep.equal(members.filter(m => m !== victim).sort())
  })
})
