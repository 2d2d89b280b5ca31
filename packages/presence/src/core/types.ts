import type { Effect, TimerExpiredEvent } from '@saorsa-gossip/core'

/**
 * A beacon as the core sees it: decoded, with the signature already checked at the
 * edge (ML-DSA-65 verification is the adapter's job; the core decides what a valid
 * or invalid signature means). `P` is the peer key (a PeerId string in the service).
 */
export interface BeaconRecord<P> {
  peer: P
  seq: number
  issuedAtMs: number
  expiresAtMs: number
  addrs: Uint8Array[]
  /** the encoded signed beacon, forwarded unchanged in FOAF replies */
  wire: Uint8Array
  /** opened from a group seal: never given out in clear, only its sealed form travels (SPEC.md §8.3) */
  fromGroup?: boolean
}

export interface QueryRecord<P> {
  /** hex of the 16-byte id */
  id: string
  origin: P
  /** public mode: the peer looked for; absent in group mode, where only `tags` say it */
  target?: P
  /** group mode: the target's tags (hex), which only members of its groups can compute */
  tags: string[]
  /**
   * the origin's topic scopes (hex of 16-byte topic hashes, SPEC.md §8.4): forwarders that share
   * one forward to their neighbours in that topic, where the peers the origin cares about are
   */
  scopes: string[]
  hopLimit: number
  issuedAtMs: number
  /** hops left on arrival (unsigned) */
  ttl: number
  /** the encoded signed query body, signature and binding, forwarded unchanged */
  wire: Uint8Array
}

export type PresenceInput<P> =
  /** `admitted`: the adapter already charged the sender's bucket with `PresenceCore.admit` (before verifying) */
  | { type: 'beacon', from: P, beacon: BeaconRecord<P>, signatureValid: boolean, admitted?: boolean }
  | { type: 'query', from: P, query: QueryRecord<P>, signatureValid: boolean, admitted?: boolean }
  /** a group beacon: opaque to a non-member, kept by tag to answer queries; a member also feeds the opened `beacon` */
  | { type: 'sealed', from: P, tag: string, wire: Uint8Array, admitted?: boolean }
  | { type: 'reply', from: P, id: string, beacons: Array<{ beacon: BeaconRecord<P>, signatureValid: boolean }> }
  /**
   * the application asks for `target`; `id` is drawn by the adapter from its CSPRNG. `ask`:
   * neighbours may first be asked by name (Ask, SPEC.md §8.4) — false for a group-mode lookup,
   * whose query names nobody
   */
  | { type: 'find', id: string, target: P, query: QueryRecord<P>, ask?: boolean }
  /** a neighbour asks whether we hold a record of `target` (unsigned: `from` is known by its connection) */
  | { type: 'ask', from: P, id: string, target: P, admitted?: boolean }
  /** a neighbour's answer to our ask: it holds no record (one that does answers with a reply) */
  | { type: 'hint', from: P, id: string }
  /** our own fresh beacon, signed (and sealed per group) by the adapter: `frames` go to `to` (the active view) and to each later neighbour */
  | { type: 'announce', frames: Uint8Array[], to: P[] }
  | { type: 'neighbors', peers: P[] }
  /** our neighbours in one topic (the pubsub topic view), `scope` the topic's hash (hex); an empty list forgets the scope */
  | { type: 'scope-neighbors', scope: string, peers: P[] }
  | { type: 'frame-dropped', from: P, reason: DropReason }
  | TimerExpiredEvent<PresenceTimer>

export type PresenceTimer =
  | { type: 'query-deadline', id: string }
  | { type: 'ask-deadline', id: string }
  | { type: 'beacon-due' }
  | { type: 'prune' }

/** What goes on the wire, as data: the adapter encodes it */
export type PresenceMessage<P> =
  | { type: 'beacon', wire: Uint8Array }
  | { type: 'query', wire: Uint8Array, ttl: number }
  | { type: 'reply', id: string, beacons: Uint8Array[], sealed: Uint8Array[], origin: P }
  | { type: 'ask', id: string, target: P }
  | { type: 'hint', id: string }

export type PresenceEvent<P> =
  | { type: 'peer-found', peer: P, addrs: Uint8Array[], via: 'beacon' | 'foaf' }
  | { type: 'query-answered', id: string, target: P, addrs: Uint8Array[] }
  | { type: 'query-failed', id: string, target: P }
  /** time to sign a new beacon with this seq (the adapter signs; the core never holds keys) */
  | { type: 'beacon-due', seq: number }

export type PresenceEffect<P> = Effect<P, PresenceMessage<P>, PresenceTimer, PresenceEvent<P>>

export type DropReason =
  | 'bad-signature'
  | 'from-future'
  | 'expired'
  | 'ttl-too-long'
  | 'replayed'
  | 'too-many-addrs'
  | 'duplicate-query'
  | 'rate-limited'
  | 'bad-ttl'
  | 'stale-query'
  | 'unsolicited-reply'
  | 'over-budget'
  | 'malformed'
  | 'oversize'
  | 'self'
  | 'too-many-tags'
  | 'too-many-scopes'
  | 'unopenable'

export type DropCounts = Record<DropReason, number>
