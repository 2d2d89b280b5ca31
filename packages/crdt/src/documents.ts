/**
 * The application's handles on open documents. Each holds a core `Replica`; local edits
 * become deltas handed to `publish`, received deltas arrive through the `Channel` interface
 * the service drives. Change events say who changed what.
 */
import { TypedEventEmitter } from '@libp2p/interface'
import { frameToState, stateToFrame, decodeRanges, encodeRanges, opsOf, wellFormed } from './codec.ts'
import { HlcClock } from './core/hlc.ts'
import { emptyState, joinInto, Replica } from './core/replica.ts'
import { ReplicaSync } from './core/sync.ts'
import { NotWriterError } from './errors.ts'
import { Frame } from './pb/crdt.ts'
import type { LwwMap } from './core/lww-map.ts'
import type { OrSet } from './core/orset.ts'
import type { CrdtKind, CrdtState, ReceiveOutcome, ReplicaConfig, ReplicaSnapshot } from './core/replica.ts'

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
   * Our digest for this anti-entropy period, or undefined to stay quiet (SPEC.md §9.4).
   * Digests reach every member and cost an ML-DSA signature and one verify per member, so a
   * quiet document must not send one every period (20 real nodes saturated a core).
   * `random` is uniform in [0, 1): whether a reason many members share is acted on.
   */
  digest(now: number, heartbeat: boolean, random: number): Frame | undefined
  /** A peer newly subscribed to the topic: the next digest is due */
  onPeer?(): void
}

export type Publish = (frame: Frame) => void

abstract class ReplicaDocument extends TypedEventEmitter<DocumentEvents> implements Channel {
  readonly replica: Replica
  readonly type: Frame.Type
  /** when digests are due and which get a repair: the same pure policy the simulator runs */
  readonly sync: ReplicaSync
  private pending?: { delta: CrdtState, from: number }
  /** set while the service has not restored the document yet: edits throw it */
  notReady?: Error

  constructor (readonly name: string, readonly self: string, kind: CrdtKind, config: ReplicaConfig, protected readonly publish: Publish) {
    super()
    this.replica = new Replica(self, kind, config)
    this.sync = new ReplicaSync(this.replica)
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
    const interval = this.sync.onDigest(decodeRanges(frame.context), author)
    return interval == null ? undefined : stateToFrame(interval.delta, interval.ops)
  }

  onPeer (): void {
    this.sync.peerArrived()
  }

  digest (now: number, heartbeat: boolean, random: number): Frame | undefined {
    const ranges = this.sync.digest(now, heartbeat, random)
    if (ranges == null) {
      return undefined
    }
    return { kind: Frame.Kind.DIGEST, type: this.type, context: encodeRanges(ranges), orset: [], lww: [], yjs: new Uint8Array(0) }
  }

  /**
   * Rebuilds the replica from what the service persisted (SPEC.md §9.9): the last snapshot,
   * then the own delta-groups written after it. Only before our first edit: false otherwise.
   */
  load (snapshot: ReplicaSnapshot | undefined, own: Frame[]): boolean {
    if (snapshot != null && !this.replica.load(snapshot)) {
      return false
    }
    for (const frame of own) {
      this.replica.restoreOwn(frameToState(frame), opsOf(frame))
    }
    this.received(this.replica.state as OrSet | LwwMap)
    this.sync.restored()
    return true
  }

  protected checkReady (): void {
    if (this.notReady != null) {
      throw this.notReady
    }
    if (this.replica.writers != null && !this.replica.writers.has(this.self)) {
      // published anyway it would be refused everywhere, and our state would differ for good
      throw new NotWriterError(`document "${this.name}" accepts edits from its writers only, and ${this.self} is not one`)
    }
  }

  protected local (delta: OrSet | LwwMap): void {
    const from = this.replica.nextOwn()
    this.replica.recordLocal(delta)
    // edits made in one turn of the event loop ship as one delta-group (the paper's §6 join
    // of deltas): one signature and one message instead of one per edit
    if (this.pending == null) {
      const pending = { delta: emptyState(this.replica.kind), from }
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

  /** @throws MalformedDeltaError for an element that is not well-formed Unicode (it would reach the others changed) */
  add (element: string): void {
    this.checkReady()
    this.local(this.set.add(this.self, wellFormed(element)))
  }

  remove (element: string): void {
    this.checkReady()
    this.local(this.set.remove(this.self, wellFormed(element)))
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

  /** @throws MalformedDeltaError for a key that is not well-formed Unicode (it would reach the others changed) */
  set (key: string, value: Uint8Array): void {
    this.checkReady()
    this.local(this.map.set(wellFormed(key), value, this.clock.tick(this.now())))
  }

  delete (key: string): void {
    this.checkReady()
    this.local(this.map.set(wellFormed(key), null, this.clock.tick(this.now())))
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
