import { LruTtlCache, concatBytes, payloadHash, toHex } from '@saorsa-gossip/core'

/**
 * The decisions of a gossipsub ↔ plumtree bridge (SPEC.md §7.14), pure: no clock, no I/O.
 * The service (src/bridge.ts) feeds it what each side delivers and does what it says.
 *
 * gossipsub → plumtree: every bridge injects every author's message; the message id
 * depends only on the author's message (§7.14), so plumtree delivers it once however many
 * bridges inject it. A gossipsub message whose author is a bridge is a bridge's copy of a
 * plumtree message (an echo) and goes no further: that is what stops loops.
 *
 * plumtree → gossipsub: gossipsub ids name the publisher, so two bridges publishing the same
 * message give two gossipsub messages. One bridge per message is elected (rendezvous
 * hashing of the message id over the live bridges of the topic); the others hold the
 * message for `takeoverDelay` and publish it only if no bridge's copy (echo) showed up by
 * then — the elected bridge may be gone or cut off from gossipsub.
 */

export interface BridgeConfig {
  /** how long a bridge that was not elected waits for the elected one's copy, ms */
  takeoverDelay: number
  /** a bridge is live while its last announcement is younger than this, ms */
  bridgeTtl: number
  /** held plumtree messages at most; past it a message is published at once (a possible duplicate, never a loss) */
  maxHeld: number
  /** echoes remembered (what bridges published on gossipsub), entries */
  maxEchoes: number
  /** other bridges remembered; past it the one heard from longest ago is forgotten (announcements are not authorised: any node may send one) */
  maxBridges: number
}

export const DEFAULT_BRIDGE_CONFIG: BridgeConfig = {
  takeoverDelay: 3_000,
  bridgeTtl: 30_000,
  maxHeld: 10_000,
  maxEchoes: 65_536,
  maxBridges: 256
}

interface Held<T> {
  due: number
  item: T
}

export class BridgeCore<T> {
  private readonly self: string
  private readonly config: BridgeConfig
  /** bridge → its topics and when it last announced */
  private readonly known = new Map<string, { topics: Set<string>, seen: number }>()
  /**
   * topic + payload hash → plumtree messages held while the elected bridge publishes them.
   * Echoes are matched by content because a gossipsub copy names the bridge, not the plumtree
   * origin; several messages with the same bytes are matched one echo to one message
   * (a multiset), so equal payloads are never merged into one.
   */
  private readonly held = new Map<string, Array<Held<T>>>()
  private heldTotal = 0
  /** topic + payload hash → copies bridges published on gossipsub that no plumtree message has matched yet */
  private readonly echoes: LruTtlCache<string, number>
  /**
   * topic + payload hash → copies this bridge published that no echo has matched: when two
   * bridges both published a message (a takeover, or before they knew each other), the other's
   * copy is absorbed here instead of being kept as an unmatched echo that would later swallow
   * the next message with the same bytes
   */
  private readonly published: LruTtlCache<string, number>
  /** the topics this bridge carries: only those are kept from announcements */
  private readonly carried: Set<string>

  constructor (self: string, topics: string[], config: BridgeConfig) {
    this.self = self
    this.carried = new Set(topics)
    this.config = config
    const ttl = Math.max(4 * config.takeoverDelay, 60_000)
    this.echoes = new LruTtlCache({ maxEntries: config.maxEchoes, ttl })
    this.published = new LruTtlCache({ maxEntries: config.maxEchoes, ttl })
  }

  /**
   * A bridge's announcement (a native plumtree message: its ML-DSA origin is authenticated, but
   * any node may claim to be a bridge, SPEC.md §7.14). Bounded: only topics we carry, at most
   * `maxBridges` bridges.
   */
  announced (bridge: string, topics: string[], now: number): void {
    if (bridge === this.self) {
      return
    }
    const shared = new Set(topics.filter(t => this.carried.has(t)))
    if (shared.size === 0) {
      this.known.delete(bridge)
      return
    }
    // re-inserted on every announcement, so the map's first entry is the one heard from longest ago
    this.known.delete(bridge)
    if (this.known.size >= this.config.maxBridges) {
      this.known.delete(this.known.keys().next().value as string)
    }
    this.known.set(bridge, { topics: shared, seen: now })
  }

  /** This bridge published a plumtree message on gossipsub: another bridge's copy of it is absorbed */
  publishedOwn (topic: string, data: Uint8Array, now: number): void {
    countUp(this.published, contentKey(topic, data), now)
  }

  /** The other bridges heard from within bridgeTtl */
  bridges (now: number): string[] {
    const out: string[] = []
    for (const [peer, { seen }] of this.known) {
      if (now - seen <= this.config.bridgeTtl) {
        out.push(peer)
      } else {
        this.known.delete(peer)
      }
    }
    return out
  }

  /** A gossipsub message by `author`: 'inject' into plumtree, or 'echo' (a bridge's copy of a plumtree message) */
  fromGossipsub (author: string, topic: string, data: Uint8Array, now: number): 'inject' | 'echo' {
    if (author === this.self) {
      // our own publication (gossipsub with emitSelf): nothing to match
      return 'echo'
    }
    if (!this.isBridge(author, now)) {
      return 'inject'
    }
    const key = contentKey(topic, data)
    const waiting = this.held.get(key)
    if (waiting != null) {
      waiting.shift()
      this.heldTotal--
      if (waiting.length === 0) {
        this.held.delete(key)
      }
    } else if (!takeOne(this.published, key, now)) {
      // not a copy of one we published too: it waits for its plumtree message
      countUp(this.echoes, key, now)
    }
    return 'echo'
  }

  /**
   * A plumtree message first published on plumtree (not one a bridge forwarded into it):
   * 'publish' it on gossipsub now, or 'held' until `due`, or 'echoed' (a bridge already did)
   */
  fromPlumtree (id: Uint8Array, topic: string, data: Uint8Array, item: T, now: number): 'publish' | 'held' | 'echoed' {
    const key = contentKey(topic, data)
    if (takeOne(this.echoes, key, now)) {
      return 'echoed'
    }
    if (this.elected(id, topic, now) === this.self || this.heldTotal >= this.config.maxHeld) {
      return 'publish'
    }
    const waiting = this.held.get(key) ?? []
    waiting.push({ due: now + this.config.takeoverDelay, item })
    this.held.set(key, waiting)
    this.heldTotal++
    return 'held'
  }

  /** Held messages whose elected bridge did not publish them in time: publish them now */
  due (now: number): T[] {
    const out: T[] = []
    for (const [key, waiting] of this.held) {
      // each list is in arrival order, so its due times ascend
      while (waiting.length > 0 && waiting[0].due <= now) {
        out.push((waiting.shift() as Held<T>).item)
        this.heldTotal--
      }
      if (waiting.length === 0) {
        this.held.delete(key)
      }
    }
    return out
  }

  /** The bridge that publishes message `id` of `topic` on gossipsub: highest rendezvous rank among the live ones */
  elected (id: Uint8Array, topic: string, now: number): string {
    let best = this.self
    let bestRank = rank(id, this.self)
    for (const peer of this.bridges(now)) {
      if (this.known.get(peer)?.topics.has(topic) !== true) {
        continue
      }
      const r = rank(id, peer)
      if (r > bestRank) {
        best = peer
        bestRank = r
      }
    }
    return best
  }

  takeoverDelay (): number {
    return this.config.takeoverDelay
  }

  heldCount (): number {
    return this.heldTotal
  }

  clear (): void {
    this.held.clear()
    this.heldTotal = 0
    this.known.clear()
    this.echoes.clear()
    this.published.clear()
  }

  private isBridge (peer: string, now: number): boolean {
    const entry = this.known.get(peer)
    return entry != null && now - entry.seen <= this.config.bridgeTtl
  }
}

const utf8 = new TextEncoder()

/** One more of `key` in a multiset kept as counts */
function countUp (counts: LruTtlCache<string, number>, key: string, now: number): void {
  counts.set(key, (counts.get(key, now) ?? 0) + 1, now)
}

/** Takes one of `key` from a multiset kept as counts; false when there is none */
function takeOne (counts: LruTtlCache<string, number>, key: string, now: number): boolean {
  const n = counts.get(key, now) ?? 0
  if (n === 0) {
    return false
  }
  if (n === 1) {
    counts.delete(key)
  } else {
    counts.set(key, n - 1, now)
  }
  return true
}

function contentKey (topic: string, data: Uint8Array): string {
  return `${topic}\n${toHex(payloadHash(data))}`
}

/** Rendezvous (highest random weight) rank: every bridge computes the same order */
function rank (id: Uint8Array, peer: string): string {
  return toHex(payloadHash(concatBytes(id, utf8.encode(peer))).subarray(0, 8))
}
