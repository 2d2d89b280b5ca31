import type { Effect, TimerExpiredEvent } from '@saorsa-gossip/core'

/**
 * What every broadcast protocol under comparison (Plumtree, eager flooding,
 * the gossipsub-style mesh) takes as input in the simulator. The membership
 * core runs beside it on the same node and feeds it `neighbor-up` /
 * `neighbor-down`: all three protocols see the same overlay.
 */
export type BroadcastInput<P, M, T> =
  | { type: 'message', from: P, message: M }
  | TimerExpiredEvent<T>
  | { type: 'neighbor-up', peer: P }
  | { type: 'neighbor-down', peer: P }
  /** the peer is gone (SPEC.md §7.1); here always SWIM's `peer-dead`: the simulator has no connections to lose (protocols that only track neighbours may ignore it) */
  | { type: 'peer-down', peer: P }
  /** a membership frame from the peer arrived, as the services pass on (protocols without link liveness ignore it) */
  | { type: 'peer-heard', peer: P }
  /** the application publishes: `id` is unique per message, `publishedAt` the origin's clock */
  | { type: 'publish', topic: string, id: Uint8Array, payload: Uint8Array, publishedAt: number }
  | { type: 'subscribe', topic: string }
  | { type: 'unsubscribe', topic: string }

/** Delivery to the application: emitted exactly once per message per node */
export interface DeliverEvent {
  type: 'message'
  topic: string
  id: Uint8Array
  /** hops from the origin (the origin's own delivery is hop 0) */
  hops: number
  publishedAt: number
  payload: Uint8Array
}

export type BroadcastEvent = DeliverEvent | { type: string }

export interface BroadcastCore<P, M, T> {
  start(now: number): Array<Effect<P, M, T, BroadcastEvent>>
  handle(input: BroadcastInput<P, M, T>, now: number): Array<Effect<P, M, T, BroadcastEvent>>
}

/** Per-protocol description the simulator needs for metrics */
export interface BroadcastProtocol<P, M, T> {
  name: string
  create(self: P, rng: import('@saorsa-gossip/core').Rng): BroadcastCore<P, M, T>
  /** Label for bytes/messages by type */
  messageType(message: M): string
  /** Estimated encoded size, bytes */
  messageBytes(message: M): number
  /** True when the message carries a topic payload (counts for RMR) */
  isPayload(message: M): boolean
  /** True when the message is anti-entropy control traffic (digests, sketches, id lists) */
  isAntiEntropy?(message: M): boolean
}
