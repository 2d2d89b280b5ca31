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
import type { CrdtKind, CrdtState, ReplicaSnapshot } from './core/replica.ts'
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

/** Decoded as JS numbers (jstype = JS_NUMBER): a varint at or above 2^53 arrives rounded, so it is refused, not used */
function num (value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new MalformedDeltaError('number out of range')
  }
  return value
}

/** Replica names are PeerId strings: printable ASCII (base58btc or base32), at most 256 characters */
const REPLICA_NAME = /^[\x21-\x7e]{1,256}$/
/** a lone UTF-16 surrogate: what the protobuf reader makes of invalid UTF-8, and what no encoder writes back */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * A replica name from the wire. Anything else is refused: a name that does not re-encode to
 * the same bytes (invalid UTF-8) would sit in every digest as a writer no one can match, a
 * reason for a digest at every member for ever (found by the crdt-frame fuzz target).
 */
function replicaName (name: string): string {
  if (!REPLICA_NAME.test(name)) {
    throw new MalformedDeltaError('replica name is not a PeerId string')
  }
  return name
}

/**
 * An element or key, from the wire or from the application: well-formed Unicode only. One
 * with a lone surrogate is written as U+FFFD, so its author and everyone else would hold
 * different elements for good.
 */
export function wellFormed (text: string): string {
  if (LONE_SURROGATE.test(text)) {
    throw new MalformedDeltaError('element or key is not well-formed Unicode (lone surrogate)')
  }
  return text
}

export function encodeRanges (ranges: DotRange[]): Frame['context'] {
  return ranges.map(r => ({ replica: r.replica, from: r.from, to: r.to }))
}

export function decodeRanges (wire: Frame['context']): DotRange[] {
  let cloud = 0
  return wire.map(r => {
    const range = { replica: replicaName(r.replica), from: num(r.from), to: num(r.to) }
    if (range.from > range.to) {
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
      const byReplica = new Map<string, number[]>()
      for (const dot of dots.values()) {
        byReplica.set(dot.replica, [...(byReplica.get(dot.replica) ?? []), dot.seq])
      }
      for (const [replica, seqs] of byReplica) {
        frame.orset.push({ element, replica, seqs })
      }
    }
  } else {
    frame.type = Frame.Type.LWW
    for (const [key, e] of state.entries) {
      frame.lww.push({ key, wall: e.hlc.wall, counter: e.hlc.counter, node: e.hlc.node, seq: e.dot.seq, value: (e.value ?? undefined) as Uint8Array<ArrayBuffer> | undefined })
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
      if (!Number.isSafeInteger(e.wall)) {
        throw new MalformedDeltaError('wall out of range')
      }
      map.entries.set(e.key, { hlc: { wall: e.wall, counter: e.counter, node: e.node }, value: e.value ?? null, dot: { replica: e.node, seq: num(e.seq) } })
    }
    map.context.join(context)
    return map
  }
  throw new MalformedDeltaError('not a delta type')
}

/**
 * A frame, or MalformedDeltaError (the protobuf reader's own errors are wrapped: one named
 * error for remote bytes). Every string is checked here, once: replica names are PeerId-like,
 * elements and keys well-formed, so a decoded frame re-encodes to a frame equal to it.
 */
export function decodeFrame (bytes: Uint8Array | Uint8ArrayList): Frame {
  const frame = readFrame(bytes)
  for (const range of frame.context) {
    replicaName(range.replica)
  }
  if (frame.ops != null) {
    replicaName(frame.ops.replica)
  }
  for (const entry of frame.orset) {
    replicaName(entry.replica)
    wellFormed(entry.element)
  }
  for (const entry of frame.lww) {
    replicaName(entry.node)
    wellFormed(entry.key)
  }
  return frame
}

function readFrame (bytes: Uint8Array | Uint8ArrayList): Frame {
  try {
    return Frame.decode(bytes, {
      limits: {
        context: FRAME_LIMITS.context,
        orset: FRAME_LIMITS.entries,
        lww: FRAME_LIMITS.entries,
        orset$: { seqs: FRAME_LIMITS.seqs }
      }
    })
  } catch (err: any) {
    throw new MalformedDeltaError(`frame does not decode: ${String(err?.message)}`, { cause: err })
  }
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

/**
 * A replica snapshot (SPEC.md §9.9) as frames, each behind a 4-byte big-endian length: a
 * DIGEST frame with the delivered operations, the state, the own-delta base (ops 1..baseSeq
 * when present) and each logged own delta (ops seq..seq). Reusing the wire frames keeps one
 * validated decoder for everything that is read back.
 */
export function encodeSnapshot (self: string, kind: CrdtKind, snapshot: ReplicaSnapshot): Uint8Array {
  const type = kind === 'orset' ? Frame.Type.ORSET : Frame.Type.LWW
  const frames: Frame[] = [
    { kind: Frame.Kind.DIGEST, type, context: encodeRanges(snapshot.delivered), orset: [], lww: [], yjs: new Uint8Array(0) },
    stateToFrame(snapshot.state),
    stateToFrame(snapshot.base, snapshot.baseSeq > 0 ? { replica: self, from: 1, to: snapshot.baseSeq } : undefined)
  ]
  for (const entry of snapshot.log) {
    frames.push(stateToFrame(entry.delta, { replica: self, from: entry.seq, to: entry.seq }))
  }
  const bodies = frames.map(f => { f.type = type; return encodeFrame(f) })
  const out = new Uint8Array(bodies.reduce((n, b) => n + 4 + b.byteLength, 0))
  const view = new DataView(out.buffer)
  let at = 0
  for (const body of bodies) {
    view.setUint32(at, body.byteLength)
    out.set(body, at + 4)
    at += 4 + body.byteLength
  }
  return out
}

/** The frames of a snapshot back to a `ReplicaSnapshot`; anything inconsistent is a `MalformedDeltaError` */
export function decodeSnapshot (self: string, kind: CrdtKind, bytes: Uint8Array): ReplicaSnapshot {
  const type = kind === 'orset' ? Frame.Type.ORSET : Frame.Type.LWW
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const frames: Frame[] = []
  for (let at = 0; at < bytes.byteLength;) {
    if (at + 4 > bytes.byteLength) {
      throw new MalformedDeltaError('snapshot truncated')
    }
    const length = view.getUint32(at)
    if (at + 4 + length > bytes.byteLength) {
      throw new MalformedDeltaError('snapshot truncated')
    }
    const frame = decodeFrame(bytes.subarray(at + 4, at + 4 + length))
    if (frame.type !== type) {
      throw new MalformedDeltaError('snapshot of another document type')
    }
    frames.push(frame)
    at += 4 + length
  }
  if (frames.length < 3 || frames[0].kind !== Frame.Kind.DIGEST) {
    throw new MalformedDeltaError('snapshot without its header frames')
  }
  const own = (frame: Frame): DotRange => {
    const ops = opsOf(frame)
    if (ops.replica !== self) {
      throw new MalformedDeltaError('snapshot of another replica')
    }
    return ops
  }
  const baseSeq = frames[2].ops == null ? 0 : own(frames[2]).to
  const log = frames.slice(3).map(frame => ({ seq: own(frame).to, delta: frameToState(frame) }))
  return { delivered: decodeRanges(frames[0].context), state: frameToState(frames[1]), base: frameToState(frames[2]), baseSeq, log }
}
