import type { SwimConfig } from './swim-config.ts'
import type { IndexedSet, Rng } from '@saorsa-gossip/core'

/**
 * When each monitored member is next probed: SWIM's round-robin, with the cycle interleaved
 * across a member's monitors (SPEC.md §6.2).
 *
 * Every member is probed about once per cycle (one probe per period, as SWIM's round-robin),
 * but the *time* within the cycle is staggered across a member's monitors, so a crashed member
 * is probed by someone about once per period instead of whenever independent round-robins
 * happen to reach it. It is kept apart from the detector because it is bookkeeping of its own
 * (due times, cached ranks) that only the prober reads; the detector's monitored set and its
 * members' neighbour lists are shared with it read-only.
 */
export class ProbeSchedule<P> {
  /** when each monitored member is next due for a probe */
  private readonly nextDue = new Map<P, number>()
  /** our rank among each monitored member's monitors, recomputed only when its list changes */
  private readonly ranks = new Map<P, { list: P[], rank: number, size: number }>()

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
   * The monitored member whose probe is due first, rescheduled one cycle on. A member with no
   * due time yet (a new neighbour) first gets a random point in one cycle.
   */
  next (now: number): P | undefined {
    let best: P | undefined
    let bestDue = Infinity
    for (const peer of this.monitored.values()) {
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
    if (best != null) {
      this.reschedule(best, now + this.config.probeInterval)
    }
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
    if (others == null || others.length === 0) {
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
