import type { GossipMessage, PubsubMessage } from './messages.ts'
import type { Effect, TimerExpiredEvent } from '@saorsa-gossip/core'

export type PubsubTimer =
  | { kind: 'ihave-flush', due?: number }
  | { kind: 'graft', topic: string, key: string }
  | { kind: 'maintain', due?: number }
  | { kind: 'anti-entropy', due?: number }

export type ValidationResult = 'accept' | 'ignore' | 'reject'

/** What the driver feeds the core */
export type PubsubInput<P> =
  | { type: 'message', from: P, message: PubsubMessage<P> }
  | TimerExpiredEvent<PubsubTimer>
  /**
   * membership overlay neighbour (HyParView active view). `monitored` (default true): a failure
   * detector (membership's SWIM) watches it, so its topic links need no idle keepalive of their
   * own (SPEC.md §7.13); false for a neighbour known only from a connection
   */
  | { type: 'neighbor-up', peer: P, monitored?: boolean }
  /**
   * membership dropped a neighbour that a connection still holds: no failure detector watches
   * it any more. Changes a neighbour we hold only: one a dead verdict removed stays removed
   */
  | { type: 'neighbor-unwatched', peer: P }
  | { type: 'neighbor-down', peer: P }
  /**
   * the peer is gone: SWIM's dead verdict (membership's `peer-dead` event). Every topic link
   * to it is dropped and it is no candidate any more (SPEC.md §7.1)
   */
  | { type: 'peer-down', peer: P }
  /**
   * another service heard from the peer (membership's `peer-heard`: a SWIM ping or ack): every
   * topic link with it counts as heard, so a link SWIM keeps busy needs no pings of its own
   * (SPEC.md §7.13, liveness from any frame)
   */
  | { type: 'peer-heard', peer: P }
  /**
   * the last connection to the peer closed (membership's core has the same name): its topic
   * links go, since they cannot carry anything, but it stays a candidate — idle connections
   * are closed on purpose (SPEC.md §2.8), which says nothing about the peer
   */
  | { type: 'connection-lost', peer: P }
  | { type: 'publish', topic: string, id: Uint8Array, payload: Uint8Array, publishedAt: number, header?: Uint8Array }
  | { type: 'subscribe', topic: string }
  | { type: 'unsubscribe', topic: string }
  /**
   * the driver could not open a stream to the peer or write to it (no known address, dial
   * refused or timed out): frames queued for it are lost. A join waiting for its answer is
   * given up at once and the peer stops being a join candidate (SPEC.md §7.4)
   */
  | { type: 'unreachable', peer: P }
  /** a frame from the peer did not decode or broke the frame limit, or it carried a binding record that does not verify (the core scores it as a protocol violation) */
  | { type: 'bad-frame', peer: P }
  /** the driver's answer to a `validate` event */
  | { type: 'validation-result', topic: string, id: Uint8Array, result: ValidationResult }

export type PenaltyReason = 'invalid-message' | 'rejected' | 'oversize' | 'protocol-violation'

export type PubsubEvent<P> =
  /** delivery to the application: exactly once per message id */
  | { type: 'message', topic: string, id: Uint8Array, hops: number, publishedAt: number, payload: Uint8Array, header?: Uint8Array, from: P | undefined }
  /** a new message of a topic `deferValidation` names waits for the driver's verdict: answer with a `validation-result` input */
  | { type: 'validate', topic: string, id: Uint8Array, from: P, message: GossipMessage }
  /** the peer sent something a correct implementation never sends: already recorded in its score (scoring.ts); the event is for observers */
  | { type: 'penalty', peer: P, reason: PenaltyReason }
  /** the peer's score fell below the graylist threshold: its topic links are closed, its messages dropped */
  | { type: 'graylisted', peer: P, score: number }
  | { type: 'topic-neighbor-up', topic: string, peer: P }
  | { type: 'topic-neighbor-down', topic: string, peer: P }
  | { type: 'subscription-change', peer: P, topic: string, subscribed: boolean }
  | { type: 'publish-failed', topic: string, id: Uint8Array, reason: 'no-subscriber-found' | 'queue-full' | 'oversize' }
  /** an anti-entropy session we started finished decoding: differences as of its digest, and how many messages were pulled */
  | { type: 'anti-entropy', topic: string, peer: P, session: number, missingHere: number, missingThere: number, pulled: number, symbols: number }

export type PubsubEffect<P> = Effect<P, PubsubMessage<P>, PubsubTimer, PubsubEvent<P>>

/**
 * What a publication did, returned by `PubsubCore.publish` so the service never reads counters
 * or scans effects to find out: sent to `recipients` (empty when it was queued for a subscriber
 * still being looked for, or when we are the only subscriber), or refused as a duplicate id or
 * as over `maxMessageSize`
 */
export type PublishOutcome<P> =
  | { status: 'published', recipients: P[] }
  | { status: 'duplicate' }
  | { status: 'oversize' }

/** Counters for metrics and tests; bad remote input is counted here, never thrown */
export interface PubsubStats {
  published: number
  delivered: number
  duplicates: number
  /** payload copies sent (gossip messages), including repair */
  payloadsSent: number
  grafts: number
  prunes: number
  /** eager duplicates that did not prune their link: it had delivered first copies lately (tree.ts MAX_EAGER_CREDIT) */
  prunesSpared: number
  /** tree duplicates on a link we hold lazy: sent before our PRUNE reached the peer, or by a peer that never took it (tree.ts repeatPrune) */
  duplicatesOnLazy: number
  /** duplicates marked repair (anti-entropy pushes, a non-subscriber's hand-over) */
  duplicatesRepair: number
  /** flood copies sent to lazy links while trees are deep (tree.ts flood) */
  floodSent: number
  /** duplicates marked flood, and duplicates of another wave than their message's first copy (tree.ts) */
  duplicatesFlood: number
  /** PRUNEs sent again for duplicates on a link we hold lazy (tree.ts repeatPrune) */
  prunesRepeated: number
  ihaveSent: number
  ihaveReceived: number
  /** Plumtree tree optimisations (lazy path replaced eager one) */
  optimizations: number
  aeSessions: number
  /** anti-entropy rounds not started because our window held no message (anti-entropy.ts) */
  aeSkippedEmpty: number
  aeRepaired: number
  aeAbandoned: number
  walksStarted: number
  walksFailed: number
  topicLinksUp: number
  topicLinksDown: number
  /** topic links dropped because they stayed silent past the (load-adjusted) link timeout */
  linkTimeouts: number
  /** of those, links silent through a busy topic whose early ping went unanswered (SPEC.md §7.13) */
  linkTimeoutsBusy: number
  /** of those, links whose peer had left our membership view (SPEC.md §7.13) */
  linkTimeoutsDoubted: number
  /** topic joins sent to replace a likely-dead neighbour before its link was dropped (SPEC.md §7.13) */
  joinsForSuspects: number
  /** eager copies replaced by an IHAVE because their peer was likely dead (SPEC.md §7.13) */
  pushesWithheld: number
  /** queued IHAVE entries not sent because their peer announced or sent us the message first (SPEC.md §7.3) */
  ihavesWithdrawn: number
  dropped: {
    oversize: number
    invalid: number
    unexpected: number
    notSubscribed: number
    rejected: number
    /** outside the accepted time window (replays, clocks far off) */
    expired: number
    /** from a graylisted peer, or a payload from a peer below the accept threshold */
    lowScore: number
  }
  /** peers graylisted (their topic links closed) */
  graylisted: number
}

export function emptyStats (): PubsubStats {
  return {
    published: 0,
    delivered: 0,
    duplicates: 0,
    payloadsSent: 0,
    grafts: 0,
    prunes: 0,
    prunesSpared: 0,
    duplicatesOnLazy: 0,
    duplicatesRepair: 0,
    floodSent: 0,
    duplicatesFlood: 0,
    prunesRepeated: 0,
    ihaveSent: 0,
    ihaveReceived: 0,
    optimizations: 0,
    aeSessions: 0,
    aeSkippedEmpty: 0,
    aeRepaired: 0,
    aeAbandoned: 0,
    walksStarted: 0,
    walksFailed: 0,
    topicLinksUp: 0,
    topicLinksDown: 0,
    linkTimeouts: 0,
    linkTimeoutsBusy: 0,
    linkTimeoutsDoubted: 0,
    joinsForSuspects: 0,
    pushesWithheld: 0,
    ihavesWithdrawn: 0,
    dropped: { oversize: 0, invalid: 0, unexpected: 0, notSubscribed: 0, rejected: 0, expired: 0, lowScore: 0 },
    graylisted: 0
  }
}
