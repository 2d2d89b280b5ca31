import { deliveryProgress } from './cluster.ts'
import { formCluster, percentile, prng } from './run.ts'
import type { WorkerHandle } from './cluster.ts'
import type { ProtocolName, TransportName, WorkerSnapshot } from './messages.ts'
import type { RunConfig } from './run.ts'

/** One offered load: `rate` messages/s in total from seeded random publishers, `size`-byte payloads */
export interface SweepStep {
  rate: number
  size: number
  /** seconds of publishing */
  duration: number
  /** builds the tree before the measured steps; reported, never a knee */
  warmUp?: boolean
}

export interface StepResult {
  /** the warm-up step (SweepStep.warmUp) */
  warmUp?: boolean
  rate: number
  size: number
  messages: number
  /** first deliveries by the step's deadline (publishing's end plus the drain) over those owed */
  deliveryRatio: number
  /** first deliveries at any time before the run's report (late ones included) over those owed */
  eventualDeliveryRatio: number
  /** delivery (by the deadline) of the step's first and second half of messages: a fall within a step is a collapse */
  firstHalfDelivery: number
  secondHalfDelivery: number
  collapsed: boolean
  latencyMs: { p50: number, p95: number, p99: number }
  /** all wire bytes sent in the step window over first deliveries in it */
  bytesPerDelivered: number
  cpuSeconds: number
  /** CPU of all processes over wall time × cores */
  machineUtilisation: number
  rssPerNodeMB: number
  loopDelayP99Ms: number
  /** the machine could not keep up: event-loop delay P99 over 500 ms or CPU over 90% of the cores */
  saturated: boolean
  /**
   * plumtree only (gossipsub reports no such counters): payload frames sent, copies that arrived
   * already seen (and of those, on lazy links and answering grafts), grafts, prunes, IHAVEs
   * sent and IHAVE entries withdrawn before sending (§7.3), origin keys carried with a message
   * and accepted (~2.1 kB each, SPEC.md §7.10), flood
   * copies (§7.3) and topic links dropped, each per first delivery in the step window: where
   * its bytes and repairs go
   */
  perDelivery?: Record<typeof PER_DELIVERY[number][0], number>
  /**
   * latencies of the step's messages split by whether the message was its publisher's first of
   * the run (plumtree carries and checks the origin's binding with those at every hop, SPEC.md
   * §7.10) or a later one; count is deliveries
   */
  byOrigin: { first: LatencySummary, repeat: LatencySummary }
  /**
   * plumtree only: membership churn in the step window, summed over the nodes. Active-view
   * removals by reason (`unresponsive` is SPEC.md §6.10's option), SWIM suspicions raised and
   * dead verdicts declared; no node fails in a sweep, so every verdict is a false one
   */
  membership?: { neighborsDown: Record<string, number>, suspicions: number, deaths: number }
}

export interface LatencySummary { count: number, p50: number, p99: number }

export interface SweepRun {
  protocol: ProtocolName
  transport: TransportName
  nodes: number
  formed: boolean
  formationMs: number
  /** `settleWaitSeconds`: how long after `settleSeconds` connections were still opening (the window waits for them) */
  idle: { cpuMsPerNodePerSecond: number, bytesPerNodePerSecond: number, seconds: number, settleWaitSeconds: number, framesPerNodePerSecond: Record<string, number> }
  /** CPU of every process from its start to the end of the sweep, formation included, s */
  totalCpuSeconds: number
  steps: StepResult[]
  /**
   * the step (rate × size) whose snapshot a worker could not answer within STEP_REPLY_TIMEOUT:
   * the processes were too far behind to measure; later steps were not run
   */
  unresponsiveAt?: { rate: number, size: number }
  /** highest 1 KiB rate with ≥ 99.9% delivery and P99 ≤ 1 s (null: none) */
  knee: number | null
  /** plumtree only: StepResult.membership over the whole run, from the nodes' start (formation included) to the end */
  membership?: StepResult['membership']
}

export interface SweepConfig extends Omit<RunConfig, 'rate' | 'duration' | 'size' | 'protocol' | 'transport'> {
  steps: SweepStep[]
  idleSeconds: number
  /** wait after formation before the idle window, s (views may still be filling) */
  settleSeconds: number
  cores: number
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000

/**
 * How long a saturated worker may take to answer between steps (its event loop can lag by
 * tens of seconds at the top rates) before the run stops stepping up; the report after the
 * last step waits twice as long (the backlog drains once publishing stops)
 */
const STEP_REPLY_TIMEOUT = 180_000

async function snapshot (workers: WorkerHandle[], timeoutMs?: number): Promise<WorkerSnapshot[]> {
  return (await Promise.all(workers.map(async w => w.request({ type: 'snapshot' }, 'snapshot', timeoutMs)))).map(m => m.snapshot)
}

async function activeViews (workers: WorkerHandle[]): Promise<string> {
  const sizes = (await Promise.all(workers.map(async w => w.request({ type: 'status' }, 'status')))).flatMap(s => s.nodes.map(n => n.members)).sort((a, b) => a - b)
  return `${sizes[0]}/${sizes[Math.floor(sizes.length / 2)]}/${sizes[sizes.length - 1]}`
}

/** Longest wait for the overlay to stop opening connections before the idle window, s */
const MAX_SETTLE_SECONDS = 30

/**
 * Waits, one second at a time, until a second passes with no connection opened (at most
 * MAX_SETTLE_SECONDS); returns the seconds waited. The idle window measures a formed overlay:
 * membership views that still grow after the topic overlay formed (SPEC.md §5.5) open
 * connections, each ~18 ms of CPU, which is formation's cost, not idle cost
 */
async function waitForQuietConnections (workers: WorkerHandle[]): Promise<number> {
  const opened = (snaps: WorkerSnapshot[]): number => snaps.reduce((a, s) => a + (s.counters.connectionsOpened ?? 0), 0)
  let before = opened(await snapshot(workers))
  for (let waited = 0; waited < MAX_SETTLE_SECONDS; waited++) {
    await sleep(1000)
    const now = opened(await snapshot(workers))
    if (now === before) {
      return waited
    }
    before = now
  }
  return MAX_SETTLE_SECONDS
}

function sum (snaps: WorkerSnapshot[], key: 'cpuSeconds' | 'bytesSent' | 'rssBytes'): number {
  return snaps.reduce((a, s) => a + s[key], 0)
}

/** Per-node per-second rates of the frame counters that moved between two snapshots */
function counterRates (before: WorkerSnapshot[], after: WorkerSnapshot[], nodeSeconds: number): Record<string, number> {
  const total = (snaps: WorkerSnapshot[]): Record<string, number> => {
    const out: Record<string, number> = {}
    for (const s of snaps) {
      for (const [k, v] of Object.entries(s.counters)) {
        out[k] = (out[k] ?? 0) + v
      }
    }
    return out
  }
  const a = total(before)
  const b = total(after)
  const rates: Record<string, number> = {}
  for (const [k, v] of Object.entries(b)) {
    const d = v - (a[k] ?? 0)
    // frames sent by type, and connection churn (each new connection is a handshake and identify)
    if (d > 0 && (k.includes('Out.') || k === 'connectionsOpened' || k === 'connectionsClosed')) {
      rates[k] = r3(d / nodeSeconds)
    }
  }
  return rates
}

function latencySummary (lat: number[]): LatencySummary {
  lat.sort((a, b) => a - b)
  return { count: lat.length, p50: r3(percentile(lat, 50)), p99: r3(percentile(lat, 99)) }
}

/** What `perDelivery` reports, and the worker counter each comes from */
const PER_DELIVERY = [
  ['payloads', 'payloadsSent'], ['duplicates', 'duplicates'], ['grafts', 'grafts'], ['prunes', 'prunes'],
  ['ihaves', 'ihaveSent'], ['ihaveEntriesWithdrawn', 'ihavesWithdrawn'], ['bindings', 'originsCarried'], ['floodCopies', 'floodSent'],
  ['duplicatesOnLazy', 'duplicatesOnLazy'], ['duplicatesRepair', 'duplicatesRepair'], ['topicLinksDown', 'topicLinksDown']
] as const

/** How far counter `k`, summed over the workers, moved between two snapshots */
function counterMoved (before: WorkerSnapshot[], after: WorkerSnapshot[], k: string): number {
  const total = (snaps: WorkerSnapshot[]): number => snaps.reduce((a, s) => a + (s.counters[k] ?? 0), 0)
  return total(after) - total(before)
}

/** Plumtree's counters (PER_DELIVERY) moved between two snapshots, per delivery */
function perDelivery (before: WorkerSnapshot[], after: WorkerSnapshot[], delivered: number): NonNullable<StepResult['perDelivery']> {
  return Object.fromEntries(PER_DELIVERY.map(([name, counter]) => [name, r3(counterMoved(before, after, counter) / delivered)])) as NonNullable<StepResult['perDelivery']>
}

/** Membership churn (StepResult.membership) between two snapshots */
function membershipChurn (before: WorkerSnapshot[], after: WorkerSnapshot[]): NonNullable<StepResult['membership']> {
  const neighborsDown: Record<string, number> = {}
  const keys = new Set(after.flatMap(s => Object.keys(s.counters)).filter(k => k.startsWith('neighborDown.')))
  for (const k of [...keys].sort()) {
    const moved = counterMoved(before, after, k)
    if (moved > 0) {
      neighborsDown[k.slice('neighborDown.'.length)] = moved
    }
  }
  return {
    neighborsDown,
    suspicions: counterMoved(before, after, 'swim.suspicionsRaised'),
    deaths: counterMoved(before, after, 'swim.deathsDeclared')
  }
}

const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** Longest wait after the last step for copies still on their way, s */
const MAX_STRAGGLER_SECONDS = 30
/** Deliveries unchanged this long (two of the workers' 2 s progress reports) end that wait, ms */
const STRAGGLER_QUIET_MS = 4_500

/**
 * Waits after the last step until every delivery owed has been made, or none came for
 * STRAGGLER_QUIET_MS, or MAX_STRAGGLER_SECONDS passed. `eventualDeliveryRatio` counts what
 * arrived by the final report: asked for straight after the last drain, it called late copies
 * lost (plumtree at 40 msg/s: 91–95% by then, all 100% 15 s later; benchmarks/README.md,
 * twenty-eighth session)
 */
async function waitForStragglers (total: () => number, expected: number): Promise<{ delivered: number, expected: number, seconds: number }> {
  const began = Date.now()
  let last = total()
  let lastChange = began
  while (last < expected && Date.now() - began < MAX_STRAGGLER_SECONDS * 1000 && Date.now() - lastChange < STRAGGLER_QUIET_MS) {
    await sleep(500)
    const now = total()
    if (now !== last) {
      last = now
      lastChange = Date.now()
    }
  }
  return { delivered: last, expected, seconds: Math.round((Date.now() - began) / 100) / 10 }
}

/** The knee: the highest rate of the 1 KiB steps that delivers ≥ 99.9% with P99 ≤ 1 s */
export function knee (steps: StepResult[], size = 1024): number | null {
  let best: number | null = null
  for (const s of steps) {
    if (s.warmUp !== true && s.size === size && s.deliveryRatio >= 0.999 && s.latencyMs.p99 <= 1000) {
      best = Math.max(best ?? 0, s.rate)
    }
  }
  return best
}

/**
 * One protocol on one transport through every step on one formed overlay: formation,
 * an idle window (no traffic), then each offered load in turn with a drain after it.
 */
export async function runSweep (config: SweepConfig, protocol: ProtocolName, transport: TransportName): Promise<SweepRun> {
  const { log } = config
  const topic = 'saorsa/bench'
  const plan = config.steps.map(s => ({ ...s, messages: Math.round(s.rate * s.duration) }))
  const total = plan.reduce((a, s) => a + s.messages, 0)
  const cluster = await formCluster({ ...config, protocol, transport, rate: 0, duration: 0, size: 0 }, topic, total)
  const { workers, label } = cluster
  try {
    await sleep(config.settleSeconds * 1000)
    const settled = await waitForQuietConnections(workers)
    if (settled > 0) {
      log(`  ${label}: connections still opening after formation; the idle window began ${settled} s later`)
    }
    const viewsBefore = await activeViews(workers)
    const idleStart = await snapshot(workers)
    const idleBegan = Date.now()
    await sleep(config.idleSeconds * 1000)
    const idleEnd = await snapshot(workers)
    const idleWall = (Date.now() - idleBegan) / 1000
    const idle = {
      cpuMsPerNodePerSecond: r3((sum(idleEnd, 'cpuSeconds') - sum(idleStart, 'cpuSeconds')) * 1000 / config.nodes / idleWall),
      bytesPerNodePerSecond: Math.round((sum(idleEnd, 'bytesSent') - sum(idleStart, 'bytesSent')) / config.nodes / idleWall),
      seconds: r3(idleWall),
      settleWaitSeconds: settled,
      framesPerNodePerSecond: counterRates(idleStart, idleEnd, config.nodes * idleWall)
    }
    log(`  ${label}: idle ${idle.cpuMsPerNodePerSecond} ms CPU and ${idle.bytesPerNodePerSecond} B sent per node per second`)
    if (protocol === 'plumtree') {
      // views still filling after formation cost NEIGHBOR requests and new connections
      log(`  ${label}: membership active views (min/median/max) ${viewsBefore} at the idle window's start, ${await activeViews(workers)} at its end`)
    }
    await Promise.all(workers.map(async w => w.request({ type: 'measure-begin' }, 'ready')))
    const deliveredSoFar = deliveryProgress(workers)

    const rand = prng(config.seed)
    const publisherOf: number[] = []
    const windows: Array<{ before: WorkerSnapshot[], after: WorkerSnapshot[], wall: number, first: number, deadline: number }> = []
    let first = 0
    let unresponsiveAt: SweepRun['unresponsiveAt']
    for (const step of plan) {
      const items: Array<{ at: number, node: number, msg: number }> = []
      for (let k = 0; k < step.messages; k++) {
        const node = Math.floor(rand() * config.nodes)
        publisherOf.push(node)
        items.push({ at: Math.round(k * 1000 / step.rate), node, msg: first + k })
      }
      let before: WorkerSnapshot[]
      let after: WorkerSnapshot[]
      let deadline = Infinity
      const began = Date.now()
      try {
        before = await snapshot(workers, STEP_REPLY_TIMEOUT)
        const startAt = Date.now() + 500
        deadline = startAt + step.duration * 1000 + config.drain
        workers.forEach((w, k) => { w.send({ type: 'schedule', startAt, size: step.size, items: items.filter(it => it.node % workers.length === k) }) })
        await sleep(500 + step.duration * 1000 + config.drain)
        after = await snapshot(workers, STEP_REPLY_TIMEOUT)
      } catch (err: any) {
        // a worker this far behind cannot be measured: stop stepping up, keep what was measured
        unresponsiveAt = { rate: step.rate, size: step.size }
        log(`  ${label}: ${step.rate} msg/s of ${step.size} B: workers unresponsive (${err.message}); no further steps`)
        break
      }
      windows.push({ before, after, wall: (Date.now() - began) / 1000, first, deadline })
      log(`  ${label}: ${step.warmUp === true ? 'warm-up, ' : ''}${step.rate} msg/s of ${step.size} B done`)
      first += step.messages
    }
    const waited = await waitForStragglers(deliveredSoFar, first * (config.nodes - 1))
    log(`  ${label}: ${waited.delivered}/${waited.expected} deliveries after ${waited.seconds} s more for late copies`)
    const reports = (await Promise.all(workers.map(async w => w.request({ type: 'report', perMessage: true }, 'report', 2 * STEP_REPLY_TIMEOUT)))).map(r => r.report)
    const latencyOf = reports.flatMap(r => r.perMessage ?? [])
    // the first message of each publisher in the run
    const firstOfPublisher = new Set(publisherOf.map(node => publisherOf.indexOf(node)))
    const steps = plan.slice(0, windows.length).map((step, i) => {
      const w = windows[i]
      const lat: number[] = []
      const latFirst: number[] = []
      const latRepeat: number[] = []
      let delivered = 0
      let eventually = 0
      let firstHalf = 0
      const half = Math.floor(step.messages / 2)
      for (const { index, latency, deliveredAt } of latencyOf) {
        for (let m = w.first; m < w.first + step.messages; m++) {
          if (publisherOf[m] === index || !Number.isFinite(latency[m])) {
            continue
          }
          eventually++
          lat.push(latency[m])
          ;(firstOfPublisher.has(m) ? latFirst : latRepeat).push(latency[m])
          // a delivery counts for the step only by its deadline (publishing's end plus the
          // drain): a worker far behind answers the next snapshot late, and its backlog
          // would otherwise count for as long as that took (benchmarks/README.md, eighteenth session)
          if (deliveredAt[m] > w.deadline) {
            continue
          }
          delivered++
          if (m - w.first < half) {
            firstHalf++
          }
        }
      }
      lat.sort((a, b) => a - b)
      // every node but the publisher is owed each message
      const owed = (from: number, to: number): number => (to - from) * (config.nodes - 1)
      const expectedFirst = owed(w.first, w.first + half)
      const expectedSecond = owed(w.first + half, w.first + step.messages)
      const firstHalfDelivery = expectedFirst === 0 ? 1 : firstHalf / expectedFirst
      const secondHalfDelivery = expectedSecond === 0 ? 1 : (delivered - firstHalf) / expectedSecond
      const cpu = sum(w.after, 'cpuSeconds') - sum(w.before, 'cpuSeconds')
      const utilisation = cpu / (w.wall * config.cores)
      const loopDelayP99Ms = Math.max(...w.after.map(s => s.loopDelayMs.p99))
      const result: StepResult = {
        ...(step.warmUp === true ? { warmUp: true } : {}),
        rate: step.rate,
        size: step.size,
        messages: step.messages,
        deliveryRatio: r3(delivered / Math.max(1, owed(w.first, w.first + step.messages))),
        eventualDeliveryRatio: r3(eventually / Math.max(1, owed(w.first, w.first + step.messages))),
        firstHalfDelivery: r3(firstHalfDelivery),
        secondHalfDelivery: r3(secondHalfDelivery),
        collapsed: secondHalfDelivery < firstHalfDelivery - 0.05,
        latencyMs: { p50: r3(percentile(lat, 50)), p95: r3(percentile(lat, 95)), p99: r3(percentile(lat, 99)) },
        bytesPerDelivered: delivered === 0 ? NaN : Math.round((sum(w.after, 'bytesSent') - sum(w.before, 'bytesSent')) / delivered),
        cpuSeconds: r3(cpu),
        machineUtilisation: r3(utilisation),
        rssPerNodeMB: r3(sum(w.after, 'rssBytes') / config.nodes / 2 ** 20),
        loopDelayP99Ms: r3(loopDelayP99Ms),
        saturated: loopDelayP99Ms > 500 || utilisation > 0.9,
        ...(protocol === 'plumtree' && delivered > 0 ? { perDelivery: perDelivery(w.before, w.after, delivered) } : {}),
        byOrigin: { first: latencySummary(latFirst), repeat: latencySummary(latRepeat) },
        ...(protocol === 'plumtree' ? { membership: membershipChurn(w.before, w.after) } : {})
      }
      return result
    })
    const end = await snapshot(workers, 2 * STEP_REPLY_TIMEOUT)
    return {
      protocol,
      transport,
      nodes: config.nodes,
      formed: cluster.formed,
      formationMs: cluster.formationMs,
      idle,
      totalCpuSeconds: r3(sum(end, 'cpuSeconds')),
      steps,
      ...(unresponsiveAt != null ? { unresponsiveAt } : {}),
      knee: knee(steps),
      ...(protocol === 'plumtree' ? { membership: membershipChurn([], end) } : {})
    }
  } finally {
    await Promise.all(workers.map(async w => w.stop()))
  }
}
