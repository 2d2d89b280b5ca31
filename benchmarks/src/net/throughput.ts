import { createHash } from 'node:crypto'
import { WorkerHandle } from './cluster.ts'
import { percentile } from './run.ts'
import { listenAddr, peerIdFor } from './stack.ts'
import type { NodeSpec, ProtocolName, TransportName } from './messages.ts'

export interface ThroughputConfig {
  protocol: ProtocolName
  transport: TransportName
  /** offered rates, messages/s, tried in order until one fails */
  rates: number[]
  /** seconds per rate */
  step: number
  size: number
  /** receivers the relay forwards to */
  fanout: number
  log(line: string): void
}

export interface ThroughputStep {
  rate: number
  messages: number
  relayDelivered: number
  receiversDelivered: number
  receiversExpected: number
  relayP50: number
  relayP99: number
  /** relay process CPU seconds per second of the step (1 = one core busy) */
  relayCpu: number
  /** the same for the process of the publisher and the receivers */
  edgeCpu: number
  publishErrors: number
  ok: boolean
}

export interface ThroughputResult {
  protocol: ProtocolName
  transport: TransportName
  fanout: number
  /** the highest offered rate delivered 100% at the relay and its receivers with relay P99 < MAX_RELAY_P99_MS */
  sustained: number
  steps: ThroughputStep[]
  method: string
}

/** Above this the relay is queueing: its backlog grows with the step's length */
export const MAX_RELAY_P99_MS = 250

export const THROUGHPUT_METHOD = 'Topology forced with connection gaters: publisher P and receivers Q1..Qk in one process may only connect to the relay R, which runs alone in a second process (a core to itself as far as a 2-core machine allows; P signing and the Qs verifying share the other core). P publishes at each offered rate for a fixed step; a rate is sustained when R and every Q deliver every message to their applications and R\'s P99 publish-to-delivery latency stays under 250 ms (above that a backlog is growing). The publisher signs every message (plumtree: ML-DSA-65, 0.5 ms; gossipsub: Ed25519) in the process it shares with the receivers, so a rate can fail there before the relay is busy: the relay\'s CPU per step is reported beside it. R receives, verifies the origin signature, delivers to its application and forwards to the k receivers.'

/** The highest rate one relay node sustains (see THROUGHPUT_METHOD) */
export async function runThroughput (config: ThroughputConfig): Promise<ThroughputResult> {
  const { log } = config
  const base = 10_000 + Math.floor(Math.random() * 20_000)
  const n = 2 + config.fanout
  const seeds = Array.from({ length: n }, (_, i) => createHash('sha256').update(`saorsa-throughput/${i}`).digest('hex'))
  const ids = await Promise.all(seeds.map(async s => peerIdFor(s)))
  const addr = (i: number): string => `${listenAddr(config.transport, base + i)}/p2p/${ids[i]}`
  // node 0: the relay; node 1: the publisher; 2..: receivers. Only links to the relay are allowed.
  const specs: NodeSpec[] = seeds.map((seed, i) => ({
    index: i,
    seed,
    port: base + i,
    contacts: i === 0 ? [] : [addr(0)],
    deny: i === 0 ? [] : ids.filter((_, j) => j !== 0 && j !== i)
  }))
  const totalMessages = config.rates.reduce((a, r) => a + Math.round(r * config.step), 0)
  const relayWorker = new WorkerHandle(0)
  const edgeWorker = new WorkerHandle(1)
  const label = `throughput ${config.protocol}/${config.transport}`
  const steps: ThroughputStep[] = []
  try {
    const topic = 'saorsa/bench'
    await relayWorker.request({ type: 'init', protocol: config.protocol, transport: config.transport, topic, nodes: [specs[0]], messages: totalMessages }, 'ready')
    await edgeWorker.request({ type: 'init', protocol: config.protocol, transport: config.transport, topic, nodes: specs.slice(1), messages: totalMessages }, 'ready')
    await relayWorker.request({ type: 'start', indices: [0] }, 'started')
    await edgeWorker.request({ type: 'start', indices: specs.slice(1).map(s => s.index) }, 'started')
    const deadline = Date.now() + 30_000
    for (;;) {
      const relay = (await relayWorker.request({ type: 'status' }, 'status')).nodes[0]
      const edges = (await edgeWorker.request({ type: 'status' }, 'status')).nodes
      if (relay.topicPeers >= n - 1 && edges.every(e => e.topicPeers >= 1)) {
        break
      }
      if (Date.now() > deadline) {
        throw new Error(`${label}: the relay has ${relay.topicPeers} of ${n - 1} topic neighbours after 30 s`)
      }
      await new Promise(resolve => setTimeout(resolve, 300))
    }
    await new Promise(resolve => setTimeout(resolve, 1_000))
    let first = 0
    for (const rate of config.rates) {
      const messages = Math.round(rate * config.step)
      await relayWorker.request({ type: 'measure-begin' }, 'ready')
      await edgeWorker.request({ type: 'measure-begin' }, 'ready')
      await edgeWorker.request({ type: 'flood', node: 1, rate, duration: config.step, size: config.size, firstMsg: first }, 'ready', (config.step + 60) * 1000)
      await new Promise(resolve => setTimeout(resolve, 3_000))
      const relay = (await relayWorker.request({ type: 'report', perMessage: true }, 'report')).report
      const edge = (await edgeWorker.request({ type: 'report', perMessage: true }, 'report')).report
      const from = first
      const inStep = (lat: number[]): number[] => lat.slice(from, from + messages).filter(x => !Number.isNaN(x))
      const relayLat = inStep(relay.perMessage?.[0].latency ?? []).sort((a, b) => a - b)
      const receivers = (edge.perMessage ?? []).filter(p => p.index >= 2)
      const receiversDelivered = receivers.reduce((a, p) => a + inStep(p.latency).length, 0)
      const step: ThroughputStep = {
        rate,
        messages,
        relayDelivered: relayLat.length,
        receiversDelivered,
        receiversExpected: messages * receivers.length,
        relayP50: Math.round(percentile(relayLat, 50) * 10) / 10,
        relayP99: Math.round(percentile(relayLat, 99) * 10) / 10,
        relayCpu: Math.round(relay.cpuSeconds / (config.step + 3) * 100) / 100,
        edgeCpu: Math.round(edge.cpuSeconds / (config.step + 3) * 100) / 100,
        publishErrors: edge.publishErrors,
        ok: false
      }
      step.ok = step.relayDelivered === messages && step.receiversDelivered === step.receiversExpected && step.relayP99 < MAX_RELAY_P99_MS
      steps.push(step)
      log(`  ${label}: ${rate} msg/s → relay ${step.relayDelivered}/${messages}, receivers ${receiversDelivered}/${step.receiversExpected}, relay P50/P99 ${step.relayP50}/${step.relayP99} ms, relay CPU ${step.relayCpu} core, publisher+receivers ${step.edgeCpu}${step.ok ? '' : '  ✗'}`)
      first += messages
      if (!step.ok) {
        break
      }
    }
  } finally {
    await Promise.all([relayWorker.stop(), edgeWorker.stop()])
  }
  const sustained = Math.max(0, ...steps.filter(s => s.ok).map(s => s.rate))
  return { protocol: config.protocol, transport: config.transport, fanout: config.fanout, sustained, steps, method: THROUGHPUT_METHOD }
}
