/**
 * @packageDocumentation
 *
 * Delta-state CRDTs replicated over plumtree (SPEC.md §9): a pure core (add-wins OR-Set, LWW
 * map on a hybrid logical clock, causal contexts as version vector + dot cloud, delta-intervals
 * for anti-entropy), the `crdtSync()` libp2p service, and a Yjs provider.
 *
 * @example
 *
 * ```TypeScript
 * const node = await createLibp2p({ services: { identify: identify(), pqIdentity: pqIdentity(), membership: membership(), pubsub: plumtree(), crdt: crdtSync() } })
 * const todo = node.services.crdt.open('todo', 'orset')
 * todo.addEventListener('change', () => { console.log(todo.values()) })
 * todo.add('buy milk')
 * ```
 */
import { CrdtSync } from './service.ts'
import type { ReplicaConfig } from './core/replica.ts'
import type { LwwDocument, OrSetDocument, Channel } from './documents.ts'
import type { Frame } from './pb/crdt.ts'
import type { ComponentLogger, PeerId } from '@libp2p/interface'
import type { Datastore } from 'interface-datastore'

export { CausalContext } from './core/causal-context.ts'
export type { Dot, DotRange } from './core/causal-context.ts'
export { HlcClock, compareHlc } from './core/hlc.ts'
export type { Hlc } from './core/hlc.ts'
export { LwwMap } from './core/lww-map.ts'
export type { LwwEntry } from './core/lww-map.ts'
export { OrSet } from './core/orset.ts'
export { Replica, DEFAULT_REPLICA_CONFIG } from './core/replica.ts'
export type { CrdtKind, CrdtState, ReceiveOutcome, ReplicaConfig, ReplicaSnapshot } from './core/replica.ts'
export { ReplicaSync } from './core/sync.ts'
export { DigestGate, DEFAULT_SHARED_DIGESTS } from './core/digest-gate.ts'
export { OrSetDocument, LwwDocument } from './documents.ts'
export type { Channel, ChangeEvent, DocumentEvents } from './documents.ts'
export { CrdtConfigError, DocumentNotReadyError, DocumentTypeError, MalformedDeltaError, NotWriterError } from './errors.ts'
export { TOPIC_PREFIX } from './service.ts'
export { SaorsaYjsProvider, yjsClientId } from './yjs-provider.ts'
export { Frame } from './pb/crdt.ts'
export { encodeFrame, decodeFrame, stateToFrame, frameToState, encodeRanges, decodeRanges, opsOf, encodeSnapshot, decodeSnapshot } from './codec.ts'

export interface CrdtSyncInit {
  /**
   * Key of the plumtree() service in libp2p's `services`
   *
   * @default 'pubsub'
   */
  pubsubService?: string
  /**
   * Period of digests (version vectors) per document, ms
   *
   * @default 2000
   */
  antiEntropyInterval?: number
  /**
   * A document whose state has not changed and that saw no peer ahead of it sends its digest
   * only every this many periods
   *
   * @default 10
   */
  heartbeatPeriods?: number
  /**
   * Digests expected per period across the whole topic for a reason every member shares (after
   * a heal, a heartbeat): each member acts on such a reason with probability
   * `sharedDigests / writers`, four times more each period it waits, and a member's digest that
   * lacks everything we lack makes ours unnecessary (SPEC.md §9.4)
   *
   * @default 8 (at least 1)
   */
  sharedDigests?: number
  /**
   * Largest frame accepted, bytes; larger ones are dropped and counted
   *
   * @default 1048576
   */
  maxFrameBytes?: number
  /** Replica parameters (skew bound, delta log, tombstone horizon) */
  replica?: Partial<ReplicaConfig>
  /**
   * Keep documents in the node's datastore and restore them on `open()` after a restart
   * (SPEC.md §9.9); off when false or when the node has no datastore
   *
   * @default true
   */
  persist?: boolean
  /**
   * A changed document is snapshotted at most once per this many ms
   *
   * @default 1000
   */
  snapshotDelay?: number
  /**
   * Own delta-groups stored since the last snapshot that trigger a snapshot at once
   *
   * @default 64
   */
  maxOwnRecords?: number
}

export interface CrdtSyncComponents {
  peerId: PeerId
  logger: ComponentLogger
  datastore?: Datastore
}

/** Counters: every refused input is counted under its reason */
export interface CrdtSyncStats {
  published: number
  publishFailed: number
  applied: number
  duplicate: number
  forgedAuthor: number
  /** deltas from an author outside the document's `writers` */
  notWriter: number
  futureClock: number
  tooOld: number
  wrongType: number
  malformed: number
  oversize: number
  unsigned: number
  repairs: number
  /** bytes of delta frames we published (edits and repairs) */
  deltaBytes: number
  /** bytes of digest frames we published */
  digestBytes: number
  /** documents rebuilt from the datastore on open() */
  restored: number
  /** snapshots written */
  snapshots: number
  /** own delta-groups written ahead of their publish */
  ownRecords: number
  /** datastore writes that failed (logged; the edit is still published) */
  persistFailed: number
  /** stored documents that did not decode (open() threw MalformedDeltaError) */
  corrupt: number
}

export interface OpenOptions {
  /**
   * The only authors whose deltas the document accepts (their PeerIds). Without it any peer
   * that can publish on the topic writes to the document — a member, or a non-subscriber (as
   * in gossipsub, plumtree delivers a publication whether or not its author subscribed).
   * Deltas of others are refused and counted (`stats.notWriter`); an edit made here while
   * this node is not a writer throws `NotWriterError`. Taken from the first `open()` of a name.
   */
  writers?: Iterable<string | PeerId>
}

export interface CrdtSyncService {
  /** Our PeerId string: the author of our operations */
  readonly self: string
  readonly stats: CrdtSyncStats
  /** Open (or return) the document `name`: a replicated OR-Set or LWW map */
  open(name: string, type: 'orset', options?: OpenOptions): OrSetDocument
  open(name: string, type: 'lww', options?: OpenOptions): LwwDocument
  /** Drive a custom channel (the Yjs provider) on the document topic `name` */
  attach(name: string, channel: Channel): void
  /** Publish a frame on the document topic `name` */
  publish(name: string, frame: Frame): void
}

export function crdtSync (init: CrdtSyncInit = {}): (components: CrdtSyncComponents) => CrdtSyncService {
  return (components) => new CrdtSync(components, init)
}
