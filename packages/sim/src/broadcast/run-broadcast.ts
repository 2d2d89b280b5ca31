import { InvalidConfigError, createRng, bytesKey } from '@saorsa-gossip/core'
import { decodeFrame, encodeFrame } from '@saorsa-gossip/membership'
import { decodeRpc, encodeRpc } from '@saorsa-gossip/pubsub'
import { membershipMessageBytes } from '../membership-bytes.ts'
import { Network } from '../network.ts'
import { frameCosts, resolveProcessing } from '../processing.ts'
import { nodeIdCodec } from '../run-membership.ts'
import { distribution } from '../stats.ts'
import { floodProtocol } from './flood.ts'
import { meshProtocol } from './mesh.ts'
import { BroadcastNode } from './node.ts'
import { plumtreeProtocol } from './plumtree.ts'
import type { NodeEvent, NodeMessage, NodeTimer } from './node.ts'
import type { BroadcastScenario, ProtocolName } from './scenario.ts'
import type { BroadcastProtocol, DeliverEvent } from './types.ts'
import type { NodeId } from '../network.ts'
import type { LagStats, Processing, ProcessingParams } from '../processing.ts'
import type { Distribution } from '../stats.ts'

export const TOPIC = 'sim-topic'

export interface TrafficResult {
  label: string
  messages: number
  /** deliveries owed: every subscriber alive at the end, for every message some survivor could have (see `unrecoverable`) */
  expected: number
  /** messages no survivor ever held: their origin and every node that received them crashed (no protocol can deliver them) */
  unrecoverable: number
  delivered: number
  missed: number
  deliveryRatio: number
  /** the same message delivered twice to one node's application (must be 0) */
  duplicatesDelivered: number
  /** payload copies sent for these messages, by anyone */
  payloadCopies: number
  /** relative message redundancy: copies / (receivers − 1) − 1, summed over the messages */
  rmr: number
  /** last delivery hop: the largest hop count of any delivery (and its mean over messages) */
  ldh: number
  ldhMean: number
  /** Hop count of each delivery (the origin's own at 0): how deep the tree is where it is used */
  hops: Distribution
  latency: Distribution
  /** deliveries caused by a repair copy (anti-entropy, or a non-subscriber's hand-over) */
  viaRepair: number
  /** virtual time of the last delivery of these messages */
  lastDeliveryAt: number | null
}

export interface BroadcastResult {
  scenario: string
  protocol: string
  seed: number
  nodes: number
  subscribers: number
  virtualMs: number
  eventsProcessed: number
  traffic: TrafficResult[]
  /** broadcast-layer traffic from the first publish on (membership traffic excluded: it is the same for all protocols) */
  totals: {
    deliveries: number
    bytes: number
    payloadBytes: number
    bytesPerDelivery: number
    messagesByType: Record<string, number>
    bytesByType: Record<string, number>
  }
  antiEntropy: {
    bytes: number
    sessions: number
    sessionsWithDifferences: number
    differences: number
    /** worst session: bytes − 3 × 32 B × (ids missing on either side); the bound is a constant */
    worstExcess: number
    worstSessionBytes: number
    /** the session with the worst excess: its bytes, differences and coded symbols */
    worst: { bytes: number, differences: number, symbols: number } | null
  }
  nonSubscribers: { payloadsReceived: number, payloadsRelayed: number }
  /** ms from `heal` until every message published before it was delivered everywhere it is owed (null: never, or no heal) */
  completeAfterHeal: number | null
  crashedAt: number | null
  /** only with the scenario's `processing`: event-loop lag and CPU utilisation */
  processing?: LagStats
  /** the protocol cores' own counters summed over all nodes (numbers, and numbers one level down as `group.name`), when the core keeps `stats` */
  coreStats?: Record<string, number>
}

interface MessageRecord {
  label: string
  origin: NodeId
  publishedAt: number
  delivered: Uint8Array
  deliveredCount: number
  copies: number
  maxHops: number
  lastAt: number
  /** processing model only: nodes that have paid the signature verify for this message */
  verified: Uint8Array
}

const NONE = new Uint8Array(0)

interface LoadModel {
  processing: Processing<NodeMessage<any>> | undefined
  /** CPU ms of a publish (signing) */
  signMs: number
  /** a new message's set of nodes that have verified it */
  verifiedSet(origin: NodeId): Uint8Array
}

/** The scenario's processing model, or a model that costs nothing and allocates nothing */
function loadModel (scenario: BroadcastScenario, protocol: BroadcastProtocol<NodeId, any, any>, messageType: (m: NodeMessage<any>) => string, records: Map<string, MessageRecord>): LoadModel {
  if (scenario.processing == null) {
    return { processing: undefined, signMs: 0, verifiedSet: () => NONE }
  }
  const firstCopy = (message: { id: Uint8Array }, to: NodeId): boolean => {
    const record = records.get(bytesKey(message.id))
    if (record === undefined) {
      return true
    }
    if (record.verified[to] === 1) {
      return false
    }
    record.verified[to] = 1
    return true
  }
  const params = resolveProcessing(scenario.processing)
  return {
    processing: broadcastProcessing(params, protocol, messageType, firstCopy),
    signMs: params.signMs,
    verifiedSet: (origin) => {
      const verified = new Uint8Array(scenario.nodes)
      // the origin signs, and does not verify its own message
      verified[origin] = 1
      return verified
    }
  }
}

/**
 * The linear cost model for a broadcast node: membership JOIN / NEIGHBOR open
 * a connection; the first copy of a payload at each node pays an ML-DSA-65
 * verify (the real service signs every publish; all three protocols pay alike).
 */
function broadcastProcessing (p: ProcessingParams, protocol: BroadcastProtocol<NodeId, any, any>, messageType: (m: NodeMessage<any>) => string, firstCopy: (message: any, to: NodeId) => boolean): Processing<NodeMessage<any>> {
  const costs = frameCosts<NodeMessage<any>>(p, messageType, m => m.layer === 'membership' && (m.message.type === 'join' || m.message.type === 'neighbor'))
  // the runner counts membership frames as 0 bytes (its totals leave them out); their cost must not
  const size = (m: NodeMessage<any>, bytes: number): number => m.layer === 'membership' && bytes === 0 ? membershipMessageBytes(m.message) : bytes
  return {
    nodesPerCore: p.nodesPerCore,
    timerCost: p.timerMs,
    cost: (m, bytes, to) => costs.receive(m, size(m, bytes)) + (m.layer === 'broadcast' && protocol.isPayload(m.message) && firstCopy(m.message, to) ? p.verifyMs : 0),
    sendCost: (m, bytes) => costs.send(m, size(m, bytes))
  }
}

export function protocolFor (name: ProtocolName, scenario: BroadcastScenario): BroadcastProtocol<NodeId, any, any> {
  switch (name) {
    case 'plumtree': return plumtreeProtocol(scenario.pubsub)
    case 'flood': return floodProtocol<NodeId>()
    case 'mesh': return meshProtocol<NodeId>()
    default: throw new InvalidConfigError(`unknown protocol ${String(name)}`)
  }
}

/** Runs one protocol over the scenario's overlay and publish schedule; the overlay and schedule depend only on the seed */
export function runBroadcastScenario (scenario: BroadcastScenario, protocolName: ProtocolName, progress?: (virtualMs: number) => void): BroadcastResult {
  const protocol = protocolFor(protocolName, scenario)
  const nodes = new Map<NodeId, BroadcastNode<any, any>>()
  const records = new Map<string, MessageRecord>()
  const subscribed = new Uint8Array(scenario.nodes)
  const deliveredTwice = new Map<string, number>()
  const lastReceived = new Map<NodeId, unknown>()
  const viaRepair = new Map<string, number>()
  const aeBytes = new Map<string, number>()
  const aeDiff = new Map<string, number>()
  const aeSymbols = new Map<string, number>()
  const totals = { deliveries: 0, bytes: 0, payloadBytes: 0, messagesByType: {} as Record<string, number>, bytesByType: {} as Record<string, number> }
  const nonSub = { payloadsReceived: 0, payloadsRelayed: 0 }
  const firstTraffic = Math.min(...scenario.traffic.map(t => t.at))
  const marks: { healAt: number | null, crashedAt: number | null } = { healAt: null, crashedAt: null }

  const aeKey = (initiator: NodeId, session: number): string => `${initiator}/${session}`
  if (scenario.codec === true && protocolName !== 'plumtree') {
    throw new InvalidConfigError('codec: true needs the plumtree protocol (the baselines have no wire format)')
  }
  // one leading byte says which service a frame belongs to, as separate libp2p protocols would
  const wire = scenario.codec === true
    ? {
        encode: (m: NodeMessage<any>): Uint8Array => {
          const body = m.layer === 'membership' ? encodeFrame(m.message, nodeIdCodec) : encodeRpc(m.message, nodeIdCodec)
          const out = new Uint8Array(body.length + 1)
          out[0] = m.layer === 'membership' ? 0 : 1
          out.set(body, 1)
          return out
        },
        decode: (bytes: Uint8Array): NodeMessage<any> => bytes[0] === 0
          ? { layer: 'membership', message: decodeFrame(bytes.subarray(1), nodeIdCodec).message }
          : { layer: 'broadcast', message: decodeRpc(bytes.subarray(1), nodeIdCodec) }
      }
    : undefined

  const messageType = (m: NodeMessage<any>): string => m.layer === 'membership' ? `membership:${String(m.message.type)}` : protocol.messageType(m.message)
  const load = loadModel(scenario, protocol, messageType, records)

  const net = new Network<NodeMessage<any>, NodeTimer<any>, NodeEvent>({
    seed: scenario.seed,
    latency: scenario.latency,
    loss: scenario.loss ?? 0,
    processing: load.processing,
    createCore: (id, rng) => {
      const node = new BroadcastNode(id, rng, protocol.create(id, rng.fork('broadcast')), scenario.membership)
      nodes.set(id, node)
      return node
    },
    messageType,
    messageBytes: (m) => m.layer === 'membership' ? 0 : protocol.messageBytes(m.message),
    wire,
    onSend: (from, to, m, bytes, now) => {
      if (m.layer !== 'broadcast' || now < firstTraffic) {
        return
      }
      const message = m.message
      const type = protocol.messageType(message)
      // the wire's leading service byte is not part of the protocol's frame
      bytes -= wire == null ? 0 : 1
      totals.bytes += bytes
      totals.messagesByType[type] = (totals.messagesByType[type] ?? 0) + 1
      totals.bytesByType[type] = (totals.bytesByType[type] ?? 0) + bytes
      if (protocol.isPayload(message)) {
        totals.payloadBytes += bytes
        const record = records.get(bytesKey(message.id))
        if (record != null) {
          record.copies++
          if (subscribed[from] === 0 && from !== record.origin) {
            nonSub.payloadsRelayed++
          }
        }
      }
      if (protocol.isAntiEntropy?.(message) === true && typeof message.session === 'number') {
        const key = message.type === 'ae-symbols' ? aeKey(to, message.session) : aeKey(from, message.session)
        aeBytes.set(key, (aeBytes.get(key) ?? 0) + bytes)
      }
    },
    onReceive: (to, _from, m) => {
      if (m.layer !== 'broadcast') {
        return
      }
      lastReceived.set(to, m.message)
      if (protocol.isPayload(m.message) && subscribed[to] === 0) {
        nonSub.payloadsReceived++
      }
    },
    onEmit: (node, e, now) => {
      if (e.layer !== 'broadcast') {
        return
      }
      const event = e.event as DeliverEvent | { type: 'anti-entropy', session: number, missingHere: number, missingThere: number, symbols: number }
      if (event.type === 'anti-entropy') {
        aeDiff.set(aeKey(node, event.session), event.missingHere + event.missingThere)
        aeSymbols.set(aeKey(node, event.session), event.symbols)
        return
      }
      if (event.type !== 'message') {
        return
      }
      const hex = bytesKey(event.id)
      const record = records.get(hex)
      if (record == null) {
        return
      }
      if (record.delivered[node] === 1) {
        deliveredTwice.set(record.label, (deliveredTwice.get(record.label) ?? 0) + 1)
        return
      }
      record.delivered[node] = 1
      record.deliveredCount++
      record.maxHops = Math.max(record.maxHops, event.hops)
      record.lastAt = now
      latencies.get(record.label)?.push(now - record.publishedAt)
      hops.get(record.label)?.push(event.hops)
      if (node !== record.origin) {
        totals.deliveries++
        const received = lastReceived.get(node) as { repair?: boolean } | undefined
        if (received?.repair === true) {
          viaRepair.set(record.label, (viaRepair.get(record.label) ?? 0) + 1)
        }
      }
    }
  })
  const latencies = new Map<string, number[]>(scenario.traffic.map(t => [t.label, []]))
  const hops = new Map<string, number[]>(scenario.traffic.map(t => [t.label, []]))

  net.at(0, () => { net.spawn(0, []) })
  for (let i = 1; i < scenario.nodes; i++) {
    net.at(i * scenario.join.interval, () => { net.spawn(i, [0]) })
  }

  // schedule choices come from their own stream: identical for every protocol
  const rng = createRng(scenario.seed).fork('broadcast-schedule')
  const ids = Array.from({ length: scenario.nodes }, (_, i) => i)
  const subscriberCount = Math.max(1, Math.round(scenario.nodes * (scenario.subscribers ?? 1)))
  const subscribers = rng.sample(ids, subscriberCount)
  for (const id of subscribers) {
    subscribed[id] = 1
  }
  const fixedSender = subscribers[0]
  net.at(scenario.subscribeAt, () => {
    for (const id of subscribers) {
      net.inject(id, () => nodes.get(id)?.application({ type: 'subscribe', topic: TOPIC }, net.now) ?? [])
    }
  })

  const payload = new Uint8Array(scenario.payloadSize)
  const publish = (origin: NodeId, label: string): void => {
    const id = new Uint8Array(32)
    for (let i = 0; i < 32; i += 4) {
      new DataView(id.buffer).setUint32(i, rng.int(0x1_0000_0000) >>> 0)
    }
    const publishedAt = net.now
    records.set(bytesKey(id), { label, origin, publishedAt, delivered: new Uint8Array(scenario.nodes), deliveredCount: 0, copies: 0, maxHops: 0, lastAt: publishedAt, verified: load.verifiedSet(origin) })
    // with the processing model the publish may wait for a busy core: latency counts from the application's call
    net.inject(origin, (_core, now) => nodes.get(origin)?.application({ type: 'publish', topic: TOPIC, id, payload, publishedAt }, now) ?? [], load.signMs)
  }
  for (const t of scenario.traffic) {
    if (t.sender === 'all') {
      net.at(t.at, () => {
        const live = subscribers.filter(id => net.isUp(id))
        for (const id of t.count >= live.length ? live : rng.sample(live, t.count)) {
          publish(id, t.label)
        }
      })
      continue
    }
    for (let k = 0; k < t.count; k++) {
      net.at(t.at + k * t.interval, () => {
        let origin: NodeId | undefined
        if (t.sender === 'fixed') {
          origin = fixedSender
        } else if (t.sender === 'random') {
          origin = rng.pick(subscribers.filter(id => net.isUp(id)))
        } else {
          origin = rng.pick(ids.filter(id => subscribed[id] === 0 && net.isUp(id)))
        }
        if (origin !== undefined && net.isUp(origin)) {
          publish(origin, t.label)
        }
      })
    }
  }

  for (const event of scenario.timeline ?? []) {
    net.at(event.at, () => {
      if (event.action === 'crash') {
        marks.crashedAt = net.now
        const live = ids.filter(id => net.isUp(id))
        for (const victim of rng.sample(live, Math.round(live.length * event.fraction))) {
          net.crash(victim)
        }
      } else if (event.action === 'partition') {
        const shuffled = rng.shuffle(ids.slice())
        const half = Math.ceil(shuffled.length / 2)
        net.partition([shuffled.slice(0, half), shuffled.slice(half)])
      } else {
        marks.healAt = net.now
        net.heal()
      }
    })
  }

  // in slices, so that a long run can report how far it got
  for (let t = Math.min(10_000, scenario.duration); ; t = Math.min(t + 10_000, scenario.duration)) {
    net.runUntil(t)
    progress?.(t)
    if (t >= scenario.duration) {
      break
    }
  }

  const owed = ids.filter(id => subscribed[id] === 1 && net.isUp(id))
  const traffic: TrafficResult[] = scenario.traffic.map(t => {
    const mine = [...records.values()].filter(r => r.label === t.label)
    let expected = 0
    let delivered = 0
    let copies = 0
    let receiversMinusOne = 0
    let ldh = 0
    let ldhSum = 0
    let lastAt: number | null = null
    let unrecoverable = 0
    for (const r of mine) {
      if (!net.isUp(r.origin) && owed.every(id => r.delivered[id] === 0)) {
        unrecoverable++
        continue
      }
      for (const id of owed) {
        expected++
        delivered += r.delivered[id]
      }
      copies += r.copies
      const receivers = r.deliveredCount + (subscribed[r.origin] === 1 ? 0 : 1)
      receiversMinusOne += Math.max(0, receivers - 1)
      ldh = Math.max(ldh, r.maxHops)
      ldhSum += r.maxHops
      lastAt = Math.max(lastAt ?? 0, r.lastAt)
    }
    return {
      label: t.label,
      messages: mine.length,
      expected,
      unrecoverable,
      delivered,
      missed: expected - delivered,
      deliveryRatio: expected === 0 ? 1 : delivered / expected,
      duplicatesDelivered: deliveredTwice.get(t.label) ?? 0,
      payloadCopies: copies,
      rmr: receiversMinusOne === 0 ? 0 : copies / receiversMinusOne - 1,
      ldh,
      ldhMean: mine.length === 0 ? 0 : ldhSum / mine.length,
      latency: distribution(latencies.get(t.label) ?? []),
      hops: distribution(hops.get(t.label) ?? []),
      viaRepair: viaRepair.get(t.label) ?? 0,
      lastDeliveryAt: lastAt
    }
  })

  let worst: BroadcastResult['antiEntropy']['worst'] = null
  let worstExcess = -Infinity
  let worstSessionBytes = 0
  let aeTotal = 0
  let differences = 0
  let withDifferences = 0
  for (const [key, bytes] of aeBytes) {
    const d = aeDiff.get(key) ?? 0
    aeTotal += bytes
    differences += d
    if (d > 0) {
      withDifferences++
    }
    if (bytes - 3 * 32 * d > worstExcess) {
      worstExcess = bytes - 3 * 32 * d
      worst = { bytes, differences: d, symbols: aeSymbols.get(key) ?? 0 }
    }
    worstSessionBytes = Math.max(worstSessionBytes, bytes)
  }

  let completeAfterHeal: number | null = null
  const healAt = marks.healAt
  if (healAt != null) {
    // messages published before the heal: the ones anti-entropy has to bring across
    const before = [...records.values()].filter(r => r.publishedAt < healAt)
    const complete = before.every(r => owed.every(id => r.delivered[id] === 1))
    completeAfterHeal = complete ? Math.max(0, ...before.map(r => r.lastAt - healAt)) : null
  }

  return {
    scenario: scenario.name,
    protocol: protocol.name,
    seed: scenario.seed,
    nodes: scenario.nodes,
    subscribers: subscriberCount,
    virtualMs: scenario.duration,
    eventsProcessed: net.eventsProcessed,
    traffic,
    totals: { ...totals, bytesPerDelivery: totals.deliveries === 0 ? 0 : Math.round(totals.bytes / totals.deliveries) },
    antiEntropy: { bytes: aeTotal, sessions: aeBytes.size, sessionsWithDifferences: withDifferences, differences, worstExcess: aeBytes.size === 0 ? 0 : worstExcess, worstSessionBytes, worst },
    nonSubscribers: nonSub,
    completeAfterHeal,
    crashedAt: marks.crashedAt,
    // absent without the model, so that results recorded before it are unchanged
    ...(load.processing === undefined ? {} : { processing: net.lagStats() }),
    ...coreStats(nodes)
  }
}

/** Sums every node's core counters (PubsubCore.stats): grafts, prunes, duplicates on lazy links… say why a run behaved as it did */
function coreStats (nodes: Map<NodeId, BroadcastNode<any, any>>): { coreStats?: Record<string, number> } {
  const sum: Record<string, number> = {}
  let found = false
  const add = (key: string, value: unknown): void => {
    if (typeof value === 'number') {
      sum[key] = (sum[key] ?? 0) + value
    }
  }
  for (const node of nodes.values()) {
    const stats = (node.broadcast as { stats?: Record<string, unknown> }).stats
    if (stats == null || typeof stats !== 'object') {
      continue
    }
    found = true
    for (const [key, value] of Object.entries(stats)) {
      if (value != null && typeof value === 'object') {
        for (const [inner, n] of Object.entries(value)) {
          add(`${key}.${inner}`, n)
        }
      } else {
        add(key, value)
      }
    }
  }
  return found ? { coreStats: sum } : {}
}
