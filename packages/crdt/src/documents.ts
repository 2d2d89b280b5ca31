/**
 * The application's handles on open documents. Each holds a core `Replica`; local edits
 * become deltas handed to `publish`, received deltas arrive through the `Channel` interface
 * the service drives. Change events say who changed what.
 */
import { TypedEventEmitter } from '@libp2p/interface'
import { frameToState, stateToFrame, decodeRanges, encodeRanges, opsOf } from './codec.ts'
import { CausalContext } from './core/causal-context.ts'
import { HlcClock } from './core/hlc.ts'
import { emptyState, joinInto, Replica } from './core/replica.ts'
import { Frame } from './pb/crdt.ts'
import type { DotRange } from './core/causal-context.ts'
import type { LwwMap } from './core/lww-map.ts'
import type { OrSet } from './core/orset.ts'
import type { CrdtKind, CrdtState, ReceiveOutcome, ReplicaConfig } from './core/replica.ts'

export interface ChangeEvent {
  /** PeerId string of the author */
  author: string
  local: boolean
}

export interface DocumentEvents {
  change: CustomEvent<ChangeEvent>
}

/** What the service drives: one per topic (documents and the Yjs provider) */
export interface Channel {
  readonly type: Frame.Type
  onDelta(author: string, frame: Frame, now: number): ReceiveOutcome
  /** A peer's digest: the repair frame to publish, if we hold own operations it lacks */
  onDigest(author: string, frame: Frame, now: number): Frame | undefined
  /**
   * Our digest for this anti-entropy period, or undefined to stay quiet: a digest is due when
   * our state changed since the last one, when a peer's digest showed dots we lack, or as a
   * heartbeat (`heartbeat` true). Digests cost an ML-DSA signature and one verify per member,
   * so a quiet document must not send one every period (20 real nodes saturated a core).
   */
  digest(now: number, heartbeat: boolean): Frame | undefined
}

export type Publish = (frame: Frame) => void

function countDots (ranges: DotRange[]): number {
  return ranges.reduce((n, r) => n + r.to - r.from + 1, 0)
}

abstract class ReplicaDocument extends TypedEventEmitter<DocumentEvents> implements Channel {
  readonly replica: Replica
  readonly type: Frame.Type
  /**
   * our own seq two digests ago: a peer behind it has missed at least a whole period, not just
   * a delta still in flight (one period was not enough: on a saturated node deltas take
   * longer, and repairs of in-flight deltas fed the overload)
   */
  private seqAtLastDigest = 0
  private seqAtDigestBefore = 0
  private lastRepairFrom = Infinity
  /** dots in our context at the last digest (-1: none sent yet) */
  private dotsAtLastDigest = -1
  /** a peer's digest named dots we lack */
  private behind = false
  private pending?: { delta: CrdtState, from: number }

  constructor (readonly name: string, readonly self: string, kind: CrdtKind, config: ReplicaConfig, protected readonly publish: Publish) {
    super()
    this.replica = new Replica(self, kind, config)
    this.type = kind === 'orset' ? Frame.Type.ORSET : Frame.Type.LWW
  }

  onDelta (author: string, frame: Frame, now: number): ReceiveOutcome {
    const ops = opsOf(frame)
    const delta = frameToState(frame)
    const outcome = this.replica.receive(author, delta, ops, now)
    if (outcome === 'applied') {
      this.received(delta)
      this.dispatchEvent(new CustomEvent('change', { detail: { author, local: false } }))
    }
    return outcome
  }

  onDigest (author: string, frame: Frame): Frame | undefined {
    const theirs = decodeRanges(frame.context)
    if (!this.replica.delivered.covers(CausalContext.fromRanges(theirs))) {
      this.behind = true
    }
    const theirPrefix = theirs.find(r => r.replica === this.self && r.from === 1)?.to ?? 0
    if (theirPrefix >= this.seqAtDigestBefore || theirPrefix >= this.lastRepairFrom) {
      return undefined
    }
    const interval = this.replica.intervalFor(theirs)
    if (interval == null) {
      return undefined
    }
    this.lastRepairFrom = theirPrefix
    return stateToFrame(interval.delta, interval.ops)
  }

  digest (now: number, heartbeat: boolean): Frame | undefined {
    this.seqAtDigestBefore = this.seqAtLastDigest
    this.seqAtLastDigest = this.replica.delivered.max(this.self)
    this.lastRepairFrom = Infinity
    this.replica.collect(now)
    const dots = countDots(this.replica.digest())
    if (!heartbeat && !this.behind && dots === this.dotsAtLastDigest) {
      return undefined
    }
    this.dotsAtLastDigest = dots
    this.behind = false
    return { kind: Frame.Kind.DIGEST, type: this.type, context: encodeRanges(this.replica.digest()), orset: [], lww: [], yjs: new Uint8Array(0) }
  }

  protected local (delta: OrSet | LwwMap): void {
    const seq = this.replica.recordLocal(delta)
    // edits made in one turn of the event loop ship as one delta-group (the paper's §6 join
    // of deltas): one signature and one message instead of one per edit
    if (this.pending == null) {
      const pending = { delta: emptyState(this.replica.kind), from: seq }
      this.pending = pending
      queueMicrotask(() => {
        this.pending = undefined
        this.publish(stateToFrame(pending.delta, { replica: this.self, from: pending.from, to: this.replica.delivered.max(this.self) }))
      })
    }
    joinInto(this.pending.delta, delta)
    this.dispatchEvent(new CustomEvent('change', { detail: { author: this.self, local: true } }))
  }

  protected received (_delta: OrSet | LwwMap): void {}
}

/** A replicated add-wins set of strings */
export class OrSetDocument extends ReplicaDocument {
  constructor (name: string, self: string, config: ReplicaConfig, publish: Publish) {
    super(name, self, 'orset', config, publish)
  }

  private get set (): OrSet {
    return this.replica.state as OrSet
  }

  add (element: string): void {
    this.local(this.set.add(this.self, element))
  }

  remove (element: string): void {
    this.local(this.set.remove(this.self, element))
  }

  has (element: string): boolean {
    return this.set.has(element)
  }

  values (): string[] {
    return this.set.values()
  }
}

/** A replicated last-writer-wins map of byte values, ordered by hybrid logical clocks */
export class LwwDocument extends ReplicaDocument {
  private readonly clock: HlcClock

  constructor (name: string, self: string, config: ReplicaConfig, publish: Publish, private readonly now: () => number) {
    super(name, self, 'lww', config, publish)
    this.clock = new HlcClock(self)
  }

  private get map (): LwwMap {
    return this.replica.state as LwwMap
  }

  set (key: string, value: Uint8Array): void {
    this.local(this.map.set(key, value, this.clock.tick(this.now())))
  }

  delete (key: string): void {
    this.local(this.map.set(key, null, this.clock.tick(this.now())))
  }

  get (key: string): Uint8Array | undefined {
    return this.map.get(key)
  }

  keys (): string[] {
    return this.map.keys()
  }

  protected received (delta: OrSet | LwwMap): void {
    // our next write must order after every write we have seen (HLC receive rule)
    for (const entry of (delta as LwwMap).entries.values()) {
      this.clock.observe(entry.hlc)
    }
  }
}
