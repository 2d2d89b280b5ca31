/**
 * npm start — the main job on embedded defaults: a local overlay of 24 plumtree
 * nodes on loopback QUIC in 4 processes; watch it form, publish a stream of
 * messages, crash a quarter of the nodes (one process killed, no goodbye),
 * watch failure detection and healing, and end with a summary and an HTML
 * report. Every process it starts is stopped on exit and on Ctrl-C.
 */
import fs from 'node:fs'
import path from 'node:path'
import { WorkerHandle } from './net/cluster.ts'
import { htmlReport } from './net/report.ts'
import { buildSpecs, percentile, prng, summarise } from './net/run.ts'
import type { WorkerReport } from './net/messages.ts'

const NODES = 24
const WORKERS = 4
const RATE = 10
const DURATION = 40
const CRASH_AT = 15
const SIZE = 1024
const TOPIC = 'saorsa/bench'

const t0 = Date.now()
const log = (line: string): void => { process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${line}\n`) }
const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

log(`Saorsa Gossip demo: ${NODES} plumtree() nodes (membership + ML-DSA-65 identity) on loopback QUIC in ${WORKERS} processes`)
const basePort = 10_000 + Math.floor(Math.random() * 20_000)
const { specs, waves, addrs } = await buildSpecs({ nodes: NODES, seed: 7, contacts: 3, transport: 'quic' }, basePort)
const peerIndex = new Map(addrs.map((a, i) => [a.slice(a.lastIndexOf('/') + 1), i]))
const messages = RATE * DURATION
const workers = Array.from({ length: WORKERS }, (_, w) => new WorkerHandle(w))
const crashedWorker = WORKERS - 1
const crashed = new Set(specs.filter(s => s.index % WORKERS === crashedWorker).map(s => s.index))
const state = { crashTime: 0, verdictCount: 0 }
const verdicts = new Map<number, { at: number, by: number }>()
const deadVerdicts = new Set<number>()
const progress = new Map<number, number>()
/**
 * A crashed node counts as detected at the first sign from a survivor: a SWIM dead verdict,
 * or its removal from a survivor's active view because the connection was lost
 */
function onVerdict (peerId: string, observer: number, at: number, kind: string, reason: string | undefined): void {
  const peer = peerIndex.get(peerId)
  if (peer == null || !crashed.has(peer) || (kind === 'neighbor-down' && reason !== 'connection-lost' && reason !== 'dead')) {
    return
  }
  if (kind === 'peer-dead') {
    state.verdictCount++
    deadVerdicts.add(peer)
  }
  if (!verdicts.has(peer)) {
    verdicts.set(peer, { at, by: observer })
    const how = kind === 'peer-dead' ? 'declared dead (SWIM)' : 'dropped from the active view (connection lost)'
    log(`  failure detected: node ${peer} ${how} by node ${observer} ${((at - state.crashTime) / 1000).toFixed(2)} s after the crash (${verdicts.size}/${crashed.size})`)
  }
}

for (const w of workers) {
  w.onMessage = (m) => {
    if (m.type === 'progress') {
      progress.set(w.id, m.delivered)
    } else if (m.type === 'event' && state.crashTime > 0) {
      onVerdict(m.peer, m.observer, m.at, m.kind, m.reason)
    }
  }
}

/** Deliveries owed to survivors: messages before the crash from anyone, after it from survivors */
function owed (reports: WorkerReport[], publisherOf: number[]): { owedBefore: number, gotBefore: number, owedAfter: number, gotAfter: number } {
  const out = { owedBefore: 0, gotBefore: 0, owedAfter: 0, gotAfter: 0 }
  for (const { index, counts } of reports.flatMap(r => r.counts)) {
    for (let m = 0; m < messages; m++) {
      if (publisherOf[m] === index) {
        continue
      }
      const got = counts[m] > 0 ? 1 : 0
      if (m * 1000 / RATE >= CRASH_AT * 1000) {
        out.owedAfter++
        out.gotAfter += got
      } else {
        out.owedBefore++
        out.gotBefore += got
      }
    }
  }
  return out
}

try {
  await Promise.all(workers.map(async (w, k) => w.request({ type: 'init', protocol: 'plumtree', transport: 'quic', topic: TOPIC, nodes: specs.filter(s => s.index % WORKERS === k), messages }, 'ready')))
  for (const wave of waves) {
    await Promise.all(workers.map(async (w, k) => {
      const indices = wave.filter(i => i % WORKERS === k)
      if (indices.length > 0) {
        await w.request({ type: 'start', indices }, 'started')
      }
    }))
    log(`  started nodes ${wave[0]}–${wave[wave.length - 1]}`)
  }
  const formStart = Date.now()
  for (;;) {
    const statuses = (await Promise.all(workers.map(async w => w.request({ type: 'status' }, 'status')))).flatMap(s => s.nodes)
    const ready = statuses.filter(s => s.topicPeers >= 2).length
    log(`  overlay forming: ${ready}/${NODES} nodes have ≥ 2 topic neighbours, ${statuses.reduce((a, s) => a + s.connections, 0) / 2} connections`)
    if (ready === NODES || Date.now() - formStart > 60_000) {
      break
    }
    await sleep(1_000)
  }
  await Promise.all(workers.map(async w => w.request({ type: 'measure-begin' }, 'ready')))
  const rand = prng(7)
  const allNodes = specs.map(s => s.index)
  const survivorsList = allNodes.filter(i => !crashed.has(i))
  const publisherOf: number[] = []
  const items = Array.from({ length: messages }, (_, m) => {
    const at = Math.round(m * 1000 / RATE)
    // after the crash only survivors publish
    const pool = at >= CRASH_AT * 1000 ? survivorsList : allNodes
    const node = pool[Math.floor(rand() * pool.length)]
    publisherOf.push(node)
    return { at, node, msg: m }
  })
  const startAt = Date.now() + 500
  workers.forEach((w, k) => { w.send({ type: 'schedule', startAt, size: SIZE, items: items.filter(it => it.node % WORKERS === k) }) })
  log(`publishing ${messages} messages of ${SIZE} B at ${RATE}/s from random nodes for ${DURATION} s`)
  await sleep(startAt - Date.now() + CRASH_AT * 1000)
  state.crashTime = Date.now()
  workers[crashedWorker].kill()
  log(`CRASH: killed process ${crashedWorker} with its ${crashed.size} nodes (${[...crashed].join(', ')}) — SIGKILL, no goodbye`)
  const end = startAt + DURATION * 1000 + 5_000
  while (Date.now() < end) {
    await sleep(5_000)
    const statuses = (await Promise.all(workers.filter((_, k) => k !== crashedWorker).map(async w => w.request({ type: 'status' }, 'status')))).flatMap(s => s.nodes)
    const isolated = statuses.filter(s => s.topicPeers === 0).length
    log(`  ${Math.min(DURATION, (Date.now() - startAt) / 1000).toFixed(0)}/${DURATION} s: ${[...progress.entries()].filter(([w]) => w !== crashedWorker).reduce((a, [, n]) => a + n, 0)} deliveries at survivors; ${verdicts.size}/${crashed.size} crashes detected; survivors with no topic neighbour: ${isolated}`)
  }
  const reports: WorkerReport[] = (await Promise.all(workers.filter((_, k) => k !== crashedWorker).map(async w => w.request({ type: 'report', perMessage: true }, 'report')))).map(r => r.report)

  const { owedBefore, gotBefore, owedAfter, gotAfter } = owed(reports, publisherOf)
  const survivors = NODES - crashed.size
  const base = summarise({ protocol: 'plumtree', transport: 'quic', nodes: NODES, workers: WORKERS, rate: RATE, duration: DURATION, size: SIZE, seed: 7, contacts: 3, drain: 5_000, formationTimeout: 60_000, log }, reports, publisherOf, 0, true)
  const result = { ...base, nodes: survivors, expectedDeliveries: owedBefore + owedAfter, delivered: gotBefore + gotAfter, deliveryRatio: Math.round((gotBefore + gotAfter) / (owedBefore + owedAfter) * 1000) / 1000 }
  const detection = [...verdicts.values()].map(v => (v.at - state.crashTime) / 1000).sort((a, b) => a - b)
  const rmr = (base.counters.payloadsSent ?? 0) / Math.max(1, base.counters.delivered ?? 1) - 1
  const pct = (x: number): string => `${(x * 100).toFixed(2)}%`
  const lines = [
    `delivery to the ${survivors} survivors: ${pct(gotBefore / owedBefore)} of messages before the crash (${gotBefore}/${owedBefore}), ${pct(gotAfter / owedAfter)} after (${gotAfter}/${owedAfter}); duplicates to applications ${base.duplicatesToApps}`,
    `latency publish → delivery: P50 ${base.latencyMs.p50} ms, P95 ${base.latencyMs.p95} ms, P99 ${base.latencyMs.p99} ms`,
    `RMR (survivors' payload copies per first delivery − 1): ${rmr.toFixed(3)}; grafts ${base.counters.grafts ?? 0}, anti-entropy repairs ${base.counters.aeRepaired ?? 0}`,
    `failure detection: ${verdicts.size}/${crashed.size} crashed nodes detected by a survivor (SWIM dead verdict or lost connection); first sign P50 ${detection.length > 0 ? percentile(detection, 50).toFixed(2) : 'n/a'} s, max ${detection.length > 0 ? detection[detection.length - 1].toFixed(2) : 'n/a'} s after the crash; ${deadVerdicts.size}/${crashed.size} declared dead by SWIM (${state.verdictCount} dead verdicts in all)`,
    `wire bytes per delivered message: ${base.bytesPerDelivered}; RSS per node ${base.rssPerNodeMB.mean} MB`
  ]
  const dir = path.resolve(import.meta.dirname, '../../results')
  fs.mkdirSync(dir, { recursive: true })
  const html = path.join(dir, 'demo.html')
  fs.writeFileSync(html, htmlReport(`Saorsa Gossip demo: ${NODES} nodes, a quarter crashed`, [result], { description: `${NODES} plumtree() nodes on loopback QUIC in ${WORKERS} processes; ${messages} messages at ${RATE}/s; process ${crashedWorker} (${crashed.size} nodes) killed ${CRASH_AT} s in. Delivery counts messages owed to survivors.` }, `<h2>Summary</h2><ul>${lines.map(l => `<li>${l}</li>`).join('')}</ul>`))
  fs.writeFileSync(path.join(dir, 'demo.json'), JSON.stringify({ result, detectionSeconds: detection, before: { owed: owedBefore, got: gotBefore }, after: { owed: owedAfter, got: gotAfter }, rmr }) + '\n')
  process.stdout.write('\nSummary\n' + lines.map(l => `  ${l}`).join('\n') + `\n  HTML report: ${html}\n`)
} finally {
  await Promise.all(workers.map(async w => w.stop()))
}
