import { emit, send, SeenIds } from '@saorsa-gossip/core'
import type { BroadcastCore, BroadcastEvent, BroadcastInput, BroadcastProtocol } from './types.ts'
import type { Effect, Rng } from '@saorsa-gossip/core'

/**
 * Eager flooding: the upper bound on reliability and latency over a given
 * overlay, and the lower bound on efficiency. Every node forwards the full
 * payload to every neighbour on first sight, so each message crosses every
 * overlay link (in one direction or both): relative message redundancy is
 * about (mean degree − 1), whatever the topology.
 */

/** The only wire message: a full copy of the published message */
export interface FloodMessage {
  kind: 'flood'
  topic: string
  id: Uint8Array
  /** hops from the origin to the receiver (the origin sends 1) */
  hops: number
  publishedAt: number
  payload: Uint8Array
}

export interface FloodConfig {
  /** Most message ids remembered for duplicate suppression */
  seenMaxEntries: number
  /** How long a message id is remembered, ms (as gossipsub's seenTTL, 120 s) */
  seenTtl: number
}

export const DEFAULT_FLOOD_CONFIG: FloodConfig = {
  seenMaxEntries: 100_000,
  seenTtl: 120_000
}

/** Bytes besides the payload: id (32) + topic hash (32) + publishedAt (8) + kind/hops/lengths (8) */
const FLOOD_OVERHEAD = 32 + 32 + 8 + 8

type Out<P> = Array<Effect<P, FloodMessage, never, BroadcastEvent>>

/**
 * Flooding as a pure state machine. No timers: duplicate suppression is
 * the only state besides the neighbour and topic sets, and `SeenIds`
 * expires entries on the caller's clock.
 */
export class FloodCore<P> implements BroadcastCore<P, FloodMessage, never> {
  readonly self: P
  readonly config: FloodConfig
  /** insertion-ordered, so fan-out order is deterministic for a given input sequence */
  private readonly neighbours = new Set<P>()
  private readonly topics = new Set<string>()
  private readonly seen: SeenIds

  constructor (self: P, config: Partial<FloodConfig> = {}) {
    this.self = self
    this.config = { ...DEFAULT_FLOOD_CONFIG, ...config }
    this.seen = new SeenIds({ maxEntries: this.config.seenMaxEntries, ttl: this.config.seenTtl })
  }

  neighbourList (): P[] {
    return [...this.neighbours]
  }

  isSubscribed (topic: string): boolean {
    return this.topics.has(topic)
  }

  start (_now: number): Out<P> {
    return []
  }

  handle (input: BroadcastInput<P, FloodMessage, never>, now: number): Out<P> {
    switch (input.type) {
      case 'neighbor-up':
        this.neighbours.add(input.peer)
        return []
      case 'neighbor-down':
        this.neighbours.delete(input.peer)
        return []
      case 'subscribe':
        this.topics.add(input.topic)
        return []
      case 'unsubscribe':
        this.topics.delete(input.topic)
        return []
      case 'publish':
        return this.publish(input.topic, input.id, input.payload, input.publishedAt, now)
      case 'message':
        return this.receive(input.from, input.message, now)
      default:
        // flooding schedules no timers
        return []
    }
  }

  /**
   * The origin always delivers its own message (hop 0) and floods it, even
   * when not subscribed: publishing is what the application asked for.
   */
  private publish (topic: string, id: Uint8Array, payload: Uint8Array, publishedAt: number, now: number): Out<P> {
    if (!this.seen.add(id, now)) {
      return []
    }
    const out: Out<P> = [emit<BroadcastEvent>({ type: 'message', topic, id, hops: 0, publishedAt, payload })]
    const message: FloodMessage = { kind: 'flood', topic, id, hops: 1, publishedAt, payload }
    for (const peer of this.neighbours) {
      out.push(send(peer, message))
    }
    return out
  }

  private receive (from: P, message: FloodMessage, now: number): Out<P> {
    // nodes outside the topic neither deliver nor relay: the id is not recorded, so a later subscription still gets it
    if (!this.topics.has(message.topic)) {
      return []
    }
    if (!this.seen.add(message.id, now)) {
      return []
    }
    const { topic, id, hops, publishedAt, payload } = message
    const out: Out<P> = [emit<BroadcastEvent>({ type: 'message', topic, id, hops, publishedAt, payload })]
    const forward: FloodMessage = { ...message, hops: hops + 1 }
    for (const peer of this.neighbours) {
      if (peer !== from) {
        out.push(send(peer, forward))
      }
    }
    return out
  }
}

/** Descriptor for the simulator: one `FloodCore` per node; the rng is not needed */
export function floodProtocol<P> (config: Partial<FloodConfig> = {}): BroadcastProtocol<P, FloodMessage, never> {
  return {
    name: 'flood',
    create: (self: P, _rng: Rng) => new FloodCore<P>(self, config),
    messageType: (message) => message.kind,
    messageBytes: (message) => message.payload.length + FLOOD_OVERHEAD,
    isPayload: () => true,
    isAntiEntropy: () => false
  }
}
