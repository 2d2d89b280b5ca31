/**
 * npm run bench        — 100 real libp2p nodes, plumtree() vs gossipsub(), TCP and QUIC
 * npm run bench:quick  — the same harness, small (CI smoke test; no thresholds asserted)
 *
 * Options: `--help` lists them (net/cli-args.ts refuses unknown ones and bad values by name).
 * Writes benchmarks/results/net[-quick].json and .html, prints progress, a summary table, and
 * the JSON summary as the last line.
 */
import fs from 'node:fs'
import path from 'node:path'
import { CliArgs } from './net/cli-args.ts'
import { htmlReport } from './net/report.ts'
import { runNetwork } from './net/run.ts'
import { stackOptions } from './net/stack-options.ts'
import { THROUGHPUT_METHOD, runThroughput } from './net/throughput.ts'
import type { ProtocolName, TransportName } from './net/messages.ts'
import type { RunResult } from './net/run.ts'
import type { ThroughputResult } from './net/throughput.ts'

const cli = new CliArgs(process.argv, {
  bench: 'bench',
  usage: `  --nodes N --workers W --rate msg/s --duration s --size bytes --seed S --contacts C
  --drain s (after publishing stops, before counting; default 10)
  --transports tcp,quic --protocols plumtree,gossipsub
  --rates r1,r2,… (the relay throughput steps) --no-throughput --quick
  --stack-options JSON --plumtree-config JSON (experiments: net/stack-options.ts)`,
  values: ['nodes', 'workers', 'rate', 'duration', 'size', 'seed', 'contacts', 'drain', 'transports', 'protocols', 'rates', 'stack-options', 'plumtree-config'],
  switches: ['quick', 'no-throughput']
})
const quick = cli.has('quick')
const whole = { integer: true, min: 1 }
const config = {
  nodes: cli.number('nodes', quick ? 12 : 100, whole),
  workers: cli.number('workers', quick ? 2 : 4, whole),
  rate: cli.number('rate', 10),
  duration: cli.number('duration', quick ? 5 : 60),
  size: cli.number('size', 1024, whole),
  seed: cli.number('seed', 1, { integer: true, min: 0 }),
  contacts: cli.number('contacts', 6, whole),
  drain: 1000 * cli.number('drain', quick ? 3 : 10, { min: 0 }),
  formationTimeout: quick ? 30_000 : 90_000,
  /** --stack-options / --plumtree-config (net/stack-options.ts) */
  options: stackOptions(process.argv, 'bench')
}

const transports = cli.list<TransportName>('transports', 'tcp,quic', ['tcp', 'quic'])
const protocols = cli.list<ProtocolName>('protocols', 'plumtree,gossipsub', ['plumtree', 'gossipsub'])
/** the relay throughput steps, msg/s */
const rates = cli.numbers('rates', quick ? '100,200' : '250,500,1000,1500,2000,3000')
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
if (!cli.has('no-throughput')) {
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
