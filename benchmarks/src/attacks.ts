/**
 * npm run bench:attacks [-- --nodes 1000] [--seed 1] [--attacks sybil,eclipse,…]
 *
 * Issue 19, adversarial part: Plumtree with its peer scoring against the gossipsub-style
 * mesh with a v1.1-style score (packages/sim/src/attacks/mesh-score.ts), in the
 * deterministic simulator over the same overlay, adversaries and publish schedule
 * (SPEC.md §4.2). Each attack reports honest delivery, latency P99 against the attack-free
 * run, traffic amplification (honest nodes' bytes under attack / attack-free) and the mesh's
 * honest delivery under the same attack. Two worker threads. Prints a table and ends with a
 * JSON summary line (also benchmarks/results/attacks.json).
 */
import os from 'node:os'
import { Worker } from 'node:worker_threads'
import { round, writeSummary } from './stats.ts'
import type { AttackName, AttackResult } from '@saorsa-gossip/sim'

function arg (name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

const ALL: AttackName[] = ['sybil', 'eclipse', 'black-hole', 'ihave-graft-spam', 'ae-amplification', 'forgery-replay', 'membership-poisoning']
const nodes = Number(arg('nodes') ?? 1000)
const seed = Number(arg('seed') ?? 1)
const attacks = (arg('attacks')?.split(',') ?? ALL) as AttackName[]

interface Job { attack: AttackName, protocol: 'plumtree' | 'mesh' }
interface Done extends Job { result: AttackResult }

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads')
import('@saorsa-gossip/sim').then(({ runAttackScenario }) => {
  parentPort.postMessage(runAttackScenario(workerData.scenario, workerData.protocol))
})
`

function scenarioOf (attack: AttackName): Record<string, unknown> {
  // the replay needs the mesh's 120 s seen-id memory to pass; the others end 8 s after the last publish
  return { attack, nodes, seed, ...(attack === 'forgery-replay' ? { duration: 170_000 } : {}) }
}

async function run (job: Job): Promise<Done> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource, { eval: true, workerData: { scenario: scenarioOf(job.attack), protocol: job.protocol }, resourceLimits: { maxOldGenerationSizeMb: 6_144 } })
    worker.once('message', (result: AttackResult) => { resolve({ ...job, result }) })
    worker.once('error', reject)
  })
}

// the slowest runs first, so that the two workers finish together
const jobs: Job[] = (['none', ...attacks] as AttackName[]).flatMap(attack => [{ attack, protocol: 'plumtree' as const }, { attack, protocol: 'mesh' as const }])
const queue = jobs.slice()
const done: Done[] = []
const parallel = Math.max(1, Math.min(2, os.availableParallelism()))
const started = performance.now()
await Promise.all(Array.from({ length: parallel }, async () => {
  for (let next = queue.shift(); next != null; next = queue.shift()) {
    const d = await run(next)
    process.stderr.write(`${d.attack} / ${d.protocol}: ${((d.result.wallMs ?? 0) / 1000).toFixed(1)} s wall\n`)
    done.push(d)
  }
}))

const get = (attack: AttackName, protocol: 'plumtree' | 'mesh'): AttackResult => (done.find(d => d.attack === attack && d.protocol === protocol) as Done).result
const out = (line: string): void => { process.stdout.write(line + '\n') }
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`
const basePlum = get('none', 'plumtree')
const baseMesh = get('none', 'mesh')
out('')
out(`Attacks at ${nodes} nodes (seed ${seed}; latency 10–50 ms; 1 KiB payloads; 60 messages from random honest nodes, 5/s; ${basePlum.adversaries} adversaries = 10%, or 30 sybils on one target)`)
out(`attack-free: plumtree delivery ${pct(basePlum.honestDelivery)}, P99 ${basePlum.latency.p99} ms; mesh ${pct(baseMesh.honestDelivery)}, P99 ${baseMesh.latency.p99} ms`)
out('attack                 plumtree deliv  P99 ms (free)     ampl.   mesh deliv  mesh P99  mesh ampl.  target (plumtree / mesh)          replays / forged   meets targets')
const rows: Array<Record<string, unknown>> = []
for (const attack of attacks) {
  const p = get(attack, 'plumtree')
  const m = get(attack, 'mesh')
  const amplification = p.honestBytes / basePlum.honestBytes
  const meshAmplification = m.honestBytes / baseMesh.honestBytes
  const p99 = p.latency.p99 ?? NaN
  const freeP99 = basePlum.latency.p99 ?? NaN
  const ok = p.honestDelivery >= 0.99 && p99 <= 2 * freeP99 && p.honestDelivery >= m.honestDelivery
  const target = p.target == null ? '' : `${pct(p.target.delivery)} (${Math.round(p.target.adversaryShare * 100)}% bad links) / ${pct(m.target?.delivery ?? NaN)} (${Math.round((m.target?.adversaryShare ?? NaN) * 100)}%)`
  out(`${attack.padEnd(22)} ${pct(p.honestDelivery).padStart(8)}        ${`${Math.round(p99)} (${Math.round(freeP99)})`.padEnd(17)} ${amplification.toFixed(2).padStart(5)}×  ${pct(m.honestDelivery).padStart(8)}    ${String(Math.round(m.latency.p99 ?? NaN)).padStart(6)}    ${meshAmplification.toFixed(2).padStart(5)}×    ${target.padEnd(33)} ${`${p.duplicatesDelivered}+${p.forgedDelivered} / ${m.duplicatesDelivered}+${m.forgedDelivered}`.padEnd(18)} ${ok ? 'yes' : 'NO'}`)
  rows.push({
    name: attack,
    honestDelivery: round(p.honestDelivery, 6),
    p99Ms: round(p99, 1),
    attackFreeP99Ms: round(freeP99, 1),
    amplification: round(amplification, 3),
    meshHonestDelivery: round(m.honestDelivery, 6),
    meshP99Ms: round(m.latency.p99 ?? NaN, 1),
    meshAttackFreeP99Ms: round(baseMesh.latency.p99 ?? NaN, 1),
    meshAmplification: round(meshAmplification, 3),
    adversaryBytes: p.adversaryBytes,
    meshAdversaryBytes: m.adversaryBytes,
    replaysDelivered: p.duplicatesDelivered,
    meshReplaysDelivered: m.duplicatesDelivered,
    forgedDelivered: p.forgedDelivered,
    meshForgedDelivered: m.forgedDelivered,
    ...(p.target == null ? {} : { target: { plumtree: p.target, mesh: m.target } }),
    meetsTargets: ok
  })
}
out('ampl. = bytes sent by honest nodes from the first publish, under attack / attack-free (same protocol); replays = a genuine message delivered twice to an honest application')
writeSummary('attacks', { benchmark: 'attacks', nodes, seed, messages: basePlum.messages, wallS: Math.round((performance.now() - started) / 1000), attacks: rows })
