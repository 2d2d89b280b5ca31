import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import { LruTtlCache, bytesKey } from '@saorsa-gossip/core'
import * as Digest from 'multiformats/hashes/digest'
import type { PubsubPeerCodec } from './codec.ts'

/**
 * PeerIds on the wire are multihash bytes; the core's peer key is the PeerId
 * string. Parsing is cached: the same few hundred origins and neighbours
 * appear in every frame.
 */
export function libp2pPubsubCodec (): PubsubPeerCodec<string> {
  const toBytes = new LruTtlCache<string, Uint8Array>({ maxEntries: 4096, ttl: Number.MAX_SAFE_INTEGER })
  const fromBytes = new LruTtlCache<string, string>({ maxEntries: 4096, ttl: Number.MAX_SAFE_INTEGER })
  return {
    toBytes: (peer) => {
      let bytes = toBytes.get(peer, 0)
      if (bytes == null) {
        bytes = peerIdFromString(peer).toMultihash().bytes
        toBytes.set(peer, bytes, 0)
      }
      return bytes
    },
    fromBytes: (bytes) => {
      const key = bytesKey(bytes)
      let peer = fromBytes.get(key, 0)
      if (peer == null) {
        peer = peerIdFromMultihash(Digest.decode(bytes)).toString()
        fromBytes.set(key, peer, 0)
      }
      return peer
    }
  }
}
