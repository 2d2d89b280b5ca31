import { createHash } from 'node:crypto'
import { percentile } from '@saorsa-gossip/core'
import { WorkerHandle, deliveryProgress } from './cluster.ts'
import { listenAddr, peerIdFor } from './stack.ts'
import type { NodeSpec, ProtocolName, TransportName, WorkerReport } from './messages.ts'

export interface RunConfig {
  protocol: ProtocolName
  transport: TransportName
  nodes: number
  workers: number
  /** messages per second, all publishers together */
  rate: number
  /** seconds of publishing */
  duration: number
  /** payload bytes */
  size: number
  seed: number
  /** contacts per node: plumtree joins through them, gossipsub dials them */
  contacts: number
  /** wait after the last publish, ms */
  drain: number
  formationTimeout: number
  log(line: string): void
  options?: Record<string, unknown>
}

export interface RunResult {
  protocol: ProtocolName
  transport: TransportName
  nodes: number
  messages: number
  expectedDeliveries: number
  /** first deliveries by the deadline (publishing's end plus the drain) */
  delivered: number
  deliveryRatio: number
  /** first deliveries by the time the workers answered the report (later when they lag) */
  eventuallyDelivered: number
  eventualDeliveryRatio: number
  duplicatesToApps: number
  latencyMs: { p50: number, p95: number, p99: number, max: number }
  /** latency CDF: [ms, fraction] pairs */
  cdf: Array<[number, number]>
  bytesSent: number
  bytesPerDelivered: number
  cpuSeconds: number
  cpuSecondsPerNode: number
  rssPerNodeMB: { mean: number, max: number }
  /** worst process's event-loop delay during the measured window, ms */
  loopDelayMs: { p50: number, p99: number, max: number }
  /** CPU of all processes from start to the measured window (formation), s */
  setupCpuSeconds: number
  formationMs: number
  formed: boolean
  counters: Record<string, number>
  publishErrors: number
  unsupportedConnections: number
  /** delivery ratio of the worst node */
  worstNodeDelivery: number
  perNodeDelivery: number[]
}

/** Deterministic 32-bit PRNG (mulberry32): the same schedule for every protocol */
export function prng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** core's nearest-rank percentile over sorted samples (NaN for none), for the net modules */
export { percentile }

/** Start waves of doubling size (1, 2, 4, 8, then 10 at a time); contacts come from earlier waves only */
function waves (n: number, cap = 10): number[][] {
  const out: number[][] = []
  let next = 0
  let size = 1
  while (next < n) {
    const first = next
    out.push(Array.from({ length: Math.min(size, n - first) }, (_, k) => first + k))
    next += size
    size = Math.min(cap, size * 2)
  }
  return out
}

export async function buildSpecs (config: Pick<RunConfig, 'nodes' | 'seed' | 'contacts' | 'transport'>, basePort: number): Promise<{ specs: NodeSpec[], waves: number[][], addrs: string[] }> {
  const rand = prng(config.seed * 7919 + 17)
  const seeds = Array.from({ length: config.nodes }, (_, i) => createHash('sha256').update(`saorsa-bench/${config.seed}/${i}`).digest('hex'))
  const ids = await Promise.all(seeds.map(async s => peerIdFor(s)))
  const addrs = ids.map((id, i) => `${listenAddr(config.transport, basePort + i)}/p2p/${id}`)
  const plan = waves(config.nodes)
  const specs: NodeSpec[] = []
  let earlier: number[] = []
  for (const wave of plan) {
    for (const i of wave) {
      const pool = earlier.slice()
      const contacts: string[] = []
      while (contacts.length < config.contacts && pool.length > 0) {
        contacts.push(addrs[pool.splice(Math.floor(rand() * pool.length), 1)[0]])
      }
      specs.push({ index: i, seed: seeds[i], port: basePort + i, contacts })
    }
    earlier = earlier.concat(wave)
  }
  specs.sort((a, b) => a.index - b.index)
  return { specs, waves: plan, addrs }
}

/** A started cluster: its worker processes and how long the topic overlay took to form */
export interface Cluster {
  workers: WorkerHandle[]
  specs: NodeSpec[]
  formationMs: number
  formed: boolean
  label: string
}

/**
 * Starts N nodes over W processes in waves and waits until every node has ≥ 2 topic
 * neighbours (or the formation timeout). Formation time counts from the last node's start.
 */
export async function formCluster (config: RunConfig, topic: string, messages: number): Promise<Cluster> {
  const { log } = config
  // below the ephemeral range (32768+ on Linux), so no outgoing socket holds a listen port
  const basePort = 10_000 + Math.floor(Math.random() * 20_000)
  const { specs, waves: plan } = await buildSpecs(config, basePort)
  const workers = Array.from({ length: config.workers }, (_, w) => new WorkerHandle(w))
  const label = `${config.protocol}/${config.transport}`
  try {
    await Promise.all(workers.map(async (w, k) => w.request({ type: 'init', protocol: config.protocol, transport: config.transport, topic, nodes: specs.filter(s => s.index % workers.length === k), messages, options: config.options }, 'ready')))
    let started = 0
    const firstStart = Date.now()
    for (const wave of plan) {
      await Promise.all(workers.map(async (w, k) => {
        const indices = wave.filter(i => i % workers.length === k)
        if (indices.length > 0) {
          await w.request({ type: 'start', indices }, 'started')
        }
      }))
      started += wave.length
    }
    log(`  ${label}: ${started} nodes started in ${workers.length} processes`)
    const formStart = Date.now()
    let formed = false
    let lastLog = 0
    while (Date.now() - formStart < config.formationTimeout) {
      const statuses = (await Promise.all(workers.map(async w => w.request({ type: 'status' }, 'status')))).flatMap(s => s.nodes)
      const ready = statuses.filter(s => s.topicPeers >= 2).length
      if (ready === config.nodes) {
        formed = true
        break
      }
      if (Date.now() - lastLog > 3_000) {
        lastLog = Date.now()
        const members = config.protocol === 'plumtree' ? `, ${statuses.filter(s => s.members >= 4).length} ≥ 4 membership neighbours, ${statuses.reduce((n, s) => n + s.connections, 0)} connection ends` : ''
        log(`  ${label}: forming: ${ready}/${config.nodes} nodes have ≥ 2 topic neighbours${members}`)
        if (process.env.BENCH_DEBUG != null) {
          log(`    topic peers/connections: ${statuses.sort((a, b) => a.index - b.index).map(s => `${s.topicPeers}/${s.subscribers}/${s.pubsubPeers}/${s.connections}`).join(' ')}`)
        }
      }
      await new Promise(resolve => setTimeout(resolve, 500))
    }
    const formationMs = Date.now() - formStart
    log(`  ${label}: overlay ${formed ? 'formed' : 'NOT fully formed'} after ${(formationMs / 1000).toFixed(1)} s (${((Date.now() - firstStart) / 1000).toFixed(1)} s after the first node started)`)
    return { workers, specs, formationMs, formed, label }
  } catch (err) {
    await Promise.all(workers.map(async w => w.stop()))
    throw err
  }
}

/** N real libp2p nodes over W processes: form, publish on a schedule, measure (see benchmarks/README.md) */
export async function runNetwork (config: RunConfig): Promise<RunResult> {
  const { log } = config
  const topic = 'saorsa/bench'
  const messages = Math.round(config.rate * config.duration)
  const { workers, formationMs, formed, label } = await formCluster(config, topic, messages)
  try {
    log(`  ${label}: publishing ${messages} messages of ${config.size} B over ${config.duration} s`)
    await new Promise(resolve => setTimeout(resolve, 2_000))
    await Promise.all(workers.map(async w => w.request({ type: 'measure-begin' }, 'ready')))

    const rand = prng(config.seed)
    const publisherOf: number[] = []
    const items = Array.from({ length: messages }, (_, m) => {
      const node = Math.floor(rand() * config.nodes)
      publisherOf.push(node)
      return { at: Math.round(m * 1000 / config.rate), node, msg: m }
    })
    const startAt = Date.now() + 1_000
    workers.forEach((w, k) => { w.send({ type: 'schedule', startAt, size: config.size, items: items.filter(it => it.node % workers.length === k) }) })
    const deliveredSoFar = deliveryProgress(workers)
    const expected = messages * (config.nodes - 1)
    const end = startAt + config.duration * 1000 + config.drain
    while (Date.now() < end) {
      await new Promise(resolve => setTimeout(resolve, Math.min(5_000, Math.max(0, end - Date.now()))))
      const got = deliveredSoFar()
      log(`  ${label}: ${Math.max(0, Math.min(config.duration, (Date.now() - startAt) / 1000)).toFixed(0)}/${config.duration} s, ${got}/${expected} deliveries`)
    }
    const reports = (await Promise.all(workers.map(async w => w.request({ type: 'report', perMessage: true }, 'report')))).map(r => r.report)
    return summarise(config, reports, publisherOf, formationMs, formed, end)
  } finally {
    await Promise.all(workers.map(async w => w.stop()))
  }
}

/**
 * Sums the workers' reports. With `deadline` (wall clock, ms: publishing's end plus the drain)
 * a delivery counts only if it happened by then: a worker whose event loop is far behind
 * answers the report late and would otherwise have its backlog counted for as long as it
 * took to answer (benchmarks/README.md, eighteenth session). Deliveries at any time before
 * the report are `eventuallyDelivered`; latency percentiles cover all of them.
 */
export function summarise (config: RunConfig, reports: WorkerReport[], publisherOf: number[], formationMs: number, formed: boolean, deadline = Infinity): RunResult {
  const messages = publisherOf.length
  let delivered = 0
  let eventually = 0
  let duplicates = 0
  const perNode: number[] = []
  for (const r of reports) {
    const times = new Map((r.perMessage ?? []).map(p => [p.index, p.deliveredAt]))
    for (const { index, counts } of r.counts) {
      const at = times.get(index)
      // NaN or no time reported (reports without per-message data) counts as on time
      const onTime = (m: number): boolean => at == null || !(at[m] > deadline)
      let mine = 0
      let owed = 0
      for (let m = 0; m < messages; m++) {
        if (publisherOf[m] === index) {
          continue
        }
        owed++
        if (counts[m] > 0) {
          eventually++
          duplicates += counts[m] - 1
          const counted = onTime(m) ? 1 : 0
          delivered += counted
          mine += counted
        }
      }
      perNode[index] = owed === 0 ? 1 : mine / owed
    }
  }
  const latencies = reports.flatMap(r => r.latencies).sort((a, b) => a - b)
  const cdf: Array<[number, number]> = []
  const points = Math.min(200, latencies.length)
  for (let k = 1; k <= points; k++) {
    const idx = Math.ceil(k / points * latencies.length) - 1
    cdf.push([Math.round(latencies[idx] * 10) / 10, k / points])
  }
  const bytesSent = reports.reduce((a, r) => a + r.bytesSent, 0)
  const cpu = reports.reduce((a, r) => a + r.cpuSeconds, 0)
  const rss = reports.map(r => r.rssBytes / r.nodes / 2 ** 20)
  const counters: Record<string, number> = {}
  for (const r of reports) {
    for (const [k, v] of Object.entries(r.counters)) {
      counters[k] = (counters[k] ?? 0) + v
    }
  }
  const expected = messages * (config.nodes - 1)
  const r3 = (x: number): number => Math.round(x * 1000) / 1000
  return {
    protocol: config.protocol,
    transport: config.transport,
    nodes: config.nodes,
    messages,
    expectedDeliveries: expected,
    delivered,
    deliveryRatio: expected === 0 ? 1 : r3(delivered / expected),
    eventuallyDelivered: eventually,
    eventualDeliveryRatio: expected === 0 ? 1 : r3(eventually / expected),
    duplicatesToApps: duplicates,
    latencyMs: { p50: r3(percentile(latencies, 50)), p95: r3(percentile(latencies, 95)), p99: r3(percentile(latencies, 99)), max: r3(latencies[latencies.length - 1] ?? NaN) },
    cdf,
    bytesSent,
    // bytes are counted up to the report, so over every delivery up to it
    bytesPerDelivered: eventually === 0 ? NaN : Math.round(bytesSent / eventually),
    cpuSeconds: r3(cpu),
    cpuSecondsPerNode: r3(cpu / config.nodes),
    rssPerNodeMB: { mean: r3(rss.reduce((a, b) => a + b, 0) / rss.length), max: r3(Math.max(...rss)) },
    loopDelayMs: { p50: r3(Math.max(...reports.map(r => r.loopDelayMs.p50))), p99: r3(Math.max(...reports.map(r => r.loopDelayMs.p99))), max: r3(Math.max(...reports.map(r => r.loopDelayMs.max))) },
    setupCpuSeconds: r3(reports.reduce((a, r) => a + r.setupCpuSeconds, 0)),
    formationMs,
    formed,
    counters,
    publishErrors: reports.reduce((a, r) => a + r.publishErrors, 0),
    unsupportedConnections: reports.reduce((a, r) => a + r.unsupportedConnections, 0),
    worstNodeDelivery: r3(Math.min(...perNode.filter(x => x != null))),
    perNodeDelivery: perNode.map(r3)
  }
}
