import type { MembershipMessage } from '@saorsa-gossip/membership'

/**
 * Estimated encoded sizes, for bytes-by-type metrics. A peer is counted as a
 * 38-byte Ed25519 PeerId multihash (plus 2 bytes of protobuf framing) and each
 * message has a 4-byte frame header; SWIM updates carry member, incarnation,
 * status and the suspecter. Used unless a scenario sets `codec: true`: then every frame
 * goes through the real codec (packages/membership/src/codec.ts, SPEC.md §5.3) and is
 * counted by its encoded length.
 */
const PEER = 40
const HEADER = 4
const UPDATE = PEER * 2 + 6

export function membershipMessageType (message: MembershipMessage<number>): string {
  return `${message.proto}:${message.type}`
}

export function membershipMessageBytes (message: MembershipMessage<number>): number {
  switch (message.type) {
    case 'forward-join': return HEADER + PEER + 2
    case 'shuffle': return HEADER + PEER + 2 + PEER * (message.peers.length + (message.route?.length ?? 0))
    case 'shuffle-reply': return HEADER + PEER * (message.peers.length + (message.route?.length ?? 0))
    case 'ack': return HEADER + 5 + UPDATE * message.updates.length + PEER * (message.neighbors?.length ?? 0)
    case 'ping':
    case 'gossip': return HEADER + 5 + UPDATE * message.updates.length
    case 'ping-req': return HEADER + 5 + PEER + UPDATE * message.updates.length
    default: return HEADER + 2
  }
}
