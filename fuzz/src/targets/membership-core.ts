import { createRng } from '@saorsa-gossip/core'
import { decodeFrame, Membership } from '@saorsa-gossip/membership'
import { boundedOutput, field, steps, Timers } from '../driver.ts'
import { invariant } from '../engine.ts'
import { membershipSeeds } from './messages.ts'
import { SELF, sender, stringPeerCodec } from './peers.ts'
import type { Step } from '../driver.ts'
import type { Target } from '../engine.ts'
import type { MembershipEffect, MembershipInput, MembershipTimer } from '@saorsa-gossip/membership'

type Core = Membership<string>

/** Effects one input may cause: a shuffle reply or view repair touches at most the views */
const MAX_EFFECTS = 256
/** frames fed and frames that decoded: a corpus that stops decoding stops testing the core */
const frames = { fed: 0, decoded: 0 }

function check (m: Core, timers: Timers<unknown>): void {
  const hpv = m.hyparview
  const active = hpv.activeView()
  const passive = hpv.passiveView()
  invariant(active.length <= hpv.config.activeViewCapacity, () => `active view ${active.length} > ${hpv.config.activeViewCapacity}`)
  invariant(passive.length <= hpv.config.passiveViewCapacity, () => `passive view ${passive.length} > ${hpv.config.passiveViewCapacity}`)
  invariant(!active.includes(SELF) && !passive.includes(SELF), () => 'self in a view')
  invariant(!active.some(p => passive.includes(p)), () => 'a peer in both views')
  invariant(field<Map<string, unknown>>(hpv, 'pending').size <= hpv.config.activeViewCapacity + hpv.config.passiveViewCapacity, () => 'pending neighbor requests unbounded')
  invariant(field<{ size: number }>(hpv, 'lost').size <= hpv.config.lostCapacity, () => 'lost map over lostCapacity')
  const members = field<Map<string, unknown>>(field(m.swim, 'members'), 'members')
  invariant(members.size <= m.swim.config.memberTableCapacity, () => `member table ${members.size} > ${m.swim.config.memberTableCapacity}`)
  invariant(!members.has(SELF), () => 'self in the member table')
  invariant(field<Map<number, unknown>>(m.swim, 'probes').size <= 64 && field<Map<number, unknown>>(field(m.swim, 'relays'), 'relays').size <= 1024, () => 'probe or relay map unbounded')
  invariant(timers.pending.size <= 4096, () => `${timers.pending.size} live timers`)
}

class Run {
  readonly core: Core
  readonly timers = new Timers<MembershipTimer<string>>()
  now = 1_000_000

  constructor (seed: number) {
    this.core = new Membership(SELF, createRng(seed))
    this.feed(() => this.core.start(this.now, ['p01']))
  }

  feed (fn: () => MembershipEffect<string>[]): void {
    const effects = fn()
    boundedOutput(effects, MAX_EFFECTS, 'membership core')
    for (const e of effects) {
      invariant(e.type !== 'send' || e.to !== SELF, () => `sent ${String((e as any).message?.type)} to self`)
    }
    this.timers.apply(effects)
  }

  step (s: Step): void {
    const peer = sender(s.peer)
    let input: MembershipInput<string> | undefined
    switch (s.kind) {
      case 0: {
        let message
        frames.fed++
        try {
          message = decodeFrame(s.bytes, stringPeerCodec).message
          frames.decoded++
        } catch {
          return // the service drops what does not decode (the codec target checks the error)
        }
        input = { type: 'message', from: peer, message }
        break
      }
      case 1: case 2: {
        const t = this.timers.take(s.n)
        if (t == null) {
          return
        }
        this.now = Math.max(this.now, t.at)
        input = { type: 'timer-expired', key: t.key, timer: t.timer }
        break
      }
      case 3: input = { type: 'contact', peer }; break
      case 4: input = { type: 'connection-lost', peer }; break
      case 5: input = { type: 'unsupported', peer }; break
      default: this.now += s.n; return
    }
    const i = input
    this.feed(() => this.core.handle(i, this.now))
    check(this.core, this.timers)
  }
}

/** One core fed every input of the whole run: bounds must hold after millions of inputs, not just 48 */
let longLived: Run | undefined

/**
 * The membership core (HyParView + SWIM) fed decoded frames from any peer (frames may
 * name self), timers, contacts and losses in any order: no throw, views within
 * capacity and without self, maps bounded, bounded effects per input.
 */
export const membershipCore: Target<{ seed: number, steps: Step[] }> = {
  name: 'membership-core',
  seeds: async () => membershipSeeds(),
  arbitrary: (corpus) => steps(corpus, 7).map(s => ({ seed: s.length, steps: s })),
  run ({ seed, steps }) {
    const run = new Run(seed)
    longLived ??= new Run(1)
    for (const s of steps) {
      run.step(s)
      longLived.step(s)
    }
  },
  check () {
    if (longLived != null) {
      check(longLived.core, longLived.timers)
    }
  },
  describe () {
    return longLived == null ? '' : `frames decoded ${Math.round(100 * frames.decoded / Math.max(1, frames.fed))}%, long-lived: active ${longLived.core.hyparview.activeView().length}, passive ${longLived.core.hyparview.passiveView().length}, timers ${longLived.timers.pending.size}`
  }
}
