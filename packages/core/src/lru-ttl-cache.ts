import { InvalidConfigError } from './errors.ts'

export interface LruTtlCacheInit {
  /** Most entries held; the least recently used entry is evicted beyond this. Integer >= 1. */
  maxEntries: number
  /** Lifetime of an entry in ms from when it was set; `Infinity` for none */
  ttl: number
  /**
   * Whether `get` moves an entry to most-recently-used. With `false` the
   * cache is a bounded FIFO: insertion order equals expiry order, so expired
   * entries are removed exactly, in O(expired), on every `set`.
   *
   * @default true
   */
  refreshOnGet?: boolean
}

export interface LruTtlCacheStats {
  /** Entries removed because the cache was full */
  evicted: number
  /** Entries removed because their TTL passed */
  expired: number
}

interface Entry<V> {
  value: V
  expiresAt: number
}

/**
 * A bounded cache keyed on a caller-supplied `now`: never reads a clock, so
 * cores stay pure and tests move time by arithmetic.
 *
 * Memory is bounded by `maxEntries` regardless of TTL. A JavaScript `Map`
 * iterates in insertion order, so re-inserting on access gives LRU order at
 * O(1) per operation.
 */
export class LruTtlCache<K, V> {
  readonly maxEntries: number
  readonly ttl: number
  readonly stats: LruTtlCacheStats = { evicted: 0, expired: 0 }
  private readonly refreshOnGet: boolean
  private readonly map = new Map<K, Entry<V>>()

  constructor (init: LruTtlCacheInit) {
    if (!Number.isInteger(init.maxEntries) || init.maxEntries < 1) {
      throw new InvalidConfigError(`maxEntries must be an integer >= 1, got ${init.maxEntries}`)
    }
    if (!(init.ttl > 0)) {
      throw new InvalidConfigError(`ttl must be > 0 ms (or Infinity), got ${init.ttl}`)
    }
    this.maxEntries = init.maxEntries
    this.ttl = init.ttl
    this.refreshOnGet = init.refreshOnGet ?? true
  }

  /** Entries held, including expired ones not yet removed (see `prune`) */
  get size (): number {
    return this.map.size
  }

  /** Inserts or replaces `key`; its TTL restarts at `now` */
  set (key: K, value: V, now: number): void {
    this.map.delete(key)
    this.map.set(key, { value, expiresAt: now + this.ttl })
    this.dropExpiredFromFront(now)
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value as K
      this.map.delete(oldest)
      this.stats.evicted++
    }
  }

  /** The live value for `key`, marking it recently used (unless `refreshOnGet` is false) */
  get (key: K, now: number): V | undefined {
    const entry = this.live(key, now)
    if (entry == null) {
      return undefined
    }
    if (this.refreshOnGet) {
      this.map.delete(key)
      this.map.set(key, entry)
    }
    return entry.value
  }

  /** The live value for `key` without changing recency */
  peek (key: K, now: number): V | undefined {
    return this.live(key, now)?.value
  }

  has (key: K, now: number): boolean {
    return this.live(key, now) != null
  }

  delete (key: K): boolean {
    return this.map.delete(key)
  }

  clear (): void {
    this.map.clear()
  }

  /** Removes every expired entry; returns how many were removed. O(size). */
  prune (now: number): number {
    let removed = 0
    for (const [key, entry] of this.map) {
      if (entry.expiresAt <= now) {
        this.map.delete(key)
        removed++
      }
    }
    this.stats.expired += removed
    return removed
  }

  /** Live entries, least recently used first */
  * entries (now: number): Generator<[K, V]> {
    for (const [key, entry] of this.map) {
      if (entry.expiresAt > now) {
        yield [key, entry.value]
      }
    }
  }

  private live (key: K, now: number): Entry<V> | undefined {
    const entry = this.map.get(key)
    if (entry == null) {
      return undefined
    }
    if (entry.expiresAt <= now) {
      this.map.delete(key)
      this.stats.expired++
      return undefined
    }
    return entry
  }

  /** Expired entries at the front are the cheap ones to find; stops at the first live entry */
  private dropExpiredFromFront (now: number): void {
    for (const [key, entry] of this.map) {
      if (entry.expiresAt > now) {
        return
      }
      this.map.delete(key)
      this.stats.expired++
    }
  }
}
