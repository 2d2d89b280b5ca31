import type { SwimConfig } from './swim-config.ts'
import type { IndexedSet, Rng } from '@saorsa-gossip/core'

/** Probe periods between the starts of two sweeps at least */
const SWEEP_GAP_PERIODS = 2

/**
 * When each monitored member is next probed: SWIM's round-robin, with the cycle interleaved
 * across a member's monitors (SPEC.md §6.2), and the sweeps that follow a failed probe.
 *
 * A member with m monitors is probed by us once per m periods, at our slot: the m monitors
 * take turns, so a crashed member is probed by someone about once per period instead of
 * whenever independent round-robins happen to reach it. It is kept apart from the detector
 * because it is bookkeeping of its own (due times, cached ranks, sweep debts) that only the
 * prober reads; the detector's monitored set and its members' neighbour lists are shared with
 * it read-only.
 */
export class ProbeSchedule<P> {
  /** when each monitored member is next due for a probe */
  private readonly nextDue = new Map<P, number>()
  /** our rank among each monitored member's monitors, recomputed only when its list changes */
  private readonly ranks = new Map<P, { list: P[], rank: number, size: number }>()
  /** members owed a probe ahead of their slots since one of our probes failed */
  private readonly swept = new Set<P>()
  private sweptAt = -Infinity

  /**
   * `monitored` is the set we probe; `neighborsOf` each monitored member's own active view from
   * its last ack (the other peers that watch it). `rng` is the detector's own generator: the
   * draws here are part of its sequence.
   */
  constructor (
    private readonly self: P,
    private readonly rng: Rng,
    private readonly config: Pick<SwimConfig, 'probeInterval'>,
    private readonly monitored: Pick<IndexedSet<P>, 'size' | 'values'>,
    private readonly neighborsOf: ReadonlyMap<P, P[]>
  ) {}

  /**
   * The monitored member whose slot comes first, even if it is still ahead; that slot is
   * consumed. A member with no due time yet (a new neighbour) first gets a random point in one
   * cycle.
   */
  next (now: number): P | undefined {
    return this.pick(now, Infinity)
  }

  /**
   * The monitored member whose slot has come (due at or before `now`) first, that slot
   * consumed; none when no slot has come. The slots a monitor owes are not one per period: a
   * member with m monitors is owed one probe per m periods, so a monitor of many members with
   * few monitors each owes more than one per period, and one period's single probe left it
   * behind and its members' slots unevenly spread (SPEC.md §6.2).
   */
  due (now: number): P | undefined {
    return this.pick(now, now)
  }

  /**
   * One of our probes failed: every other member is owed a probe ahead of its slot, served by
   * `nextSwept` beside the slots that come. A crash seldom comes alone (a rack, a region, 70% of
   * the network at once), and a survivor whose member's other monitors died with it would
   * otherwise reach it only at its own slot, up to a cycle (m periods) later: 2,000 nodes, 70%
   * crashed, 3% loss, held dead neighbours 15 s after the crash (SPEC.md §6.2). A sweep starts
   * only once the last is paid and SWEEP_GAP_PERIODS after it began, so that a lossy network
   * costs at most one probe per member every few periods (+2% pings at 5% loss).
   */
  sweep (now: number, except: P): void {
    if (this.swept.size > 0 || now - this.sweptAt < SWEEP_GAP_PERIODS * this.config.probeInterval) {
      return
    }
    this.sweptAt = now
    for (const peer of this.monitored.values()) {
      if (peer !== except) {
        this.swept.add(peer)
      }
    }
  }

  /** The member still owed a sweep's probe whose slot is due first (its slot is served) */
  nextSwept (now: number): P | undefined {
    if (this.swept.size === 0) {
      return undefined
    }
    return this.pick(now, Infinity, this.swept)
  }

  /** `peer` was probed, for whatever reason: the sweep owes it nothing more */
  probed (peer: P): void {
    this.swept.delete(peer)
  }

  private pick (now: number, latest: number, among?: ReadonlySet<P>): P | undefined {
    let best: P | undefined
    let bestDue = Infinity
    for (const peer of this.monitored.values()) {
      if (among != null && !among.has(peer)) {
        continue
      }
      // a member recorded dead that is our neighbour again (it restarted) is probed too: its
      // ack carries a newer incarnation and brings it back
      let due = this.nextDue.get(peer)
      if (due == null) {
        // new neighbour, rank unknown yet: a random point in one cycle
        due = now + Math.floor(this.rng.float() * this.monitored.size * this.config.probeInterval)
        this.nextDue.set(peer, due)
      }
      if (due < bestDue) {
        bestDue = due
        best = peer
      }
    }
    if (best == null || bestDue > latest) {
      return undefined
    }
    // this slot is served (early, on time or late): the next one after it, and not in the past
    this.reschedule(best, Math.max(bestDue, now) + 1)
    return best
  }

  /**
   * Next due time of `peer` after `after`. With the member's own neighbour
   * list (from its acks) we know all m monitors; sorted, we are number r, so
   * we take the slots t ≡ r·T (mod m·T), T the probe interval: the m monitors
   * interleave, about one probe of the member per period between them. Times
   * are absolute, so monitors' clocks need to agree only to a fraction of T;
   * with worse skew the schedules are merely independent, as in plain
   * round-robin (SPEC.md §6.2).
   */
  reschedule (peer: P, after: number): void {
    const others = this.neighborsOf.get(peer)
    const interval = this.config.probeInterval
    if (others == null) {
      this.nextDue.set(peer, after + Math.max(1, this.monitored.size - 1) * interval)
      return
    }
    const { rank, size } = this.rankAmong(peer, others)
    const cycle = size * interval
    const phase = rank * interval
    let due = Math.floor(after / cycle) * cycle + phase
    while (due < after) {
      due += cycle
    }
    this.nextDue.set(peer, due)
  }

  /** `peer` is no longer monitored */
  forget (peer: P): void {
    this.nextDue.delete(peer)
    this.ranks.delete(peer)
    this.swept.delete(peer)
  }

  private rankAmong (peer: P, others: P[]): { rank: number, size: number } {
    const cached = this.ranks.get(peer)
    if (cached?.list === others) {
      return cached
    }
    const keys = [...others.map(p => String(p)), String(this.self)].sort()
    const entry = { list: others, rank: keys.indexOf(String(this.self)), size: keys.length }
    this.ranks.set(peer, entry)
    return entry
  }
}
