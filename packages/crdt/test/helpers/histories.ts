import fc from 'fast-check'
import { HlcClock } from '../../src/core/hlc.ts'
import { LwwMap } from '../../src/core/lww-map.ts'
import { OrSet } from '../../src/core/orset.ts'
import type { CrdtState } from '../../src/core/replica.ts'

export const REPLICAS = ['peer-a', 'peer-b', 'peer-c']

/** One step of a history: replica `r` edits, or pulls `from`'s full state */
export type Step =
  | { op: 'edit', r: number, remove: boolean, element: number, now: number }
  | { op: 'sync', r: number, from: number }

export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('edit' as const), r: fc.nat(2), remove: fc.boolean(), element: fc.nat(4), now: fc.nat(20) }),
  fc.record({ op: fc.constant('sync' as const), r: fc.nat(2), from: fc.nat(2) })
)

export interface Run<S> {
  states: S[]
  deltas: S[]
}

/** Play a history on OR-Set replicas; every delta a mutator produced is returned */
export function runOrSet (steps: Step[]): Run<OrSet> {
  const states = REPLICAS.map(() => new OrSet())
  const deltas: OrSet[] = []
  for (const step of steps) {
    if (step.op === 'sync') {
      states[step.r].join(states[step.from])
      continue
    }
    const element = `e${step.element}`
    deltas.push(step.remove ? states[step.r].remove(REPLICAS[step.r], element) : states[step.r].add(REPLICAS[step.r], element))
  }
  return { states, deltas }
}

/** Play a history on LWW maps (remove = delete); clocks advance by the step's `now` */
export function runLww (steps: Step[]): Run<LwwMap> {
  const states = REPLICAS.map(() => new LwwMap())
  const clocks = REPLICAS.map(r => new HlcClock(r))
  const deltas: LwwMap[] = []
  let now = 1000
  for (const step of steps) {
    if (step.op === 'sync') {
      states[step.r].join(states[step.from])
      for (const e of states[step.from].entries.values()) {
        clocks[step.r].observe(e.hlc)
      }
      continue
    }
    now += step.now
    const key = `k${step.element}`
    const hlc = clocks[step.r].tick(now - step.r * 7)
    deltas.push(states[step.r].set(key, step.remove ? null : new Uint8Array([step.r, step.element, now & 0xff]), hlc))
  }
  return { states, deltas }
}

/** A canonical string of a state: equal states give equal strings */
export function canon (state: CrdtState): string {
  const context = JSON.stringify(state.context.ranges())
  if (state instanceof OrSet) {
    const store = [...state.store].map(([e, dots]) => [e, [...dots.keys()].sort()] as const).sort((a, b) => a[0] < b[0] ? -1 : 1)
    return JSON.stringify(store) + context
  }
  const entries = [...state.entries].map(([k, e]) => [k, e.hlc, e.value == null ? null : [...e.value], e.dot] as const).sort((a, b) => a[0] < b[0] ? -1 : 1)
  return JSON.stringify(entries) + context
}
