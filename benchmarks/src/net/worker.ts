/**
 * A worker process hosting some of the benchmark's nodes. The parent drives it
 * over IPC (messages.ts): create, start in waves, report status, publish on a
 * schedule, report deliveries, latencies, wire bytes, CPU and RSS.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createStackNode, dialContacts, topicPeers } from './stack.ts'
import { WireCounter } from './wire.ts'
import type { FromWorker, NodeSpec, NodeStatus, ProtocolName, ToWorker, WorkerReport } from './messages.ts'
import type { StackNode } from './stack.ts'

const now = (): number => performance.timeOrigin + performance.now()

interface Hosted {
  spec: NodeSpec
  node: StackNode
  wire: WireCounter
  counts: Uint16Array
  latency: Float32Array
  /** when each message was first delivered here, ms on the shared wall clock (NaN: not yet) */
  deliveredAt: Float64Array
  /** connections opened and closed over the run (churn costs handshakes, identify, identity exchange) */
  conns: { opened: number, closed: number }
  /** membership active-view removals by reason (SPEC.md §5, §6.10): how often links were torn down, and why */
  neighborsDown: Record<string, number>
}

/** The worker's state, in one object so the per-node closures read the current values */
const S = {
  protocol: 'plumtree' as ProtocolName,
  topic: '',
  hosted: new Map<number, Hosted>(),
  latencies: [] as number[],
  delivered: 0,
  publishErrors: 0,
  baseline: { sent: 0, received: 0, cpu: process.cpuUsage() },
  setupCpu: 0,
  loopDelay: monitorEventLoopDelay({ resolution: 10 }),
  progressTimer: undefined as ReturnType<typeof setInterval> | undefined
}

function send (message: FromWorker): void {
  process.send?.(message)
}

function wireTotals (): { sent: number, received: number, unsupported: number } {
  let sent = 0
  let received = 0
  let unsupported = 0
  for (const h of S.hosted.values()) {
    const w = h.wire.read()
    sent += w.sent
    received += w.received
    unsupported += h.wire.unsupported
  }
  return { sent, received, unsupported }
}

async function init (message: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  S.protocol = message.protocol
  S.topic = message.topic
  S.hosted = new Map()
  for (const spec of message.nodes) {
    const node = await createStackNode(message.protocol, message.transport, spec, message.options)
    const wire = new WireCounter()
    wire.attach(node)
    const counts = new Uint16Array(message.messages)
    const latency = new Float32Array(message.messages).fill(NaN)
    const deliveredAt = new Float64Array(message.messages).fill(NaN)
    node.services.pubsub.addEventListener('message', (evt: CustomEvent<{ topic: string, data: Uint8Array }>) => {
      const data = evt.detail.data
      if (evt.detail.topic !== S.topic || data.length < 12) {
        return
      }
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
      const msg = view.getUint32(8)
      if (msg >= counts.length) {
        return
      }
      if (counts[msg] === 0) {
        const at = now()
        const ms = at - view.getFloat64(0)
        latency[msg] = ms
        deliveredAt[msg] = at
        S.latencies.push(ms)
        S.delivered++
      }
      counts[msg] = Math.min(65535, counts[msg] + 1)
    })
    const neighborsDown: Record<string, number> = {}
    if (S.protocol === 'plumtree') {
      node.services.membership.addEventListener('peer-dead', (evt: CustomEvent<{ peer: { toString(): string } }>) => {
        send({ type: 'event', kind: 'peer-dead', observer: spec.index, peer: evt.detail.peer.toString(), at: Date.now() })
      })
      node.services.membership.addEventListener('neighbor-down', (evt: CustomEvent<{ peer: { toString(): string }, reason: string }>) => {
        neighborsDown[evt.detail.reason] = (neighborsDown[evt.detail.reason] ?? 0) + 1
        send({ type: 'event', kind: 'neighbor-down', observer: spec.index, peer: evt.detail.peer.toString(), at: Date.now(), reason: evt.detail.reason })
      })
    }
    const conns = { opened: 0, closed: 0 }
    node.addEventListener('connection:open', () => { conns.opened++ })
    node.addEventListener('connection:close', () => { conns.closed++ })
    S.hosted.set(spec.index, { spec, node, wire, counts, latency, deliveredAt, conns, neighborsDown })
  }
  send({ type: 'ready' })
}

async function start (indices: number[]): Promise<void> {
  await Promise.all(indices.map(async i => {
    const h = S.hosted.get(i)
    if (h == null) {
      return
    }
    await h.node.start()
    h.node.services.pubsub.subscribe(S.topic)
    if (S.protocol === 'gossipsub') {
      // not awaited: plumtree's membership dials its contacts in the background too, so both
      // protocols' formation clocks include their bootstrap dials (awaiting them here hid up
      // to 12 s of gossipsub's set-up before its clock started)
      void dialContacts(h.node, h.spec.contacts)
    }
  }))
  send({ type: 'started', indices })
}

function payload (msg: number, size: number): Uint8Array {
  const data = new Uint8Array(Math.max(12, size))
  const view = new DataView(data.buffer)
  view.setFloat64(0, now())
  view.setUint32(8, msg)
  return data
}

/** Steady publishing from one node: a batch every 5 ms, so high rates do not need a timer per message */
function flood (message: Extract<ToWorker, { type: 'flood' }>): void {
  const h = S.hosted.get(message.node)
  if (h == null) {
    return
  }
  const total = Math.round(message.rate * message.duration)
  const began = Date.now()
  let sent = 0
  const tick = setInterval(() => {
    const due = Math.min(total, Math.floor((Date.now() - began) * message.rate / 1000))
    for (; sent < due; sent++) {
      h.node.services.pubsub.publish(S.topic, payload(message.firstMsg + sent, message.size)).catch(() => { S.publishErrors++ })
    }
    if (sent >= total) {
      clearInterval(tick)
      send({ type: 'ready' })
    }
  }, 5)
}

function schedule (message: Extract<ToWorker, { type: 'schedule' }>): void {
  for (const item of message.items) {
    setTimeout(() => {
      const h = S.hosted.get(item.node)
      if (h == null || h.node.status !== 'started') {
        return
      }
      h.node.services.pubsub.publish(S.topic, payload(item.msg, message.size)).catch(() => { S.publishErrors++ })
    }, Math.max(0, message.startAt + item.at - Date.now()))
  }
  clearInterval(S.progressTimer)
  S.progressTimer = setInterval(() => { send({ type: 'progress', delivered: S.delivered }) }, 2_000)
}

function status (h: Hosted): NodeStatus {
  const started = h.node.status === 'started'
  return {
    index: h.spec.index,
    topicPeers: started ? topicPeers(h.node, S.topic) : 0,
    members: started && S.protocol === 'plumtree' ? h.node.services.membership.activeView().length : 0,
    connections: h.node.getConnections().length,
    subscribers: started ? h.node.services.pubsub.getSubscribers(S.topic).length : 0,
    pubsubPeers: started ? h.node.services.pubsub.getPeers().length : 0
  }
}

function counters (): Record<string, number> {
  const out: Record<string, number> = {}
  const add = (k: string, v: number | undefined): void => { out[k] = (out[k] ?? 0) + (v ?? 0) }
  for (const h of S.hosted.values()) {
    if (h.node.status !== 'started') {
      continue
    }
    add('connectionsOpened', h.conns.opened)
    add('connectionsClosed', h.conns.closed)
    add('connectionsOpenNow', h.node.getConnections().length)
    // a second connection to a peer we already have one with: two dials that crossed (SPEC.md §2.10)
    add('connectionsDuplicate', h.node.getConnections().length - new Set(h.node.getConnections().map(c => c.remotePeer.toString())).size)
    const stats = h.node.services.pubsub.stats
    if (S.protocol === 'plumtree' && stats?.core != null) {
      for (const k of ['payloadsSent', 'duplicates', 'grafts', 'prunes', 'prunesSpared', 'duplicatesOnLazy', 'duplicatesRepair', 'floodSent', 'duplicatesFlood', 'prunesRepeated', 'ihaveSent', 'aeRepaired', 'delivered', 'topicLinksUp', 'topicLinksDown', 'linkTimeouts', 'linkTimeoutsBusy', 'linkTimeoutsDoubted', 'joinsForSuspects', 'pushesWithheld', 'ihavesWithdrawn', 'optimizations']) {
        add(k, stats.core[k])
      }
      const pq = h.node.services.pqNoise?.stats
      if (pq != null) {
        // secureStreams (SPEC.md §2.9): full stream handshakes, resumed ones, failures
        for (const k of ['handshakesOk', 'handshakesFailed', 'channelsResumed', 'channelsFailed']) {
          add(`pqNoise.${k}`, pq[k])
        }
      }
      // dials abandoned because the peer's connection to us opened first (SPEC.md §2.10)
      add('dialsSuperseded', h.node.services.pubsub.outboundStats.dialsSuperseded + h.node.services.membership.outboundStats.dialsSuperseded)
      add('originsCarried', stats.originsCarried)
      add('originsResolved', stats.originsResolved)
      // frames sent by type over the whole run (formation included): where the work goes
      for (const [type, n] of Object.entries(stats.framesOut as Record<string, number>)) {
        add(`plumtreeOut.${type}`, n)
      }
      for (const [type, n] of Object.entries(stats.framesIn as Record<string, number>)) {
        add(`plumtreeIn.${type}`, n)
      }
      // frames lost on the way (adapter drops) or refused by the core: where a join went
      for (const [reason, n] of Object.entries(stats.drops as Record<string, number>)) {
        add(`plumtreeDrop.${reason}`, n)
      }
      for (const [reason, n] of Object.entries(stats.core.dropped as Record<string, number>)) {
        add(`plumtreeCoreDrop.${reason}`, n)
      }
      // what each open connection is for: a membership link, a topic link outside membership, or neither
      const members = new Set(h.node.services.membership.activeView().map((p: { toString(): string }) => p.toString()))
      const topicLinks = new Set(h.node.services.pubsub.getMeshPeers(S.topic).map((p: { toString(): string }) => p.toString()))
      for (const connection of h.node.getConnections()) {
        const peer = connection.remotePeer.toString()
        const use = members.has(peer) ? 'connsMembership' : topicLinks.has(peer) ? 'connsTopicOnly' : 'connsOther'
        add(use, 1)
        if (use === 'connsOther') {
          // which protocols still hold streams on a connection nobody links over: who opened it
          const protocols = [...new Set(connection.streams.map(s => `${s.direction === 'outbound' ? '>' : '<'}${(s.protocol ?? '?').split('/')[2] ?? '?'}`))].sort().join(',')
          add(`connsOtherStreams.${connection.direction}.${protocols === '' ? 'none' : protocols}`, 1)
        }
      }
      add('topicLinksOnMembership', [...topicLinks].filter(p => members.has(p)).length)
      for (const [type, n] of Object.entries(h.node.services.membership.stats.messagesOut as Record<string, number>)) {
        add(`membershipOut.${type}`, n)
      }
      for (const [type, n] of Object.entries(h.node.services.membership.stats.messagesIn as Record<string, number>)) {
        add(`membershipIn.${type}`, n)
      }
      for (const [name, n] of Object.entries((h.node.services.membership.swimStats ?? {}) as Record<string, number>)) {
        add(`swim.${name}`, n)
      }
      for (const [reason, n] of Object.entries(h.node.services.membership.stats.drops as Record<string, number>)) {
        add(`membershipDrop.${reason}`, n)
      }
      for (const [name, n] of Object.entries(h.node.services.membership.stats.sendErrors as Record<string, number>)) {
        add(`membershipSendError.${name}`, n)
      }
      for (const [reason, n] of Object.entries(h.neighborsDown)) {
        add(`neighborDown.${reason}`, n)
      }
    }
  }
  return out
}

function report (perMessage: boolean): WorkerReport {
  const wire = wireTotals()
  const cpu = process.cpuUsage(S.baseline.cpu)
  return {
    counts: [...S.hosted.values()].map(h => ({ index: h.spec.index, counts: Array.from(h.counts) })),
    latencies: S.latencies,
    ...(perMessage ? { perMessage: [...S.hosted.values()].map(h => ({ index: h.spec.index, latency: Array.from(h.latency), deliveredAt: Array.from(h.deliveredAt) })) } : {}),
    bytesSent: wire.sent - S.baseline.sent,
    bytesReceived: wire.received - S.baseline.received,
    unsupportedConnections: wire.unsupported,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssBytes: process.memoryUsage().rss,
    loopDelayMs: { p50: S.loopDelay.percentile(50) / 1e6, p99: S.loopDelay.percentile(99) / 1e6, max: S.loopDelay.max / 1e6 },
    setupCpuSeconds: S.setupCpu,
    nodes: S.hosted.size,
    counters: counters(),
    publishErrors: S.publishErrors
  }
}

process.on('message', (message: ToWorker) => {
  void (async () => {
    try {
      switch (message.type) {
        case 'init': await init(message); break
        case 'start': await start(message.indices); break
        case 'status':
          send({ type: 'status', nodes: [...S.hosted.values()].map(h => status(h)) })
          break
        case 'schedule': schedule(message); break
        case 'measure-begin': {
          const wire = wireTotals()
          const cpu = process.cpuUsage()
          S.setupCpu = (cpu.user + cpu.system) / 1e6
          S.baseline = { sent: wire.sent, received: wire.received, cpu }
          S.loopDelay.reset()
          S.latencies = []
          S.delivered = 0
          send({ type: 'ready' })
          break
        }
        case 'snapshot': {
          const cpu = process.cpuUsage()
          send({ type: 'snapshot', snapshot: { cpuSeconds: (cpu.user + cpu.system) / 1e6, bytesSent: wireTotals().sent, rssBytes: process.memoryUsage().rss, nodes: S.hosted.size, loopDelayMs: { p50: S.loopDelay.percentile(50) / 1e6, p99: S.loopDelay.percentile(99) / 1e6, max: S.loopDelay.max / 1e6 }, counters: counters() } })
          S.loopDelay.reset()
          break
        }
        case 'report': send({ type: 'report', report: report(message.perMessage === true) }); break
        case 'flood': flood(message); break
        case 'crash':
          // a crash, not a goodbye: the process of these nodes is the parent's to kill; here
          // only nodes sharing a process with survivors are stopped without any farewell
          await Promise.all(message.indices.map(async i => S.hosted.get(i)?.node.stop()))
          send({ type: 'ready' })
          break
        case 'stop':
          clearInterval(S.progressTimer)
          await Promise.race([Promise.all([...S.hosted.values()].map(async h => { try { await h.node.stop() } catch {} })), new Promise(resolve => setTimeout(resolve, 5_000))])
          process.exit(0)
        // eslint-disable-next-line no-fallthrough
        default: break
      }
    } catch (err: any) {
      send({ type: 'error', message: `${message.type}: ${err?.stack ?? err}` })
    }
  })()
})

S.loopDelay.enable()

// the parent going away must not leave nodes running
process.on('disconnect', () => { process.exit(0) })
