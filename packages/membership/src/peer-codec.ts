import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import type { PeerCodec } from './codec.ts'

/**
 * libp2p peers on the wire: the core's peer key is the PeerId string; frames
 * carry the PeerId's multihash bytes and, when known, the peer's multiaddrs.
 */
export function libp2pPeerCodec (addrsOf: (peer: string) => Uint8Array[]): PeerCodec<string> {
  return {
    toBytes: (peer) => peerIdFromString(peer).toMultihash().bytes,
    fromBytes: (bytes) => peerIdFromMultihash(Digest.decode(bytes)).toString(),
    addrs: addrsOf
  }
}
