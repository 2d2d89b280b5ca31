import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { LruTtlCache, bytesEqual } from '@saorsa-gossip/core'
import type { PeerId, PeerStore } from '@libp2p/interface'
import type { AddressManager } from '@libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

/** The multiaddr protocol code of `/p2p/<id>` (stripped: the peer id travels beside the addresses) */
const P2P_CODE = 421

export interface AddressBookInit {
  peerStore: PeerStore
  addressManager: AddressManager
  /** our own PeerId string: `of(self)` gives our listen addresses */
  self: string
  /** addresses kept and sent per peer (membership's wire limit, SPEC.md §5.3) */
  maxPerPeer?: number
  /** peers remembered; the least recently described is forgotten first */
  maxPeers?: number
  /** called with a peer's whole list after new addresses for it reached the peer store */
  onFresh?(peer: PeerId, multiaddrs: Multiaddr[]): void
}

/**
 * Listen addresses of peers as protocols name them on the wire: a frame that names a peer
 * another node should dial (a membership record, a FOUND answer) carries the addresses
 * beside its id, and the receiver writes them to the peer store before its core may dial
 * it. Without them a dial finds no address: a third of 100 real nodes' topic joins failed
 * that way (issue 12). Synchronous lookups, because codecs encode synchronously.
 */
export class AddressBook {
  private readonly init: AddressBookInit
  private readonly maxPerPeer: number
  private readonly book: LruTtlCache<string, Uint8Array[]>

  constructor (init: AddressBookInit) {
    this.init = init
    this.maxPerPeer = init.maxPerPeer ?? 8
    this.book = new LruTtlCache({ maxEntries: init.maxPeers ?? 4096, ttl: Infinity })
  }

  /** The addresses to send for `peer` (ours for `self`), at most `maxPerPeer`; empty when unknown */
  of (peer: string): Uint8Array[] {
    if (peer === this.init.self) {
      return this.init.addressManager.getAddresses().slice(0, this.maxPerPeer).map(ma => ma.decapsulateCode(P2P_CODE).bytes)
    }
    return this.book.peek(peer, 0) ?? []
  }

  /** What identify saw the peer announce: the freshest list, replacing what others said */
  identified (peer: PeerId, listenAddrs: Multiaddr[]): void {
    this.book.set(peer.toString(), listenAddrs.slice(0, this.maxPerPeer).map(ma => ma.bytes), 0)
  }

  /**
   * Records addresses a frame carried and writes those not yet known to the peer store;
   * returns how many peers' lists could not be parsed (the caller counts them as drops).
   * Only new addresses reach the peer store: senders describe one peer differently, and
   * rewriting whole lists on every difference was 15% of a forming 100-node overlay's CPU.
   */
  async learn (hints: Map<string, Uint8Array[]>): Promise<number> {
    let bad = 0
    for (const [peer, list] of hints) {
      if (peer === this.init.self || list.length === 0) {
        continue
      }
      const known = this.book.peek(peer, 0) ?? []
      const fresh = list.filter(a => !known.some(k => bytesEqual(k, a)))
      if (fresh.length === 0) {
        continue
      }
      try {
        const multiaddrs = fresh.map(bytes => multiaddr(bytes))
        const peerId = peerIdFromString(peer)
        const merged = [...known, ...fresh].slice(-this.maxPerPeer)
        this.book.set(peer, merged, 0)
        await this.init.peerStore.merge(peerId, { multiaddrs })
        this.init.onFresh?.(peerId, merged.map(bytes => multiaddr(bytes)))
      } catch {
        bad++
      }
    }
    return bad
  }
}
