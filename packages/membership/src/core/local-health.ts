import { adjustLocalHealth } from './suspicion.ts'

/** Missed nacks held for judgement at most (one probe names at most `indirectProbes` helpers) */
const MAX_HELD = 64

/**
 * Lifeguard's local health multiplier (Dadgar et al. 2018, §IV-A), with one change: a missed
 * nack is held until the helper is shown to be alive (SPEC.md §6.9).
 *
 * Lifeguard reads a helper's missing nack as evidence that *our* links or CPU are slow. That
 * holds when the helper is alive. After a mass failure most helpers are dead too: in the
 * 2,000-node simulator (70% crashed at once, 3% loss) every survivor's multiplier sat at its
 * maximum, stretching probe periods and suspicion timeouts ninefold, and dead verdicts took
 * P50 11.4 s, P99 57 s. So a helper whose nack is missing is blamed on us only when it later
 * answers or sends us anything; one that is suspected, declared dead or leaves our view is
 * forgiven, and so is one that stays silent for `horizon` ms. Our own slowness is also measured
 * directly (event-loop lag, ack round trips: `LoadEstimate`), which the probe timers follow.
 */
export class LocalHealth<P> {
  private value = 0
  private readonly max: number
  private readonly horizon: number
  /** helper → when its nack went missing, and how many went missing since */
  private readonly held = new Map<P, { since: number, count: number }>()

  constructor (max: number, horizon: number) {
    this.max = max
    this.horizon = horizon
  }

  get multiplier (): number {
    return this.value
  }

  /** Direct evidence about us: a successful probe (−1), a refuted accusation or a stalled deadline (+1) */
  adjust (delta: number): void {
    this.value = adjustLocalHealth(this.value, delta, this.max)
  }

  /** Helpers asked to probe indirectly whose nack never came: judged later */
  missedNacks (helpers: Iterable<P>, now: number): void {
    for (const helper of helpers) {
      const entry = this.held.get(helper)
      if (entry != null) {
        entry.count++
      } else if (this.held.size < MAX_HELD) {
        this.held.set(helper, { since: now, count: 1 })
      }
    }
  }

  /** `peer` answered or sent something: the nacks it missed were our fault after all */
  heardFrom (peer: P, now: number): void {
    const entry = this.held.get(peer)
    if (entry == null) {
      return
    }
    this.held.delete(peer)
    if (now - entry.since <= this.horizon) {
      this.adjust(entry.count)
    }
  }

  /** `peer` is suspected, dead or no longer watched: its missing nacks say nothing about us */
  forgive (peer: P): void {
    this.held.delete(peer)
  }

  /** Forgets helpers silent for longer than the horizon */
  expire (now: number): void {
    for (const [peer, entry] of this.held) {
      if (now - entry.since > this.horizon) {
        this.held.delete(peer)
      }
    }
  }

  /** Missed nacks waiting for judgement (tests, stats) */
  get heldCount (): number {
    return this.held.size
  }
}
