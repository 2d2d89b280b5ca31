/**
 * npm run bench        — 100 real libp2p nodes, plumtree() vs gossipsub(), TCP and QUIC
 * npm run bench:quick  — the same harness, small (CI smoke test; no thresholds asserted)
 *
 * Options: --nodes N --workers W --rate msgs/s --duration s --size bytes --transports tcp,quic
 * --protocols plumtree,gossipsub --seed S --drain s (after publishing stops, before counting; default 10) --quick
 * --rates r1,r2,… --no-throughput. Writes benchmarks/results/net[-quick].json and
 * .html, prints progress, a summary table, and the JSON summary as the last line.
 */
import fs from 'node:fs'
import path from 'node:path'
import { htmlReport } from './net/report.ts'
import { runNetwork } from './net/run.ts'
import { stackOptions } from './net/stack-options.ts'
import { THROUGHPUT_METHOD, runThroughput } from './net/throughput.ts'
import type { ProtocolName, TransportName } from './net/messages.ts'
import type { RunResult } from './net/run.ts'
import type { ThroughputResult } from './net/throughput.ts'

function arg (name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

const quick = process.argv.includes('--quick')
const config = {
  nodes: Number(arg('nodes') ?? (quick ? 12 : 100)),
  workers: Number(arg('workers') ?? (quick ? 2 : 4)),
  rate: Number(arg('rate') ?? 10),
  duration: Number(arg('duration') ?? (quick ? 5 : 60)),
  size: Number(arg('size') ?? 1024),
  seed: Number(arg('seed') ?? 1),
  contacts: Number(arg('contacts') ?? 6),
  drain: 1000 * Number(arg('drain') ?? (quick ? 3 : 10)),
  formationTimeout: quick ? 30_000 : 90_000,
  /** --stack-options / --plumtree-config (net/stack-options.ts) */
  options: stackOptions(process.argv, 'bench')
}

if (!Number.isFinite(config.drain) || config.drain < 0) {
  process.stderr.write(`bench: --drain takes a number of seconds ≥ 0, got ${String(arg('drain'))}\n`)
  process.exit(2)
}

const transports = (arg('transports') ?? 'tcp,quic').split(',') as TransportName[]
const protocols = (arg('protocols') ?? 'plumtree,gossipsub').split(',') as ProtocolName[]
const name = quick ? 'net-quick' : 'net'

const log = (line: string): void => { process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`) }

const runs: RunResult[] = []
const started = Date.now()
log(`${config.nodes} nodes in ${config.workers} processes, ${config.rate} msg/s of ${config.size} B for ${config.duration} s; ${protocols.join(' vs ')} over ${transports.join(', ')}`)
for (const transport of transports) {
  for (const protocol of protocols) {
    log(`run ${runs.length + 1}/${transports.length * protocols.length}: ${protocol} over ${transport}`)
    runs.push(await runNetwork({ ...config, protocol, transport, log }))
    const r = runs[runs.length - 1]
    log(`  → delivery ${(r.deliveryRatio * 100).toFixed(2)}% by the drain's end (${(r.eventualDeliveryRatio * 100).toFixed(2)}% by the report), P50 ${r.latencyMs.p50} ms, P95 ${r.latencyMs.p95} ms, ${r.bytesPerDelivered} wire B/delivered, event-loop delay P99 ${r.loopDelayMs.p99} ms (max ${r.loopDelayMs.max}), CPU ${r.cpuSeconds} s measured + ${r.setupCpuSeconds} s before`)
  }
}

const throughput: ThroughputResult[] = []
if (!process.argv.includes('--no-throughput')) {
  const rates = (arg('rates') ?? (quick ? '100,200' : '250,500,1000,1500,2000,3000')).split(',').map(Number)
  for (const protocol of protocols) {
    log(`throughput: ${protocol} over tcp, one relay, fan-out 2, offered ${rates.join(', ')} msg/s`)
    throughput.push(await runThroughput({ protocol, transport: 'tcp', rates, step: quick ? 3 : 10, size: config.size, fanout: 2, log }))
  }
}

const pad = (s: string | number, n: number): string => String(s).padStart(n)
process.stdout.write(`\n${'protocol'.padEnd(10)}${'transport'.padEnd(10)}${pad('delivery', 9)}${pad('dups', 6)}${pad('P50 ms', 10)}${pad('P95 ms', 10)}${pad('P99 ms', 10)}${pad('wire B/msg', 12)}${pad('CPU s/node', 12)}${pad('RSS MB/node', 13)}\n`)
const ms = (x: number): string => x.toFixed(1)
for (const r of runs) {
  process.stdout.write(`${r.protocol.padEnd(10)}${r.transport.padEnd(10)}${pad(`${(r.deliveryRatio * 100).toFixed(2)}%`, 9)}${pad(r.duplicatesToApps, 6)}${pad(ms(r.latencyMs.p50), 10)}${pad(ms(r.latencyMs.p95), 10)}${pad(ms(r.latencyMs.p99), 10)}${pad(r.bytesPerDelivered, 12)}${pad(r.cpuSecondsPerNode, 12)}${pad(r.rssPerNodeMB.mean, 13)}\n`)
}
for (const t of throughput) {
  process.stdout.write(`throughput ${t.protocol}/${t.transport}: one relay sustained ${t.sustained} msg/s (100% delivery, relay P99 < 250 ms; fan-out ${t.fanout}); steps ${t.steps.map(s => `${s.rate}${s.ok ? '✓' : '✗'} (relay CPU ${s.relayCpu}, edge ${s.edgeCpu})`).join(', ')}\n`)
}
const ratios: Record<string, number> = {}
for (const transport of transports) {
  const p = runs.find(r => r.protocol === 'plumtree' && r.transport === transport)
  const g = runs.find(r => r.protocol === 'gossipsub' && r.transport === transport)
  if (p != null && g != null) {
    ratios[`bytesPlumtreeOverGossipsub_${transport}`] = Math.round(p.bytesPerDelivered / g.bytesPerDelivered * 1000) / 1000
  }
}
const dir = path.resolve(import.meta.dirname, '../../results')
fs.mkdirSync(dir, { recursive: true })
const summary = { bench: name, config: { ...config, transports, protocols }, wallSeconds: Math.round((Date.now() - started) / 1000), ratios, runs, throughput }
const throughputHtml = throughput.length === 0
  ? ''
  : `<h2>Relay throughput</h2><p>${THROUGHPUT_METHOD}</p><table><tr><th>protocol</th><th>transport</th><th>offered msg/s</th><th>relay delivered</th><th>receivers delivered</th><th>relay P50 / P99 ms</th><th>relay CPU (cores)</th><th>publisher + receivers CPU</th><th>sustained</th></tr>${throughput.flatMap(t => t.steps.map(st => `<tr><td>${t.protocol}</td><td>${t.transport}</td><td>${st.rate}</td><td>${st.relayDelivered}/${st.messages}</td><td>${st.receiversDelivered}/${st.receiversExpected}</td><td>${st.relayP50} / ${st.relayP99}</td><td>${st.relayCpu}</td><td>${st.edgeCpu}</td><td>${st.ok ? 'yes' : 'no'}</td></tr>`)).join('')}</table>`
const html = path.join(dir, `${name}.html`)
fs.writeFileSync(html, htmlReport(`Saorsa Gossip: plumtree() vs gossipsub(), ${config.nodes} libp2p nodes`, runs, { description: 'Real libp2p nodes on loopback in worker processes; the same bootstrap contacts and publish schedule for each protocol. Latency on one clock (same machine); bytes counted at the transport (TCP socket / QUIC UDP payload), all traffic during the publishing window and drain.', ...summary.config, ratios }, throughputHtml))
fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(summary) + '\n')
process.stdout.write(`\nHTML report: ${html}\n`)
process.stdout.write(JSON.stringify({ ...summary, runs: runs.map(({ cdf, ...r }) => r) }) + '\n')
