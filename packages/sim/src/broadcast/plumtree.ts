import { ANTI_ENTROPY_TYPES, PubsubCore, symbolBytes } from '@saorsa-gossip/pubsub'
import type { BroadcastCore, BroadcastProtocol } from './types.ts'
import type { PubsubConfig, PubsubMessage, PubsubTimer } from '@saorsa-gossip/pubsub'

/**
 * Estimated encoded sizes, close to the protobuf Rpc of SPEC.md §7.8 (the
 * test "with the real wire codecs" checks them within ±30% against exact
 * encodings, which leave out the stream's length prefix): 2 bytes of type, the topic name
 * with its tag, 32-byte ids, a peer as a 38-byte PeerId multihash.
 */
const HEADER = 2
const ID = 34
const PEER = 40

/** a tagged unsigned varint field (proto3 leaves zero out) */
function v (n: number): number {
  if (n <= 0) {
    return 0
  }
  let bytes = 1
  for (let x = Math.max(0, Math.floor(n)); x >= 128; x = Math.floor(x / 128)) {
    bytes++
  }
  return 1 + bytes
}

function topic (m: PubsubMessage<number>): number {
  return 'topic' in m ? 2 + m.topic.length : 0
}

function peers (list: unknown[]): number {
  return PEER * list.length
}

type Sizes = { [K in PubsubMessage<number>['type']]: (m: Extract<PubsubMessage<number>, { type: K }>) => number }

const SIZES: Sizes = {
  gossip: (m) => HEADER + topic(m) + ID + v(m.round) + v(m.publishedAt) + m.payload.length + 4 + (m.header?.length ?? 0) + (m.repair === true ? 2 : 0),
  ihave: (m) => HEADER + topic(m) + m.entries.reduce((n, e) => n + 2 + ID + v(e.round), 0),
  graft: (m) => HEADER + topic(m) + v(m.round) + (m.id != null ? ID : 0),
  prune: (m) => HEADER + topic(m),
  'topic-leave': (m) => HEADER + topic(m),
  subscriptions: (m) => HEADER + [...m.subscribe, ...m.unsubscribe].reduce((n, t) => n + 2 + t.length, 0),
  find: (m) => HEADER + topic(m) + PEER + v(m.ttl) + v(m.walk),
  found: (m) => HEADER + topic(m) + v(m.walk) + peers(m.others),
  'topic-join': (m) => HEADER + topic(m) + (m.urgent ? 2 : 0),
  'topic-join-reply': (m) => HEADER + topic(m) + (m.accepted ? 2 : 0) + peers(m.others),
  'topic-ping': (m) => HEADER + topic(m) + v(m.nonce),
  'topic-pong': (m) => HEADER + topic(m) + v(m.nonce),
  'ae-digest': (m) => HEADER + topic(m) + v(m.session) + v(m.from) + v(m.to) + v(m.count) + ID,
  'ae-symbols': (m) => HEADER + topic(m) + v(m.session) + v(m.from) + v(m.to) + v(m.offset) + m.symbols.reduce((sum, s) => sum + symbolBytes(s) + 6, 0),
  'ae-more': (m) => HEADER + topic(m) + v(m.session) + v(m.offset) + v(m.count),
  'ae-want': (m) => HEADER + topic(m) + v(m.session) + m.shortIds.length * 10
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
