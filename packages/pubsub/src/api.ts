/**
 * The application-facing surface of `plumtree()`: the shapes of
 * `@libp2p/gossipsub` 17's `GossipSub` interface (docs/gossipsub-17-api.md), so
 * an application switches by changing the factory and nothing else.
 */
import type { PubsubConfig } from './core/config.ts'
import type { ScoreConfig } from './core/score.ts'
import type { IgnoredGossipsubOptions } from './gossipsub-options.ts'
import type { PlumtreeStats } from './stats.ts'
import type { ComponentLogger, Libp2pEvents, Metrics, PeerId, PeerStore, PublicKey, TypedEventTarget } from '@libp2p/interface'
import type { AddressManager, ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { OutboundCounters, SecureStreamsCounters, SecureStreamsMode } from '@saorsa-gossip/kit'

/** gossipsub's `TopicValidatorResult` values (strings, so values from either package compare equal) */
export const TopicValidatorResult = {
  Accept: 'accept',
  Ignore: 'ignore',
  Reject: 'reject'
} as const
// eslint-disable-next-line @typescript-eslint/no-redeclare -- one name for the value and its type, as gossipsub's enum
export type TopicValidatorResult = typeof TopicValidatorResult[keyof typeof TopicValidatorResult]

/**
 * A delivered message. `from` is the origin (not the neighbour that relayed it), `signature`
 * its ML-DSA-65 signature (SPEC.md §7.10), `key` its libp2p public key.
 */
export interface SignedMessage {
  type: 'signed'
  from: PeerId
  topic: string
  data: Uint8Array
  sequenceNumber: bigint
  signature: Uint8Array
  key: PublicKey
}

/** plumtree signs every message; the type exists so gossipsub's `Message` union narrows the same way */
export interface UnsignedMessage {
  type: 'unsigned'
  topic: string
  data: Uint8Array
}

export type Message = SignedMessage | UnsignedMessage

/** `peer` is the neighbour the message came from (gossipsub's propagation source) */
export type TopicValidatorFn = (peer: PeerId, message: Message) => TopicValidatorResult | `${TopicValidatorResult}` | Promise<TopicValidatorResult | `${TopicValidatorResult}`>

export interface PublishResult {
  recipients: PeerId[]
}

/** forwardSigned(): `duplicate` when plumtree already had the message (another bridge injected it first) */
export interface ForwardResult extends PublishResult {
  duplicate: boolean
}

export interface Subscription {
  topic: string
  subscribe: boolean
}

export interface SubscriptionChangeData {
  peerId: PeerId
  subscriptions: Subscription[]
}

export interface PlumtreeServiceEvents {
  /** A new valid message on a subscribed topic: exactly once per message */
  message: CustomEvent<Message>
  /**
   * With `asyncValidation: true`: a new message on a subscribed topic, before it is relayed;
   * answer with `reportMessageValidationResult(msgId, propagationSource, acceptance)`
   */
  'gossipsub:message': CustomEvent<{ propagationSource: PeerId, msgId: string, msg: Message }>
  /** A remote peer announced (un)subscriptions */
  'subscription-change': CustomEvent<SubscriptionChangeData>
  /** A peer's score fell below the graylist threshold: its frames are dropped, its topic links closed */
  'plumtree:graylisted': CustomEvent<{ peerId: PeerId, score: number }>
}

export interface PublishOpts {
  allowPublishToZeroTopicPeers?: boolean
  ignoreDuplicatePublishError?: boolean
}

export interface PlumtreeInit extends IgnoredGossipsubOptions {
  /**
   * Deliver our own publications to our `message` listeners when subscribed (gossipsub's emitSelf)
   *
   * @default false
   */
  emitSelf?: boolean
  /**
   * Let publish() succeed with no recipient: a subscriber keeps the message for anti-entropy,
   * a non-subscriber queues it while a walk looks for a subscriber
   *
   * @default false
   */
  allowPublishToZeroTopicPeers?: boolean
  /** @default false */
  ignoreDuplicatePublishError?: boolean
  /**
   * gossipsub's asyncValidation: a message (once its topic validator, if any, accepts it) is
   * handed to the application at once (`gossipsub:message`, then `message`) and relayed only
   * when the application calls `reportMessageValidationResult` with Accept
   *
   * @default false
   */
  asyncValidation?: boolean
  /**
   * Largest payload published or accepted, bytes; larger ones are refused on publish
   * (MessageTooLargeError) and dropped and counted on receive
   *
   * @default 1048576
   */
  maxMessageSize?: number
  /**
   * Key of the membership() service in libp2p's `services`
   *
   * @default 'membership'
   */
  membershipService?: string
  /**
   * Key of the pqIdentity() service in libp2p's `services`
   *
   * @default 'pqIdentity'
   */
  identityService?: string
  /**
   * Treat every connected peer that runs plumtree as an overlay neighbour (announce our topics
   * to it, take it as a topic-link candidate), not only membership's active view: topic links
   * then form over the connections the node already has, as gossipsub's mesh does, instead of
   * waiting for membership's walks to dial new ones (SPEC.md §7.1)
   *
   * @default true
   */
  connectedPeersAsNeighbors?: boolean
  /**
   * Close a connection this service dialled (a join to a peer found by a walk, a walk's answer)
   * once no service holds the peer and no other protocol's stream is open on it, after 120 s
   * (SPEC.md §2.8); membership does the same with its own
   *
   * @default true
   */
  closeIdleConnections?: boolean
  /**
   * Run this service's streams inside the PQ channel of `pqNoiseService()` on connections
   * that are not PQ Noise already (QUIC, whose TLS key exchange is classical; classic Noise):
   * `'prefer'` offers the secured protocol first and falls back to the plain one for peers
   * without it, `'require'` offers and accepts only the secured one there. One handshake per
   * stream (≈ 4 ms of CPU for both ends, 2.9 KB; SPEC.md §2.9, §10.6)
   *
   * @default 'off'
   */
  secureStreams?: SecureStreamsMode
  /**
   * Key of the pqNoiseService() in libp2p's `services`, for `secureStreams`
   *
   * @default 'pqNoise'
   */
  pqNoiseService?: string
  /** Core parameters (SPEC.md §7.6) */
  config?: Partial<Omit<PubsubConfig, 'maxMessageSize'>>
  /** Peer scoring weights and thresholds (SPEC.md §7.11) */
  score?: Partial<ScoreConfig>
  /** Seed of the core's RNG (default: peer id and start time) */
  seed?: string
  /**
   * Bytes queued for one peer before further frames to it are dropped (and counted)
   *
   * @default 16777216
   */
  maxQueuedBytesPerPeer?: number
  /** @default 10000 */
  dialTimeout?: number
  /** @default 10000 */
  writeTimeout?: number
  /**
   * Origins whose binding could not be resolved are not retried for this long, ms (forged origins cost one lookup per period)
   *
   * @default 5000
   */
  unknownOriginBackoff?: number
  /**
   * Messages a bridge brought in from gossipsub (SPEC.md §7.14) are signed by their authors'
   * classical libp2p keys, not ML-DSA-65: accept them on every topic (`true`), on the topics
   * listed, or not at all. Refused ones are dropped and counted (`forwarded-refused`), never
   * relayed, and the relay is not scored for them. Every plumtree node of a bridged topic
   * should accept them, or the tree stops at the ones that do not.
   *
   * @default false
   */
  acceptForwarded?: boolean | string[]
}

export interface PlumtreeComponents {
  peerId: PeerId
  registrar: Registrar
  connectionManager: ConnectionManager
  peerStore: PeerStore
  /** our listen addresses, sent when a frame names us (FIND) */
  addressManager: AddressManager
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
  metrics?: Metrics
}

/** The service: gossipsub 17's public `GossipSub` surface plus plumtree extras */
export interface PlumtreeService extends TypedEventTarget<PlumtreeServiceEvents> {
  readonly protocols: string[]
  readonly globalSignaturePolicy: 'StrictSign'
  /** Validators by topic; they run after the signature check and before delivery and relay */
  readonly topicValidators: Map<string, TopicValidatorFn>
  /** Peers we exchange plumtree frames with */
  getPeers(): PeerId[]
  /** Our subscriptions */
  getTopics(): string[]
  /** Remote peers known to subscribe to `topic` (never ourselves) */
  getSubscribers(topic: string): PeerId[]
  subscribe(topic: string): void
  unsubscribe(topic: string): void
  publish(topic: string, data?: Uint8Array, opts?: PublishOpts): Promise<PublishResult>
  /**
   * Publishes a message another libp2p pubsub delivered (gossipsub), under its author's
   * libp2p signature, so every plumtree receiver checks the author (SPEC.md §7.14): what
   * bridge() does. Its id depends only on the author's message, so two bridges injecting the
   * same one give one delivery. Throws InvalidSignatureError for an unsigned message or a bad
   * signature, PlumtreeConfigError when `acceptForwarded` does not cover the topic,
   * MessageTooLargeError, InvalidTopicError, NotStartedError.
   */
  forwardSigned(message: Message): Promise<ForwardResult>
  /** True for a message this service delivered that a bridge brought in from gossipsub (forwardSigned() on some node) */
  isForwarded(message: Message): boolean
  /** Whether `acceptForwarded` covers the topic */
  acceptsForwarded(topic: string): boolean
  /** The topic neighbours the tree runs on (PeerId strings, like gossipsub's getMeshPeers) */
  getMeshPeers(topic: string): string[]
  getScore(peerId: string): number
  /** The verdict on a message received through `gossipsub:message` (`asyncValidation: true`); false when it is unknown or expired */
  reportMessageValidationResult(msgId: string, propagationSource: PeerId | string, acceptance: TopicValidatorResult | `${TopicValidatorResult}`): boolean
  isStarted(): boolean
  /** Core counters plus the adapter's frame, byte and drop counters */
  readonly stats: PlumtreeStats
  /** Streams run inside the PQ channel or plain, refused and failed handshakes (`secureStreams`) */
  readonly secureStreamsStats: Readonly<SecureStreamsCounters>
  /** Outbound writes and frames, and dials abandoned because the peer connected to us first (SPEC.md §2.10) */
  readonly outboundStats: Readonly<OutboundCounters>
}
