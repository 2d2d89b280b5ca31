/**
 * The anti-entropy policy of one replica (SPEC.md §9.4): when a digest is due, and which
 * peer digests get a delta-interval of our own operations in answer. Pure, on core values
 * (runs of dots, states), so that crdtSync() and the simulator (packages/sim/src/crdt) drive
 * the same decisions; the adapters only encode, sign and publish.
 */
import { CausalContext } from './causal-context.ts'
import type { DotRange } from './causal-context.ts'
import type { CrdtState, Replica } from './replica.ts'

function countDots (ranges: DotRange[]): number {
  return ranges.reduce((n, r) => n + r.to - r.from + 1, 0)
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
  /** dots delivered at the last digest (-1: none sent yet) */
  private dotsAtLastDigest = -1
  /** a peer's digest named dots we lack */
  private behind = false
  /** a subscriber we had not known appeared (a heal, a restart, a join): it may lack what we hold, or hold what we lack */
  private newPeer = false

  constructor (readonly replica: Replica) {}

  /** A peer's digest: the interval of our own operations to publish, if it lacks some we held two digests ago */
  onDigest (theirs: DotRange[]): { delta: CrdtState, ops: DotRange } | undefined {
    const self = this.replica.self
    if (!this.behind && !this.replica.delivered.covers(CausalContext.fromRanges(theirs))) {
      this.behind = true
    }
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
   * `subscription-change`): our next digest is due. Without it, after a partition heals
   * neither side has changed and nothing is sent until a heartbeat (10 periods).
   */
  peerArrived (): void {
    this.newPeer = true
  }

  /**
   * Our digest for this period, or undefined to stay quiet: due when our delivered operations
   * changed since the last one, when a peer's digest showed dots we lack, when a new peer
   * appeared, or as a heartbeat.
   * Digests cost an ML-DSA signature and one verify per member, so a quiet document must not
   * send one every period (20 real nodes saturated a core).
   */
  digest (now: number, heartbeat: boolean): DotRange[] | undefined {
    this.seqAtDigestBefore = this.seqAtLastDigest
    this.seqAtLastDigest = this.replica.delivered.max(this.replica.self)
    this.lastRepairFrom = Infinity
    this.replica.collect(now)
    const ranges = this.replica.digest()
    const dots = countDots(ranges)
    if (!heartbeat && !this.behind && !this.newPeer && dots === this.dotsAtLastDigest) {
      return undefined
    }
    this.dotsAtLastDigest = dots
    this.behind = false
    this.newPeer = false
    return ranges
  }
}
