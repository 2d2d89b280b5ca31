/**
 * npm run bench:membership [-- --nodes 10000] [--only name,name] [--heavy]
 *
 * Runs the membership scenarios at 10,000 nodes in the deterministic
 * simulator (two worker threads, one per core), prints a table, and ends with
 * a JSON summary line (also written to benchmarks/results/membership.json).
 *
 * `--heavy` adds 10 minutes at 5% loss and the Lifeguard stall comparison at
 * this size: each holds every node's SWIM member table (up to 16,384 records)
 * and needs more than 8 GiB per worker at 10,000 nodes; the tests run both at
 * 1,000 nodes.
 */
import os from 'node:os'
import { Worker } from 'node:worker_threads'
import { round, writeSummary } from './stats.ts'
import type { MembershipResult, MembershipScenario } from '@saorsa-gossip/sim'

function arg (name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

const nodes = Number(arg('nodes') ?? 10_000)
const seed = Number(arg('seed') ?? 1)
const only = arg('only')?.split(',')
const heavy = process.argv.includes('--heavy')
const HEAVY = new Set(['swim-loss5', 'stalls-lifeguard-on', 'stalls-lifeguard-off'])
// joins are staggered over ~100 s of virtual time whatever the size
const join = { interval: Math.max(1, Math.floor(100_000 / nodes)) }
const settled = 130_000
const base = { seed, nodes, latency: { min: 10, max: 50 }, join }

const scenarios: MembershipScenario[] = [
  { ...base, name: 'formation', duration: settled },
  ...[10, 30, 50, 70, 80, 90, 95].map(pct => ({
    ...base,
    name: `crash-${pct}`,
    duration: settled + 40_000,
    timeline: [{ at: settled, action: 'crash' as const, fraction: pct / 100 }]
  })),
  {
    ...base,
    name: 'swim-detect',
    duration: settled + 110_000,
    timeline: Array.from({ length: 10 }, (_, i) => ({ at: settled + i * 10_000, action: 'crash' as const, fraction: 0.005 }))
  },
  { ...base, name: 'swim-loss5', loss: 0.05, duration: settled + 600_000 },
  ...[true, false].map(lifeguard => ({
    ...base,
    name: `stalls-lifeguard-${lifeguard ? 'on' : 'off'}`,
    duration: settled + 300_000,
    membership: { swim: { lifeguard } },
    timeline: [{ at: settled, action: 'stalls' as const, fraction: 0.05, duration: 2_000, until: settled + 290_000 }]
  })),
  { ...base, name: 'steady-10min', duration: 600_000 }
].filter(s => only == null ? (heavy || !HEAVY.has(s.name)) : only.includes(s.name))

interface Done { scenario: MembershipScenario, result: MembershipResult, wallMs: number }

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads')
import('@saorsa-gossip/sim').then(({ runMembershipScenario }) => {
  const started = performance.now()
  const result = runMembershipScenario(workerData)
  parentPort.postMessage({ result, wallMs: Math.round(performance.now() - started) })
})
`

async function run (scenario: MembershipScenario): Promise<Done> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource, { eval: true, workerData: scenario, resourceLimits: { maxOldGenerationSizeMb: 8192 } })
    worker.once('message', (msg: { result: MembershipResult, wallMs: number }) => { resolve({ scenario, ...msg }) })
    worker.once('error', reject)
  })
}

async function runAll (): Promise<Done[]> {
  const queue = scenarios.slice()
  const done: Done[] = []
  const parallel = Math.max(1, Math.min(2, os.availableParallelism()))
  await Promise.all(Array.from({ length: parallel }, async () => {
    for (let next = queue.shift(); next != null; next = queue.shift()) {
      const d = await run(next)
      process.stderr.write(`${d.scenario.name}: ${(d.wallMs / 1000).toFixed(1)} s wall\n`)
      done.push(d)
    }
  }))
  return scenarios.map(s => done.find(d => d.scenario === s) as Done)
}

const results = await runAll()
const by = (name: string): Done | undefined => results.find(r => r.scenario.name === name)
const out = (line: string): void => { process.stdout.write(line + '\n') }

out(`Membership at ${nodes} nodes (seed ${seed}; latency 10–50 ms; joins through one contact over ~100 s)`)
const formation = by('formation')?.result.final
if (formation != null) {
  out(`formation: ${formation.components} component(s), ${formation.isolated} isolated, symmetry ${formation.symmetry.toFixed(4)}, active view p50 ${formation.activeViewSize.p50} [${formation.activeViewSize.min}..${formation.activeViewSize.max}], ${(formation.withinBounds * 100).toFixed(2)}% within [8, 12], passive p50 ${formation.passiveViewSize.p50}`)
}
out('')
out('crash   survivors  healed after   largest comp. +10 s   +30 s   isolated +10 s   detection p50 / p99 (monitors)')
for (const pct of [10, 30, 50, 70, 80, 90, 95]) {
  const r = by(`crash-${pct}`)?.result
  const h = r?.heals[0]
  if (r == null || h == null) {
    continue
  }
  out(`${String(pct).padStart(3)}%    ${String(h.survivors).padEnd(10)} ${String(h.healedAfterMs == null ? 'not in 40 s' : `${h.healedAfterMs} ms`).padEnd(14)} ${String(h.largestAfter10s).padEnd(21)} ${String(h.largestAfter30s).padEnd(7)} ${String(h.isolatedAfter10s).padEnd(16)} ${r.detection.monitorLatency.p50} / ${r.detection.monitorLatency.p99} ms`)
}
const detect = by('swim-detect')?.result
const loss = by('swim-loss5')?.result
const on = by('stalls-lifeguard-on')?.result
const off = by('stalls-lifeguard-off')?.result
const steady = by('steady-10min')
out('')
if (detect != null) {
  out(`SWIM detection (${detect.heals.reduce((a, h) => a + h.crashed, 0)} crashes in 10 waves): monitors p50 ${detect.detection.monitorLatency.p50} ms, p90 ${detect.detection.monitorLatency.p90} ms, p99 ${detect.detection.monitorLatency.p99} ms, max ${detect.detection.monitorLatency.max} ms; first verdict p50 ${detect.detection.firstLatency.p50} ms; missed ${detect.detection.missed}`)
}
if (loss != null) {
  out(`SWIM at 5% loss for 10 min: ${loss.falsePositives.healthy} false positives, ${loss.falsePositives.suspicions} suspicions, ${loss.falsePositives.refutations} refutations, ${loss.traffic.droppedLoss} messages lost`)
}
if (on != null && off != null) {
  out(`5% of nodes stalled 2 s: false positives on healthy nodes — Lifeguard on ${on.falsePositives.healthy}, off ${off.falsePositives.healthy}; verdicts on the stalled nodes — on ${on.falsePositives.stalled}, off ${off.falsePositives.stalled}; suspicions — on ${on.falsePositives.suspicions}, off ${off.falsePositives.suspicions}`)
}
if (steady != null) {
  out(`simulator speed: ${nodes} nodes × ${steady.scenario.duration / 1000} s virtual in ${(steady.wallMs / 1000).toFixed(1)} s wall (${steady.result.eventsProcessed} events, ${Math.round(steady.result.eventsProcessed / (steady.wallMs / 1000))} events/s)`)
  const perNode = (type: string): number => round((steady.result.traffic.bytes[type] ?? 0) / nodes / (steady.scenario.duration / 1000), 1)
  out(`steady-state traffic per node: SWIM ping ${perNode('swim:ping')} B/s, ack ${perNode('swim:ack')} B/s, shuffle ${perNode('hpv:shuffle')} B/s (estimated encodings)`)
}

writeSummary('membership', {
  benchmark: 'membership',
  nodes,
  seed,
  formation: formation == null ? null : { components: formation.components, isolated: formation.isolated, symmetry: formation.symmetry, withinBounds: formation.withinBounds, activeP50: formation.activeViewSize.p50, passiveP50: formation.passiveViewSize.p50 },
  crashes: Object.fromEntries([10, 30, 50, 70, 80, 90, 95].flatMap(pct => {
    const r = by(`crash-${pct}`)?.result
    const h = r?.heals[0]
    return h == null || r == null ? [] : [[`${pct}`, { survivors: h.survivors, healedAfterMs: h.healedAfterMs, largestAfter10s: h.largestAfter10s, largestAfter30s: h.largestAfter30s, isolatedAfter10s: h.isolatedAfter10s, detectionP50Ms: r.detection.monitorLatency.p50, detectionP99Ms: r.detection.monitorLatency.p99 }]]
  })),
  detection: detect?.detection ?? null,
  loss5: loss == null ? null : loss.falsePositives,
  stalls: on == null || off == null ? null : { lifeguardOn: on.falsePositives, lifeguardOff: off.falsePositives },
  simulator: steady == null ? null : { virtualMs: steady.scenario.duration, wallMs: steady.wallMs, events: steady.result.eventsProcessed },
  wallMs: Object.fromEntries(results.map(r => [r.scenario.name, r.wallMs]))
})
