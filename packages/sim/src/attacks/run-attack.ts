import { InvalidConfigError, bytesKey, createRng } from '@saorsa-gossip/core'
import { ANTI_ENTROPY_TYPES, PubsubCore } from '@saorsa-gossip/pubsub'
import { meshProtocol } from '../broadcast/mesh.ts'
import { BroadcastNode } from '../broadcast/node.ts'
import { plumtreeMessageBytes } from '../broadcast/plumtree.ts'
import { membershipMessageBytes } from '../membership-bytes.ts'
import { Network } from '../network.ts'
import { distribution } from '../stats.ts'
import { AdversaryNode } from './adversary.ts'
import { behaviourFor } from './behaviours.ts'
import type { OverlayScenario } from '../overlay-scenario.ts'
import type { Intel } from './adversary.ts'
import type { AttackName } from './behaviours.ts'
import type { NodeEvent, NodeMessage, NodeTimer } from '../broadcast/node.ts'
import type { BroadcastCore, BroadcastProtocol, DeliverEvent } from '../broadcast/types.ts'
import type { NodeId } from '../network.ts'
import type { Distribution } from '../stats.ts'
import type { MembershipConfig } from '@saorsa-gossip/membership'
import type { PubsubConfig, PubsubMessage, PubsubTimer } from '@saorsa-gossip/pubsub'

export const ATTACK_TOPIC = 'attack-topic'

/**
 * One adversarial run (SPEC.md §4.2): every node subscribes; `adversaries` of them (or,
 * for `sybil` / `eclipse`, `sybils` of them) misbehave from `attackAt`; honest nodes
 * publish `count` messages `interval` ms apart from `trafficAt`, each from a random honest
 * node. The overlay, the adversaries, the target and the schedule depend only on the seed,
 * so `attack: 'none'` on the same scenario is the attack-free reference.
 */
export interface AttackScenario extends OverlayScenario {
  attack: AttackName
  subscribeAt: number
  attackAt: number
  trafficAt: number
  count: number
  interval: number
  payloadSize: number
  /** fraction of nodes that are adversaries (black holes, spammers, forgers, poisoners) */
  adversaries: number
  /** sybil and eclipse: how many sybils attack the one target */
  sybils: number
  /** forgery-replay: when the captured genuine messages are replayed */
  replayAt: number
  duration: number
  membership?: MembershipConfig
  pubsub?: Partial<PubsubConfig>
}

export interface AttackResult {
  attack: AttackName
  protocol: 'plumtree' | 'mesh'
  nodes: number
  adversaries: number
  messages: number
  /** deliveries owed to honest live nodes of honest messages, and made */
  expected: number
  delivered: number
  honestDelivery: number
  /** latency of honest nodes' deliveries (the origin's own excluded), ms */
  latency: Distribution
  /** the same genuine message delivered twice to an honest application (a replay got through) */
  duplicatesDelivered: number
  /** deliveries of forged messages to honest applications (must be 0) */
  forgedDelivered: number
  /** the target (sybil, eclipse): its delivery ratio and the adversaries' share of its links when traffic starts */
  target?: { id: NodeId, delivery: number, adversaryShare: number, links: number }
  /** bytes sent by honest nodes from the first publish on: broadcast layer, membership layer; and by adversaries */
  honestBytes: number
  honestMembershipBytes: number
  adversaryBytes: number
  honestBytesByType: Record<string, number>
  wallMs?: number
}

export const DEFAULT_ATTACK_SCENARIO: Omit<AttackScenario, 'attack'> = {
  seed: 1,
  nodes: 1000,
  latency: { min: 10, max: 50 },
  joinInterval: 20,
  subscribeAt: 22_000,
  attackAt: 23_000,
  trafficAt: 30_000,
  count: 60,
  interval: 200,
  payloadSize: 1024,
  adversaries: 0.1,
  sybils: 30,
  replayAt: 165_000,
  duration: 50_000
}

/**
 * A genuine message's "signature": the run's registry of what each origin published. The
 * check stands for ML-DSA-65 over id, publish time and payload (SPEC.md §7.10): a copy with
 * another payload or publish time fails, a byte-identical replay passes (as a signature would).
 */
type Registry = Map<string, { publishedAt: number, payload: Uint8Array }>

function genuine (registry: Registry, m: { id: Uint8Array, publishedAt: number, payload: Uint8Array }): boolean {
  const entry = registry.get(bytesKey(m.id))
  return entry !== undefined && entry.publishedAt === m.publishedAt && entry.payload === m.payload
}

function protocolOf (name: 'plumtree' | 'mesh', scenario: AttackScenario, registry: Registry): BroadcastProtocol<NodeId, any, any> {
  if (name === 'mesh') {
    return meshProtocol<NodeId>({}, { score: {}, verify: (m) => genuine(registry, m) })
  }
  return {
    name: 'plumtree',
    create: (self, rng) => new PubsubCore<NodeId>(self, rng, { config: scenario.pubsub, verify: (m) => genuine(registry, m) }) as unknown as BroadcastCore<NodeId, PubsubMessage<NodeId>, PubsubTimer>,
    messageType: (message: PubsubMessage<NodeId>) => message.type,
    messageBytes: (message: PubsubMessage<NodeId>) => plumtreeMessageBytes(message as PubsubMessage<number>),
    isPayload: (message: PubsubMessage<NodeId>) => message.type === 'gossip',
    isAntiEntropy: (message: PubsubMessage<NodeId>) => ANTI_ENTROPY_TYPES.has(message.type)
  }
}

/** Runs one protocol under one attack */
export function runAttackScenario (input: Partial<AttackScenario> & { attack: AttackName }, protocolName: 'plumtree' | 'mesh'): AttackResult {
  const scenario: AttackScenario = { ...DEFAULT_ATTACK_SCENARIO, ...input }
  if (!(scenario.adversaries >= 0 && scenario.adversaries < 0.5) || !(scenario.sybils >= 0 && scenario.sybils < scenario.nodes / 2)) {
    throw new InvalidConfigError('attack scenario: adversaries must be in [0, 0.5) and sybils below half the nodes')
  }
  const started = performance.now()
  const registry: Registry = new Map()
  const protocol = protocolOf(protocolName, scenario, registry)
  const ids = Array.from({ length: scenario.nodes }, (_, i) => i)

  // who attacks and whom: from their own stream, the same for every protocol and for 'none'
  const pick = createRng(scenario.seed).fork('attack')
  const sybilAttack = scenario.attack === 'sybil' || scenario.attack === 'eclipse'
  const candidates = ids.slice(1)
  const bad = new Set<NodeId>(pick.sample(candidates, sybilAttack ? scenario.sybils : Math.round(scenario.nodes * scenario.adversaries)))
  const honest = ids.filter(id => !bad.has(id))
  const target = sybilAttack ? pick.pick(honest.filter(id => id !== 0)) : undefined
  const intel: Intel = { protocol: protocolName, topic: ATTACK_TOPIC, adversaries: bad, honest, target, captured: [], capturedIds: new Set(), rng: pick.fork('adversaries') }
  const behaviour = behaviourFor(scenario.attack, scenario.replayAt)

  const nodes = new Map<NodeId, BroadcastNode<any, any>>()
  const adversaries = new Map<NodeId, AdversaryNode>()
  const delivered = new Map<string, Uint8Array>()
  const latencies: number[] = []
  let duplicatesDelivered = 0
  let forgedDelivered = 0
  const bytes = { honest: 0, membership: 0, adversary: 0, byType: {} as Record<string, number> }
  const isBad = (id: NodeId): boolean => bad.has(id)

  const net = new Network<NodeMessage<any>, NodeTimer<any>, NodeEvent>({
    seed: scenario.seed,
    latency: scenario.latency,
    loss: scenario.loss ?? 0,
    createCore: (id, rng) => {
      const node = new BroadcastNode(id, rng, protocol.create(id, rng.fork('broadcast')), scenario.membership)
      nodes.set(id, node)
      if (!isBad(id)) {
        return node
      }
      const adversary = new AdversaryNode(id, node, intel)
      adversaries.set(id, adversary)
      return adversary
    },
    messageType: (m) => m.layer === 'membership' ? `membership:${String(m.message.type)}` : protocol.messageType(m.message),
    messageBytes: (m) => m.layer === 'membership' ? membershipMessageBytes(m.message) : protocol.messageBytes(m.message),
    onSend: (from, _to, m, size, now) => {
      if (now < scenario.trafficAt) {
        return
      }
      if (isBad(from)) {
        bytes.adversary += size
      } else if (m.layer === 'membership') {
        bytes.membership += size
      } else {
        bytes.honest += size
        const type = protocol.messageType(m.message)
        bytes.byType[type] = (bytes.byType[type] ?? 0) + size
      }
    },
    onEmit: (node, e, now) => {
      if (e.layer !== 'broadcast' || e.event.type !== 'message' || isBad(node)) {
        return
      }
      const event = e.event as DeliverEvent
      const key = bytesKey(event.id)
      const record = registry.get(key)
      if (record === undefined) {
        forgedDelivered++
        return
      }
      const seen = delivered.get(key) as Uint8Array
      if (seen[node] === 1) {
        duplicatesDelivered++
        return
      }
      seen[node] = 1
      if (event.hops > 0) {
        latencies.push(now - record.publishedAt)
      }
    }
  })

  net.at(0, () => { net.spawn(0, []) })
  for (let i = 1; i < scenario.nodes; i++) {
    net.at(i * scenario.joinInterval, () => { net.spawn(i, [0]) })
  }
  net.at(scenario.subscribeAt, () => {
    for (const id of ids) {
      net.inject(id, () => nodes.get(id)?.application({ type: 'subscribe', topic: ATTACK_TOPIC }, net.now) ?? [])
    }
  })
  if (behaviour !== undefined) {
    net.at(scenario.attackAt, () => {
      for (const adversary of adversaries.values()) {
        adversary.behaviour = behaviour
      }
    })
    if (behaviour.tick !== undefined && behaviour.tickMs > 0) {
      let tickNo = 0
      const tick = (): void => {
        const n = ++tickNo
        for (const [id, adversary] of adversaries) {
          net.inject(id, (_core, now) => adversary.tick(now, n))
        }
        if (net.now + behaviour.tickMs < scenario.duration) {
          net.at(net.now + behaviour.tickMs, tick)
        }
      }
      net.at(scenario.attackAt, tick)
    }
  }

  let share: { adversaryShare: number, links: number } | undefined
  if (target !== undefined) {
    net.at(scenario.trafficAt, () => {
      const node = nodes.get(target)
      if (node == null) {
        return
      }
      const core = node.broadcast as any
      const links = new Set<NodeId>([...node.membership.hyparview.activeView(), ...(protocolName === 'plumtree' ? core.topicPeers(ATTACK_TOPIC) : core.meshPeers(ATTACK_TOPIC))])
      const badLinks = [...links].filter(isBad).length
      share = { adversaryShare: links.size === 0 ? 0 : badLinks / links.size, links: links.size }
    })
  }

  const schedule = createRng(scenario.seed).fork('attack-schedule')
  const payload = new Uint8Array(scenario.payloadSize)
  const published: Array<{ key: string, origin: NodeId }> = []
  for (let k = 0; k < scenario.count; k++) {
    net.at(scenario.trafficAt + k * scenario.interval, () => {
      const origin = schedule.pick(honest.filter(id => net.isUp(id))) as NodeId
      const id = new Uint8Array(32)
      for (let i = 0; i < 32; i += 4) {
        new DataView(id.buffer).setUint32(i, schedule.int(0x1_0000_0000) >>> 0)
      }
      const key = bytesKey(id)
      const publishedAt = net.now
      registry.set(key, { publishedAt, payload })
      delivered.set(key, new Uint8Array(scenario.nodes))
      published.push({ key, origin })
      net.inject(origin, (_core, now) => nodes.get(origin)?.application({ type: 'publish', topic: ATTACK_TOPIC, id, payload, publishedAt }, now) ?? [])
    })
  }

  net.runUntil(scenario.duration)

  const owed = honest.filter(id => net.isUp(id))
  let expected = 0
  let made = 0
  for (const { key, origin } of published) {
    const seen = delivered.get(key) as Uint8Array
    for (const id of owed) {
      if (id !== origin) {
        expected++
        made += seen[id]
      }
    }
  }
  let targetResult: AttackResult['target']
  if (target !== undefined) {
    const got = published.filter(({ key }) => delivered.get(key)?.[target] === 1).length
    targetResult = { id: target, delivery: published.length === 0 ? 1 : got / published.length, adversaryShare: share?.adversaryShare ?? 0, links: share?.links ?? 0 }
  }
  return {
    attack: scenario.attack,
    protocol: protocolName,
    nodes: scenario.nodes,
    adversaries: bad.size,
    messages: published.length,
    expected,
    delivered: made,
    honestDelivery: expected === 0 ? 1 : made / expected,
    latency: distribution(latencies),
    duplicatesDelivered,
    forgedDelivered,
    ...(targetResult === undefined ? {} : { target: targetResult }),
    honestBytes: bytes.honest,
    honestMembershipBytes: bytes.membership,
    adversaryBytes: bytes.adversary,
    honestBytesByType: bytes.byType,
    wallMs: Math.round(performance.now() - started)
  }
}
