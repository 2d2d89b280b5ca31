import { blake3 } from '@noble/hashes/blake3.js'
import { concatBytes } from './bytes.ts'
import { InvalidConfigError, InvalidSeedError } from './errors.ts'

/**
 * A seeded, splittable, deterministic random number generator.
 *
 * Cores never call `Math.random`: they receive an `Rng`. The same seed gives
 * the same sequence on every platform. `fork(label)` derives an independent
 * child stream from the parent's *seed* and the label, not from the parent's
 * position, so adding draws to one subsystem never shifts another's sequence.
 */
export interface Rng {
  /** Uniform unsigned 32-bit integer */
  nextU32(): number
  /** Uniform float in [0, 1) with 53 bits of precision */
  float(): number
  /** Uniform integer in [0, n); n must be an integer in [1, 2^32] */
  int(n: number): number
  /** Uniform integer in [min, max], both inclusive */
  intBetween(min: number, max: number): number
  /** true with probability p */
  bool(p?: number): boolean
  /** A uniformly chosen element, or undefined for an empty array */
  pick<T>(items: readonly T[]): T | undefined
  /** Shuffles in place (Fisher–Yates) and returns the same array */
  shuffle<T>(items: T[]): T[]
  /** Up to k distinct elements chosen uniformly, in random order; the input is not modified */
  sample<T>(items: readonly T[], k: number): T[]
  /** An independent child generator named by `label`; the same label always gives the same stream */
  fork(label: string): Rng
  /** The 32 bytes this generator was seeded with (for logging a reproducible run) */
  readonly seed: Uint8Array
}

export type RngSeed = number | bigint | string | Uint8Array

const SEED_DOMAIN = new TextEncoder().encode('saorsa-gossip/rng/v1\0')
const FORK_SEPARATOR = new Uint8Array([0x2f])

function seedBytes (seed: RngSeed): Uint8Array {
  if (seed instanceof Uint8Array) {
    if (seed.length === 0) {
      throw new InvalidSeedError('Seed bytes must not be empty')
    }
    return seed
  }
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) {
      throw new InvalidSeedError('Numeric seed must be a safe integer')
    }
    return new TextEncoder().encode(`n:${seed}`)
  }
  if (typeof seed === 'bigint') {
    return new TextEncoder().encode(`n:${seed}`)
  }
  if (typeof seed === 'string') {
    return new TextEncoder().encode(`s:${seed}`)
  }
  throw new InvalidSeedError('Seed must be a number, bigint, string or Uint8Array')
}

function rotl (x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}

/**
 * xoshiro128** (Blackman & Vigna, 2018): 128-bit state, period 2^128 − 1, fast
 * with 32-bit integer arithmetic in JavaScript. State is expanded from the seed
 * with BLAKE3, so seeds of any size and structure give well-mixed states.
 */
class Xoshiro128 implements Rng {
  readonly seed: Uint8Array
  private s0: number
  private s1: number
  private s2: number
  private s3: number

  constructor (seed: Uint8Array) {
    this.seed = seed
    const view = new DataView(seed.buffer, seed.byteOffset, seed.byteLength)
    this.s0 = view.getUint32(0, true)
    this.s1 = view.getUint32(4, true)
    this.s2 = view.getUint32(8, true)
    this.s3 = view.getUint32(12, true)
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) {
      // the all-zero state is a fixed point of xoshiro; BLAKE3 makes it vanishingly rare
      this.s0 = 0x9e3779b9
    }
  }

  nextU32 (): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0
    const t = (this.s1 << 9) >>> 0
    this.s2 = (this.s2 ^ this.s0) >>> 0
    this.s3 = (this.s3 ^ this.s1) >>> 0
    this.s1 = (this.s1 ^ this.s2) >>> 0
    this.s0 = (this.s0 ^ this.s3) >>> 0
    this.s2 = (this.s2 ^ t) >>> 0
    this.s3 = rotl(this.s3, 11)
    return result
  }

  float (): number {
    const hi = this.nextU32() >>> 5 // 27 bits
    const lo = this.nextU32() >>> 6 // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992
  }

  int (n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 0x100000000) {
      throw new InvalidConfigError(`Rng.int bound must be an integer in [1, 2^32], got ${n}`)
    }
    // rejection sampling: accept only draws below the largest multiple of n, so every residue is equally likely
    const limit = 0x100000000 - (0x100000000 % n)
    let x = this.nextU32()
    while (x >= limit) {
      x = this.nextU32()
    }
    return x % n
  }

  intBetween (min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new InvalidConfigError(`Rng.intBetween needs integers min <= max, got ${min}, ${max}`)
    }
    return min + this.int(max - min + 1)
  }

  bool (p = 0.5): boolean {
    if (!(p >= 0 && p <= 1)) {
      throw new InvalidConfigError(`Probability must be in [0, 1], got ${p}`)
    }
    return this.float() < p
  }

  pick<T>(items: readonly T[]): T | undefined {
    if (items.length === 0) {
      return undefined
    }
    return items[this.int(items.length)]
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const tmp = items[i]
      items[i] = items[j]
      items[j] = tmp
    }
    return items
  }

  sample<T>(items: readonly T[], k: number): T[] {
    if (!Number.isInteger(k) || k < 0) {
      throw new InvalidConfigError(`Sample size must be a non-negative integer, got ${k}`)
    }
    const copy = items.slice()
    const count = Math.min(k, copy.length)
    // partial Fisher–Yates: only the first `count` positions are drawn
    for (let i = 0; i < count; i++) {
      const j = i + this.int(copy.length - i)
      const tmp = copy[i]
      copy[i] = copy[j]
      copy[j] = tmp
    }
    copy.length = count
    return copy
  }

  fork (label: string): Rng {
    if (typeof label !== 'string') {
      throw new InvalidSeedError('Fork label must be a string')
    }
    return new Xoshiro128(blake3(concatBytes(this.seed, FORK_SEPARATOR, new TextEncoder().encode(label))))
  }
}

/**
 * Creates a deterministic generator. Numbers and strings are domain-separated
 * (`1` and `"1"` give different streams).
 */
export function createRng (seed: RngSeed): Rng {
  return new Xoshiro128(blake3(concatBytes(SEED_DOMAIN, seedBytes(seed))))
}

/**
 * A generator whose xoshiro128** state is the first 16 bytes of `state`
 * (four little-endian u32 words), without BLAKE3 expansion. For checking the
 * generator against the published reference output only.
 *
 * @internal
 */
export function rngFromRawState (state: Uint8Array): Rng {
  return new Xoshiro128(state)
}
