/**
 * Delta-state CRDT sync (issue 17, SPEC.md §9.7), in one run: (1) bytes of a
 * 10,000-element OR-Set with 1% changed, deltas against the full state; (2) sim1000:
 * 1,000 pure-core replicas split in two halves edit, heal, and converge by digest →
 * delta-interval anti-entropy (a round model of the service, not packages/sim); (3) the
 * sequence engine: Yjs Y.Text against a plain RGA on a 10,000-insert trace; (4) real nodes
 * (TCP, one process): 20 nodes edit one OR-Set and one Yjs document concurrently, and a
 * forged-author delta is published and must be refused everywhere.
 *
 * Usage: npm run bench:crdt [-- --nodes 20 --edits 100 --replicas 1000 --network-only]
 * JSON summary last (also benchmarks/results/crdt.json).
 */
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createRng } from '@saorsa-gossip/core'
import { crdtSync, encodeFrame, Frame, OrSet, Replica, SaorsaYjsProvider, stateToFrame, TOPIC_PREFIX } from '@saorsa-gossip/crdt'
import { pqIdentity } from '@saorsa-gossip/identity'
import { membership } from '@saorsa-gossip/membership'
import { plumtree } from '@saorsa-gossip/pubsub'
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

/** Round model of the service: deltas within a half while partitioned; after the heal every replica broadcasts its digest, every author answers the slowest digest with one interval */
function sim (): Record<string, unknown> {
  const rng = createRng('crdt-bench')
  const names = Array.from({ length: REPLICAS }, (_, i) => `peer-${String(i).padStart(4, '0')}`)
  const replicas = names.map(n => new Replica(n, 'orset'))
  const half = (i: number): number => i < REPLICAS / 2 ? 0 : 1
  let partitionDeltaBytes = 0
  for (let i = 0; i < REPLICAS; i++) {
    const r = replicas[i]
    const set = r.state as OrSet
    const edits = [set.add(r.self, `item-${rng.int(REPLICAS * 2)}`), set.add(r.self, `item-${rng.int(REPLICAS * 2)}`)]
    if (rng.float() < 0.3 && set.size > 0) {
      edits.push(set.remove(r.self, set.values()[0]))
    }
    for (const delta of edits) {
      const seq = r.recordLocal(delta)
      partitionDeltaBytes += bytesOf(delta)
      for (let j = 0; j < REPLICAS; j++) {
        if (j !== i && half(j) === half(i)) {
          replicas[j].receive(r.self, delta, { replica: r.self, from: seq, to: seq }, 0)
        }
      }
    }
  }
  // heal: one anti-entropy period
  const start = process.hrtime.bigint()
  const digests = replicas.map(r => r.digest())
  let deltaBytes = 0
  let digestBytes = 0
  for (const d of digests) {
    digestBytes += encodeFrame({ ...stateToFrame(new OrSet()), kind: Frame.Kind.DIGEST, context: d.map(r => ({ replica: r.replica, from: BigInt(r.from), to: BigInt(r.to) })) }).byteLength
  }
  for (let i = 0; i < REPLICAS; i++) {
    const r = replicas[i]
    const slowest = digests.reduce((min, d, j) => {
      const prefix = d.find(x => x.replica === r.self)?.to ?? 0
      return j !== i && prefix < (min.find(x => x.replica === r.self)?.to ?? 0) ? d : min
    }, digests[i])
    const interval = r.intervalFor(slowest)
    if (interval == null) {
      continue
    }
    deltaBytes += encodeFrame(stateToFrame(interval.delta, interval.ops)).byteLength
    for (let j = 0; j < REPLICAS; j++) {
      if (j !== i) {
        replicas[j].receive(r.self, interval.delta, interval.ops, 0)
      }
    }
  }
  const healCpuMs = ms(start)
  const first = JSON.stringify((replicas[0].state as OrSet).values())
  const converged = replicas.every(r => JSON.stringify((r.state as OrSet).values()) === first && r.state.context.covers(replicas[0].state.context))
  const fullStateBytes = bytesOf(replicas[0].state)
  log(`sim${REPLICAS}: converged=${converged} after 1 anti-entropy period; intervals ${deltaBytes} B (each shipped once, by its author) + digests ${digestBytes} B; one full state ${fullStateBytes} B (× ${REPLICAS} for full-state sync); heal CPU ${round(healCpuMs, 0)} ms`)
  return { model: 'pure-core rounds', replicas: REPLICAS, converged, antiEntropyPeriods: 1, convergedAfterHealMs: PERIOD, deltaBytes, digestBytes, fullStateBytes, fullStateSyncBytes: fullStateBytes * REPLICAS, partitionDeltaBytes }
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
const bytes = ONLY_NET ? {} : deltaVsFull()
const simResult = ONLY_NET ? {} : sim()
const seq = ONLY_NET ? {} : sequence()
const net = await network()
writeSummary('crdt', {
  sim1000: simResult,
  bytes10k: bytes,
  sequence: seq,
  yjs20: { converged: (net.yjs as any).converged, p50Ms: (net.yjs as any).p50Ms, p95Ms: (net.yjs as any).p95Ms },
  orset20: net.orset,
  forgedAccepted: net.forgedAccepted,
  forgedRefused: net.forgedRefused
})
process.exit(0)
