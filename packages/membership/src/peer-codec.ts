import { peerIdCodec } from '@saorsa-gossip/kit'
import type { PeerCodec } from './codec.ts'

/**
 * libp2p peers on the wire: the core's peer key is the PeerId string; frames
 * carry the PeerId's multihash bytes (the kit's cached codec) and, when known,
 * the peer's multiaddrs.
 */
export function libp2pPeerCodec (addrsOf: (peer: string) => Uint8Array[]): PeerCodec<string> {
  const ids = peerIdCodec()
  return { toBytes: ids.toBytes, fromBytes: ids.fromBytes, addrs: addrsOf }
}
