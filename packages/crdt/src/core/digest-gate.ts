/**
 * When a digest is due (SPEC.md §9.4), for any document type: the OR-Set / LWW replicas'
 * ReplicaSync and the Yjs provider share it. Pure: the adapter passes the draw.
 *
 * A digest is published on the topic and reaches every member, so digests must not grow with
 * the number of members that have a reason to send one: after a heal every member has the same
 * reason, and 1,000 members each sending a 30–60 kB digest per period to 1,000 members did not
 * finish in the simulator (SPEC.md §9.7). Two rules keep it to a few per period, in the spirit
 * of Trickle's suppression (Levis et al., NSDI 2004; RFC 6206): a member's digest that lacks
 * everything we lack speaks for us (the authors' answers to it carry what we miss), and a
 * reason many members may share is acted on with probability `sharedDigests / writers` per
 * period, growing fourfold each period it waits.
 */

/** Digests expected per period, topic-wide, for a reason every member shares (SPEC.md §9.4) */
export const DEFAULT_SHARED_DIGESTS = 8

/** A waiting reason's chance grows this much per period: a reason only we have is acted on within a few periods */
const ESCALATION = 4
const MAX_WAITED = 16

export class DigestGate {
  /** our first digest after open() is still due: only we know what we hold (a restart, a join) */
  private first = true
  /** a reason other members may share is waiting: a digest showed what we lack, a new subscriber, a gap */
  private due = false
  /** periods that reason has waited */
  private waited = 0
  /** digests we did not send because another member's spoke for us */
  suppressed = 0

  constructor (public sharedDigests = DEFAULT_SHARED_DIGESTS) {}

  /** A reason other members may share: acted on by draw */
  need (): void {
    if (!this.due) {
      this.due = true
      this.waited = 0
    }
  }

  /**
   * A peer's digest arrived. `weHoldAll`: every operation it lists is held here, so it lacks
   * everything we lack and the answers to it carry what we miss; otherwise it shows something
   * we lack, a reason for our own digest.
   */
  heard (weHoldAll: boolean): void {
    if (!weHoldAll) {
      this.need()
    } else if (this.due || this.first) {
      this.due = false
      this.first = false
      this.waited = 0
      this.suppressed++
    }
  }

  /**
   * Whether to send our digest this period. `random` is uniform in [0, 1); `writers` is the
   * number of authors we know of (a size estimate of the topic; an underestimate only sends more).
   */
  decide (writers: number, heartbeat: boolean, random: number): boolean {
    const n = Math.max(1, writers)
    let send = this.first
    if (!send && this.due) {
      send = random < Math.min(1, this.sharedDigests * ESCALATION ** this.waited / n)
      if (!send) {
        this.waited = Math.min(this.waited + 1, MAX_WAITED)
      }
    }
    if (!send && heartbeat) {
      send = random < Math.min(1, this.sharedDigests / n)
    }
    if (send) {
      this.first = false
      this.due = false
      this.waited = 0
    }
    return send
  }
}
