import { decodeRpc, encodeRpc, InvalidFrameError, ANTI_ENTROPY_TYPES } from '@saorsa-gossip/pubsub'
import { bytesFrom, canonical, decodes, invariant, numbersSafe } from '../engine.ts'
import { pubsubSeeds } from './messages.ts'
import { stringPeerCodec as codec } from './peers.ts'
import type { Target } from '../engine.ts'

const TYPES = new Set(['gossip', 'ihave', 'graft', 'prune', 'subscriptions', 'find', 'found', 'topic-join', 'topic-join-reply', 'topic-leave', 'topic-ping', 'topic-pong', ...ANTI_ENTROPY_TYPES])

/** pubsub decodeRpc: a message or InvalidFrameError; what decodes re-encodes to bytes that decode to the same message */
export const pubsubCodec: Target<Uint8Array> = {
  name: 'pubsub-codec',
  seeds: async () => pubsubSeeds(),
  arbitrary: (corpus) => bytesFrom(corpus, 1024),
  run (bytes) {
    const message = decodes(() => decodeRpc(bytes, codec), [InvalidFrameError])
    if (message != null) {
      invariant(TYPES.has(message.type), () => `decoded an unknown type ${String(message.type)}`)
      invariant(numbersSafe(message), () => `decoded a number above 2^53 - 1: ${canonical(message)}`)
      const encoded = encodeRpc(message, codec)
      const again = decodes(() => decodeRpc(encoded, codec), [])
      invariant(canonical(again) === canonical(message), () => `${canonical(message)} re-decodes as ${canonical(again)}`)
    }
  }
}
