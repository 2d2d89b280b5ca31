import type { Rng } from './rng.ts'

/**
 * A set with O(1) add, delete, has and uniform random pick: an array of
 * members plus a map from member to index (swap-remove on delete). Views are
 * sampled on every join, shuffle and repair, so random access matters.
 */
export class IndexedSet<T> {
  private readonly items: T[] = []
  private readonly index = new Map<T, number>()

  get size (): number {
    return this.items.length
  }

  has (item: T): boolean {
    return this.index.has(item)
  }

  add (item: T): boolean {
    if (this.index.has(item)) {
      return false
    }
    this.index.set(item, this.items.length)
    this.items.push(item)
    return true
  }

  delete (item: T): boolean {
    const i = this.index.get(item)
    if (i == null) {
      return false
    }
    const last = this.items.pop() as T
    if (i < this.items.length) {
      this.items[i] = last
      this.index.set(last, i)
    }
    this.index.delete(item)
    return true
  }

  /** A uniformly random member not in `exclude`, or undefined */
  pick (rng: Rng, exclude?: (item: T) => boolean): T | undefined {
    if (exclude == null) {
      return this.items.length === 0 ? undefined : this.items[rng.int(this.items.length)]
    }
    // a few random tries are cheap; fall back to a filtered scan for small or crowded exclusions
    for (let tries = 0; tries < 4 && this.items.length > 0; tries++) {
      const candidate = this.items[rng.int(this.items.length)]
      if (!exclude(candidate)) {
        return candidate
      }
    }
    return rng.pick(this.items.filter(item => !exclude(item)))
  }

  /** Up to k distinct random members */
  sample (rng: Rng, k: number, exclude?: (item: T) => boolean): T[] {
    const pool = exclude == null ? this.items : this.items.filter(item => !exclude(item))
    return rng.sample(pool, k)
  }

  values (): readonly T[] {
    return this.items
  }
}
