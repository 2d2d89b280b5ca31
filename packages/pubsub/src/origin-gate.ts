import { peerIdFromString } from '@libp2p/peer-id'
import { LruTtlCache } from '@saorsa-gossip/core'
import { decodeBinding, verifyCarriedKey, verifyMlDsa65 } from '@saorsa-gossip/identity'
import { MAX_HELD_ORIGINS, MAX_HELD_PER_ORIGIN } from './constants.ts'
import { verifyLibp2pOrigin } from './libp2p-origin.ts'
import { checkOriginFields } from './origin.ts'
import type { CarriedOrigin } from './codec.ts'
import type { GossipMessage } from './core/messages.ts'
import type { ReceivedOrigin } from './decoded-origins.ts'
import type { PlumtreeStats } from './stats.ts'
import type { Logger } from '@libp2p/interface'
import type { BindingRecord, PqIdentityService } from '@saorsa-gossip/identity'

export interface OriginGateInit {
  self: string
  /** the node's pqIdentity() service (looked up when the service starts) */
  identity(): PqIdentityService | undefined
  stats: PlumtreeStats
  log: Logger
  /** how long a binding lookup may take, ms */
  lookupTimeout: number
  /** origins whose binding could not be obtained are not looked up again for this long, ms */
  unknownOriginBackoff: number
  /** the message may go to the core: its origin's key is known (or it has no valid origin, which the core's check refuses) */
  pass(from: string, message: GossipMessage): void
  /** the peer attached a binding record that does not verify */
  badBinding(peer: string): void
  /** whether the core would check this message's origin at all (PubsubCore.needsOriginCheck) */
  needsOriginCheck(from: string, message: GossipMessage): boolean
  /** whether bridged messages (classical signatures) are accepted on this topic (`acceptForwarded`) */
  acceptsForwarded(topic: string): boolean
}

/** Bridged messages' signature checks running at once; more are dropped and counted (a flood costs no CPU) */
export const MAX_LIBP2P_CHECKS_IN_FLIGHT = 256

/** Origins whose carried key a message proved, kept at most this many (as the identity service's cache) … */
const MAX_PROVEN_KEYS = 4096
/** … for this long, ms */
const PROVEN_KEY_TTL = 60 * 60_000

/**
 * Origin signatures on the receiving side (SPEC.md §7.10, §7.12). The core checks each new
 * message's origin synchronously (`verify`, its hook), so a GOSSIP goes to the core only
 * once its origin's ML-DSA-65 key is known; until then it is held here. An unknown origin's
 * binding is taken from the record the relay attached (it certifies itself), else looked up
 * through the relay that sent the message (it verified it, so it holds the binding), then
 * from the origin itself. Origins that cannot be resolved are not tried again for a while:
 * a forged origin costs one lookup per backoff period, not one per message.
 *
 * A carried key (the record without its ML-DSA signature, SPEC.md §7.10) is taken only with a
 * message whose own ML-DSA-65 signature, which covers the origin's PeerId, verifies under it:
 * that signature is the proof of possession the record no longer carries. Such keys are kept
 * here, for plumtree alone, never in the identity service's cache of verified bindings.
 */
export class OriginGate {
  private readonly init: OriginGateInit
  /** origin → messages waiting for its binding */
  private readonly held = new Map<string, Array<{ from: string, message: GossipMessage }>>()
  private readonly unknownOrigins: LruTtlCache<string, true>
  /**
   * Bridged messages' libp2p signatures, checked before the core sees them (RSA verifies
   * asynchronously; the core's hook is synchronous), by header: relay copies, the cache and
   * the events share the header bytes, and the entry goes when they do
   */
  private readonly libp2pVerified = new WeakMap<Uint8Array, boolean>()
  private libp2pChecks = 0
  /** origin → its binding record (without ML-DSA signature), proven by a message's signature */
  private readonly proven = new LruTtlCache<string, BindingRecord>({ maxEntries: MAX_PROVEN_KEYS, ttl: PROVEN_KEY_TTL })
  /** headers of the messages that proved a carried key: their signature is checked already */
  private readonly provedBy = new WeakSet<Uint8Array>()

  constructor (init: OriginGateInit) {
    this.init = init
    this.unknownOrigins = new LruTtlCache({ maxEntries: 4096, ttl: init.unknownOriginBackoff })
  }

  /** A GOSSIP from `from`, with its origin decoded at the edge and the binding record a relay may have attached */
  admit (from: string, message: GossipMessage, origin: ReceivedOrigin | undefined, carried?: CarriedOrigin): void {
    if (origin?.libp2p != null) {
      if (!this.init.acceptsForwarded(message.topic)) {
        this.init.stats.drop('forwarded-refused')
        return
      }
      this.admitLibp2p(from, message, origin).catch((err: any) => {
        this.init.log.error('bridged message from %s not admitted: %s', from, err.message)
      })
      return
    }
    if (origin == null || origin.peer === this.init.self || this.keyOf(origin.peer) != null) {
      // a header that does not decode fails the core's origin check (and is scored there)
      this.init.pass(from, message)
      return
    }
    const { stats } = this.init
    if (this.unknownOrigins.has(origin.peer, Date.now())) {
      stats.drop('unknown-origin')
      return
    }
    let waiting = this.held.get(origin.peer)
    if (waiting == null) {
      if (this.held.size >= MAX_HELD_ORIGINS) {
        stats.drop('origin-queue-full')
        return
      }
      waiting = []
      this.held.set(origin.peer, waiting)
      void this.resolve(origin.peer, from, carried, message, origin)
    }
    if (waiting.length >= MAX_HELD_PER_ORIGIN) {
      stats.drop('origin-queue-full')
      return
    }
    waiting.push({ from, message })
  }

  /** The core's verify hook: the claimed id matches the header, and the ML-DSA-65 signature verifies */
  verify (message: GossipMessage, origin: ReceivedOrigin | undefined): boolean {
    if (origin == null) {
      return false
    }
    const checked = checkOriginFields(message, origin)
    if (checked == null) {
      return false
    }
    if (origin.libp2p != null) {
      return message.header != null && this.libp2pVerified.get(message.header) === true
    }
    if (message.header != null && this.provedBy.has(message.header)) {
      return true
    }
    const key = this.keyOf(origin.peer)
    return key != null && verifyMlDsa65(key, checked.signingBytes, checked.signature)
  }

  /** The origin's ML-DSA-65 public key, when its binding is known */
  keyOf (origin: string): Uint8Array | undefined {
    const identity = this.init.identity()
    if (origin === this.init.self) {
      return identity?.identity.publicKey
    }
    return this.recordOf(origin)?.mlDsaPublicKey
  }

  /**
   * Another origin's binding record: verified by the identity service, or a carried key a
   * message proved (without its ML-DSA signature). By PeerId string: no base58 parsing on the
   * hot path (a benchmark profile showed it at 3%)
   */
  recordOf (origin: string): BindingRecord | undefined {
    return this.init.identity()?.getCachedBinding(origin)?.record ?? this.proven.get(origin, Date.now())
  }

  /** The binding record of an origin whose carried key a message proved (relays attach it onward) */
  provenRecord (origin: string): BindingRecord | undefined {
    return this.proven.get(origin, Date.now())
  }

  /** A bridged message this node injected, its author's signature checked by the caller */
  verifiedLocally (header: Uint8Array): void {
    this.libp2pVerified.set(header, true)
  }

  /**
   * A bridged message (SPEC.md §7.14) needs no binding: its author's libp2p key is in its
   * PeerId or its header. The signature is checked here, once per header; either way the
   * message goes on to the core, whose verify hook refuses (and scores the relay for) a bad one.
   */
  private async admitLibp2p (from: string, message: GossipMessage, origin: ReceivedOrigin): Promise<void> {
    const header = message.header as Uint8Array
    // duplicates, graylisted senders, unsubscribed topics, stale copies: the core refuses them
    // without asking for the signature, so it is not checked (gossipsub likewise checks its seen
    // cache and graylist first)
    if (!this.libp2pVerified.has(header) && this.init.needsOriginCheck(from, message)) {
      if (this.libp2pChecks >= MAX_LIBP2P_CHECKS_IN_FLIGHT) {
        this.init.stats.drop('origin-queue-full')
        return
      }
      this.libp2pChecks++
      try {
        const checked = checkOriginFields(message, origin)
        const ok = checked != null && await verifyLibp2pOrigin(origin.from, origin.libp2p as NonNullable<ReceivedOrigin['libp2p']>, origin.signature, checked.signingBytes)
        this.libp2pVerified.set(header, ok)
        if (!ok) {
          this.init.stats.drop('bad-libp2p-signature')
        }
      } finally {
        this.libp2pChecks--
      }
    }
    this.init.pass(from, message)
  }

  /**
   * A carried key and the message it came with: the record's PeerId is the origin's and its
   * libp2p signature verifies (else the relay is blamed, as for a bad record), and the message's
   * ML-DSA-65 signature verifies under its key (else the key is not taken, and the origin is
   * looked up: the message may be the forgery, not the record)
   */
  private async prove (origin: string, via: string, bytes: Uint8Array, message: GossipMessage, received: ReceivedOrigin): Promise<boolean> {
    const { stats, log } = this.init
    let record: BindingRecord
    try {
      const verified = await verifyCarriedKey(decodeBinding(bytes), { now: Date.now() })
      if (verified.peerId.toString() !== origin) {
        throw new Error(`key is for ${verified.peerId.toString()}`)
      }
      record = verified.record
    } catch (err: any) {
      stats.drop('bad-origin-binding')
      this.init.badBinding(via)
      log.trace('carried key for %s from %s refused: %s', origin, via, err.message)
      return false
    }
    const checked = checkOriginFields(message, received)
    if (checked == null || message.header == null || !verifyMlDsa65(record.mlDsaPublicKey, checked.signingBytes, checked.signature)) {
      stats.drop('unproven-origin-key')
      return false
    }
    this.proven.set(origin, record, Date.now())
    this.provedBy.add(message.header)
    stats.originsCarried++
    return true
  }

  /** Forgets the held messages (the service stopped) */
  clear (): void {
    this.held.clear()
    this.proven.clear()
  }

  private async resolve (origin: string, via: string, carried: CarriedOrigin | undefined, message: GossipMessage, received: ReceivedOrigin): Promise<void> {
    const { stats, log } = this.init
    const identity = this.init.identity() as PqIdentityService
    let ok = false
    if (carried?.key != null) {
      ok = await this.prove(origin, via, carried.key, message, received)
    }
    if (!ok && carried?.binding != null) {
      try {
        // the record certifies itself (both keys sign it): checked here, no round trip needed
        await identity.acceptBinding(decodeBinding(carried.binding), origin)
        stats.originsCarried++
        ok = true
      } catch (err: any) {
        // a relay that attaches a bad record is misbehaving; the message itself may still be fine
        stats.drop('bad-origin-binding')
        this.init.badBinding(via)
        log.trace('carried binding for %s from %s refused: %s', origin, via, err.message)
      }
    }
    if (!ok) {
      try {
        await identity.resolveBinding(peerIdFromString(origin), {
          via: peerIdFromString(via),
          signal: AbortSignal.timeout(this.init.lookupTimeout)
        })
        stats.originsResolved++
        ok = true
      } catch (err: any) {
        this.unknownOrigins.set(origin, true, Date.now())
        log.trace('no binding for origin %s: %s', origin, err.message)
      }
    }
    const waiting = this.held.get(origin) ?? []
    this.held.delete(origin)
    for (const { from, message } of waiting) {
      if (ok) {
        this.init.pass(from, message)
      } else {
        stats.drop('unknown-origin')
      }
    }
  }
}
