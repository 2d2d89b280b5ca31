/**
 * How a driver turns a core's peer keys into wire bytes and back: PeerId multihash bytes in
 * the libp2p services (`peerIdCodec` in @saorsa-gossip/kit), small integers in the simulator.
 * Every codec that carries peers on the wire takes one.
 */
export interface PeerKeyCodec<P> {
  toBytes(peer: P): Uint8Array
  /** throws for bytes that are not a peer key: the frame carrying them is then rejected */
  fromBytes(bytes: Uint8Array): P
}
