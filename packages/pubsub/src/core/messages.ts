/**
 * Wire messages of the pubsub core (SPEC.md §7). `P` is the peer key: a
 * PeerId in the libp2p service, a number in the simulator. Topics are the
 * application's topic names, as in gossipsub (the 32-byte TopicId of a name only
 * enters the message id, SPEC.md §7.10); message ids are 32 bytes; AE short ids
 * are the first 8 bytes of a message id.
 */

/** A published message as it travels: every field but `round`, `repair`, `flood` and `wave` is fixed by the origin */
export interface GossipMessage {
  type: 'gossip'
  topic: string
  id: Uint8Array
  /** hops from the origin: the origin sends 1 (Plumtree's "round") */
  round: number
  /** origin's clock at publish, ms; bounds the anti-entropy window and replay checks */
  publishedAt: number
  payload: Uint8Array
  /**
   * Opaque bytes the origin attached (in the service: signer, sequence number and the ML-DSA
   * signature). Relays forward them unchanged and never re-sign.
   */
  header?: Uint8Array
  /** sent by anti-entropy repair or by a non-subscriber publisher: a duplicate is not a tree fault */
  repair?: boolean
  /**
   * an early-round copy on a lazy link (SPEC.md §7.3): changes no link and a duplicate is not a
   * tree fault, as for `repair`, but the receiver relays it as a tree copy
   */
  flood?: boolean
  /**
   * a flooded message's wave (1 … 2³² − 1): drawn afresh by the origin and by every node within
   * `floodRounds` hops of it, relayed unchanged beyond (SPEC.md §7.3)
   */
  wave?: number
}

export interface IHaveEntry {
  id: Uint8Array
  round: number
}

/** Lazy push: ids a lazy neighbour can send on request (at most `maxIHaveIds` per message) */
export interface IHaveMessage {
  type: 'ihave'
  topic: string
  entries: IHaveEntry[]
}

/** Makes the link eager again; with `id`, also asks for that message (Plumtree GRAFT) */
export interface GraftMessage {
  type: 'graft'
  topic: string
  id?: Uint8Array
  round: number
}

/** The link becomes lazy: the sender already had what we pushed */
export interface PruneMessage {
  type: 'prune'
  topic: string
}

/** Subscription changes, sent to membership neighbours (and their full set on neighbour-up) */
export interface SubscriptionsMessage {
  type: 'subscriptions'
  subscribe: string[]
  unsubscribe: string[]
}

/** Random walk over the membership overlay looking for a subscriber of `topic` for `origin` */
export interface FindMessage<P> {
  type: 'find'
  topic: string
  origin: P
  ttl: number
  /** walk number chosen by the origin, echoed in FOUND so stale answers are ignored */
  walk: number
  /**
   * the origin's topic neighbours (at most 16): they do not answer, and relays steer away from
   * them, so a walk from a few subscribers linked to each other finds someone new (SPEC.md §7.4)
   */
  exclude?: P[]
}

/** A subscriber answers a walk directly to its origin, with a few other subscribers it knows */
export interface FoundMessage<P> {
  type: 'found'
  topic: string
  walk: number
  others: P[]
}

/** Ask to become a topic neighbour (`urgent` when the requester has fewer than 2: accepted at capacity, by eviction) */
export interface TopicJoinMessage {
  type: 'topic-join'
  topic: string
  urgent: boolean
}

export interface TopicJoinReplyMessage<P> {
  type: 'topic-join-reply'
  topic: string
  accepted: boolean
  /** a sample of the replier's topic views, for the requester's passive view */
  others: P[]
}

/** The sender removed us from its topic view (unsubscribed, evicted us, or left) */
export interface TopicLeaveMessage {
  type: 'topic-leave'
  topic: string
}

/** Liveness of a topic link that carried nothing for a while */
export interface TopicPingMessage {
  type: 'topic-ping'
  topic: string
  nonce: number
}

export interface TopicPongMessage {
  type: 'topic-pong'
  topic: string
  nonce: number
}

/** Anti-entropy step 1: the set of ids published in [from, to) summarised in 44 bytes */
export interface AeDigestMessage {
  type: 'ae-digest'
  topic: string
  session: number
  from: number
  to: number
  count: number
  /** XOR of the 32-byte ids */
  digest: Uint8Array
}

export interface AeSymbol {
  count: number
  hi: number
  lo: number
  check: number
}

/** Anti-entropy step 2: rateless IBLT coded symbols `[offset, offset + symbols.length)` */
export interface AeSymbolsMessage {
  type: 'ae-symbols'
  topic: string
  session: number
  from: number
  to: number
  offset: number
  symbols: AeSymbol[]
}

/** Anti-entropy: not decodable yet, send `count` more symbols from `offset` */
export interface AeMoreMessage {
  type: 'ae-more'
  topic: string
  session: number
  offset: number
  count: number
}

/** Anti-entropy step 3: pull these messages (8-byte short ids) */
export interface AeWantMessage {
  type: 'ae-want'
  topic: string
  session: number
  shortIds: Uint8Array[]
}

export type PubsubMessage<P> =
  | GossipMessage
  | IHaveMessage
  | GraftMessage
  | PruneMessage
  | SubscriptionsMessage
  | FindMessage<P>
  | FoundMessage<P>
  | TopicJoinMessage
  | TopicJoinReplyMessage<P>
  | TopicLeaveMessage
  | TopicPingMessage
  | TopicPongMessage
  | AeDigestMessage
  | AeSymbolsMessage
  | AeMoreMessage
  | AeWantMessage

export type PubsubMessageType = PubsubMessage<unknown>['type']

export const ANTI_ENTROPY_TYPES: ReadonlySet<PubsubMessageType> = new Set(['ae-digest', 'ae-symbols', 'ae-more', 'ae-want'])
