/**
 * Delta-state CRDT sync (issue 17, SPEC.md §9.7), in one run: (1) bytes of a
 * 10,000-element OR-Set with 1% changed, deltas against the full state; (2) sim1000: the
 * crdt core on 1,000 simulated nodes (packages/sim: membership + Plumtree, link latency),
 * partitioned while editing with 30% crash/restart, then healed; (3) the
 * sequence engine: Yjs Y.Text against a plain RGA on a 10,000-insert trace; (4) real nodes
 * (TCP, one process): 20 nodes edit one OR-Set and one Yjs document concurrently, and a
 * forged-author delta is published and must be refused everywhere.
 *
 * Usage: npm run bench:crdt [-- --nodes 20 --edits 100 --replicas 1000 --network-only | --sim-only]
 * (`--sim-only`: the simulator parts alone, which need no quiet machine: their time is virtual)
 * JSON summary last (also benchmarks/results/crdt.json).
 */
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createRng } from '@saorsa-gossip/core'
import { crdtSync, encodeFrame, OrSet, SaorsaYjsProvider, stateToFrame, TOPIC_PREFIX } from '@saorsa-gossip/crdt'
import { pqIdentity } from '@saorsa-gossip/identity'
import { membership } from '@saorsa-gossip/membership'
import { plumtree } from '@saorsa-gossip/pubsub'
import { runCrdtScenario } from '@saorsa-gossip/sim'
import { createLibp2p } from 'libp2p'
import * as Y from 'yjs'
import { Rga } from './crdt-rga-baseline.ts'
import { percentile, round, writeSummary } from './stats.ts'
import type { Libp2p } from '@libp2p/interface'
import type { CrdtState, CrdtSyncService } from '@saorsa-gossip/crdt'
import type { PlumtreeService } from '@saorsa-gossip/pubsub'

function arg (name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : fallback
}
const NODES = Number(arg('nodes', '20'))
const EDITS = Number(arg('edits', '100'))
const REPLICAS = Number(arg('replicas', '1000'))
const PERIOD = 2000
const log = (s: string): void => { process.stdout.write(s + '\n') }
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6
const bytesOf = (state: CrdtState): number => encodeFrame(stateToFrame(state)).byteLength
const sleep = async (t: number): Promise<void> => new Promise(resolve => setTimeout(resolve, t))

function deltaVsFull (): Record<string, number> {
  const author = '12D3KooWAuthorAuthorAuthorAuthorAuthorAuthorAuthor01'
  const set = new OrSet()
  for (let i = 0; i < 10_000; i++) {
    set.add(author, `element-${i}`)
  }
  let deltaBytes = 0
  for (let i = 0; i < 50; i++) {
    deltaBytes += bytesOf(set.remove(author, `element-${i * 7}`))
    deltaBytes += bytesOf(set.add(author, `new-${i}`))
  }
  const fullStateBytes = bytesOf(set)
  log(`bytes: 10,000 elements, 100 changed: deltas ${deltaBytes} B, full state ${fullStateBytes} B (${round(100 * deltaBytes / fullStateBytes, 2)}%)`)
  return { elements: 10_000, changed: 100, deltaBytes, fullStateBytes, ratio: round(deltaBytes / fullStateBytes, 4) }
}

/**
 * The simulator (packages/sim/src/crdt): REPLICAS nodes running membership + Plumtree + the
 * crdt pure core over simulated links (10–50 ms); two halves for 17 s while every node edits
 * and 30% crash and restart from their store; then the heal. Same scenario as the 100-node
 * test in packages/sim/test/crdt-scenarios.spec.ts.
 */
function sim (): Record<string, unknown> {
  const start = process.hrtime.bigint()
  const base = REPLICAS * 20
  const result = runCrdtScenario({
    name: `crdt-partition-crash30-${REPLICAS}`,
    seed: 1,
    nodes: REPLICAS,
    latency: { min: 10, max: 50 },
    joinInterval: 20,
    subscribeAt: base + 2000,
    antiEntropyInterval: PERIOD,
    partitionAt: base + 8000,
    edits: { from: base + 9000, to: base + 21_000, perNode: 3 },
    crash: { at: base + 13_000, fraction: 0.3, restartAt: base + 17_000 },
    healAt: base + 25_000,
    // Plumtree's topic overlay took 7–20 s to join the halves again in 100-node runs
    duration: base + 65_000
  }, (t) => { process.stderr.write(`  sim${REPLICAS}: ${t / 1000} s virtual after ${round(ms(start) / 1000, 0)} s wall\n`) })
  log(`sim${REPLICAS} (packages/sim: membership + Plumtree + crdt core, partition + 30% crash/restart): converged=${result.converged} ${result.convergedAfterHealMs} ms after the heal (${result.antiEntropyPeriods} anti-entropy periods; the topic overlay joined the halves ${result.topicReconnectedAfterHealMs} ms after the heal, convergence ${result.convergedAfterReconnectMs} ms after that); ${result.operations} operations; after the heal: repairs ${result.repairs} = ${result.deltaBytes} B, digests ${result.digests} = ${result.digestBytes} B; deltas authored during the partition ${result.partitionDeltaBytes} B; one full state ${result.fullStateBytes} B, one per live node ${result.fullStateSyncBytes} B; restored ${result.restoredFromStore}/${result.crashed}, dot reuse ${result.dotReuse}; ${round(ms(start) / 1000, 1)} s wall`)
  return { model: 'packages/sim', replicas: REPLICAS, ...result, wallMs: round(ms(start), 0) }
}

function sequence (): Record<string, unknown> {
  const n = 10_000
  const rng = createRng('crdt-seq')
  const positions = Array.from({ length: n }, (_, i) => rng.int(i + 1))
  let start = process.hrtime.bigint()
  const doc = new Y.Doc()
  const text = doc.getText('t')
  for (let i = 0; i < n; i++) {
    text.insert(positions[i], 'x')
  }
  const yjsLocalMs = ms(start)
  const update = Y.encodeStateAsUpdate(doc)
  start = process.hrtime.bigint()
  const remote = new Y.Doc()
  Y.applyUpdate(remote, update)
  const yjsApplyMs = ms(start)

  start = process.hrtime.bigint()
  const rga = new Rga('a')
  const ops = positions.map(p => rga.insert(p, 'x'))
  const rgaLocalMs = ms(start)
  start = process.hrtime.bigint()
  const rgaRemote = new Rga('b')
  for (const op of ops) {
    rgaRemote.integrate(op)
  }
  const rgaApplyMs = ms(start)
  const out = {
    inserts: n,
    yjs: { localMs: round(yjsLocalMs, 1), applyMs: round(yjsApplyMs, 1), bytes: update.byteLength, equal: remote.getText('t').toString() === text.toString() },
    rga: { localMs: round(rgaLocalMs, 1), applyMs: round(rgaApplyMs, 1), bytes: rga.encodedBytes(), equal: rgaRemote.toString() === rga.toString() }
  }
  log(`sequence, ${n} random inserts: Yjs local ${out.yjs.localMs} ms, apply ${out.yjs.applyMs} ms, ${out.yjs.bytes} B; RGA local ${out.rga.localMs} ms, apply ${out.rga.applyMs} ms, ~${out.rga.bytes} B`)
  return out
}

type Node = Libp2p<{ pubsub: PlumtreeService, crdt: CrdtSyncService }>

async function network (): Promise<Record<string, unknown>> {
  const make = async (i: number, bootstrap: string[]): Promise<Node> => createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { maxConnections: 300 },
    services: { identify: identify(), pqIdentity: pqIdentity(), membership: membership({ seed: `crdt-bench-${i}`, bootstrap }), pubsub: plumtree({ seed: `crdt-bench-p-${i}` }), crdt: crdtSync({ antiEntropyInterval: PERIOD }) }
  }) as unknown as Promise<Node>
  const first = await make(0, [])
  const nodes = [first, ...await Promise.all(Array.from({ length: NODES - 1 }, async (_, i) => make(i + 1, [first.getMultiaddrs()[0].toString()])))]
  try {
    const sets = nodes.map(n => n.services.crdt.open('bench-set', 'orset'))
    const docs = nodes.map(() => new Y.Doc())
    nodes.forEach((n, i) => new SaorsaYjsProvider(docs[i], n, 'bench-text'))
    const formedBy = Date.now() + 60_000
    while (!nodes.every(n => n.services.pubsub.getMeshPeers(TOPIC_PREFIX + 'bench-text').length > 0 && n.services.pubsub.getMeshPeers(TOPIC_PREFIX + 'bench-set').length > 0) && Date.now() < formedBy) {
      await sleep(100)
    }
    log(`network: ${NODES} nodes, topics formed=${Date.now() < formedBy}`)
    // OR-Set: every node adds 5 elements at once
    let start = Date.now()
    sets.forEach((s, i) => { for (let j = 0; j < 5; j++) { s.add(`n${i}-${j}`) } })
    while (!sets.every(s => s.values().length === NODES * 5) && Date.now() - start < 60_000) {
      await sleep(20)
    }
    const orsetConvergedMs = Date.now() - start
    const orsetConverged = sets.every(s => s.values().length === NODES * 5)

    log(`network: OR-Set converged=${orsetConverged} in ${orsetConvergedMs} ms`)
    // Yjs trace: EDITS inserts from random nodes, 50 ms apart; latency until every doc has each
    const rng = createRng('crdt-bench-yjs')
    const latencies: number[] = []
    const pending: Array<{ client: number, clock: number, at: number, missing: Set<number> }> = []
    docs.forEach((doc, k) => doc.on('update', () => {
      const sv = Y.decodeStateVector(Y.encodeStateVector(doc))
      for (const p of pending) {
        if (p.missing.has(k) && (sv.get(p.client) ?? 0) >= p.clock) {
          p.missing.delete(k)
          if (p.missing.size === 0) {
            latencies.push(Date.now() - p.at)
          }
        }
      }
    }))
    start = Date.now()
    for (let e = 0; e < EDITS; e++) {
      const k = rng.int(NODES)
      const text = docs[k].getText('t')
      text.insert(rng.int(text.length + 1), String.fromCharCode(97 + rng.int(26)))
      pending.push({ client: docs[k].clientID, clock: Y.decodeStateVector(Y.encodeStateVector(docs[k])).get(docs[k].clientID) ?? 0, at: Date.now(), missing: new Set(docs.map((_, j) => j).filter(j => j !== k)) })
      await sleep(50)
    }
    const same = (): boolean => docs.every(d => d.getText('t').toString() === docs[0].getText('t').toString())
    while ((!same() || docs[0].getText('t').length < EDITS) && Date.now() - start < 120_000) {
      await sleep(50)
    }
    const yjsConverged = same() && docs[0].getText('t').length === EDITS
    log(`network: Yjs converged=${yjsConverged} (${docs.map(d => d.getText('t').length).join(',')})`)

    // forged: node 1 publishes, signed as itself, an add claiming node 2 as author
    const forged = new OrSet()
    forged.insert('evil', { replica: nodes[2].peerId.toString(), seq: 999_999 })
    forged.context.add({ replica: nodes[2].peerId.toString(), seq: 999_999 })
    nodes[1].services.crdt.publish('bench-set', stateToFrame(forged, { replica: nodes[1].peerId.toString(), from: 1, to: 1 }))
    await sleep(3000)
    const forgedAccepted = sets.filter(s => s.has('evil')).length
    const forgedRefused = nodes.reduce((sum, n) => sum + n.services.crdt.stats.forgedAuthor, 0)
    const out = {
      nodes: NODES,
      orset: { converged: orsetConverged, convergedMs: orsetConvergedMs },
      yjs: { converged: yjsConverged, edits: EDITS, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), maxMs: Math.max(...latencies) },
      forgedAccepted,
      forgedRefused
    }
    log(`real ${NODES} nodes: OR-Set converged=${orsetConverged} in ${orsetConvergedMs} ms; Yjs ${EDITS} edits converged=${yjsConverged}, all-nodes latency p50 ${out.yjs.p50Ms} ms p95 ${out.yjs.p95Ms} ms; forged accepted ${forgedAccepted}, refusals ${forgedRefused}`)
    return out
  } finally {
    await Promise.all(nodes.map(async n => n.stop()))
  }
}

const ONLY_NET = process.argv.includes('--network-only')
const ONLY_SIM = process.argv.includes('--sim-only')
const bytes = ONLY_NET ? {} : deltaVsFull()
const simResult = ONLY_NET ? {} : sim()
const seq = ONLY_NET ? {} : sequence()
const net: Record<string, any> = ONLY_SIM ? { yjs: {}, orset: null, forgedAccepted: null, forgedRefused: null } : await network()
writeSummary(ONLY_SIM ? 'crdt-sim' : 'crdt', {
  sim1000: simResult,
  bytes10k: bytes,
  sequence: seq,
  yjs20: { converged: (net.yjs as any).converged, p50Ms: (net.yjs as any).p50Ms, p95Ms: (net.yjs as any).p95Ms },
  orset20: net.orset,
  forgedAccepted: net.forgedAccepted,
  forgedRefused: net.forgedRefused
})
process.exit(0)
