import fc from 'fast-check'

/**
 * One fuzz target. Jazzer.js cannot load here (its prebuilt libFuzzer addon needs
 * glibc 2.38), so targets are fast-check properties: inputs are drawn from raw bytes
 * and from mutations of the committed corpus, which is what gets a decoder past its
 * first length check.
 */
export interface Target<T> {
  name: string
  /** inputs written to corpus/<name>/ by `run.js --write-corpus`: valid encodings the mutators start from */
  seeds(): Promise<Uint8Array[]>
  arbitrary(corpus: Uint8Array[]): fc.Arbitrary<T>
  /** one execution; throws InvariantError (or anything else) when an invariant breaks */
  run(input: T): void | Promise<void>
  /** invariants of state kept across executions (long-lived cores), checked after every batch */
  check?(): void
  /** one-line state summary for the progress line */
  describe?(): string
}

/** An invariant the target checks was broken: a crash the runner reports */
export class InvariantError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'InvariantError'
  }
}

export function invariant (ok: boolean, message: () => string): void {
  if (!ok) {
    throw new InvariantError(message())
  }
}

type ErrorClass = abstract new (...args: any[]) => Error

/**
 * Runs a decoder and accepts only its package's named errors: a TypeError or
 * RangeError escaping a decoder means remote bytes reached code that did not
 * expect them.
 */
export function decodes<T> (decode: () => T, allowed: ErrorClass[]): T | undefined {
  try {
    return decode()
  } catch (err: any) {
    invariant(allowed.some(c => err instanceof c), () => `decoder threw ${String(err?.name)}: ${String(err?.message)}`)
    return undefined
  }
}

export async function decodesAsync<T> (decode: () => Promise<T>, allowed: ErrorClass[]): Promise<T | undefined> {
  try {
    return await decode()
  } catch (err: any) {
    invariant(allowed.some(c => err instanceof c), () => `decoder threw ${String(err?.name)}: ${String(err?.message)}`)
    return undefined
  }
}

/** One edit of a corpus input: libFuzzer's usual mutators, minus the coverage feedback */
const mutation = fc.tuple(fc.nat(6), fc.nat(), fc.nat(255), fc.nat(16))

function mutate (input: Uint8Array, edits: Array<[number, number, number, number]>, other: Uint8Array): Uint8Array {
  let b = Array.from(input)
  for (const [op, at, value, len] of edits) {
    const i = b.length === 0 ? 0 : at % b.length
    switch (op) {
      case 0: if (b.length > 0) { b[i] ^= 1 << (value % 8) } break
      case 1: if (b.length > 0) { b[i] = value } break
      case 2: b.splice(i, 0, value); break
      case 3: b.splice(i, len + 1); break
      case 4: b.splice(i, 0, ...b.slice(i, i + len + 1)); break
      // varint-shaped bytes: the lengths and counts protobuf readers trust
      case 5: b.splice(i, 0, ...new Array(len % 10 + 1).fill(0xff), value & 0x7f); break
      default: b = [...b.slice(0, i), ...Array.from(other.subarray(at % (other.length + 1)))]; break
    }
  }
  return Uint8Array.from(b)
}

/**
 * Raw bytes, or a corpus input with a few edits (and sometimes a splice of another).
 * `intact` weighs unedited corpus inputs against the 6 of edited ones: core targets
 * raise it so most frames decode and reach the core.
 */
export function bytesFrom (corpus: Uint8Array[], maxLength = 512, intact = 1): fc.Arbitrary<Uint8Array> {
  const raw = fc.uint8Array({ maxLength })
  if (corpus.length === 0) {
    return raw
  }
  const pick = fc.constantFrom(...corpus)
  return fc.oneof(
    { weight: 1, arbitrary: raw },
    { weight: intact, arbitrary: pick },
    { weight: 6, arbitrary: fc.tuple(pick, fc.array(mutation, { minLength: 1, maxLength: 6 }), pick).map(([input, edits, other]) => mutate(input, edits, other)) }
  )
}

/** A canonical string of a decoded value (bytes as hex), to compare round trips */
export function canonical (value: unknown): string {
  return JSON.stringify(value, (_, v) => {
    if (v instanceof Uint8Array) {
      return Buffer.from(v).toString('hex')
    }
    return typeof v === 'bigint' ? `${v}n` : v
  })
}

/**
 * Whether every number in a decoded value is a safe integer or an ordinary finite number:
 * 64-bit fields decode as JS numbers (jstype = JS_NUMBER), so one above 2^53 - 1 arrives
 * rounded, and a decoder must refuse it rather than pass it on (SPEC.md §1)
 */
export function numbersSafe (value: unknown): boolean {
  if (typeof value === 'number') {
    return Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value))
  }
  if (value instanceof Uint8Array || value == null || typeof value !== 'object') {
    return true
  }
  return Object.values(value).every(numbersSafe)
}

/**
 * A deterministic byte source (a linear congruential generator) for handshake state machines'
 * `random` hook: both sides write the same messages every time, so a committed corpus holds
 * valid handshake messages and mutations start from bytes that reach the AEAD and the KEM
 */
export function deterministicRandom (seed: number): (length: number) => Uint8Array {
  let n = seed
  return (length) => new Uint8Array(length).map(() => (n = (n * 1103515245 + 12345) >>> 0) >>> 24)
}
