/**
 * Messages of the membership cores, generic over the peer key `P`. The wire
 * encoding (protobuf) belongs to the service layer; SPEC.md §5 and §6 define it.
 */

/** HyParView (Leitão, Pereira, Rodrigues 2007) */
export type HyParViewMessage<P> =
  | { proto: 'hpv', type: 'join' }
  | { proto: 'hpv', type: 'forward-join', joiner: P, ttl: number }
  | { proto: 'hpv', type: 'neighbor', priority: 'high' | 'low' }
  | { proto: 'hpv', type: 'neighbor-reply', accepted: boolean }
  | { proto: 'hpv', type: 'disconnect', alive: boolean }
  /** `route`: the nodes that forwarded the walk so far, in order (absent: none) */
  | { proto: 'hpv', type: 'shuffle', origin: P, ttl: number, peers: P[], route?: P[] }
  /** `route`: the hops still to go back to the walk's origin, the next one last (absent or empty: we are the origin) */
  | { proto: 'hpv', type: 'shuffle-reply', peers: P[], route?: P[] }

export type MemberStatus = 'alive' | 'suspect' | 'dead'

/** A SWIM membership update, disseminated by piggyback and eager push */
export interface MemberUpdate<P> {
  member: P
  incarnation: number
  status: MemberStatus
  /** Who raised a suspicion (counts independent confirmations, Lifeguard §IV-B) */
  from: P
}

/** SWIM (Das, Gupta, Motivala 2002) with Lifeguard (Dadgar, Phillips, Currey 2018) */
export type SwimMessage<P> =
  /** `wantView`: the prober holds no neighbour list of ours (first probe, or a relayed ping before): the ack must carry it */
  | { proto: 'swim', type: 'ping', seq: number, updates: Array<MemberUpdate<P>>, wantView?: boolean }
  /** `neighbors` undefined: the sender's active view is unchanged since the list it last sent this prober */
  | { proto: 'swim', type: 'ack', seq: number, incarnation: number, updates: Array<MemberUpdate<P>>, neighbors?: P[] }
  | { proto: 'swim', type: 'ping-req', seq: number, target: P, updates: Array<MemberUpdate<P>> }
  | { proto: 'swim', type: 'nack', seq: number }
  | { proto: 'swim', type: 'gossip', updates: Array<MemberUpdate<P>> }

export type MembershipMessage<P> = HyParViewMessage<P> | SwimMessage<P>
