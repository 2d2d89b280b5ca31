import { bytesKey } from './bytes.ts'
import { LruTtlCache } from './lru-ttl-cache.ts'

export interface SeenIdsInit {
  /** Most ids remembered; the oldest is forgotten beyond this */
  maxEntries: number
  /** How long an id is remembered, in ms from first sight */
  ttl: number
}

/**
 * A bounded set of message ids seen recently, for duplicate suppression.
 *
 * First-sight semantics: seeing an id again does not extend its lifetime, so
 * the set is a FIFO whose insertion order is its expiry order.
 */
export class SeenIds {
  private readonly cache: LruTtlCache<string, true>

  constructor (init: SeenIdsInit) {
    this.cache = new LruTtlCache({ ...init, refreshOnGet: false })
  }

  /** Records `id`; returns true when it was not already present (i.e. first sight) */
  add (id: Uint8Array, now: number): boolean {
    const key = bytesKey(id)
    if (this.cache.has(key, now)) {
      return false
    }
    this.cache.set(key, true, now)
    return true
  }

  has (id: Uint8Array, now: number): boolean {
    return this.cache.has(bytesKey(id), now)
  }

  get size (): number {
    return this.cache.size
  }

  get stats (): { evicted: number, expired: number } {
    return this.cache.stats
  }
}
