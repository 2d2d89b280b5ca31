import { peerIdCodec } from '@saorsa-gossip/kit'
import type { PubsubPeerCodec } from './codec.ts'

/**
 * PeerIds on the wire are multihash bytes; the core's peer key is the PeerId
 * string (the kit's cached codec: the same few hundred origins and neighbours
 * appear in every frame).
 */
export function libp2pPubsubCodec (): PubsubPeerCodec<string> {
  return peerIdCodec()
}
