import { toHex } from '@saorsa-gossip/core'

/**
 * Peer keys as the cores see them: 'p' + hex of the wire bytes. A small pool
 * (p00 is self) keeps senders and named peers colliding, so inputs reach the
 * paths that need a known peer; decoded frames can still name any other key.
 */
export const SELF = 'p00'
export const POOL = Array.from({ length: 9 }, (_, i) => `p0${i}`)

/** A sender: never self, since libp2p does not connect a node to itself */
export const sender = (n: number): string => POOL[1 + n % (POOL.length - 1)]

export const stringPeerCodec = {
  toBytes (peer: string): Uint8Array {
    return Uint8Array.from(peer.slice(1).match(/../g)?.map(h => parseInt(h, 16)) ?? [])
  },
  fromBytes (bytes: Uint8Array): string {
    if (bytes.length === 0 || bytes.length > 38) {
      throw new Error('not a peer key')
    }
    return `p${toHex(bytes)}`
  },
  addrs (): Uint8Array[] {
    return []
  }
}
