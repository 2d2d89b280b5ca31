/**
 * Rateless invertible Bloom lookup table (rateless IBLT, "RIBLT") over 8-byte
 * short message ids, after Yang, Gilad & Alizadeh, "Practical Rateless Set
 * Reconciliation", SIGCOMM 2024 ([YGA24] below).
 *
 * The sender streams coded symbols 0, 1, 2, … of its set; the receiver
 * subtracts the same symbols computed over its own set and peels the
 * difference, like an IBLT ([YGA24] §3). Unlike a fixed-size IBLT the stream
 * has no length chosen up front: symbol j contains a key with probability
 * 2/(j+2) (α = 0.5 in [YGA24] §4.1), so early symbols are dense, later ones
 * sparse, and any prefix of about 1.35–1.7·d symbols decodes d differences.
 *
 * Everything here is plain integer/IEEE-754 arithmetic so another language can
 * reproduce it bit for bit (SPEC.md).
 */

import { InvalidConfigError } from '@saorsa-gossip/core'

/** Length of a key (a short message id) in bytes */
export const RIBLT_KEY_BYTES = 8

/**
 * One coded symbol. Keys are carried as two uint32 halves: `hi` = bytes 0..3,
 * `lo` = bytes 4..7, both big-endian.
 */
export interface CodedSymbol {
  /** Signed number of keys summed in (the encoder adds +1 per key) */
  count: number
  /** XOR of the keys' high halves */
  hi: number
  /** XOR of the keys' low halves */
  lo: number
  /** XOR of keyChecksum() of the keys */
  check: number
}

/**
 * Checksum that tells a pure symbol (exactly one key) from a mixture
 * ([YGA24] §3, "hashSum"). With hi, lo as uint32 and all multiplies mod 2^32:
 * h = hi XOR (lo * 0x9e3779b1), then the murmur3 fmix32 finaliser
 * h ^= h >>> 16; h *= 0x85ebca6b; h ^= h >>> 13; h *= 0xc2b2ae35; h ^= h >>> 16.
 * The result is a uint32.
 */
export function keyChecksum (hi: number, lo: number): number {
  let h = hi ^ Math.imul(lo, 0x9e3779b1)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Splits an 8-byte key into big-endian uint32 halves (InvalidConfigError for any other length) */
export function keyFromBytes (bytes: Uint8Array): { hi: number, lo: number } {
  if (bytes.length !== RIBLT_KEY_BYTES) {
    throw new InvalidConfigError(`RIBLT key must be ${RIBLT_KEY_BYTES} bytes, got ${bytes.length}`)
  }
  return {
    hi: ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0,
    lo: ((bytes[4] << 24) | (bytes[5] << 16) | (bytes[6] << 8) | bytes[7]) >>> 0
  }
}

/** The 8-byte key whose halves are hi, lo (inverse of keyFromBytes) */
export function symbolToKey (hi: number, lo: number): Uint8Array {
  return new Uint8Array([hi >>> 24, hi >>> 16, hi >>> 8, hi, lo >>> 24, lo >>> 16, lo >>> 8, lo])
}

/** Estimated wire size: zigzag varint of count + 8 key bytes + 4 checksum bytes */
export function symbolBytes (symbol: CodedSymbol): number {
  const c = symbol.count
  // zigzag without 32-bit ops, so counts beyond 2^31 still measure correctly
  let z = c >= 0 ? c * 2 : -c * 2 - 1
  let n = 1
  while (z >= 128) {
    z = Math.floor(z / 128)
    n++
  }
  return n + RIBLT_KEY_BYTES + 4
}

/**
 * A key walking its index sequence. The sequence is a deterministic function
 * of the key, so encoder and decoder agree without exchanging anything.
 */
interface Walker {
  hi: number
  lo: number
  check: number
  /** +1 or -1: what this key adds to a symbol's count */
  sign: number
  /** The next symbol index this key is mapped into */
  index: number
  /** xorshift64 state, high and low uint32 halves */
  sHi: number
  sLo: number
}

/** Indices at or past this are treated as never reached, keeping k + 1 > k exact */
const MAX_INDEX = 2 ** 48

function newWalker (hi: number, lo: number, sign: number): Walker {
  // the PRNG is seeded by the key itself; xorshift64 must not start at 0
  const sHi = (hi ^ 0x5bd1e995) >>> 0
  let sLo = (lo ^ 0x1b873593) >>> 0
  if (sHi === 0 && sLo === 0) {
    sLo = 1
  }
  return { hi, lo, check: keyChecksum(hi, lo), sign, index: 0, sHi, sLo }
}

/**
 * Smallest integer k > i with (k+1)(k+2) > (i+1)(i+2)/u, all in binary64.
 *
 * [YGA24] §4.1 puts a key in symbol j independently with probability
 * ρ(j) = 1/(1 + αj) = 2/(j+2). Skipping ahead, the chance that none of
 * i+1..k is chosen telescopes to Π l/(l+2) = (i+1)(i+2)/((k+1)(k+2)), so
 * inverting that tail at a uniform u ∈ (0, 1] gives the next index directly,
 * O(1) per step instead of one coin flip per symbol. The square root is only a
 * first guess; the two loops make the answer depend on the products alone, so
 * sqrt rounding cannot make implementations disagree.
 */
function nextIndex (i: number, u: number): number {
  const t = ((i + 1) * (i + 2)) / u
  let k = Math.ceil(Math.sqrt(t + 0.25) - 1.5)
  if (!(k > i)) {
    k = i + 1
  }
  if (k >= MAX_INDEX) {
    return Infinity
  }
  while ((k + 1) * (k + 2) <= t) {
    k++
  }
  while (k > i + 1 && k * (k + 1) > t) {
    k--
  }
  return k
}

/**
 * Advances a walker to its next index: one xorshift64 step (s ^= s << 13;
 * s ^= s >>> 7; s ^= s << 17 on the 64-bit state), then u = (s >>> 32) + 1
 * over 2^32, which lies in (0, 1] so the division in nextIndex is safe.
 */
function step (w: Walker): void {
  let h = w.sHi
  let l = w.sLo
  h ^= (h << 13) | (l >>> 19)
  l ^= l << 13
  l ^= (l >>> 7) | (h << 25)
  h ^= h >>> 7
  h ^= (h << 17) | (l >>> 15)
  l ^= l << 17
  w.sHi = h >>> 0
  w.sLo = l >>> 0
  w.index = nextIndex(w.index, (w.sHi + 1) / 4294967296)
}

/** The first `count` symbol indices an 8-byte key is mapped into (0 is always first) */
export function indexSequence (key: Uint8Array, count: number): number[] {
  const { hi, lo } = keyFromBytes(key)
  const w = newWalker(hi, lo, 1)
  const out: number[] = []
  while (out.length < count) {
    out.push(w.index)
    step(w)
  }
  return out
}

/**
 * Walkers ordered by next index (binary min-heap). Producing m symbols for n
 * keys then costs O(n log m log n) instead of O(n·m) for a per-key scan, as
 * each key lands in only about 2 ln m of the first m symbols.
 */
class WalkerHeap {
  private readonly heap: Walker[]

  /** `walkers` must all share one index (any order is then a valid heap) */
  constructor (walkers: Walker[] = []) {
    this.heap = walkers
  }

  push (w: Walker): void {
    const heap = this.heap
    let i = heap.push(w) - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (heap[parent].index <= w.index) {
        break
      }
      heap[i] = heap[parent]
      i = parent
    }
    heap[i] = w
  }

  /** Calls visit(w) for each (key, index) pair with index < end, advancing the keys past end */
  drain (end: number, visit: (w: Walker) => void): void {
    const heap = this.heap
    while (heap.length > 0 && heap[0].index < end) {
      const w = heap[0]
      visit(w)
      step(w)
      // sift the advanced walker down from the root
      const n = heap.length
      let i = 0
      for (;;) {
        let c = 2 * i + 1
        if (c >= n) {
          break
        }
        if (c + 1 < n && heap[c + 1].index < heap[c].index) {
          c++
        }
        if (heap[c].index >= w.index) {
          break
        }
        heap[i] = heap[c]
        i = c
      }
      heap[i] = w
    }
  }
}

/** Streams coded symbols 0, 1, 2, … of a set of 8-byte keys */
export class RibltEncoder {
  private readonly heap: WalkerHeap
  private produced = 0

  constructor (keys: Iterable<Uint8Array>) {
    // a set: a duplicate would cancel itself out of every hi/lo XOR
    const seen = new Set<string>()
    const walkers: Walker[] = []
    for (const key of keys) {
      const { hi, lo } = keyFromBytes(key)
      const id = `${hi}:${lo}`
      if (!seen.has(id)) {
        seen.add(id)
        walkers.push(newWalker(hi, lo, 1))
      }
    }
    this.heap = new WalkerHeap(walkers)
  }

  /** The next `count` coded symbols after those already produced */
  produce (count: number): CodedSymbol[] {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new InvalidConfigError(`symbol count must be a non-negative integer, got ${count}`)
    }
    const start = this.produced
    const out: CodedSymbol[] = []
    for (let j = 0; j < count; j++) {
      out.push({ count: 0, hi: 0, lo: 0, check: 0 })
    }
    this.heap.drain(start + count, w => {
      const s = out[w.index - start]
      s.count += w.sign
      s.hi = (s.hi ^ w.hi) >>> 0
      s.lo = (s.lo ^ w.lo) >>> 0
      s.check = (s.check ^ w.check) >>> 0
    })
    this.produced += count
    return out
  }
}

/**
 * Receives a remote set's coded symbols and recovers the symmetric difference
 * with a local set by peeling ([YGA24] §3). Remote data never throws: symbols
 * that do not come from a set just leave `decoded` false.
 */
export class RibltDecoder {
  private readonly local: RibltEncoder
  /** Difference symbols (remote − local − recovered), one entry per received symbol */
  private readonly counts: number[] = []
  private readonly his: number[] = []
  private readonly los: number[] = []
  private readonly checks: number[] = []
  private nonzero = 0
  /** Recovered keys, walking on so that later symbols get them removed too */
  private readonly recovered = new WalkerHeap()
  private readonly recoveredIds = new Set<string>()
  private readonly remote: Uint8Array[] = []
  private readonly localKeys: Uint8Array[] = []
  /** Symbols that may be pure (rechecked when taken) */
  private readonly queue: number[] = []

  constructor (localKeys: Iterable<Uint8Array>) {
    this.local = new RibltEncoder(localKeys)
  }

  /** True once every received difference symbol is zero, i.e. the difference is fully known */
  get decoded (): boolean {
    return this.counts.length > 0 && this.nonzero === 0
  }

  /** Keys the remote set has and the local set lacks */
  get remoteOnly (): Uint8Array[] {
    return this.remote.map(k => k.slice())
  }

  /** Keys the local set has and the remote set lacks */
  get localOnly (): Uint8Array[] {
    return this.localKeys.map(k => k.slice())
  }

  /** Number of remote symbols received so far */
  get symbolsUsed (): number {
    return this.counts.length
  }

  /** Adds the next remote symbols (continuing from those already added) and peels */
  add (remoteSymbols: CodedSymbol[]): void {
    const start = this.counts.length
    for (const s of remoteSymbols) {
      // a non-integer count can never cancel out, which keeps `decoded` false
      this.counts.push(Number.isSafeInteger(s.count) ? s.count : NaN)
      this.his.push(s.hi >>> 0)
      this.los.push(s.lo >>> 0)
      this.checks.push(s.check >>> 0)
      if (!this.isZero(this.counts.length - 1)) {
        this.nonzero++
      }
    }
    const end = this.counts.length
    // difference = remote − local, minus every key already recovered
    this.local.produce(end - start).forEach((s, i) => {
      this.subtract(start + i, s.count, s.hi, s.lo, s.check)
    })
    this.recovered.drain(end, w => {
      this.subtract(w.index, w.sign, w.hi, w.lo, w.check)
    })
    for (let j = start; j < end; j++) {
      if (this.counts[j] === 1 || this.counts[j] === -1) {
        this.queue.push(j)
      }
    }
    this.peel()
  }

  private isZero (j: number): boolean {
    return this.counts[j] === 0 && this.his[j] === 0 && this.los[j] === 0 && this.checks[j] === 0
  }

  /** Subtracts keys from difference symbol j, tracking zero symbols and pure candidates */
  private subtract (j: number, count: number, hi: number, lo: number, check: number): void {
    const wasZero = this.isZero(j)
    this.counts[j] -= count
    this.his[j] = (this.his[j] ^ hi) >>> 0
    this.los[j] = (this.los[j] ^ lo) >>> 0
    this.checks[j] = (this.checks[j] ^ check) >>> 0
    const zero = this.isZero(j)
    if (wasZero !== zero) {
      this.nonzero += zero ? -1 : 1
    }
    if (this.counts[j] === 1 || this.counts[j] === -1) {
      this.queue.push(j)
    }
  }

  private peel (): void {
    const queue = this.queue
    const received = this.counts.length
    while (queue.length > 0) {
      const j = queue.pop() as number
      const sign = this.counts[j]
      const hi = this.his[j]
      const lo = this.los[j]
      if ((sign !== 1 && sign !== -1) || keyChecksum(hi, lo) !== this.checks[j]) {
        continue
      }
      const id = `${hi}:${lo}`
      // already recovered: only inconsistent remote data gets here; leave it
      if (this.recoveredIds.has(id) || !mapsInto(hi, lo, j)) {
        continue
      }
      // each honest recovery empties a distinct symbol for good, so more
      // recoveries than symbols means garbage: stop spending work on it
      if (this.recoveredIds.size >= received) {
        queue.length = 0
        return
      }
      this.recoveredIds.add(id)
      if (sign === 1) {
        this.remote.push(symbolToKey(hi, lo))
      } else {
        this.localKeys.push(symbolToKey(hi, lo))
      }
      const w = newWalker(hi, lo, sign)
      while (w.index < received) {
        this.subtract(w.index, sign, hi, lo, w.check)
        step(w)
      }
      this.recovered.push(w)
    }
  }
}

/**
 * Whether symbol j is on the key's index sequence. A key read off a pure
 * symbol must be; this cheaply rejects checksum false positives.
 */
function mapsInto (hi: number, lo: number, j: number): boolean {
  const w = newWalker(hi, lo, 1)
  while (w.index < j) {
    step(w)
  }
  return w.index === j
}
