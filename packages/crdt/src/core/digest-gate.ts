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

/** Digest senders remembered for the size estimate: a bound on the gate's memory */
const MAX_SENDERS = 4096

/**
 * What a peer's digest means for ours: it shows operations we lack (`behind`: a reason for
 * ours); we hold all it lists and it also lacks everything we lack, our own operations
 * included (`speaks-for-us`: the answers to it carry all we miss, and ours would add nothing);
 * or we hold all it lists but it lacks operations of ours (`neither`: we answer it, and still
 * owe our own digest if one is due — only ours tells the others what we wrote)
 */
export type DigestVerdict = 'behind' | 'speaks-for-us' | 'neither'

export class DigestGate {
  /** our first digest after open() is still due: only we know what we hold (a restart, a join) */
  private first = true
  /** a reason other members may share is waiting: a digest showed what we lack, a new subscriber, a gap */
  private due = false
  /** periods that reason has waited */
  private waited = 0
  /** a digest that speaks for us arrived since our last heartbeat draw */
  private heardSinceHeartbeat = false
  /** members whose digests we have seen: with the writers, the estimate of the topic's size (readers write nothing) */
  private readonly senders = new Set<string>()
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

  /** A peer's digest arrived from `from` (see DigestVerdict) */
  heard (verdict: DigestVerdict, from?: string): void {
    if (from != null && this.senders.size < MAX_SENDERS) {
      this.senders.add(from)
    }
    if (verdict === 'behind') {
      this.need()
      return
    }
    if (verdict === 'neither') {
      return
    }
    this.heardSinceHeartbeat = true
    if (this.due || this.first) {
      this.due = false
      this.first = false
      this.waited = 0
      this.suppressed++
    }
  }

  /**
   * Whether to send our digest this period. `random` is uniform in [0, 1); `writers` is the
   * number of authors we know of. The topic's size is estimated as the larger of that and the
   * members whose digests we have seen (a document with two writers and a thousand readers is
   * a topic of a thousand); an underestimate only sends more. A heartbeat is skipped when a
   * digest that speaks for us arrived since the last heartbeat draw.
   */
  decide (writers: number, heartbeat: boolean, random: number): boolean {
    const n = Math.max(1, writers, this.senders.size + 1)
    let send = this.first
    if (!send && this.due) {
      send = random < Math.min(1, this.sharedDigests * ESCALATION ** this.waited / n)
      if (!send) {
        this.waited = Math.min(this.waited + 1, MAX_WAITED)
      }
    }
    if (heartbeat) {
      if (!send && !this.heardSinceHeartbeat) {
        send = random < Math.min(1, this.sharedDigests / n)
      }
      this.heardSinceHeartbeat = false
    }
    if (send) {
      this.first = false
      this.due = false
      this.waited = 0
    }
    return send
  }
}
