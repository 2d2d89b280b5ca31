/**
 * npm run bench:broadcast [-- --sizes 1000,10000] [--seed 1] [--protocols plumtree,mesh,flood]
 *
 * Plumtree against eager flooding and a gossipsub-style mesh (D=6, Dlo=4,
 * Dhi=12, Dlazy=6, 1 s heartbeat, IHAVE/IWANT) in the deterministic
 * simulator, over the same membership overlay and the same publish schedule
 * at each size. Two worker threads (one per core). Prints a table and ends
 * with a JSON summary line (also benchmarks/results/broadcast.json).
 */
import os from 'node:os'
import { Worker } from 'node:worker_threads'
import { round, writeSummary } from './stats.ts'
import type { BroadcastResult, BroadcastScenario, ProtocolName } from '@saorsa-gossip/sim'

function arg (name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

const sizes = (arg('sizes') ?? '1000,10000').split(',').map(Number)
const seed = Number(arg('seed') ?? 1)
const protocols = (arg('protocols') ?? 'plumtree,mesh,flood').split(',') as ProtocolName[]

function scenarioFor (nodes: number): BroadcastScenario {
  // joins over ~100 s whatever the size and 30 s to settle, as bench:membership (10,000 nodes
  // joining through one contact in 20 s left an overlay with ~100-hop paths: LDH 109 for flooding)
  const joinInterval = Math.max(1, Math.floor(100_000 / nodes))
  const start = nodes * joinInterval + 30_000
  // at 10,000 nodes every node caches every message of the last two minutes: traffic is kept
  // to ~150 messages there (1,110 at 1,000 nodes ran a 10 GiB worker out of memory at 10,000)
  const big = nodes > 2_000
  return {
    name: `broadcast-${nodes}`,
    seed,
    nodes,
    latency: { min: 10, max: 50 },
    join: { interval: joinInterval },
    subscribeAt: start - 3_000,
    payloadSize: 1024,
    traffic: [
      { label: 'warm-up', at: start, count: 10, interval: 200, sender: 'fixed' },
      { label: 'one sender', at: start + 4_000, count: big ? 20 : 50, interval: 200, sender: 'fixed' },
      { label: 'random sender', at: start + 16_000, count: big ? 20 : 50, interval: 200, sender: 'random' },
      // every node at 1,000; 100 random publishers at once at 10,000 (10^8 deliveries otherwise)
      { label: 'burst', at: start + 29_000, count: big ? 100 : nodes, interval: 0, sender: 'all' }
    ],
    duration: start + 40_000
  }
}

interface Job { scenario: BroadcastScenario, protocol: ProtocolName }
interface Done extends Job { result: BroadcastResult, wallMs: number }

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads')
import('@saorsa-gossip/sim').then(({ runBroadcastScenario }) => {
  const started = performance.now()
  const result = runBroadcastScenario(workerData.scenario, workerData.protocol, (t) => {
    parentPort.postMessage({ progress: t, wallMs: Math.round(performance.now() - started) })
  })
  parentPort.postMessage({ result, wallMs: Math.round(performance.now() - started) })
})
`

async function run (job: Job): Promise<Done> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource, { eval: true, workerData: job, resourceLimits: { maxOldGenerationSizeMb: 10_240 } })
    worker.on('message', (msg: { result?: BroadcastResult, progress?: number, wallMs: number }) => {
      if (msg.result != null) {
        resolve({ ...job, result: msg.result, wallMs: msg.wallMs })
      } else if (msg.progress != null && msg.progress % 30_000 === 0) {
        process.stderr.write(`  ${job.protocol} at ${job.scenario.nodes} nodes: ${msg.progress / 1000} of ${job.scenario.duration / 1000} s virtual after ${Math.round(msg.wallMs / 1000)} s wall\n`)
      }
    })
    worker.once('error', reject)
  })
}

const jobs: Job[] = sizes.flatMap(nodes => protocols.map(protocol => ({ scenario: scenarioFor(nodes), protocol })))
const queue = jobs.slice()
const done: Done[] = []
const parallel = Math.max(1, Math.min(2, os.availableParallelism()))
await Promise.all(Array.from({ length: parallel }, async () => {
  for (let next = queue.shift(); next != null; next = queue.shift()) {
    process.stderr.write(`running ${next.protocol} at ${next.scenario.nodes} nodes…\n`)
    const d = await run(next)
    process.stderr.write(`${d.protocol} at ${d.scenario.nodes} nodes: ${(d.wallMs / 1000).toFixed(1)} s wall, ${d.result.eventsProcessed} events\n`)
    done.push(d)
  }
}))

const out = (line: string): void => { process.stdout.write(line + '\n') }
const rows: Array<Record<string, unknown>> = []
for (const nodes of sizes) {
  out('')
  out(`Broadcast at ${nodes} nodes (seed ${seed}; latency 10–50 ms; 1 KiB payloads; membership overlay HyParView 8–12)`)
  out('protocol  traffic          msgs   delivered  RMR      LDH  latency p50 / p95 / p99 ms   bytes/delivery (all traffic)')
  for (const protocol of protocols) {
    const d = done.find(x => x.scenario.nodes === nodes && x.protocol === protocol)
    if (d == null) {
      continue
    }
    for (const t of d.result.traffic) {
      out(`${protocol.padEnd(9)} ${t.label.padEnd(16)} ${String(t.messages).padEnd(6)} ${(t.deliveryRatio * 100).toFixed(2).padStart(7)}%  ${t.rmr.toFixed(3).padEnd(8)} ${String(t.ldh).padEnd(4)} ${`${t.latency.p50} / ${t.latency.p95} / ${t.latency.p99}`.padEnd(28)} ${t.label === 'warm-up' ? d.result.totals.bytesPerDelivery : ''}`)
      rows.push({ nodes, protocol, label: t.label, messages: t.messages, deliveryRatio: t.deliveryRatio, missed: t.missed, rmr: round(t.rmr, 4), ldh: t.ldh, latencyP50: t.latency.p50, latencyP95: t.latency.p95, latencyP99: t.latency.p99 })
    }
  }
  const p = done.find(x => x.scenario.nodes === nodes && x.protocol === 'plumtree')
  const m = done.find(x => x.scenario.nodes === nodes && x.protocol === 'mesh')
  if (p != null && m != null) {
    for (const label of ['one sender', 'random sender', 'burst']) {
      const pr = p.result.traffic.find(t => t.label === label)?.rmr ?? NaN
      const mr = m.result.traffic.find(t => t.label === label)?.rmr ?? NaN
      out(`RMR plumtree / mesh, ${label}: ${pr.toFixed(3)} / ${mr.toFixed(3)} = ${(pr / mr).toFixed(4)} (target <= 0.2)`)
    }
    out(`bytes per delivered message (all broadcast traffic from the first publish): plumtree ${p.result.totals.bytesPerDelivery}, mesh ${m.result.totals.bytesPerDelivery}${done.find(x => x.scenario.nodes === nodes && x.protocol === 'flood') != null ? `, flood ${done.find(x => x.scenario.nodes === nodes && x.protocol === 'flood')?.result.totals.bytesPerDelivery}` : ''}`)
  }
}

writeSummary('broadcast', {
  benchmark: 'broadcast',
  seed,
  sizes,
  rows,
  totals: done.map(d => ({ nodes: d.scenario.nodes, protocol: d.protocol, bytesPerDelivery: d.result.totals.bytesPerDelivery, bytesByType: d.result.totals.bytesByType, antiEntropyBytes: d.result.antiEntropy.bytes, events: d.result.eventsProcessed, wallMs: d.wallMs }))
})
