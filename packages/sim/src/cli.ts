#!/usr/bin/env node
/**
 * npm run sim -- <scenario.json> [--out result.json]
 *
 * Runs one scenario, prints a short human summary and then the JSON result as
 * the last line; also writes it to --out (default: results/<name>.json next
 * to the scenario's directory). SIM_SEED in the environment overrides the seed.
 */
import fs from 'node:fs'
import path from 'node:path'
import { runBroadcastScenario } from './broadcast/run-broadcast.ts'
import { validateBroadcastScenario } from './broadcast/scenario.ts'
import { runPresenceScenario } from './presence/run-presence.ts'
import { runMembershipScenario } from './run-membership.ts'
import { validateScenario } from './scenario.ts'
import type { PresenceScenario } from './presence/run-presence.ts'
import type { LagStats } from './processing.ts'

/** One line on the processing model's lag, when the scenario turned it on */
function lagLine (lag: LagStats | undefined): string {
  if (lag == null) {
    return ''
  }
  const d = (x: LagStats['messages']): string => `p50 ${x.p50 ?? '-'} / p99 ${x.p99 ?? '-'} / max ${x.max ?? '-'} ms`
  const busiest = lag.cores.busiest
  return `  event-loop lag (${lag.cores.count} cores, ${lag.nodesPerCore} nodes each): messages ${d(lag.messages)}; timers ${d(lag.timers)}; CPU utilisation mean ${lag.cores.utilisation.mean}, max ${lag.cores.utilisation.max}${busiest == null ? '' : ` (core ${busiest.core}, backlog up to ${busiest.maxBacklog})`}\n`
}

/** results/<name>-seed<seed>.json, in the directory beside the scenario's */
function defaultOut (file: string, scenario: { name: string, seed: number }): string {
  return path.join(path.dirname(path.resolve(file)), '..', 'results', `${scenario.name}-seed${scenario.seed}.json`)
}

/** Writes the JSON result, says where, and prints it as the last line */
function writeResult (out: string, json: string): void {
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(out, json + '\n')
  process.stdout.write(`wrote ${out}\n`)
  process.stdout.write(json + '\n')
}

/** A scenario with `traffic` is a broadcast scenario: runs each of its protocols over the same overlay */
function runBroadcast (raw: unknown, file: string): void {
  const scenario = validateBroadcastScenario(raw)
  if (process.env.SIM_SEED != null) {
    scenario.seed = Number.parseInt(process.env.SIM_SEED, 10)
  }
  const results = []
  for (const protocol of scenario.protocols ?? ['plumtree']) {
    const started = performance.now()
    const result = runBroadcastScenario(scenario, protocol)
    const wallMs = Math.round(performance.now() - started)
    results.push({ ...result, timing: { wallMs } })
    process.stdout.write(`${scenario.name} / ${protocol} (seed ${scenario.seed}): ${scenario.nodes} nodes, ${scenario.duration / 1000} s virtual in ${(wallMs / 1000).toFixed(1)} s wall\n`)
    for (const t of result.traffic) {
      process.stdout.write(`  ${t.label}: ${t.messages} messages (${t.unrecoverable} unrecoverable), delivered ${t.delivered} of ${t.expected}, missed ${t.missed}, RMR ${t.rmr.toFixed(3)}, LDH ${t.ldh}, hops p50 ${t.hops.p50} / p95 ${t.hops.p95}, latency p50 ${t.latency.p50} / p95 ${t.latency.p95} / p99 ${t.latency.p99} ms, via repair ${t.viaRepair}\n`)
    }
    const ae = result.antiEntropy
    process.stdout.write(lagLine(result.processing))
    process.stdout.write(`  bytes per delivery ${result.totals.bytesPerDelivery}; anti-entropy ${ae.bytes} B in ${ae.sessions} sessions (${ae.sessionsWithDifferences} with ${ae.differences} differences; worst session ${ae.worst == null ? '-' : `${ae.worst.bytes} B for ${ae.worst.differences} differences`}, excess over 96 B per difference ${ae.worstExcess} B); complete after heal ${result.completeAfterHeal ?? '-'} ms; payloads received / relayed by non-subscribers ${result.nonSubscribers.payloadsReceived} / ${result.nonSubscribers.payloadsRelayed}\n`)
  }
  writeResult(defaultOut(file, scenario), JSON.stringify(results))
}

/** A scenario with `lookups` is a presence scenario: FOAF lookups over membership and the topic views */
function runPresence (scenario: PresenceScenario, file: string): void {
  if (process.env.SIM_SEED != null) {
    scenario.seed = Number.parseInt(process.env.SIM_SEED, 10)
  }
  const started = performance.now()
  const result = runPresenceScenario(scenario, t => { process.stderr.write(`  ${t / 1000} s virtual, ${((performance.now() - started) / 1000).toFixed(0)} s wall\n`) })
  const wallMs = Math.round(performance.now() - started)
  process.stdout.write(`${scenario.name} (seed ${scenario.seed}, ${result.scoped ? 'scoped' : 'unscoped'} queries): ${scenario.nodes} nodes, ${scenario.duration / 1000} s virtual in ${(wallMs / 1000).toFixed(1)} s wall\n`)
  for (const [label, s] of [['topic peers', result.topicPeers], ['any peers', result.anyPeer]] as const) {
    process.stdout.write(`  ${label}: ${s.lookups} lookups, success ${(s.success * 100).toFixed(1)}% (${(s.answeredLocally * 100).toFixed(1)}% from the cache), latency p50 ${s.latency.p50} / p95 ${s.latency.p95} ms, ${s.messagesPerLookup} frames and ${s.bytesPerLookup} B per lookup\n`)
  }
  process.stdout.write(`  beacons ${result.beaconBytesPerNodePerSecond} B per node per second; records held p50 ${result.records.p50}, max ${result.records.max}; topic view p50 ${result.topicViews.size.p50} [${result.topicViews.size.min}..${result.topicViews.size.max}], components per topic p50 ${result.topicViews.components.p50}, max ${result.topicViews.components.max}\n`)
  writeResult(defaultOut(file, scenario), JSON.stringify({ ...result, timing: { wallMs } }))
}

function main (): void {
  const file = process.argv[2]
  if (file == null) {
    process.stderr.write('usage: npm run sim -- <scenario.json> [--out result.json]\n')
    process.exit(2)
  }
  let raw: unknown
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (err: any) {
    process.stderr.write(`cannot read scenario ${file}: ${err.message}\n`)
    process.exit(2)
  }
  if (raw != null && typeof raw === 'object' && 'traffic' in raw) {
    runBroadcast(raw, file)
    return
  }
  if (raw != null && typeof raw === 'object' && 'lookups' in raw) {
    runPresence(raw as PresenceScenario, file)
    return
  }
  const scenario = validateScenario(raw)
  if (process.env.SIM_SEED != null) {
    scenario.seed = Number.parseInt(process.env.SIM_SEED, 10)
  }
  const started = performance.now()
  const result = runMembershipScenario(scenario)
  const wallMs = Math.round(performance.now() - started)
  const outIndex = process.argv.indexOf('--out')
  const out = outIndex > 0 ? process.argv[outIndex + 1] : defaultOut(file, scenario)
  fs.mkdirSync(path.dirname(out), { recursive: true })
  const json = JSON.stringify({ ...result, timing: { wallMs } })
  fs.writeFileSync(out, json + '\n')
  const f = result.final
  process.stdout.write(`${scenario.name} (seed ${scenario.seed}): ${scenario.nodes} nodes, ${scenario.duration / 1000} s virtual in ${(wallMs / 1000).toFixed(1)} s wall, ${result.eventsProcessed} events\n`)
  process.stdout.write(`final: ${f.live} live, ${f.components} component(s), ${f.isolated} isolated, symmetry ${f.symmetry.toFixed(4)}, active view p50 ${f.activeViewSize.p50} [${f.activeViewSize.min}..${f.activeViewSize.max}], within bounds ${(f.withinBounds * 100).toFixed(2)}%\n`)
  for (const heal of result.heals) {
    process.stdout.write(`${heal.label}: ${heal.survivors} survivors, healed after ${heal.healedAfterMs ?? 'never'} ms, largest component at +10 s ${heal.largestAfter10s}, at +30 s ${heal.largestAfter30s}; dead neighbours held at +15 s ${heal.deadNeighborsAfter15s ?? 'n/a'}\n`)
  }
  process.stdout.write(lagLine(result.processing))
  process.stdout.write(`detection: monitor p50 ${result.detection.monitorLatency.p50} ms, p99 ${result.detection.monitorLatency.p99} ms, missed ${result.detection.missed}; false positives healthy ${result.falsePositives.healthy}, stalled ${result.falsePositives.stalled}\n`)
  process.stdout.write(`wrote ${out}\n`)
  process.stdout.write(json + '\n')
}

main()
