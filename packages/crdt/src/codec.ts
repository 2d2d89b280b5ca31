/**
 * Frames ↔ core values (SPEC.md §9.3). Decoding validates everything the core relies on, so a
 * malformed frame is refused here, once, at the edge: numbers within 1..2^53−1, runs in
 * order, and dot-cloud runs (those not starting at 1) short enough to expand (a run is
 * expanded dot by dot when it does not extend a prefix).
 */
import { CausalContext } from './core/causal-context.ts'
import { LwwMap } from './core/lww-map.ts'
import { OrSet } from './core/orset.ts'
import { MalformedDeltaError } from './errors.ts'
import { Frame } from './pb/crdt.ts'
import type { DotRange } from './core/causal-context.ts'
import type { CrdtState } from './core/replica.ts'
import type { Uint8ArrayList } from 'uint8arraylist'

export { Frame }

export const FRAME_LIMITS = {
  /** runs in one context */
  context: 4096,
  /** OR-Set store entries / LWW entries in one delta */
  entries: 100_000,
  /** dots in one OR-Set entry */
  seqs: 4096,
  /** dots in all dot-cloud runs of one context */
  cloudDots: 65_536
}

function num (value: bigint): number {
  if (value < 1n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MalformedDeltaError('number out of range')
  }
  return Number(value)
}

export function encodeRanges (ranges: DotRange[]): Frame['context'] {
  return ranges.map(r => ({ replica: r.replica, from: BigInt(r.from), to: BigInt(r.to) }))
}

export function decodeRanges (wire: Frame['context']): DotRange[] {
  let cloud = 0
  return wire.map(r => {
    const range = { replica: r.replica, from: num(r.from), to: num(r.to) }
    if (range.from > range.to || range.replica === '') {
      throw new MalformedDeltaError('bad range')
    }
    if (range.from > 1) {
      cloud += range.to - range.from + 1
      if (cloud > FRAME_LIMITS.cloudDots) {
        throw new MalformedDeltaError('dot cloud too large')
      }
    }
    return range
  })
}

/** A delta's frame; `ops` names the author's operations it carries (absent: a bare state) */
export function stateToFrame (state: CrdtState, ops?: DotRange): Frame {
  const frame: Frame = { kind: Frame.Kind.DELTA, type: Frame.Type.ORSET, context: encodeRanges(state.context.ranges()), orset: [], lww: [], yjs: new Uint8Array(0) }
  if (ops != null) {
    frame.ops = encodeRanges([ops])[0]
  }
  if (state instanceof OrSet) {
    for (const [element, dots] of state.store) {
      const byReplica = new Map<string, bigint[]>()
      for (const dot of dots.values()) {
        byReplica.set(dot.replica, [...(byReplica.get(dot.replica) ?? []), BigInt(dot.seq)])
      }
      for (const [replica, seqs] of byReplica) {
        frame.orset.push({ element, replica, seqs })
      }
    }
  } else {
    frame.type = Frame.Type.LWW
    for (const [key, e] of state.entries) {
      frame.lww.push({ key, wall: BigInt(e.hlc.wall), counter: e.hlc.counter, node: e.hlc.node, seq: BigInt(e.dot.seq), value: (e.value ?? undefined) as Uint8Array<ArrayBuffer> | undefined })
    }
  }
  return frame
}

export function frameToState (frame: Frame): CrdtState {
  const context = CausalContext.fromRanges(decodeRanges(frame.context))
  if (frame.type === Frame.Type.ORSET) {
    const set = new OrSet()
    for (const entry of frame.orset) {
      for (const seq of entry.seqs) {
        set.insert(entry.element, { replica: entry.replica, seq: num(seq) })
      }
    }
    set.context.join(context)
    for (const dot of set.storeDots()) {
      if (!set.context.contains(dot)) {
        throw new MalformedDeltaError('store dot outside the context')
      }
    }
    return set
  }
  if (frame.type === Frame.Type.LWW) {
    const map = new LwwMap()
    for (const e of frame.lww) {
      if (e.wall > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new MalformedDeltaError('wall out of range')
      }
      map.entries.set(e.key, { hlc: { wall: Number(e.wall), counter: e.counter, node: e.node }, value: e.value ?? null, dot: { replica: e.node, seq: num(e.seq) } })
    }
    map.context.join(context)
    return map
  }
  throw new MalformedDeltaError('not a delta type')
}

export function decodeFrame (bytes: Uint8Array | Uint8ArrayList): Frame {
  return Frame.decode(bytes, {
    limits: {
      context: FRAME_LIMITS.context,
      orset: FRAME_LIMITS.entries,
      lww: FRAME_LIMITS.entries,
      orset$: { seqs: FRAME_LIMITS.seqs }
    }
  })
}

export function encodeFrame (frame: Frame): Uint8Array {
  return Frame.encode(frame)
}

/** The operations range of a DELTA frame: required, a valid range */
export function opsOf (frame: Frame): DotRange {
  if (frame.ops == null) {
    throw new MalformedDeltaError('delta without its operations range')
  }
  return decodeRanges([frame.ops])[0]
}
