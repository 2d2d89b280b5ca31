import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import { LruTtlCache, bytesKey } from '@saorsa-gossip/core'
import * as Digest from 'multiformats/hashes/digest'
import type { PeerKeyCodec } from '@saorsa-gossip/core'

/** A core's peer key (the PeerId string) to and from its wire form (the multihash bytes) */
export type PeerIdCodec = PeerKeyCodec<string>

/** Parses remembered at most, each way */
const CACHE_ENTRIES = 4096

/**
 * PeerIds on the wire are multihash bytes; every core keys peers by the PeerId string.
 * Parsing is cached: the same few hundred neighbours and origins appear in every frame.
 */
export function peerIdCodec (): PeerIdCodec {
  const toBytes = new LruTtlCache<string, Uint8Array>({ maxEntries: CACHE_ENTRIES, ttl: Number.MAX_SAFE_INTEGER })
  const fromBytes = new LruTtlCache<string, string>({ maxEntries: CACHE_ENTRIES, ttl: Number.MAX_SAFE_INTEGER })
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
