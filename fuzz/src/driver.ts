import fc from 'fast-check'
import { bytesFrom, invariant } from './engine.ts'

/** One input to a core: which kind (each target maps the number), a peer index, bytes to decode, a number */
export interface Step { kind: number, peer: number, bytes: Uint8Array, n: number }

/** Sequences of steps, most of them frames built from the corpus */
export function steps (corpus: Uint8Array[], kinds: number, maxLength = 48): fc.Arbitrary<Step[]> {
  const step = fc.record({
    kind: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat(kinds - 1) }),
    peer: fc.nat(8),
    bytes: bytesFrom(corpus, 512, 6),
    n: fc.nat(100_000)
  })
  return fc.array(step, { minLength: 1, maxLength })
}

/**
 * What a driver keeps of a core's timers: fires only timers the core scheduled and
 * has not cancelled, at their time, as the libp2p service and simulator do.
 */
export class Timers<T> {
  readonly pending = new Map<string, { at: number, timer: T }>()

  apply (effects: ReadonlyArray<{ type: string }>): void {
    for (const e of effects as Array<{ type: string, key: string, at: number, timer: T }>) {
      if (e.type === 'schedule-timer') {
        invariant(Number.isFinite(e.at), () => `timer ${e.key} scheduled at ${e.at}`)
        this.pending.set(e.key, { at: e.at, timer: e.timer })
      } else if (e.type === 'cancel-timer') {
        this.pending.delete(e.key)
      }
    }
  }

  /** The n-th pending timer (in key order, for reproducibility), removed */
  take (n: number): { key: string, at: number, timer: T } | undefined {
    const keys = [...this.pending.keys()].sort()
    if (keys.length === 0) {
      return undefined
    }
    const key = keys[n % keys.length]
    const t = this.pending.get(key) as { at: number, timer: T }
    this.pending.delete(key)
    return { key, ...t }
  }
}

/** One input must not produce an unbounded burst of effects (amplification) */
export function boundedOutput (effects: readonly unknown[], max: number, what: string): void {
  invariant(effects.length <= max, () => `${what} produced ${effects.length} effects (limit ${max})`)
}

/** Reads a private field: the invariants are about state the cores keep to themselves */
export function field<T> (obj: unknown, name: string): T {
  return (obj as Record<string, T>)[name]
}
