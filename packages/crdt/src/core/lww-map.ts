/**
 * Last-writer-wins map keyed on hybrid logical clocks (see hlc.ts). Each key holds the write
 * with the greatest (wall, counter, writer) timestamp; a delete is a write of `null` (a
 * tombstone), so that a late older write cannot resurrect the key. The join (per-key maximum)
 * is commutative, associative and idempotent: a join-semilattice, so deltas (maps holding the
 * written keys only) ship and merge like states (Almeida et al. 2018, §4).
 *
 * Each write also takes a dot of its writer, recorded in the causal context: it is what the
 * version vectors of anti-entropy count (SPEC.md §9), and what makes a delta recognisable as
 * already seen.
 */
import { CausalContext } from './causal-context.ts'
import { compareHlc } from './hlc.ts'
import type { Dot } from './causal-context.ts'
import type { Hlc } from './hlc.ts'

export interface LwwEntry {
  hlc: Hlc
  /** null: deleted (a tombstone) */
  value: Uint8Array | null
  dot: Dot
}

export class LwwMap {
  readonly entries = new Map<string, LwwEntry>()
  readonly context = new CausalContext()

  get (key: string): Uint8Array | undefined {
    return this.entries.get(key)?.value ?? undefined
  }

  has (key: string): boolean {
    return this.get(key) !== undefined
  }

  /** Live keys, sorted */
  keys (): string[] {
    return [...this.entries].filter(([, e]) => e.value != null).map(([k]) => k).sort()
  }

  /** set-delta: `value` under `key` at `hlc` (null deletes) */
  set (key: string, value: Uint8Array | null, hlc: Hlc): LwwMap {
    const dot = this.context.next(hlc.node)
    const delta = new LwwMap()
    delta.entries.set(key, { hlc, value, dot })
    delta.context.add(dot)
    this.join(delta)
    return delta
  }

  join (other: LwwMap): void {
    for (const [key, entry] of other.entries) {
      const mine = this.entries.get(key)
      if (mine == null || compareHlc(entry.hlc, mine.hlc) > 0) {
        this.entries.set(key, entry)
      }
    }
    this.context.join(other.context)
  }

  /**
   * Garbage collection of tombstones (SPEC.md §9): a tombstone older than `horizon` (HLC wall,
   * ms) is dropped. It is safe because receivers refuse writes stamped before the horizon, so
   * no older write can arrive afterwards to resurrect the key.
   */
  collect (horizon: number): number {
    let dropped = 0
    for (const [key, entry] of this.entries) {
      if (entry.value == null && entry.hlc.wall < horizon) {
        this.entries.delete(key)
        dropped++
      }
    }
    return dropped
  }

  clone (): LwwMap {
    const copy = new LwwMap()
    copy.join(this)
    return copy
  }
}
