/**
 * The processing-cost model of the simulator (SPEC.md §4, "Processing cost").
 *
 * Real nodes are not free: each received frame costs its receiver CPU (yamux,
 * Noise decryption, protobuf decoding, the handler, an ML-DSA-65 verify for the
 * first copy of a signed payload), each sent frame costs its sender (encoding,
 * encryption), every timer callback costs something, and several nodes share a
 * core. A core that is busy makes every later input on it late, exactly as a
 * loaded Node event loop makes timers and socket reads late. This file holds the
 * calibration constants, the scenario-file form of the model, and the lag
 * histogram the network reports.
 */
import { InvalidConfigError } from '@saorsa-gossip/core'
import type { NodeId } from './network.ts'

/**
 * What `NetworkInit.processing` takes: the cost functions are called once per
 * input or send, so they must be cheap and must not allocate where avoidable.
 */
export interface Processing<M> {
  /** ms of CPU for node `to` to handle `message` (`bytes`: the size the network counted) */
  cost(message: M, bytes: number, to: NodeId): number
  /** ms of CPU for node `from` to encode and encrypt `message` before it leaves (default 0) */
  sendCost?(message: M, bytes: number, from: NodeId): number
  /** ms of CPU per timer firing (default 0) */
  timerCost?: number
  /**
   * How many nodes share one CPU (default 1: a core per node). Node id n runs on
   * core floor(n / nodesPerCore), so consecutive ids share a core, as nodes
   * started together in one process of a benchmark do.
   */
  nodesPerCore?: number
}

/**
 * The parameters of the linear cost model the scenario runners build (see
 * `membershipProcessing` / `broadcastProcessing` in the runners). All in ms.
 */
export interface ProcessingParams {
  nodesPerCore: number
  /** per received frame: stream read, yamux, Noise decrypt, protobuf decode, handler */
  receiveMs: number
  /** per KiB received (decryption and copying) */
  receivePerKiBMs: number
  /** per sent frame: protobuf encode, Noise encrypt, yamux write */
  sendMs: number
  sendPerKiBMs: number
  /** per timer callback */
  timerMs: number
  /** ML-DSA-65 verify, charged for the first copy of a payload at each node */
  verifyMs: number
  /** ML-DSA-65 sign, charged to the origin on publish */
  signMs: number
  /**
   * Connection set-up (dial, multistream-select, Noise XX handshake, identity
   * binding exchange), charged to both ends of a HyParView JOIN or NEIGHBOR
   * request: the messages that open a connection in the libp2p service
   */
  connectMs: number
  /** extra receive cost by message-type label (the runner's `messageType` labels), for experiments */
  perType: Record<string, number>
  /** multiplies every cost above (a slower or faster CPU) */
  scale: number
}

/**
 * Calibration. The per-frame and per-KiB figures are `npm run bench:frame-cost` on the 2-core
 * development machine: one frame at a time between two nodes of one process, sender and
 * receiver together, split between the two ends about as a profile splits them (the read
 * path's dispatch costs more than encoding). TCP + noise + yamux with the stack patches of
 * SPEC.md §7.12 (2026-12-04, sizes 64 B–16 KiB: 0.075 ms per frame + 0.0076 ms per KiB; the
 * stock stack cost about twice as much per frame, 0.146 ms on 2026-12-02); QUIC (preset
 * `quic`) 0.090–0.110 ms + 0.008 ms the same day. The ML-DSA-65 figures are the native
 * (node:crypto) medians of `npm run bench:crypto`. On 100 real nodes sharing the 2 cores every
 * cost is larger (contended cores, cold caches, 20 connections per node, the services' own
 * handlers): `scale` 2 with 4.4 KB payloads (1 KiB plus the ML-DSA-65 signature) reproduces
 * the latencies of the real saturation sweep over TCP (scenarios/saturation-100.json,
 * benchmarks/README.md). The machine's own speed varies by up to ~1.5× from day to day.
 */
export const DEFAULT_PROCESSING: Readonly<ProcessingParams> = Object.freeze({
  nodesPerCore: 1,
  // bench:frame-cost (TCP, patched stack): the receiving share of 0.075 ms per frame — stream read, yamux, Noise, protobuf, handler
  receiveMs: 0.046,
  // bench:frame-cost (TCP): the receiving share of 0.0076 ms per KiB (ChaCha20-Poly1305, copies)
  receivePerKiBMs: 0.004,
  // bench:frame-cost (TCP): the sending share — encoding is cheaper than the receive path's dispatch
  sendMs: 0.029,
  sendPerKiBMs: 0.004,
  // estimate: a setTimeout callback and the core's timer handler
  timerMs: 0.02,
  // estimate (bench:crypto native verify median 0.148 ms); 0.15–0.2 ms with the header decode
  verifyMs: 0.18,
  // estimate (bench:crypto native sign median 0.519 ms)
  signMs: 0.5,
  // estimate: X25519 plus an ML-DSA-65 binding verify, per side
  connectMs: 2,
  perType: {},
  scale: 1
})

/**
 * Named starting points for scenario files. `quic`: the QUIC transport's frames
 * (bench:frame-cost 2026-12-04: 0.1 ms per frame + 0.008 ms per KiB, split as TCP's).
 * `stock`: TCP frames on the stock @libp2p/yamux and @libp2p/utils, without the patches of
 * SPEC.md §7.12 (bench:frame-cost 2026-12-02: 0.146 ms per frame + 0.0123 ms per KiB), what a
 * user who does not apply them pays. `noble`: the pure-JS ML-DSA-65 backend (bench:crypto
 * noble medians: verify 0.942 ms, sign 3.702 ms).
 */
export const PROCESSING_PRESETS: Readonly<Record<string, Readonly<ProcessingParams>>> = Object.freeze({
  default: DEFAULT_PROCESSING,
  quic: Object.freeze({ ...DEFAULT_PROCESSING, receiveMs: 0.062, sendMs: 0.038 }),
  stock: Object.freeze({ ...DEFAULT_PROCESSING, receiveMs: 0.09, receivePerKiBMs: 0.006, sendMs: 0.055, sendPerKiBMs: 0.006 }),
  noble: Object.freeze({ ...DEFAULT_PROCESSING, verifyMs: 0.95, signMs: 3.7 })
})

/** The scenario-file form: a preset (default `default`) with any parameter overridden */
export type ProcessingSpec = Partial<ProcessingParams> & { preset?: string }

const NUMERIC: Array<keyof ProcessingParams> = ['receiveMs', 'receivePerKiBMs', 'sendMs', 'sendPerKiBMs', 'timerMs', 'verifyMs', 'signMs', 'connectMs', 'scale']

/** Why a scenario's `processing` field is invalid, or undefined when it is valid */
export function processingSpecProblem (raw: any): string | undefined {
  if (raw == null || typeof raw !== 'object' || Array.isArray(raw)) {
    return 'processing must be an object'
  }
  if (raw.preset != null && !(typeof raw.preset === 'string' && raw.preset in PROCESSING_PRESETS)) {
    return `processing.preset must be one of ${Object.keys(PROCESSING_PRESETS).join(', ')}`
  }
  if (raw.nodesPerCore != null && !(Number.isInteger(raw.nodesPerCore) && raw.nodesPerCore >= 1)) {
    return 'processing.nodesPerCore must be an integer >= 1'
  }
  for (const key of NUMERIC) {
    if (raw[key] != null && !(typeof raw[key] === 'number' && Number.isFinite(raw[key]) && raw[key] >= 0)) {
      return `processing.${key} must be a number >= 0`
    }
  }
  if (raw.perType != null && (typeof raw.perType !== 'object' || Object.values(raw.perType).some(v => typeof v !== 'number' || !Number.isFinite(v) || v < 0))) {
    return 'processing.perType must map message types to numbers >= 0'
  }
  return undefined
}

/** The preset with the spec's overrides, costs multiplied by `scale` */
export function resolveProcessing (spec: ProcessingSpec): ProcessingParams {
  const problem = processingSpecProblem(spec)
  if (problem != null) {
    throw new InvalidConfigError(problem)
  }
  const { preset, ...overrides } = spec
  const merged: ProcessingParams = { ...PROCESSING_PRESETS[preset ?? 'default'], ...overrides }
  const s = merged.scale
  const perType: Record<string, number> = {}
  for (const [type, ms] of Object.entries(merged.perType)) {
    perType[type] = ms * s
  }
  return {
    nodesPerCore: merged.nodesPerCore,
    receiveMs: merged.receiveMs * s,
    receivePerKiBMs: merged.receivePerKiBMs * s,
    sendMs: merged.sendMs * s,
    sendPerKiBMs: merged.sendPerKiBMs * s,
    timerMs: merged.timerMs * s,
    verifyMs: merged.verifyMs * s,
    signMs: merged.signMs * s,
    connectMs: merged.connectMs * s,
    perType,
    // already applied
    scale: 1
  }
}

/** Lag percentiles, ms (rounded to µs; percentiles within 2% from the histogram, `max` exact) */
export interface LagDistribution {
  count: number
  mean: number | null
  p50: number | null
  p90: number | null
  p99: number | null
  max: number | null
}

export interface CoreLoad {
  core: number
  /** busy time / virtual time elapsed */
  utilisation: number
  busyMs: number
  inputs: number
  /** most inputs ever waiting at once */
  maxBacklog: number
  lagMean: number
  lagMax: number
}

export interface LagStats {
  nodesPerCore: number
  /** (processing start − due time) of message deliveries, ms */
  messages: LagDistribution
  /** (processing start − due time) of timer firings, ms: how late the event loop ran them */
  timers: LagDistribution
  cores: {
    count: number
    utilisation: { mean: number, max: number }
    /** the core with the highest utilisation */
    busiest: CoreLoad | null
  }
}

/** What the network counts per core */
export interface CoreCounters {
  busyMs: number
  inputs: number
  lagSum: number
  lagMax: number
  maxBacklog: number
}

export function coreLoad (core: number, c: CoreCounters, now: number): CoreLoad {
  return {
    core,
    utilisation: now === 0 ? 0 : round(c.busyMs / now),
    busyMs: round(c.busyMs),
    inputs: c.inputs,
    maxBacklog: c.maxBacklog,
    lagMean: c.inputs === 0 ? 0 : round(c.lagSum / c.inputs),
    lagMax: round(c.lagMax)
  }
}

export function summariseLag (nodesPerCore: number, messages: LagHistogram, timers: LagHistogram, loads: CoreLoad[]): LagStats {
  let sum = 0
  let busiest: CoreLoad | null = null
  for (const load of loads) {
    sum += load.utilisation
    if (busiest == null || load.utilisation > busiest.utilisation) {
      busiest = load
    }
  }
  return {
    nodesPerCore,
    messages: messages.distribution(),
    timers: timers.distribution(),
    cores: {
      count: loads.length,
      utilisation: { mean: loads.length === 0 ? 0 : round(sum / loads.length), max: busiest?.utilisation ?? 0 },
      busiest
    }
  }
}

/** lags below 1 µs count as on time; above, bins grow by 2%, up to ~3 hours */
const MIN_LAG = 0.001
const GROWTH = Math.log(1.02)
const BINS = 1400

function round (x: number): number {
  return Math.round(x * 1000) / 1000
}

/**
 * A fixed-size log histogram: millions of inputs at 10,000 nodes cannot be
 * kept as an array of samples, and adding one must not allocate.
 */
export class LagHistogram {
  private readonly counts = new Float64Array(BINS)
  count = 0
  sum = 0
  max = 0

  add (lag: number): void {
    this.count++
    this.sum += lag
    if (lag > this.max) {
      this.max = lag
    }
    this.counts[lag < MIN_LAG ? 0 : Math.min(BINS - 1, 1 + Math.floor(Math.log(lag / MIN_LAG) / GROWTH))]++
  }

  /** the upper edge of the bin holding the p-th percentile (never above the exact max) */
  percentile (p: number): number | null {
    if (this.count === 0) {
      return null
    }
    const rank = Math.max(1, Math.ceil(p / 100 * this.count))
    let seen = 0
    for (let i = 0; i < BINS; i++) {
      seen += this.counts[i]
      if (seen >= rank) {
        return i === 0 ? 0 : round(Math.min(this.max, MIN_LAG * Math.exp(i * GROWTH)))
      }
    }
    return round(this.max)
  }

  distribution (): LagDistribution {
    return {
      count: this.count,
      mean: this.count === 0 ? null : round(this.sum / this.count),
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      max: this.count === 0 ? null : round(this.max)
    }
  }
}

/**
 * The per-frame part of the linear model, shared by the scenario runners:
 * base + per KiB each way, connection set-up at both ends of a frame that
 * opens a connection (`connects`), and the scenario's `perType` extras.
 */
export function frameCosts<M> (p: ProcessingParams, messageType: (message: M) => string, connects: (message: M) => boolean): { receive(message: M, bytes: number): number, send(message: M, bytes: number): number } {
  const perType = Object.keys(p.perType).length > 0 ? p.perType : undefined
  return {
    receive: (message, bytes) => p.receiveMs + p.receivePerKiBMs * bytes / 1024 +
      (connects(message) ? p.connectMs : 0) +
      // only when asked for: the labels are built strings
      (perType === undefined ? 0 : perType[messageType(message)] ?? 0),
    send: (message, bytes) => p.sendMs + p.sendPerKiBMs * bytes / 1024 + (connects(message) ? p.connectMs : 0)
  }
}
