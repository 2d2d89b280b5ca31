import type { MembershipMessage } from './messages.ts'
import type { Effect } from '@saorsa-gossip/core'

/** Timers of the membership cores; the key of each is given where it is scheduled */
export type MembershipTimer<P> =
  | { kind: 'hpv-shuffle' }
  | { kind: 'hpv-repair', due?: number }
  | { kind: 'hpv-join-retry' }
  | { kind: 'hpv-neighbor-timeout', peer: P }
  | { kind: 'hpv-reconnect' }
  | { kind: 'swim-probe', due?: number }
  | { kind: 'swim-ack-timeout', seq: number }
  | { kind: 'swim-probe-end', seq: number, due: number }
  | { kind: 'swim-relay-timeout', seq: number }
  | { kind: 'swim-suspicion', member: P }
  | { kind: 'swim-flush' }
  | { kind: 'swim-recheck', member: P, heard: number }

/**
 * Why a peer left the active view: it said DISCONNECT, we evicted it, SWIM's `dead` verdict,
 * the transport's `connection-lost` (SPEC.md §5.2), one-way (`asymmetric`) links, our own
 * SWIM probe of it failed while we were healthy (`unresponsive`, SPEC.md §6.10), or it
 * refused the protocol (`unsupported`, SPEC.md §5.5)
 */
export type NeighborDownReason = 'disconnected' | 'evicted' | 'dead' | 'connection-lost' | 'asymmetric' | 'unresponsive' | 'unsupported'

/** Events the membership core reports to its driver (the service re-emits them to the application) */
export type MembershipEvent<P> =
  | { type: 'neighbor-up', peer: P }
  | { type: 'neighbor-down', peer: P, reason: NeighborDownReason }
  | { type: 'peer-suspect', peer: P, incarnation: number }
  | { type: 'peer-alive', peer: P, incarnation: number }
  /** SWIM's verdict (SPEC.md §7.1: not a transport fact); `by` is the monitor whose suspicion timed out (the verdict's author) */
  | { type: 'peer-dead', peer: P, incarnation: number, by: P }

/** News between SWIM and HyParView inside the composed core; never reaches the driver */
export type InternalEvent<P> =
  /** SWIM saw from an ack that `peer` does not have us in its active view although we have it in ours */
  | { type: 'link-asymmetric', peer: P }
  /** SWIM learnt `peer`'s active view from its ack (live peers: repair candidates for HyParView) */
  /** a neighbour's active view from its ack: `neighbors` without us, `size` its whole view */
  | { type: 'neighbors-of', peer: P, neighbors: P[], size: number }
  /** our own direct and indirect probe of `peer` went unanswered while our local health was perfect */
  | { type: 'probe-failed', peer: P }

/** What the composed core returns to its driver */
export type MembershipEffect<P> = Effect<P, MembershipMessage<P>, MembershipTimer<P>, MembershipEvent<P>>
/** What SWIM and HyParView return to the composition: the driver's effects plus internal news */
export type CoreEffect<P> = Effect<P, MembershipMessage<P>, MembershipTimer<P>, MembershipEvent<P> | InternalEvent<P>>

/** Counters every core keeps for metrics; bad input is counted here, never thrown */
export interface DropCounters {
  /** Messages that made no sense in the current state (e.g. a reply nobody asked for) */
  unexpected: number
  /** Messages with invalid fields (negative TTL, oversize peer lists, self as peer) */
  invalid: number
}

/** HyParView's drops: SWIM's, and replies it could not carry back */
export interface HyParViewDrops extends DropCounters {
  /** SHUFFLE_REPLYs whose next hop back to the walk's origin is no longer an active neighbour (never dialled, SPEC.md §5.1) */
  unroutable: number
}
