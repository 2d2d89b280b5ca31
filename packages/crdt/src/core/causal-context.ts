/**
 * Causal context of a delta-state CRDT: the set of dots (events) a state or a delta has seen.
 *
 * Almeida, Shoker, Baquero, "Delta State Replicated Data Types" (2018), §5 and §6.1:
 * a context is kept compressed as a version vector (every replica's contiguous prefix
 * 1..n) plus a "dot cloud" of the dots beyond a gap. Deltas arrive in any order, so gaps
 * are normal; when the missing dots arrive the cloud folds back into the vector.
 */

/** The `seq`-th event of `replica` (the paper's dot (i, n)) */
export interface Dot {
  replica: string
  seq: number
}

/** An inclusive run of one replica's dots: the wire and digest form of a context */
export interface DotRange {
  replica: string
  from: number
  to: number
}

export class CausalContext {
  /** replica → n: dots 1..n seen (the compressed prefix) */
  readonly vv = new Map<string, number>()
  /** replica → dots seen beyond a gap (always > vv[replica] + 1) */
  readonly cloud = new Map<string, Set<number>>()

  contains (dot: Dot): boolean {
    if (dot.seq <= (this.vv.get(dot.replica) ?? 0)) {
      return true
    }
    return this.cloud.get(dot.replica)?.has(dot.seq) ?? false
  }

  add (dot: Dot): void {
    if (this.contains(dot)) {
      return
    }
    let set = this.cloud.get(dot.replica)
    if (set == null) {
      set = new Set()
      this.cloud.set(dot.replica, set)
    }
    set.add(dot.seq)
    this.compact(dot.replica)
  }

  addRange (range: DotRange): void {
    const prefix = this.vv.get(range.replica) ?? 0
    if (range.from <= prefix + 1 && range.to > prefix) {
      // the run extends the prefix directly: O(1) instead of one add per dot
      this.vv.set(range.replica, range.to)
      this.dropCovered(range.replica)
      this.compact(range.replica)
      return
    }
    for (let seq = Math.max(range.from, prefix + 1); seq <= range.to; seq++) {
      this.add({ replica: range.replica, seq })
    }
  }

  /** Highest dot of `replica` seen, prefix or cloud */
  max (replica: string): number {
    let max = this.vv.get(replica) ?? 0
    for (const seq of this.cloud.get(replica) ?? []) {
      max = Math.max(max, seq)
    }
    return max
  }

  /** The next dot for a local event of `replica` */
  next (replica: string): Dot {
    return { replica, seq: this.max(replica) + 1 }
  }

  join (other: CausalContext): void {
    for (const range of other.ranges()) {
      this.addRange(range)
    }
  }

  /** Every dot, as runs: the prefix as 1..n, the cloud as maximal runs */
  ranges (): DotRange[] {
    const out: DotRange[] = []
    const replicas = new Set([...this.vv.keys(), ...this.cloud.keys()])
    for (const replica of [...replicas].sort()) {
      const n = this.vv.get(replica) ?? 0
      if (n > 0) {
        out.push({ replica, from: 1, to: n })
      }
      const cloud = [...(this.cloud.get(replica) ?? [])].sort((a, b) => a - b)
      let i = 0
      while (i < cloud.length) {
        let j = i
        while (j + 1 < cloud.length && cloud[j + 1] === cloud[j] + 1) {
          j++
        }
        out.push({ replica, from: cloud[i], to: cloud[j] })
        i = j + 1
      }
    }
    return out
  }

  /** Every dot one by one (deltas are small; a full state enumerates its whole history) */
  * dots (): Generator<Dot> {
    for (const range of this.ranges()) {
      for (let seq = range.from; seq <= range.to; seq++) {
        yield { replica: range.replica, seq }
      }
    }
  }

  /** True when every dot of `other` is already here: a delta adding nothing new */
  covers (other: CausalContext): boolean {
    return this.coversRanges(other.ranges())
  }

  /** True when every dot of these runs is already here (a digest's runs, with no context built from them) */
  coversRanges (ranges: Iterable<DotRange>): boolean {
    for (const range of ranges) {
      const prefix = this.vv.get(range.replica) ?? 0
      if (range.to <= prefix) {
        continue
      }
      const cloud = this.cloud.get(range.replica)
      for (let seq = Math.max(range.from, prefix + 1); seq <= range.to; seq++) {
        if (cloud?.has(seq) !== true) {
          return false
        }
      }
    }
    return true
  }

  clone (): CausalContext {
    const copy = new CausalContext()
    for (const [r, n] of this.vv) {
      copy.vv.set(r, n)
    }
    for (const [r, set] of this.cloud) {
      copy.cloud.set(r, new Set(set))
    }
    return copy
  }

  static fromRanges (ranges: Iterable<DotRange>): CausalContext {
    const context = new CausalContext()
    for (const range of ranges) {
      context.addRange(range)
    }
    return context
  }

  private dropCovered (replica: string): void {
    const set = this.cloud.get(replica)
    if (set == null) {
      return
    }
    const n = this.vv.get(replica) ?? 0
    for (const seq of set) {
      if (seq <= n) {
        set.delete(seq)
      }
    }
    if (set.size === 0) {
      this.cloud.delete(replica)
    }
  }

  /** Fold cloud dots that now continue the prefix into the version vector (paper §6.1) */
  private compact (replica: string): void {
    const set = this.cloud.get(replica)
    if (set == null) {
      return
    }
    let n = this.vv.get(replica) ?? 0
    while (set.has(n + 1)) {
      set.delete(n + 1)
      n++
    }
    if (n > 0) {
      this.vv.set(replica, n)
    }
    if (set.size === 0) {
      this.cloud.delete(replica)
    }
  }
}

export function dotKey (dot: Dot): string {
  return `${dot.seq}@${dot.replica}`
}
