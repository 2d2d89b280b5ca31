/**
 * The anti-entropy policy of one replica (SPEC.md §9.4): when a digest is due, and which
 * peer digests get a delta-interval of our own operations in answer. Pure, on core values
 * (runs of dots, states), so that crdtSync() and the simulator (packages/sim/src/crdt) drive
 * the same decisions; the adapters only encode, sign and publish.
 *
 * A digest is published on the topic and reaches every member, so digests must not grow with
 * the number of members that have a reason to send one: after a heal every member has the same
 * reason, and 1,000 members each sending a 30–60 kB digest per period to 1,000 members did not
 * finish in the simulator (SPEC.md §9.8). Two rules keep it to a few per period, in the spirit
 * of Trickle's suppression (Levis et al., NSDI 2004; RFC 6206): a member's digest that lacks
 * everything we lack speaks for us (the authors' answers to it carry what we miss), and a
 * reason many members may share is acted on with probability `sharedDigests / writers` per
 * period, growing fourfold each period it waits.
 */
import type { DotRange } from './causal-context.ts'
import type { CrdtState, Replica } from './replica.ts'

/** Digests expected per period, topic-wide, for a reason every member shares (SPEC.md §9.4) */
export const DEFAULT_SHARED_DIGESTS = 8

/** A waiting reason's chance grows this much per period: a reason only we have is acted on within a few periods */
const ESCALATION = 4
const MAX_WAITED = 16

function countDots (ranges: DotRange[]): number {
  return ranges.reduce((n, r) => n + r.to - r.from + 1, 0)
}

function countWriters (ranges: DotRange[]): number {
  let n = 0
  let last: string | undefined
  for (const r of ranges) {
    if (r.replica !== last) {
      n++
      last = r.replica
    }
  }
  return n
}

export class ReplicaSync {
  /**
   * our own seq two digests ago: a peer behind it has missed at least a whole period, not just
   * a delta still in flight (one period was not enough: on a saturated node deltas take
   * longer, and repairs of in-flight deltas fed the overload)
   */
  private seqAtLastDigest = 0
  private seqAtDigestBefore = 0
  private lastRepairFrom = Infinity
  /** dots delivered at our last digest (-1: none sent yet) */
  private dotsAtLastDigest = -1
  /** our first digest after open() is still due: only we know what we hold (a restart, a join) */
  private first = true
  /** a reason other members may share is waiting: a digest showed dots we lack, a new subscriber, a gap */
  private due = false
  /** periods that reason has waited */
  private waited = 0
  /** digests we did not send because another member's spoke for us */
  suppressed = 0

  constructor (readonly replica: Replica, public sharedDigests = DEFAULT_SHARED_DIGESTS) {}

  /** A peer's digest: the interval of our own operations to publish, if it lacks some we held two digests ago */
  onDigest (theirs: DotRange[]): { delta: CrdtState, ops: DotRange } | undefined {
    if (!this.replica.delivered.coversRanges(theirs)) {
      this.need()
    } else if (this.due || this.first) {
      // it lacks everything we lack: the authors' answers to it carry what we miss
      this.due = false
      this.first = false
      this.waited = 0
      this.suppressed++
    }
    const self = this.replica.self
    const theirPrefix = theirs.find(r => r.replica === self && r.from === 1)?.to ?? 0
    if (theirPrefix >= this.seqAtDigestBefore || theirPrefix >= this.lastRepairFrom) {
      return undefined
    }
    const interval = this.replica.intervalFor(theirs)
    if (interval == null) {
      return undefined
    }
    // a published interval reaches every subscriber: answer again only a digest further behind
    this.lastRepairFrom = theirPrefix
    return interval
  }

  /**
   * A peer newly subscribed to the document as far as we know (the Plumtree core's
   * `subscription-change`): a heal, a restart or a join, which may hold what we lack. Without
   * it, after a partition heals neither side has changed and nothing is sent until a heartbeat.
   */
  peerArrived (): void {
    this.need()
  }

  /**
   * Our digest for this period, or undefined to stay quiet. `random` is uniform in [0, 1)
   * (the adapter's randomness: the core has none). Due: the first after open(); a waiting
   * reason, with probability min(1, sharedDigests × 4^waited / writers); a heartbeat, with
   * probability min(1, sharedDigests / writers). Every member's digest costs an ML-DSA
   * signature and a verify per member.
   */
  digest (now: number, heartbeat: boolean, random: number): DotRange[] | undefined {
    this.seqAtDigestBefore = this.seqAtLastDigest
    this.seqAtLastDigest = this.replica.delivered.max(this.replica.self)
    this.lastRepairFrom = Infinity
    this.replica.collect(now)
    const ranges = this.replica.digest()
    const dots = countDots(ranges)
    if (dots !== this.dotsAtLastDigest && this.replica.delivered.cloud.size > 0) {
      // operations we know we lack (a gap in an author's runs) since our last digest
      this.need()
    }
    const writers = Math.max(1, countWriters(ranges))
    let send = this.first
    if (!send && this.due) {
      send = random < Math.min(1, this.sharedDigests * ESCALATION ** this.waited / writers)
      if (!send) {
        this.waited = Math.min(this.waited + 1, MAX_WAITED)
      }
    }
    if (!send && heartbeat) {
      send = random < Math.min(1, this.sharedDigests / writers)
    }
    if (!send) {
      return undefined
    }
    this.dotsAtLastDigest = dots
    this.first = false
    this.due = false
    this.waited = 0
    return ranges
  }

  private need (): void {
    if (!this.due) {
      this.due = true
      this.waited = 0
    }
  }
}
