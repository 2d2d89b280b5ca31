import type { HyParViewConfig } from './hyparview-config.ts'
import type { HyParViewMessage } from './messages.ts'

/** Largest peer list accepted in a SHUFFLE / SHUFFLE_REPLY: more is dropped as invalid */
export const MAX_SHUFFLE_PEERS = 64

/** The default check for peer keys arriving in messages: strings and finite numbers */
export function isPeerKey (value: unknown): boolean {
  return (typeof value === 'string' && value.length > 0 && value.length <= 256) || (typeof value === 'number' && Number.isFinite(value))
}

/**
 * Field types and sizes of a remote HyParView message (SPEC.md §5.1–5.3): TTLs within the
 * configured walk lengths, peer lists within MAX_SHUFFLE_PEERS, every peer passing `validPeer`.
 * The core drops anything else as `invalid` before it touches its views.
 */
export function validHyParViewMessage<P> (message: HyParViewMessage<P>, config: Pick<HyParViewConfig, 'activeRandomWalkLength' | 'shuffleTtl'>, validPeer: (value: unknown) => boolean): boolean {
  const peers = (list: unknown): boolean => Array.isArray(list) && list.length <= MAX_SHUFFLE_PEERS && list.every(p => validPeer(p))
  // a shuffle route: absent, or at most `shuffleTtl` valid peers (a walk has fewer forwarders than hops)
  const route = (list: unknown): boolean => list === undefined || (Array.isArray(list) && list.length <= config.shuffleTtl && list.every(p => validPeer(p)))
  switch (message?.type) {
    case 'join': return true
    case 'forward-join': return validPeer(message.joiner) && Number.isInteger(message.ttl) && message.ttl >= 0 && message.ttl <= config.activeRandomWalkLength
    case 'neighbor': return message.priority === 'high' || message.priority === 'low'
    case 'neighbor-reply': return typeof message.accepted === 'boolean'
    case 'disconnect': return typeof message.alive === 'boolean'
    case 'shuffle': return validPeer(message.origin) && Number.isInteger(message.ttl) && message.ttl >= 0 && message.ttl <= config.shuffleTtl && peers(message.peers) && route(message.route)
    case 'shuffle-reply': return peers(message.peers) && route(message.route)
    default: return false
  }
}
