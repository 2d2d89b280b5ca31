import { ANTI_ENTROPY_TYPES, PubsubCore, symbolBytes } from '@saorsa-gossip/pubsub'
import type { BroadcastCore, BroadcastProtocol } from './types.ts'
import type { PubsubConfig, PubsubMessage, PubsubTimer } from '@saorsa-gossip/pubsub'

/**
 * Estimated encoded sizes until the protobuf codec of the service exists
 * (issue 6): a topic is its 32-byte id, a message id 32 bytes, a peer a
 * 38-byte PeerId multihash, 2 bytes of framing per field and a 4-byte frame header.
 */
const HEADER = 4
const TOPIC = 34
const ID = 34
const PEER = 40

function peers (list: unknown[]): number {
  return PEER * list.length
}

type Sizes = { [K in PubsubMessage<number>['type']]: (m: Extract<PubsubMessage<number>, { type: K }>) => number }

const SIZES: Sizes = {
  gossip: (m) => HEADER + TOPIC + ID + 3 + 9 + m.payload.length + 4 + (m.header?.length ?? 0) + (m.repair === true ? 2 : 0),
  ihave: (m) => HEADER + TOPIC + m.entries.length * (ID + 4),
  graft: (m) => HEADER + TOPIC + 3 + (m.id != null ? ID : 0),
  prune: () => HEADER + TOPIC,
  'topic-leave': () => HEADER + TOPIC,
  subscriptions: (m) => HEADER + TOPIC * (m.subscribe.length + m.unsubscribe.length),
  find: () => HEADER + TOPIC + PEER + 6,
  found: (m) => HEADER + TOPIC + 3 + peers(m.others),
  'topic-join': () => HEADER + TOPIC + 2,
  'topic-join-reply': (m) => HEADER + TOPIC + 2 + peers(m.others),
  'topic-ping': () => HEADER + TOPIC + 9,
  'topic-pong': () => HEADER + TOPIC + 9,
  'ae-digest': () => HEADER + TOPIC + 5 + 18 + 4 + ID,
  'ae-symbols': (m) => HEADER + TOPIC + 5 + 18 + 4 + m.symbols.reduce((sum, s) => sum + symbolBytes(s) + 4, 0),
  'ae-more': () => HEADER + TOPIC + 5 + 8,
  'ae-want': (m) => HEADER + TOPIC + 5 + m.shortIds.length * 10
}

export function plumtreeMessageBytes (message: PubsubMessage<number>): number {
  const size = SIZES[message.type] as (m: PubsubMessage<number>) => number
  return size(message)
}

/** The Plumtree core as a protocol under comparison in the simulator */
export function plumtreeProtocol (config: Partial<PubsubConfig> = {}): BroadcastProtocol<number, PubsubMessage<number>, PubsubTimer> {
  return {
    name: 'plumtree',
    create: (self, rng) => new PubsubCore<number>(self, rng, { config }) as unknown as BroadcastCore<number, PubsubMessage<number>, PubsubTimer>,
    messageType: (message) => message.type,
    messageBytes: plumtreeMessageBytes,
    isPayload: (message) => message.type === 'gossip',
    isAntiEntropy: (message) => ANTI_ENTROPY_TYPES.has(message.type)
  }
}
