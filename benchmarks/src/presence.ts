/**
 * Peer routing without a DHT (issue 16, SPEC.md §8.8): presence() beacons + FOAF queries
 * against `@libp2p/kad-dht` 16, in the same harness, over the same node keys and start order,
 * TCP on loopback, one process. Each searcher looks up a random peer it has no connection
 * to; lookups run one at a time so the bytes between two counter reads belong to one lookup.
 *
 * Usage: npm run bench:presence [-- --nodes 30 --lookups 100]
 * JSON summary last (also benchmarks/results/presence.json).
 */
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
import { createLibp2p } from 'libp2p'
import { median, percentile, round, writeSummary } from './stats.ts'
import type { Libp2p, Metrics, PrivateKey, Stream } from '@libp2p/interface'

function arg (name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : fallback
}
const NODES = Number(arg('nodes', '30'))
const LOOKUPS = Number(arg('lookups', '100'))
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
      ? { identify: identify(), pqIdentity: pqIdentity(), membership: membership({ bootstrap, seed: `bench-${i}` }), presence: presence({ seed: `bench-${i}` }) }
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
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline && !nodes.every(n => (n.services as any).membership.activeView().length >= 2 && (n.services as any).presence.stats.records >= 2)) {
    await sleep(200)
  }
  await sleep(2000)
}

interface RunResult { localAnswers: number, success: number, p50Ms: number, p95Ms: number, protocolBytesPerLookup: number, wireBytesPerLookup: number, lookups: number }

async function run (kind: Kind, keys: PrivateKey[], pairs: Array<[number, number]>): Promise<RunResult> {
  const meter = new ByteMeter()
  const nodes = await createNodes(kind, keys, meter)
  await settle(kind, nodes)
  const protocol = kind === 'presence' ? PRESENCE_PROTOCOL : KAD_PROTOCOL
  const latencies: number[] = []
  let ok = 0
  let protocolBytes = 0
  let wireBytes = 0
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
    // answered without a byte of the routing protocol: from a record cache or the peer store
    local += meter.total(protocol) === p0 ? 1 : 0
    protocolBytes += meter.total(protocol) - p0
    wireBytes += meter.total('global') - w0
    done++
  }
  await Promise.all(nodes.map(async n => n.stop()))
  return {
    localAnswers: round(local / done, 3),
    success: round(ok / done, 3),
    p50Ms: round(median(latencies), 1),
    p95Ms: round(percentile(latencies, 95), 1),
    protocolBytesPerLookup: Math.round(protocolBytes / done),
    wireBytesPerLookup: Math.round(wireBytes / done),
    lookups: done
  }
}

const keys = await Promise.all(Array.from({ length: NODES }, async () => generateKeyPair('Ed25519')))
const pairs: Array<[number, number]> = []
while (pairs.length < LOOKUPS) {
  const s = Math.floor(Math.random() * NODES)
  const t = Math.floor(Math.random() * NODES)
  if (s !== t) {
    pairs.push([s, t])
  }
}
log(`peer routing: ${NODES} nodes (TCP, loopback, one process), ${LOOKUPS} lookups of random unconnected peers`)
const foaf = await run('presence', keys, pairs)
log(`presence/FOAF: success ${foaf.success}, P50 ${foaf.p50Ms} ms, P95 ${foaf.p95Ms} ms, ${foaf.protocolBytesPerLookup} B/lookup on ${PRESENCE_PROTOCOL}, ${foaf.wireBytesPerLookup} B/lookup on the wire, ${foaf.localAnswers} answered locally`)
const kad = await run('kad', keys, pairs)
log(`kad-dht 16:    success ${kad.success}, P50 ${kad.p50Ms} ms, P95 ${kad.p95Ms} ms, ${kad.protocolBytesPerLookup} B/lookup on ${KAD_PROTOCOL}, ${kad.wireBytesPerLookup} B/lookup on the wire, ${kad.localAnswers} answered locally`)
writeSummary('presence', {
  nodes: NODES,
  lookups: LOOKUPS,
  anyPeer: {
    foafSuccess: foaf.success,
    kadSuccess: kad.success,
    foafP50Ms: foaf.p50Ms,
    kadP50Ms: kad.p50Ms,
    foafP95Ms: foaf.p95Ms,
    kadP95Ms: kad.p95Ms,
    foafBytesPerLookup: foaf.protocolBytesPerLookup,
    kadBytesPerLookup: kad.protocolBytesPerLookup,
    foafWireBytesPerLookup: foaf.wireBytesPerLookup,
    kadWireBytesPerLookup: kad.wireBytesPerLookup,
    foafLocalAnswers: foaf.localAnswers,
    kadLocalAnswers: kad.localAnswers
  }
})
process.exit(0)
