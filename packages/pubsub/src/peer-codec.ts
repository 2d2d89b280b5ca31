import { peerIdCodec } from '@saorsa-gossip/kit'
import type { PubsubPeerCodec } from './codec.ts'

/**
 * PeerIds on the wire are multihash bytes; the core's peer key is the PeerId
 * string (the kit's cached codec: the same few hundred origins and neighbours
 * appear in every frame). Peers a frame names travel with the addresses
 * `addrsOf` knows for them.
 */
export function libp2pPubsubCodec (addrsOf?: (peer: string) => Uint8Array[]): PubsubPeerCodec<string> {
  const ids = peerIdCodec()
  return addrsOf == null ? ids : { toBytes: ids.toBytes, fromBytes: ids.fromBytes, addrs: addrsOf }
}
