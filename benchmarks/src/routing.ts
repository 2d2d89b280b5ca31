/**
 * Peer routing without a DHT (issue 16, SPEC.md §8.8): presence() beacons + FOAF queries
 * against `@libp2p/kad-dht` 16, in the same harness, over the same node keys and start order,
 * TCP on loopback, one process. Nodes are in `--topics` topics (node i in topic i mod topics;
 * the presence nodes subscribe with plumtree(), whose topic views presence follows); the
 * lookups are of peers that share a topic with the searcher and of arbitrary peers, always
 * of a peer the searcher has no connection to, one at a time so the bytes between two counter
 * reads belong to one lookup. Then, unless `--no-sim`, the same lookups in the simulator at
 * 10,000 nodes (packages/sim/scenarios/presence-10000.json, ~3 min).
 *
 * Usage: npm run bench:routing [-- --nodes 100 --lookups 500 --topics 10 --no-sim]
 * JSON summary last (also benchmarks/results/routing.json).
 */
import fs from 'node:fs'
import path from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { pqIdentity } from '@saorsa-gossip/identity'
import { membership } from '@saorsa-gossip/membership'
import { presence, PROTOCOL as PRESENCE_PROTOCOL } from '@saorsa-gossip/presence'
import { plumtree } from '@saorsa-gossip/pubsub'
import { runPresenceScenario } from '@saorsa-gossip/sim'
import { createLibp2p } from 'libp2p'
import { median, percentile, round, writeSummary } from './stats.ts'
import type { Libp2p, Metrics, PrivateKey, Stream } from '@libp2p/interface'
import type { PresenceScenario } from '@saorsa-gossip/sim'

function arg (name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : fallback
}
function count (name: string, fallback: string, min: number): number {
  const value = Number(arg(name, fallback))
  if (!Number.isInteger(value) || value < min) {
    process.stderr.write(`bench:routing: --${name} must be an integer of at least ${min}\n`)
    process.exit(2)
  }
  return value
}
const NODES = count('nodes', '100', 3)
const LOOKUPS = count('lookups', '500', 1)
const TOPICS = count('topics', '10', 1)
const IDLE_MS = 10_000
const topicOf = (i: number): number => i % TOPICS
const KAD_PROTOCOL = '/ipfs/kad/1.0.0'
const log = (s: string): void => { process.stdout.write(s + '\n') }
const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/**
 * Bytes sent, per protocol and on the wire ('global': everything after the transport,
 * handshakes and identify included). Counts `send` like `@libp2p/prometheus-metrics` does,
 * without adding a 'message' listener (that would drain streams before their handlers attach).
 */
class ByteMeter {
  readonly sent = new Map<string, number>()

  total (key: string): number {
    return this.sent.get(key) ?? 0
  }

  metrics (): () => Metrics {
    const noop = (): any => ({ update () {}, increment () {}, decrement () {}, reset () {}, observe () {}, timer: () => () => {} })
    const track = (stream: Pick<Stream, 'send'>, key: string): void => {
      const send = stream.send.bind(stream)
      stream.send = (buf: any) => {
        this.sent.set(key, this.total(key) + buf.byteLength)
        return send(buf)
      }
    }
    return () => ({
      trackMultiaddrConnection: (maConn: any) => { track(maConn, 'global') },
      trackProtocolStream: (stream: Stream) => { if (stream.protocol != null) { track(stream, stream.protocol) } },
      registerMetric: noop,
      registerMetricGroup: noop,
      registerCounter: noop,
      registerCounterGroup: noop,
      registerHistogram: noop,
      registerHistogramGroup: noop,
      registerSummary: noop,
      registerSummaryGroup: noop,
      traceFunction: (_name: string, fn: any) => fn,
      createTrace: () => undefined
    }) as unknown as Metrics
  }
}

type Kind = 'presence' | 'kad'

async function createNodes (kind: Kind, keys: PrivateKey[], meter: ByteMeter): Promise<Libp2p[]> {
  const nodes: Libp2p[] = []
  for (const [i, privateKey] of keys.entries()) {
    const bootstrap = i === 0 ? [] : [nodes[0].getMultiaddrs()[0].toString()]
    const services: Record<string, any> = kind === 'presence'
      ? { identify: identify(), pqIdentity: pqIdentity(), membership: membership({ bootstrap, seed: `bench-${i}` }), pubsub: plumtree({ seed: `bench-${i}` }), presence: presence({ seed: `bench-${i}` }) }
      // loopback addresses are all there is here: keep them (the default mapper drops private ones)
      : { identify: identify(), ping: ping(), dht: kadDHT({ clientMode: false, peerInfoMapper: passthroughMapper }) }
    nodes.push(await createLibp2p({
      privateKey,
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      metrics: meter.metrics(),
      services
    }))
    if (kind === 'kad' && i > 0) {
      // each node joins through up to three earlier ones, as membership's bootstrap + views give the other run
      for (const j of new Set([0, Math.floor(i / 2), i - 1])) {
        await nodes[i].dial(nodes[j].getMultiaddrs()[0]).catch(() => {})
      }
    }
  }
  return nodes
}

async function settle (kind: Kind, nodes: Libp2p[]): Promise<void> {
  if (kind === 'kad') {
    await Promise.all(nodes.map(async n => (n.services as any).dht.refreshRoutingTable().catch(() => {})))
    await sleep(3000)
    return
  }
  nodes.forEach((n, i) => { (n.services as any).pubsub.subscribe(`topic-${topicOf(i)}`) })
  const deadline = Date.now() + 120_000
  const ready = (n: Libp2p, i: number): boolean => {
    const s = n.services as any
    return s.membership.activeView().length >= 2 && s.pubsub.getMeshPeers(`topic-${topicOf(i)}`).length >= Math.min(2, NODES / TOPICS - 1) && s.presence.stats.records >= 2
  }
  while (Date.now() < deadline && !nodes.every(ready)) {
    await sleep(500)
  }
  // the topic views are read every 2 s, and beacons are passed on as they change
  await sleep(5000)
}

interface KindResult { localAnswers: number, success: number, p50Ms: number, p95Ms: number, protocolBytesPerLookup: number, lookupBytesPerLookup: number, wireBytesPerLookup: number, framesPerLookup: number | null, lookups: number }
interface RunResult { topicPeers: KindResult, anyPeer: KindResult, backgroundBytesPerNodePerSecond: number, formedSeconds: number }

/** Frames of the routing protocol sent by every node (presence counts them; kad-dht does not) */
function frames (kind: Kind, nodes: Libp2p[]): number | null {
  return kind === 'presence' ? nodes.reduce((sum, n) => sum + (n.services as any).presence.stats.framesOut, 0) : null
}

/**
 * Lookup frames only (asks, hints, queries, replies) and their bytes, with a varint length prefix
 * each: beacons sent meanwhile are left out. They are not the lookup's: the hang-up below breaks a
 * topic link when the target was a topic neighbour, and the repaired view exchanges beacons (the
 * idle background, with no hang-up, is 0 B/s). Presence only; kad-dht's are its protocol's bytes.
 */
function lookupBytes (kind: Kind, nodes: Libp2p[]): number {
  if (kind !== 'presence') {
    return 0
  }
  return nodes.reduce((sum, n) => {
    const stats = (n.services as any).presence.stats
    return sum + stats.lookupBytesOut + 2 * stats.lookupFramesOut
  }, 0)
}

async function lookups (kind: Kind, nodes: Libp2p[], meter: ByteMeter, pairs: Array<[number, number]>): Promise<KindResult> {
  const protocol = kind === 'presence' ? PRESENCE_PROTOCOL : KAD_PROTOCOL
  const latencies: number[] = []
  let ok = 0
  let protocolBytes = 0
  let lookupOnly = 0
  let wireBytes = 0
  let frameCount = 0
  let done = 0
  let local = 0
  for (const [s, t] of pairs) {
    const searcher = nodes[s]
    const target = nodes[t]
    if (searcher.getConnections(target.peerId).length > 0) {
      // count only lookups of peers the searcher is not connected to (the case routing is for)
      await searcher.hangUp(target.peerId).catch(() => {})
    }
    const p0 = meter.total(protocol)
    const w0 = meter.total('global')
    const f0 = frames(kind, nodes) ?? 0
    const l0 = lookupBytes(kind, nodes)
    const start = performance.now()
    try {
      const info = await searcher.peerRouting.findPeer(target.peerId, { signal: AbortSignal.timeout(10_000) })
      const want = target.getMultiaddrs().map(a => a.toString().replace(`/p2p/${target.peerId.toString()}`, ''))
      if (info.multiaddrs.some(a => want.includes(a.toString().replace(`/p2p/${target.peerId.toString()}`, '')))) {
        ok++
        latencies.push(performance.now() - start)
      }
    } catch {
      // not found within 10 s: counted as a failure
    }
    // replies and late answers of this lookup land before the next one starts
    await sleep(50)
    // answered without a lookup frame (presence) or a byte of the routing protocol (kad): from a record cache or the peer store
    const lookupDelta = kind === 'presence' ? lookupBytes(kind, nodes) - l0 : meter.total(protocol) - p0
    local += lookupDelta === 0 ? 1 : 0
    protocolBytes += meter.total(protocol) - p0
    lookupOnly += lookupDelta
    wireBytes += meter.total('global') - w0
    frameCount += (frames(kind, nodes) ?? 0) - f0
    done++
  }
  return {
    localAnswers: round(local / done, 3),
    success: round(ok / done, 3),
    p50Ms: round(median(latencies), 1),
    p95Ms: round(percentile(latencies, 95), 1),
    protocolBytesPerLookup: Math.round(protocolBytes / done),
    lookupBytesPerLookup: Math.round(lookupOnly / done),
    wireBytesPerLookup: Math.round(wireBytes / done),
    framesPerLookup: kind === 'presence' ? round(frameCount / done, 1) : null,
    lookups: done
  }
}

async function run (kind: Kind, keys: PrivateKey[], topicPairs: Array<[number, number]>, anyPairs: Array<[number, number]>): Promise<RunResult> {
  const meter = new ByteMeter()
  const started = performance.now()
  const nodes = await createNodes(kind, keys, meter)
  await settle(kind, nodes)
  const formedSeconds = round((performance.now() - started) / 1000, 1)
  const protocol = kind === 'presence' ? PRESENCE_PROTOCOL : KAD_PROTOCOL
  // what the routing protocol costs with nobody looking anything up
  const idle0 = meter.total(protocol)
  await sleep(IDLE_MS)
  const backgroundBytesPerNodePerSecond = round((meter.total(protocol) - idle0) / NODES / (IDLE_MS / 1000), 1)
  const topicPeers = await lookups(kind, nodes, meter, topicPairs)
  log(`  ${kind}: topic peers done`)
  const anyPeer = await lookups(kind, nodes, meter, anyPairs)
  await Promise.all(nodes.map(async n => n.stop()))
  return { topicPeers, anyPeer, backgroundBytesPerNodePerSecond, formedSeconds }
}

function line (name: string, r: KindResult, protocol: string): string {
  return `${name} success ${r.success}, P50 ${r.p50Ms} ms, P95 ${r.p95Ms} ms, ${r.lookupBytesPerLookup} B/lookup in lookup frames, ${r.protocolBytesPerLookup} B/lookup on ${protocol}${r.framesPerLookup == null ? '' : ` (${r.framesPerLookup} frames, beacons included)`}, ${r.wireBytesPerLookup} B/lookup on the wire, ${r.localAnswers} answered locally`
}

function pairsOf (sameTopic: boolean): Array<[number, number]> {
  const out: Array<[number, number]> = []
  while (out.length < LOOKUPS) {
    const s = Math.floor(Math.random() * NODES)
    const t = Math.floor(Math.random() * NODES)
    if (s !== t && (!sameTopic || topicOf(s) === topicOf(t))) {
      out.push([s, t])
    }
  }
  return out
}

const keys = await Promise.all(Array.from({ length: NODES }, async () => generateKeyPair('Ed25519')))
const topicPairs = pairsOf(true)
const anyPairs = pairsOf(false)
log(`peer routing: ${NODES} nodes (TCP, loopback, one process) in ${TOPICS} topics; ${LOOKUPS} lookups of unconnected peers sharing a topic, ${LOOKUPS} of arbitrary ones`)
const foaf = await run('presence', keys, topicPairs, anyPairs)
log(`presence/FOAF (formed in ${foaf.formedSeconds} s, background ${foaf.backgroundBytesPerNodePerSecond} B/s per node on ${PRESENCE_PROTOCOL}):`)
log(`  ${line('topic peers:', foaf.topicPeers, PRESENCE_PROTOCOL)}`)
log(`  ${line('any peers:  ', foaf.anyPeer, PRESENCE_PROTOCOL)}`)
const kad = await run('kad', keys, topicPairs, anyPairs)
log(`kad-dht 16 (formed in ${kad.formedSeconds} s, background ${kad.backgroundBytesPerNodePerSecond} B/s per node on ${KAD_PROTOCOL}):`)
log(`  ${line('topic peers:', kad.topicPeers, KAD_PROTOCOL)}`)
log(`  ${line('any peers:  ', kad.anyPeer, KAD_PROTOCOL)}`)

const compare = (f: KindResult, k: KindResult): Record<string, number | null> => ({
  foafSuccess: f.success,
  kadSuccess: k.success,
  foafP50Ms: f.p50Ms,
  kadP50Ms: k.p50Ms,
  foafP95Ms: f.p95Ms,
  kadP95Ms: k.p95Ms,
  foafBytesPerLookup: f.lookupBytesPerLookup,
  kadBytesPerLookup: k.lookupBytesPerLookup,
  foafProtocolBytesPerLookup: f.protocolBytesPerLookup,
  foafWireBytesPerLookup: f.wireBytesPerLookup,
  kadWireBytesPerLookup: k.wireBytesPerLookup,
  foafFramesPerLookup: f.framesPerLookup,
  foafLocalAnswers: f.localAnswers,
  kadLocalAnswers: k.localAnswers
})

let sim10k: Record<string, unknown> | null = null
if (!process.argv.includes('--no-sim')) {
  const file = path.resolve(import.meta.dirname, '../../../packages/sim/scenarios/presence-10000.json')
  const scenario = JSON.parse(fs.readFileSync(file, 'utf8')) as PresenceScenario
  log(`simulator: ${scenario.nodes} nodes in ${scenario.topics.count} topics (${path.basename(file)}), ~3 min`)
  const sim = runPresenceScenario(scenario)
  const simKind = (r: typeof sim.topicPeers): Record<string, number | null> => ({ foafSuccess: round(r.success, 3), foafP50Ms: r.latency.p50, foafP95Ms: r.latency.p95, foafBytesPerLookup: r.bytesPerLookup, foafFramesPerLookup: r.messagesPerLookup, foafLocalAnswers: round(r.answeredLocally, 3) })
  sim10k = { nodes: sim.nodes, topicPeers: simKind(sim.topicPeers), anyPeer: simKind(sim.anyPeer), recordsPerNodeP50: sim.records.p50 }
  log(`  topic peers: success ${sim.topicPeers.success}, P50 ${sim.topicPeers.latency.p50} ms, ${sim.topicPeers.messagesPerLookup} frames, ${sim.topicPeers.bytesPerLookup} B per lookup`)
  log(`  any peers:   success ${sim.anyPeer.success}, P50 ${sim.anyPeer.latency.p50} ms, ${sim.anyPeer.messagesPerLookup} frames, ${sim.anyPeer.bytesPerLookup} B per lookup`)
}

writeSummary('routing', {
  nodes: NODES,
  topics: TOPICS,
  lookups: LOOKUPS,
  topicPeers: compare(foaf.topicPeers, kad.topicPeers),
  anyPeer: compare(foaf.anyPeer, kad.anyPeer),
  backgroundBytesPerNodePerSecond: { foaf: foaf.backgroundBytesPerNodePerSecond, kad: kad.backgroundBytesPerNodePerSecond },
  formedSeconds: { foaf: foaf.formedSeconds, kad: kad.formedSeconds },
  sim10k
})
process.exit(0)
