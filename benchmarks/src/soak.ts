/**
 * Churn soak with real processes: N libp2p nodes (membership + plumtree over TCP, the
 * 100-node benchmark's stack), one per child process, for a fixed time. At a steady rate one
 * node is SIGKILLed and restarted a few seconds later (same key, port and ML-DSA-65 identity,
 * as after a crash) or SIGSTOPped and resumed, while live nodes publish `rate` messages/s.
 * A third of the nodes are never touched: every message a live node published must reach
 * all of them. Also measured: their RSS and heap (after a full GC) over the second half, the
 * streams open after the run, and what a stopped node leaves scheduled.
 *
 * Usage: node dist/src/soak.js [--quick] [--nodes 30] [--duration s] [--rate 5] [--seed 1]
 * [--churn-every s] [--stable n] [--drain s] [--port p] [--trace-timers]
 * Writes every sample of the untouched nodes to benchmarks/results/soak-samples.json. One
 * progress line per sample while running; the JSON summary is the last line. Exit status 1
 * when a message published by a live node did not reach every untouched node.
 */
import { fork } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { buildSpecs, prng } from './net/run.ts'
import type { NodeSpec } from './net/messages.ts'
import type { FromNode, NodeSample, ToNode } from './soak/messages.ts'
import type { ChildProcess } from 'node:child_process'

const args = process.argv.slice(2)
const arg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const quick = args.includes('--quick')
const config = {
  nodes: Number(arg('nodes') ?? 30),
  /** seconds of churn and publishing; quick keeps the whole run near two minutes */
  duration: Number(arg('duration') ?? (quick ? 80 : 600)),
  rate: Number(arg('rate') ?? 5),
  seed: Number(arg('seed') ?? 1),
  /** one kill or stop every this many seconds */
  churnEvery: Number(arg('churn-every') ?? (quick ? 4 : 6)),
  /** nodes never killed or stopped: the subscribers every message must reach */
  stable: Number(arg('stable') ?? 10),
  /** seconds after the last publish for anti-entropy to repair what churn cut */
  drain: Number(arg('drain') ?? (quick ? 15 : 30)),
  sampleEvery: quick ? 5 : 10,
  size: 256,
  /** never more than this many nodes down or stopped at once */
  maxDown: 3,
  /** a publisher killed this soon after publishing may take the message with it: reported apart */
  graceMs: 10_000,
  port: arg('port') != null ? Number(arg('port')) : 20_000 + Math.floor(Math.random() * 20_000),
  /** record where each timer was made, to name those still scheduled after stop */
  traceTimers: args.includes('--trace-timers')
}
const TOPIC = 'saorsa/soak'
const resultsDir = path.join(import.meta.dirname, '..', '..', 'results')
const rand = prng(config.seed * 104_729 + 3)
const started = Date.now()
const print = (line: string): void => { process.stdout.write(line + '\n') }
const elapsed = (): string => `${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s`
const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

type State = 'starting' | 'up' | 'stopped' | 'down'

interface Slot {
  index: number
  spec: NodeSpec
  identitySeed: string
  stable: boolean
  state: State
  child?: ChildProcess
  upSince: number
  kills: number[]
  stops: number[]
  exitedUnexpectedly: number
  waiting: Map<string, (message: FromNode) => void>
}

const live = new Set<ChildProcess>()
const killAll = (): void => {
  for (const child of live) {
    child.kill('SIGCONT')
    child.kill('SIGKILL')
  }
}
process.on('exit', killAll)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => { killAll(); process.exit(130) })
}

const published: Array<{ msg: number, publisher: number, at: number }> = []
const requested = new Set<number>()
let publishErrors = 0
let nodeErrors = 0

function onMessage (slot: Slot, child: ChildProcess, message: FromNode): void {
  if (slot.child !== child) {
    return
  }
  if (message.type === 'published') {
    requested.delete(message.msg)
    if (message.error == null) {
      published.push({ msg: message.msg, publisher: slot.index, at: message.at })
    } else {
      publishErrors++
    }
    return
  }
  if (message.type === 'error') {
    nodeErrors++
    process.stderr.write(`node ${slot.index}: ${message.message}\n`)
    return
  }
  const resolve = slot.waiting.get(message.type)
  slot.waiting.delete(message.type)
  resolve?.(message)
}

async function request<T extends FromNode['type']> (slot: Slot, message: ToNode, reply: T, timeoutMs: number): Promise<Extract<FromNode, { type: T }> | undefined> {
  const child = slot.child
  if (child == null) {
    return undefined
  }
  return new Promise(resolve => {
    const timer = setTimeout(() => { slot.waiting.delete(reply); resolve(undefined) }, timeoutMs)
    slot.waiting.set(reply, (m) => { clearTimeout(timer); resolve(m as Extract<FromNode, { type: T }>) })
    child.send(message)
  })
}

async function spawn (slot: Slot, contacts: string[]): Promise<void> {
  const child = fork(path.join(import.meta.dirname, 'soak', 'node.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: ['--expose-gc', '--max-old-space-size=1024']
  })
  live.add(child)
  slot.child = child
  slot.state = 'starting'
  slot.waiting = new Map()
  child.on('message', (m: FromNode) => { onMessage(slot, child, m) })
  child.on('exit', (code, signal) => {
    live.delete(child)
    if (slot.child === child && slot.state !== 'down') {
      // not a kill of ours: a crash, which the report must show
      slot.exitedUnexpectedly++
      slot.state = 'down'
      print(`${elapsed()} node ${slot.index} exited on its own (${code ?? signal})`)
    }
  })
  const ready = await request(slot, { type: 'init', spec: { ...slot.spec, contacts }, topic: TOPIC, identitySeed: slot.identitySeed, size: config.size, traceTimers: config.traceTimers }, 'started', 180_000)
  if (ready == null) {
    throw new Error(`node ${slot.index} did not start`)
  }
  slot.state = 'up'
  slot.upSince = Date.now()
}

const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]

const { specs, waves, addrs } = await buildSpecs({ nodes: config.nodes, seed: config.seed, contacts: 3, transport: 'tcp' }, config.port)
const stableSet = new Set<number>()
while (stableSet.size < Math.min(config.stable, config.nodes)) {
  stableSet.add(Math.floor(rand() * config.nodes))
}
const slots: Slot[] = specs.map(spec => ({
  index: spec.index,
  spec,
  identitySeed: createHash('sha256').update(`saorsa-soak/${config.seed}/${spec.index}/ml-dsa`).digest('hex'),
  stable: stableSet.has(spec.index),
  state: 'down',
  upSince: 0,
  kills: [],
  stops: [],
  exitedUnexpectedly: 0,
  waiting: new Map()
}))

print(`soak: ${config.nodes} nodes (one process each, TCP, membership + plumtree), ${config.duration} s of churn every ${config.churnEvery} s, ${config.rate} msg/s, ${stableSet.size} untouched subscribers, ports ${config.port}…${config.port + config.nodes - 1}`)

// formation: waves of doubling size, each joining through earlier ones, as the benchmark does
const formStart = Date.now()
for (const wave of waves) {
  await Promise.all(wave.map(async i => spawn(slots[i], slots[i].spec.contacts)))
}
let formed = false
// churn starts only once every node has a topic neighbour: a node that never joined has nothing to lose
while (Date.now() - formStart < 300_000) {
  const samples = await Promise.all(slots.map(async s => request(s, { type: 'sample' }, 'sample', 15_000)))
  if (samples.every(s => s != null && s.sample.topicPeers > 0)) {
    formed = true
    break
  }
  await sleep(1_000)
}
const formationMs = Date.now() - formStart
print(`${elapsed()} formed: ${formed ? 'every node has a topic neighbour' : 'NOT every node has a topic neighbour'} after ${formationMs} ms`)

// churn and publishing
const churnStart = Date.now()
const churnEnd = churnStart + config.duration * 1000
let nextMsg = 0
let kills = 0
let stops = 0
let restarts = 0
const pending: Array<Promise<void>> = []

const publisher = setInterval(() => {
  const candidates = slots.filter(s => s.state === 'up' && Date.now() - s.upSince >= 3_000)
  if (candidates.length === 0) {
    return
  }
  const slot = pick(candidates)
  const msg = nextMsg++
  requested.add(msg)
  slot.child?.send({ type: 'publish', msg } satisfies ToNode)
}, 1000 / config.rate)

const churner = setInterval(() => {
  const out = slots.filter(s => s.state !== 'up').length
  const candidates = slots.filter(s => !s.stable && s.state === 'up' && Date.now() - s.upSince >= 5_000)
  if (out >= config.maxDown || candidates.length === 0) {
    return
  }
  const slot = pick(candidates)
  const child = slot.child
  if (child == null) {
    return
  }
  if (rand() < 0.5) {
    kills++
    slot.kills.push(Date.now())
    slot.state = 'down'
    child.kill('SIGKILL')
    const downMs = 2_000 + Math.floor(rand() * 4_000)
    pending.push((async () => {
      await sleep(downMs)
      // a restarted node joins through whoever is up now, as one would from its peer store
      const others = slots.filter(s => s.state === 'up' && s !== slot)
      const contacts = Array.from({ length: Math.min(3, others.length) }, () => addrs[pick(others).index])
      try {
        await spawn(slot, [...new Set(contacts)])
        restarts++
      } catch (err: any) {
        print(`${elapsed()} node ${slot.index} restart failed: ${String(err?.message ?? err)}`)
      }
    })())
  } else {
    stops++
    slot.stops.push(Date.now())
    slot.state = 'stopped'
    child.kill('SIGSTOP')
    const frozenMs = 2_000 + Math.floor(rand() * 6_000)
    pending.push((async () => {
      await sleep(frozenMs)
      if (slot.child === child && slot.state === 'stopped') {
        child.kill('SIGCONT')
        slot.state = 'up'
      }
    })())
  }
}, config.churnEvery * 1000)

interface Sampled { at: number, index: number, sample: NodeSample }
const samples: Sampled[] = []
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0)

async function sampleStable (): Promise<void> {
  const stable = slots.filter(s => s.stable && s.state === 'up')
  const got = await Promise.all(stable.map(async s => ({ s, r: await request(s, { type: 'sample' }, 'sample', 15_000) })))
  const at = Date.now()
  for (const { s, r } of got) {
    if (r != null) {
      samples.push({ at, index: s.index, sample: r.sample })
    }
  }
  const now = got.flatMap(g => g.r == null ? [] : [g.r.sample])
  const avg = (f: (x: NodeSample) => number): number => now.length === 0 ? NaN : now.reduce((n, x) => n + f(x), 0) / now.length
  const count = (state: State): number => slots.filter(s => s.state === state).length
  const isolated = got.filter(g => g.r != null && (g.r.sample.topicPeers === 0 || g.r.sample.members === 0)).map(g => g.s.index)
  print(`${elapsed()} up ${count('up')}, stopped ${count('stopped')}, down ${count('down') + count('starting')} | kills ${kills}, stops ${stops}, restarts ${restarts} | published ${published.length} (errors ${publishErrors}) | untouched: topic peers min ${Math.min(...now.map(x => x.topicPeers))}, members min ${Math.min(...now.map(x => x.members))}, rss ${mb(avg(x => x.rss))} MB (anon ${mb(avg(x => x.rssAnon))}), heap ${mb(avg(x => x.heap))} of ${mb(avg(x => x.heapTotal))} MB, conns ${avg(x => x.connections).toFixed(1)} to ${avg(x => x.connectedPeers).toFixed(1)} peers, streams ${avg(x => x.streams).toFixed(1)}${isolated.length > 0 ? `, isolated ${isolated.join(',')}` : ''}`)
}

while (Date.now() < churnEnd) {
  await sleep(Math.min(config.sampleEvery * 1000, churnEnd - Date.now()))
  await sampleStable()
}
clearInterval(publisher)
clearInterval(churner)
// resume the frozen and wait for the restarts under way: the drain starts with every node up
for (const slot of slots) {
  if (slot.state === 'stopped') {
    slot.child?.kill('SIGCONT')
    slot.state = 'up'
  }
}
await Promise.all(pending)
print(`${elapsed()} churn over; draining ${config.drain} s for repairs`)
const drainEnd = Date.now() + config.drain * 1000
while (Date.now() < drainEnd) {
  await sleep(Math.min(config.sampleEvery * 1000, drainEnd - Date.now()))
  await sampleStable()
}

// what reached the untouched subscribers
const stable = slots.filter(s => s.stable && s.exitedUnexpectedly === 0)
const reports = new Map<number, Extract<FromNode, { type: 'report' }>>()
for (const s of slots.filter(s => s.state === 'up')) {
  const r = await request(s, { type: 'report' }, 'report', 15_000)
  if (r != null) {
    reports.set(s.index, r)
  }
}
const receivedBy = new Map(stable.map(s => [s.index, new Set(reports.get(s.index)?.received ?? [])]))
let lost = 0
let missingDeliveries = 0
let lostAfterPublisherKilled = 0
let expected = 0
const lostExamples: Array<{ msg: number, publisher: number, atS: number, missingAt: number[] }> = []
for (const m of published) {
  const targets = stable.filter(s => s.index !== m.publisher)
  expected += targets.length
  const missing = targets.filter(s => receivedBy.get(s.index)?.has(m.msg) !== true).map(s => s.index)
  if (missing.length === 0) {
    continue
  }
  const killedSoon = slots[m.publisher].kills.some(k => k >= m.at && k < m.at + config.graceMs)
  if (killedSoon) {
    lostAfterPublisherKilled++
    continue
  }
  lost++
  missingDeliveries += missing.length
  if (lostExamples.length < 5) {
    lostExamples.push({ msg: m.msg, publisher: m.publisher, atS: Math.round((m.at - started) / 1000), missingAt: missing })
  }
}

// growth over the second half of the churn, summed over the untouched nodes
const mid = churnStart + (churnEnd - churnStart) / 2
function growth (field: 'rss' | 'heap' | 'external' | 'heapTotal' | 'rssAnon' | 'connections'): { pct: number, maxNodePct: number } {
  let first = 0
  let last = 0
  let maxNodePct = -Infinity
  for (const s of stable) {
    const series = samples.filter(x => x.index === s.index && x.at >= mid && x.at <= churnEnd + 1_000)
    if (series.length < 2) {
      continue
    }
    const a = series[0].sample[field]
    const b = series[series.length - 1].sample[field]
    first += a
    last += b
    maxNodePct = Math.max(maxNodePct, (b - a) / a * 100)
  }
  return { pct: first === 0 ? NaN : Number(((last - first) / first * 100).toFixed(1)), maxNodePct: Number(maxNodePct.toFixed(1)) }
}
const rssGrowth = growth('rss')
const heapGrowth = growth('heap')
const externalGrowth = growth('external')
const heapTotalGrowth = growth('heapTotal')
const rssAnonGrowth = growth('rssAnon')
const connectionsGrowth = growth('connections')
// every sample of the untouched nodes, to see the shape of a growth and not only its ends
fs.mkdirSync(resultsDir, { recursive: true })
fs.writeFileSync(path.join(resultsDir, 'soak-samples.json'), JSON.stringify({
  churnStartS: (churnStart - started) / 1000,
  churnEndS: (churnEnd - started) / 1000,
  samples: samples.filter(x => slots[x.index].stable).map(x => ({ atS: (x.at - started) / 1000, node: x.index, ...x.sample }))
}))

const after = stable.flatMap(s => { const r = reports.get(s.index); return r == null ? [] : [r.sample] })
/** the untouched nodes' mean of one memory figure after the run, MB */
const mbPerNode = (field: 'rss' | 'heap' | 'external'): number => Number((after.reduce((n, x) => n + x[field], 0) / Math.max(1, after.length) / 2 ** 20).toFixed(1))
/** untouched nodes that ended the run without a topic neighbour or a membership neighbour */
const isolatedAfter = stable.filter(s => { const r = reports.get(s.index); return r == null || r.sample.topicPeers === 0 || r.sample.members === 0 })
  .map(s => ({ node: s.index, topicPeers: reports.get(s.index)?.sample.topicPeers, members: reports.get(s.index)?.sample.members, received: reports.get(s.index)?.received.length }))
const openStreamsAfter = after.reduce((n, x) => n + x.streams, 0)
const connectionsAfter = after.reduce((n, x) => n + x.connections, 0)
const duplicates = stable.reduce((n, s) => n + (reports.get(s.index)?.duplicates ?? 0), 0)

// stop every node and list what each process still has scheduled or open
const resourcesAfterStop: Record<string, number> = {}
let nodesWithTimersAfterStop = 0
const timerSources = new Map<string, number>()
await Promise.all(slots.filter(s => s.state === 'up').map(async s => {
  const r = await request(s, { type: 'stop' }, 'stopped', 20_000)
  if (r == null) {
    return
  }
  for (const [type, n] of Object.entries(r.resources)) {
    resourcesAfterStop[type] = (resourcesAfterStop[type] ?? 0) + n
  }
  if ((r.resources.Timeout ?? 0) > 0) {
    nodesWithTimersAfterStop++
  }
  for (const stack of r.timers ?? []) {
    timerSources.set(stack, (timerSources.get(stack) ?? 0) + 1)
  }
}))
killAll()

const exitedUnexpectedly = slots.reduce((n, s) => n + s.exitedUnexpectedly, 0)
print(`published ${published.length} (${requested.size} unconfirmed: their publisher was killed first), lost ${lost} (${missingDeliveries} missing deliveries of ${expected} expected at ${stable.length} untouched nodes; ${lostAfterPublisherKilled} more whose publisher was killed within ${config.graceMs / 1000} s)`)
print(`second half, untouched nodes: RSS ${rssGrowth.pct}% (worst node ${rssGrowth.maxNodePct}%), heap ${heapGrowth.pct}% (worst ${heapGrowth.maxNodePct}%), external ${externalGrowth.pct}%, V8 heap reserved ${heapTotalGrowth.pct}%, anonymous RSS ${rssAnonGrowth.pct}%, connections ${connectionsGrowth.pct}%; after the run ${openStreamsAfter} streams on ${connectionsAfter} connections; after stop: ${JSON.stringify(resourcesAfterStop)}`)
for (const [stack, n] of [...timerSources].sort((a, b) => b[1] - a[1]).slice(0, 10)) {
  print(`timer left after stop ×${n}: ${stack}`)
}
print(JSON.stringify({
  nodes: config.nodes,
  quick,
  durationS: config.duration,
  rate: config.rate,
  published: published.length,
  unconfirmedPublishes: requested.size,
  publishErrors,
  lost,
  missingDeliveries,
  expectedDeliveries: expected,
  lostAfterPublisherKilled,
  lostExamples,
  untouchedNodes: stable.length,
  duplicatesToUntouched: duplicates,
  kills,
  stops,
  restarts,
  exitedUnexpectedly,
  nodeErrors,
  formed,
  formationMs,
  rssGrowthPct: rssGrowth.pct,
  heapGrowthPct: heapGrowth.pct,
  externalGrowthPct: externalGrowth.pct,
  heapTotalGrowthPct: heapTotalGrowth.pct,
  rssAnonGrowthPct: rssAnonGrowth.pct,
  connectionsGrowthPct: connectionsGrowth.pct,
  worstNodeRssGrowthPct: rssGrowth.maxNodePct,
  worstNodeHeapGrowthPct: heapGrowth.maxNodePct,
  rssMBPerNode: mbPerNode('rss'),
  heapMBPerNode: mbPerNode('heap'),
  externalMBPerNode: mbPerNode('external'),
  openStreamsAfter,
  connectionsAfter,
  isolatedAfter,
  resourcesAfterStop,
  nodesWithTimersAfterStop,
  seconds: Math.round((Date.now() - started) / 1000)
}))
process.exit(lost > 0 || exitedUnexpectedly > 0 ? 1 : 0)
