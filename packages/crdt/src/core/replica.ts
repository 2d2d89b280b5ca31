/**
 * One replica of one document: the CRDT state, the author check on received deltas, and the
 * log of our own deltas from which anti-entropy ships delta-intervals (Almeida et al. 2018,
 * §6: a delta-interval Δ[a,b] is the join of the deltas a..b of one replica; shipping the
 * interval after the receiver's version-vector entry satisfies the causal merging condition).
 *
 * Pure: no clock, no I/O. Time arrives as `now`.
 */
import { CausalContext } from './causal-context.ts'
import { LwwMap } from './lww-map.ts'
import { OrSet } from './orset.ts'
import type { DotRange } from './causal-context.ts'

export type CrdtState = OrSet | LwwMap
export type CrdtKind = 'orset' | 'lww'

/** What became of a received delta: the adapter counts each */
export type ReceiveOutcome = 'applied' | 'duplicate' | 'forged-author' | 'not-writer' | 'future-clock' | 'too-old' | 'wrong-type'

export interface ReplicaConfig {
  /** A write stamped further than this in the future (HLC wall − now, ms) is refused */
  maxClockSkewMs: number
  /** Own deltas kept one by one; older ones are joined into one base delta (delta-group) */
  maxLoggedDeltas: number
  /** LWW tombstones older than this (ms) are collected, and writes older than it refused (0: never) */
  tombstoneHorizonMs: number
}

export const DEFAULT_REPLICA_CONFIG: ReplicaConfig = {
  maxClockSkewMs: 60_000,
  maxLoggedDeltas: 256,
  tombstoneHorizonMs: 0
}

export function emptyState (kind: CrdtKind): CrdtState {
  return kind === 'orset' ? new OrSet() : new LwwMap()
}

export function kindOf (state: CrdtState): CrdtKind {
  return state instanceof OrSet ? 'orset' : 'lww'
}

/** What a restart needs (SPEC.md §9.9): the state, the delivered operations, and the own-delta log that intervals are built from */
export interface ReplicaSnapshot {
  state: CrdtState
  delivered: DotRange[]
  /** the join of our own deltas 1..baseSeq (empty when baseSeq is 0) */
  base: CrdtState
  baseSeq: number
  /** own deltas after base; `seq` is the last of our operations each holds */
  log: Array<{ seq: number, delta: CrdtState }>
}

export class Replica {
  readonly state: CrdtState
  /**
   * The operations we hold, by author: our own, and each author's own dots from the deltas
   * that author signed. This, not the state's causal context, is the anti-entropy digest: a
   * delta's context also names other authors' dots it observed, and counting those as held
   * would break the paper's causal delta-merging condition (§6) — a replica would stop asking
   * for an operation it never received (found by the property test in partition.spec.ts).
   * Nor are an author's own context dots all operations of the delta (an add's context names
   * the author's earlier dots it replaces): each delta states its operations as a range.
   */
  readonly delivered = new CausalContext()
  /** own deltas after `base`, in order of their dot */
  private readonly log: Array<{ seq: number, delta: CrdtState }> = []
  /** the join of our own deltas that fell out of the log: covers seqs 1..baseSeq */
  private base: CrdtState
  private baseSeq = 0

  /**
   * The authors whose deltas this document accepts (PeerId strings), or undefined for any
   * member: a topic anyone can publish on, including a non-subscriber (SPEC.md §9.4)
   */
  writers?: ReadonlySet<string>

  constructor (readonly self: string, readonly kind: CrdtKind, readonly config: ReplicaConfig = DEFAULT_REPLICA_CONFIG) {
    this.state = emptyState(kind)
    this.base = emptyState(kind)
  }

  /** The first of our operations the next `recordLocal` will cover (its delta's ops range starts here) */
  nextOwn (): number {
    return this.delivered.max(this.self) + 1
  }

  /** Record a delta a local mutator produced (it is already joined into the state) */
  recordLocal (delta: CrdtState): number {
    const seq = delta.context.max(this.self)
    // Our dots between the last one we authored and this one were claimed by someone else's
    // context (a remove naming dots we had not authored yet: SPEC.md §9.8): our counter jumped
    // past them, so they will never be operations. They count as delivered and ship in this
    // delta's ops range, or every replica's digest would show a gap no one can fill.
    this.delivered.addRange({ replica: this.self, from: Math.min(this.delivered.max(this.self) + 1, seq), to: seq })
    this.log.push({ seq, delta })
    this.trimLog()
    return seq
  }

  private trimLog (): void {
    while (this.log.length > this.config.maxLoggedDeltas) {
      const oldest = this.log.shift()
      if (oldest != null) {
        joinInto(this.base, oldest.delta)
        this.baseSeq = oldest.seq
      }
    }
  }

  /**
   * A delta received from `author` (the verified origin of its plumtree message). Refused,
   * with the state unchanged, when any entry it adds claims another author, or a write is
   * stamped beyond the skew bound or before the tombstone horizon.
   */
  receive (author: string, delta: CrdtState, ops: DotRange, now: number): ReceiveOutcome {
    if (this.writers != null && !this.writers.has(author)) {
      return 'not-writer'
    }
    if (ops.replica !== author) {
      return 'forged-author'
    }
    if (kindOf(delta) !== this.kind) {
      return 'wrong-type'
    }
    if (delta instanceof OrSet) {
      for (const dot of delta.storeDots()) {
        if (dot.replica !== author) {
          return 'forged-author'
        }
      }
    } else {
      for (const entry of delta.entries.values()) {
        if (entry.dot.replica !== author || entry.hlc.node !== author || !delta.context.contains(entry.dot)) {
          return 'forged-author'
        }
        if (entry.hlc.wall > now + this.config.maxClockSkewMs) {
          return 'future-clock'
        }
        if (this.config.tombstoneHorizonMs > 0 && entry.hlc.wall < now - this.config.tombstoneHorizonMs) {
          return 'too-old'
        }
      }
    }
    const authored = CausalContext.fromRanges([ops])
    if (this.delivered.covers(authored)) {
      // every operation of it was joined before: joining again is a no-op (idempotence)
      return 'duplicate'
    }
    joinInto(this.state, delta)
    this.delivered.join(authored)
    return 'applied'
  }

  /** Our own operations up to `ops.to` (a persisted delta-group written after the last snapshot), joined after a restart */
  restoreOwn (delta: CrdtState, ops: DotRange): void {
    if (ops.replica !== this.self || this.delivered.covers(CausalContext.fromRanges([ops]))) {
      return
    }
    joinInto(this.state, delta)
    this.delivered.addRange(ops)
    this.log.push({ seq: ops.to, delta })
    this.log.sort((a, b) => a.seq - b.seq)
    this.trimLog()
  }

  /** The replica as it is now; the values are shared, so encode it before the next edit */
  snapshot (): ReplicaSnapshot {
    return { state: this.state, delivered: this.delivered.ranges(), base: this.base, baseSeq: this.baseSeq, log: [...this.log] }
  }

  /**
   * Becomes the replica of `snapshot` (a fresh replica only: one that has authored nothing yet,
   * or its own dots could collide with the restored ones). False, unchanged, otherwise.
   */
  load (snapshot: ReplicaSnapshot): boolean {
    if (this.delivered.max(this.self) > 0 || this.log.length > 0) {
      return false
    }
    joinInto(this.state, snapshot.state)
    for (const range of snapshot.delivered) {
      this.delivered.addRange(range)
    }
    joinInto(this.base, snapshot.base)
    this.baseSeq = snapshot.baseSeq
    this.log.push(...snapshot.log)
    this.trimLog()
    return true
  }

  /** Our version vector and dot cloud, as runs: the anti-entropy digest */
  digest (): DotRange[] {
    return this.delivered.ranges()
  }

  /**
   * The delta-interval of our own operations that a peer whose digest is `theirs` lacks, or
   * undefined when it lacks none. Dots missing from their prefix are re-sent from the first
   * gap: a join is idempotent, so re-sending what they have costs bytes only.
   */
  intervalFor (theirs: DotRange[]): { delta: CrdtState, ops: DotRange } | undefined {
    const have = CausalContext.fromRanges(theirs)
    const mine = this.delivered.max(this.self)
    const theirPrefix = have.vv.get(this.self) ?? 0
    if (theirPrefix >= mine && (have.cloud.get(this.self)?.size ?? 0) === 0) {
      return undefined
    }
    if (have.covers(CausalContext.fromRanges([{ replica: this.self, from: 1, to: mine }]))) {
      return undefined
    }
    const interval = emptyState(this.kind)
    let from = theirPrefix + 1
    if (theirPrefix < this.baseSeq) {
      joinInto(interval, this.base)
      from = 1
    }
    for (const entry of this.log) {
      if (entry.seq > theirPrefix) {
        joinInto(interval, entry.delta)
      }
    }
    return { delta: interval, ops: { replica: this.self, from, to: mine } }
  }

  /** Collect LWW tombstones older than the horizon (SPEC.md §9); the OR-Set keeps none */
  collect (now: number): number {
    if (this.config.tombstoneHorizonMs <= 0) {
      return 0
    }
    const horizon = now - this.config.tombstoneHorizonMs
    let dropped = 0
    for (const state of [this.state, this.base, ...this.log.map(e => e.delta)]) {
      if (state instanceof LwwMap) {
        dropped += state === this.state ? state.collect(horizon) : (state.collect(horizon), 0)
      }
    }
    return dropped
  }
}

/** join for either type (the two lattices are distinct; `kindOf` has checked they match) */
export function joinInto (target: CrdtState, delta: CrdtState): void {
  if (target instanceof OrSet && delta instanceof OrSet) {
    target.join(delta)
  } else if (target instanceof LwwMap && delta instanceof LwwMap) {
    target.join(delta)
  }
}
