/**
 * The anti-entropy policy of one OR-Set / LWW replica (SPEC.md §9.4): when a digest is due
 * (the DigestGate), and which peer digests get a delta-interval of our own operations in
 * answer. Pure, on core values (runs of dots, states), so that crdtSync() and the simulator
 * (packages/sim/src/crdt) drive the same decisions; the adapters only encode, sign and publish.
 */
import { DigestGate } from './digest-gate.ts'
import type { DotRange } from './causal-context.ts'
import type { DigestVerdict } from './digest-gate.ts'
import type { CrdtState, Replica } from './replica.ts'

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

/** DigestVerdict from "we hold every operation it lists" and "it lacks operations of ours" */
export function verdict (weHoldAll: boolean, lacksOurs: boolean): DigestVerdict {
  if (!weHoldAll) {
    return 'behind'
  }
  return lacksOurs ? 'neither' : 'speaks-for-us'
}

export class ReplicaSync extends DigestGate {
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

  constructor (readonly replica: Replica, sharedDigests?: number) {
    super(sharedDigests)
  }

  /**
   * A peer's digest (from `from`, when the adapter knows it): the interval of our own
   * operations to publish, if it lacks some we held two digests ago. In a document with
   * `writers`, runs of other authors are ignored: we would refuse those operations, so they
   * are no reason for a digest of ours (or a peer could keep every member's reason alive).
   */
  onDigest (theirs: DotRange[], from?: string): { delta: CrdtState, ops: DotRange } | undefined {
    const writers = this.replica.writers
    const relevant = writers == null ? theirs : theirs.filter(r => writers.has(r.replica))
    const self = this.replica.self
    const theirPrefix = theirs.find(r => r.replica === self && r.from === 1)?.to ?? 0
    const lacksOurs = theirPrefix < this.replica.delivered.max(self)
    this.heard(verdict(this.replica.delivered.coversRanges(relevant), lacksOurs), from)
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
   * The replica was rebuilt from the store (a restart): its own operations are old, not in
   * flight, so digests lacking them are answered from the first period on.
   */
  restored (): void {
    this.seqAtLastDigest = this.replica.delivered.max(this.replica.self)
    this.seqAtDigestBefore = this.seqAtLastDigest
  }

  /**
   * Our digest for this period, or undefined to stay quiet (DigestGate.decide). `random` is
   * uniform in [0, 1) (the adapter's randomness: the core has none). Every member's digest
   * costs an ML-DSA signature and a verify per member.
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
    if (!this.decide(countWriters(ranges), heartbeat, random)) {
      return undefined
    }
    this.dotsAtLastDigest = dots
    return ranges
  }
}
