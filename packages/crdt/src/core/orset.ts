/**
 * Add-wins observed-remove set as a causal delta-CRDT (Almeida et al. 2018, §7.2 "AWORSet"):
 * the state is a dot store (element → the dots of the adds that are still live) plus a
 * causal context. Deltas are states of the same lattice, so a delta, a group of deltas
 * and a full state all merge with the one `join`.
 *
 * Our change from the paper: a remove also takes a fresh dot of its author (the paper's
 * remove creates none). Then every operation advances its author's version-vector entry,
 * and anti-entropy can find a missed remove by comparing version vectors alone (§9 of SPEC.md).
 */
import { CausalContext, dotKey } from './causal-context.ts'
import type { Dot } from './causal-context.ts'

function countDots (context: CausalContext): number {
  let n = 0
  for (const range of context.ranges()) {
    n += range.to - range.from + 1
  }
  return n
}

export class OrSet {
  /** element → live dots (by dotKey) */
  readonly store = new Map<string, Map<string, Dot>>()
  readonly context = new CausalContext()
  /** dotKey → element, so a join finds removed dots from the delta's context */
  private readonly index = new Map<string, string>()

  has (element: string): boolean {
    return this.store.has(element)
  }

  values (): string[] {
    return [...this.store.keys()].sort()
  }

  get size (): number {
    return this.store.size
  }

  /** add-delta (the paper's δ-mutator): a fresh dot for `element`, replacing the dots observed for it */
  add (replica: string, element: string): OrSet {
    const dot = this.context.next(replica)
    const delta = new OrSet()
    delta.insert(element, dot)
    delta.context.add(dot)
    for (const seen of this.store.get(element)?.values() ?? []) {
      delta.context.add(seen)
    }
    this.join(delta)
    return delta
  }

  /** remove-delta: no store entry, the observed dots of `element` (and a fresh dot) in the context */
  remove (replica: string, element: string): OrSet {
    const dot = this.context.next(replica)
    const delta = new OrSet()
    delta.context.add(dot)
    for (const seen of this.store.get(element)?.values() ?? []) {
      delta.context.add(seen)
    }
    this.join(delta)
    return delta
  }

  /**
   * Causal join (paper §7.1, dot stores): keep a dot if both sides have it, or if one side has
   * it and the other side's context has not seen it; a dot the other side has seen but no
   * longer holds was removed.
   */
  join (other: OrSet): void {
    for (const [element, dots] of other.store) {
      for (const dot of dots.values()) {
        if (!this.context.contains(dot)) {
          this.insert(element, dot)
        }
      }
    }
    // Walk whichever is smaller, the other side's context or our live dots, so that a delta
    // whose context claims a long history costs no more than our own state
    const removed: Array<[string, string]> = []
    if (countDots(other.context) <= this.index.size) {
      for (const dot of other.context.dots()) {
        const key = dotKey(dot)
        const element = this.index.get(key)
        if (element !== undefined && other.store.get(element)?.has(key) !== true) {
          removed.push([element, key])
        }
      }
    } else {
      for (const [key, element] of this.index) {
        const dot = this.store.get(element)?.get(key)
        if (dot != null && other.context.contains(dot) && other.store.get(element)?.has(key) !== true) {
          removed.push([element, key])
        }
      }
    }
    for (const [element, key] of removed) {
      this.delete(element, key)
    }
    this.context.join(other.context)
  }

  /** Every dot in the store (the author check reads them) */
  * storeDots (): Generator<Dot> {
    for (const dots of this.store.values()) {
      yield * dots.values()
    }
  }

  clone (): OrSet {
    const copy = new OrSet()
    copy.join(this)
    return copy
  }

  insert (element: string, dot: Dot): void {
    let dots = this.store.get(element)
    if (dots == null) {
      dots = new Map()
      this.store.set(element, dots)
    }
    const key = dotKey(dot)
    dots.set(key, dot)
    this.index.set(key, element)
  }

  private delete (element: string, key: string): void {
    const dots = this.store.get(element)
    dots?.delete(key)
    if (dots?.size === 0) {
      this.store.delete(element)
    }
    this.index.delete(key)
  }
}
