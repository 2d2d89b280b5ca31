/**
 * npm run bench:sweep — the saturation sweep: 100 real libp2p nodes in 4 processes,
 * plumtree() against gossipsub() over TCP and QUIC, the same offered loads stepping up on
 * one formed overlay per protocol and transport (benchmarks/README.md).
 *
 * Options: --nodes N --workers W --rates r1,r2,… (msg/s of 1 KiB) --big-rate R (the 16 KiB
 * step) --step-seconds S --warm-up-seconds S (2 msg/s of 1 KiB before the measured steps; 0: none)
 * --idle-seconds S --settle-seconds S (after formation, before the idle window, which also waits until no connection opens for 1 s, ≤ 30 s; default 2) --transports tcp,quic --protocols plumtree,gossipsub
 * --seed S --stack-options JSON --plumtree-config JSON (experiments: net/stack-options.ts). Writes benchmarks/results/sweep.json and sweep.html; progress lines while it
 * runs, a table, and the JSON summary as the last line.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CliArgs } from './net/cli-args.ts'
import { stackOptions } from './net/stack-options.ts'
import { sweepHtml } from './net/sweep-report.ts'
import { runSweep } from './net/sweep.ts'
import type { ProtocolName, TransportName } from './net/messages.ts'
import type { SweepRun, SweepStep } from './net/sweep.ts'

const cli = new CliArgs(process.argv, {
  bench: 'bench:sweep',
  usage: `  --nodes N --workers W --seed S --rates r1,r2,… (msg/s of 1 KiB) --big-rate R (the 16 KiB step)
  --step-seconds S --warm-up-seconds S (2 msg/s of 1 KiB before the measured steps; 0: none)
  --idle-seconds S --settle-seconds S --transports tcp,quic --protocols plumtree,gossipsub
  --stack-options JSON --plumtree-config JSON (experiments: net/stack-options.ts)`,
  values: ['nodes', 'workers', 'seed', 'rates', 'big-rate', 'step-seconds', 'warm-up-seconds', 'idle-seconds', 'settle-seconds', 'transports', 'protocols', 'stack-options', 'plumtree-config']
})

/** A positive number from the command line (also 0 when `zero`), or a clear error and exit code 2 */
function num (name: string, fallback: number, zero = false): number {
  return cli.number(name, fallback, zero ? { min: 0 } : {})
}

const stepSeconds = num('step-seconds', 10)
const rates = cli.numbers('rates', '2,5,10,20,40')
// the 16 KiB step first, while the overlay is fresh: after the saturated 1 KiB steps their
// backlog (seconds of event-loop delay) would be measured instead of the payload size. A short
// 1 KiB warm-up goes before it, as in the simulator's scenarios: a fresh Plumtree tree's first
// message crosses every topic link (paper §3.6), a one-off cost per topic that 20 messages of
// one step cannot amortise (SPEC.md §7.3). The warm-up is reported with its own bytes
const warmUpSeconds = num('warm-up-seconds', 5, true)
const steps: SweepStep[] = [
  ...(warmUpSeconds > 0 ? [{ rate: 2, size: 1024, duration: warmUpSeconds, warmUp: true }] : []),
  { rate: num('big-rate', 2), size: 16 * 1024, duration: stepSeconds },
  ...rates.map(rate => ({ rate, size: 1024, duration: stepSeconds }))
]
const config = {
  nodes: cli.number('nodes', 100, { integer: true, min: 2 }),
  workers: cli.number('workers', 4, { integer: true, min: 1 }),
  seed: cli.number('seed', 1, { integer: true, min: 0 }),
  contacts: 6,
  drain: 5_000,
  formationTimeout: 60_000,
  idleSeconds: num('idle-seconds', 10),
  settleSeconds: num('settle-seconds', 2, true),
  cores: os.availableParallelism(),
  options: stackOptions(process.argv, 'bench:sweep'),
  steps,
  log: (line: string): void => { process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`) }
}
const transports = cli.list<TransportName>('transports', 'tcp,quic', ['tcp', 'quic'])
const protocols = cli.list<ProtocolName>('protocols', 'plumtree,gossipsub', ['plumtree', 'gossipsub'])

const began = Date.now()
config.log(`sweep: ${config.nodes} nodes in ${config.workers} processes on ${config.cores} cores; steps ${steps.map(s => `${s.warmUp === true ? 'warm-up ' : ''}${s.rate}/s×${s.size} B`).join(', ')}, ${stepSeconds} s each; ${protocols.join(' vs ')} over ${transports.join(', ')}`)
const runs: SweepRun[] = []
for (const transport of transports) {
  for (const protocol of protocols) {
    config.log(`${protocol} over ${transport}`)
    runs.push(await runSweep(config, protocol, transport))
  }
}

const pad = (s: string | number, n: number): string => String(s).padStart(n)
process.stdout.write(`\n${'run'.padEnd(16)}${pad('rate', 6)}${pad('size', 7)}${pad('delivery', 10)}${pad('eventual', 10)}${pad('P50 ms', 9)}${pad('P95 ms', 9)}${pad('P99 ms', 9)}${pad('B/deliv', 9)}${pad('CPU', 6)}${pad('ELD99', 8)}  flags\n`)
for (const r of runs) {
  for (const s of r.steps) {
    // membership links torn down in the step, by reason, and false dead verdicts (no node fails in a sweep)
    const churn = s.membership == null ? '' : `links down ${Object.values(s.membership.neighborsDown).reduce((a, n) => a + n, 0)}${Object.keys(s.membership.neighborsDown).length > 0 ? ` (${Object.entries(s.membership.neighborsDown).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}, suspicions ${s.membership.suspicions}, verdicts ${s.membership.deaths}`
    const flags = [s.saturated ? 'saturated' : '', s.collapsed ? 'COLLAPSE' : '', churn].filter(Boolean).join(' ')
    process.stdout.write(`${`${r.protocol}/${r.transport}${s.warmUp === true ? '*' : ''}`.padEnd(16)}${pad(s.rate, 6)}${pad(s.size, 7)}${pad(`${(s.deliveryRatio * 100).toFixed(2)}%`, 10)}${pad(`${(s.eventualDeliveryRatio * 100).toFixed(2)}%`, 10)}${pad(Math.round(s.latencyMs.p50), 9)}${pad(Math.round(s.latencyMs.p95), 9)}${pad(Math.round(s.latencyMs.p99), 9)}${pad(s.bytesPerDelivered, 9)}${pad(`${Math.round(s.machineUtilisation * 100)}%`, 6)}${pad(Math.round(s.loopDelayP99Ms), 8)}  ${flags}\n`)
  }
  if (Object.keys(r.idle.framesPerNodePerSecond).length > 0) {
    process.stdout.write(`${`${r.protocol}/${r.transport}`.padEnd(16)} idle frames sent per node per second: ${Object.entries(r.idle.framesPerNodePerSecond).map(([k, v]) => `${k} ${v}`).join(', ')}\n`)
  }
  if (r.membership != null) {
    process.stdout.write(`${`${r.protocol}/${r.transport}`.padEnd(16)} membership over the whole run: links down ${Object.values(r.membership.neighborsDown).reduce((a, n) => a + n, 0)} (${Object.entries(r.membership.neighborsDown).map(([k, v]) => `${k} ${v}`).join(', ')}), suspicions ${r.membership.suspicions}, verdicts ${r.membership.deaths}\n`)
  }
  process.stdout.write(`${`${r.protocol}/${r.transport}`.padEnd(16)} formed ${r.formed ? 'in' : 'NOT within'} ${(r.formationMs / 1000).toFixed(1)} s; idle ${r.idle.cpuMsPerNodePerSecond} ms CPU/s and ${r.idle.bytesPerNodePerSecond} B/s per node; knee ${r.knee ?? 'none'} msg/s\n`)
}

const key = (r: SweepRun): string => `${r.protocol}_${r.transport}`
const byKey = <T>(f: (r: SweepRun) => T): Record<string, T> => Object.fromEntries(runs.map(r => [key(r), f(r)]))
const summary = {
  bench: 'sweep',
  config: { nodes: config.nodes, workers: config.workers, cores: config.cores, seed: config.seed, stepSeconds, steps, idleSeconds: config.idleSeconds, settleSeconds: config.settleSeconds, transports, protocols },
  wallSeconds: Math.round((Date.now() - began) / 1000),
  knee: byKey(r => r.knee),
  formationSeconds: byKey(r => r.formed ? Math.round(r.formationMs / 100) / 10 : null),
  idleCpuMsPerNodePerSecond: byKey(r => r.idle.cpuMsPerNodePerSecond),
  idleBytesPerNodePerSecond: byKey(r => r.idle.bytesPerNodePerSecond),
  bytesPerDelivery16k: byKey(r => r.steps.find(s => s.size > 1024)?.bytesPerDelivered ?? null),
  /** the warm-up's bytes per delivery: a fresh tree's first messages (absent with --warm-up-seconds 0) */
  bytesPerDeliveryWarmUp: byKey(r => r.steps.find(s => s.warmUp === true)?.bytesPerDelivered ?? null),
  steps: runs.flatMap(r => r.steps.map(s => ({ run: key(r), ...s })))
}
const dir = path.join(import.meta.dirname, '..', '..', 'results')
fs.mkdirSync(dir, { recursive: true })
fs.writeFileSync(path.join(dir, 'sweep.json'), JSON.stringify({ ...summary, runs }, null, 2))
fs.writeFileSync(path.join(dir, 'sweep.html'), await sweepHtml(runs, summary))
if (warmUpSeconds > 0) {
  process.stdout.write('* warm-up: builds the trees before the measured steps, never a knee\n')
}
process.stdout.write(`\nHTML report: ${path.join(dir, 'sweep.html')}\n`)
process.stdout.write(`${JSON.stringify(summary)}\n`)
