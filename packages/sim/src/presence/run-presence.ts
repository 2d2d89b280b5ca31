/**
 * presence() in the simulator (issue 16): every node runs membership and the Plumtree core (as
 * in the broadcast scenarios, so the topic views are the ones Plumtree really builds) and the
 * presence pure core the service drives, fed as the service feeds it: the membership active
 * view as `neighbors`, each subscribed topic's view as `scope-neighbors`. Signatures are not
 * simulated (every beacon and query is valid); frames carry the sizes of SPEC.md §8.6.
 *
 * One lookup starts every `lookups.interval` ms, from a random searcher, for a peer it holds no
 * link to: "topic peers" share a topic with the searcher, "any peers" are drawn from the whole
 * network. Frames and bytes are counted per lookup by query id.
 */
import { InvalidConfigError, createRng } from '@saorsa-gossip/core'
import { PresenceCore } from '@saorsa-gossip/presence/core'
import { BroadcastNode } from '../broadcast/node.ts'
import { plumtreeProtocol } from '../broadcast/plumtree.ts'
import { Network } from '../network.ts'
import { distribution } from '../stats.ts'
import type { NodeEvent, NodeMessage, NodeTimer } from '../broadcast/node.ts'
import type { CoreInput, NodeId, SimCore } from '../network.ts'
import type { OverlayScenario } from '../overlay-scenario.ts'
import type { Distribution } from '../stats.ts'
import type { Effect, Rng } from '@saorsa-gossip/core'
import type { MembershipConfig } from '@saorsa-gossip/membership'
import type { BeaconRecord, PresenceConfig, PresenceEvent, PresenceMessage, PresenceTimer, QueryRecord } from '@saorsa-gossip/presence/core'
import type { PubsubConfig, PubsubCore, PubsubMessage, PubsubTimer } from '@saorsa-gossip/pubsub'

export interface PresenceScenario extends OverlayScenario {
  name: string
  /** node i joins through node 0, or (`'random'`) through a random earlier node */
  contact?: 'first' | 'random'
  /** `count` topics; each node subscribes to `perNode` of them at `subscribeAt` */
  topics: { count: number, perNode: number, subscribeAt: number }
  /** from `at`, one lookup every `interval` ms, alternating topic peers and any peers */
  lookups: { at: number, interval: number, topicPeers: number, anyPeers: number }
  /**
   * presence is given the topic views (SPEC.md §8.4: beacons in topics, queries naming the
   * searcher's topics); false: membership only, as a node without a pubsub service
   */
  scoped?: boolean
  duration: number
  membership?: MembershipConfig
  pubsub?: Partial<PubsubConfig>
  presence?: Partial<PresenceConfig>
}

export interface LookupStats {
  lookups: number
  success: number
  /** answered from the searcher's own record cache: no query sent */
  answeredLocally: number
  /** from the lookup to the first record of the target (reply latency; a real reply also opens a connection) */
  latency: Distribution
  /** presence frames (queries and replies) per lookup, and their bytes */
  messagesPerLookup: number
  bytesPerLookup: number
}

export interface PresenceResult {
  scenario: string
  seed: number
  nodes: number
  scoped: boolean
  topicPeers: LookupStats
  anyPeer: LookupStats
  /** beacon frames (own and relayed) sent by all nodes from the first lookup to the end, bytes per node per second */
  beaconBytesPerNodePerSecond: number
  /** records held per node at the end */
  records: Distribution
  /** presence drops by reason, summed over the nodes, and counters */
  drops: Record<string, number>
  counters: Record<string, number>
  /** at the end: topic view size per node and topic, and the connected components of each topic's view graph */
  topicViews: { size: Distribution, components: Distribution }
  virtualMs: number
  eventsProcessed: number
}

/** Sizes from SPEC.md §8.6: a clear beacon 3.4 KiB (ML-DSA-65 signature 3,309 B), a reply's beacon carries the signer's 5.3 KiB binding */
export const BEACON_BYTES = 3_480
export const QUERY_BYTES = 3_580
export const SCOPE_BYTES = 18
export const REPLY_BEACON_BYTES = BEACON_BYTES + 5_430
export const REPLY_HEADER_BYTES = 20
/** an Ask: length prefix, frame field, 16-byte id, a 38-byte PeerId (SPEC.md §8.6) */
export const ASK_BYTES = 62
/** a Hint: length prefix, frame field, 16-byte id */
export const HINT_BYTES = 22

type PMsg = PresenceMessage<NodeId>
type Msg = NodeMessage<PubsubMessage<number>> | { layer: 'presence', message: PMsg }
type Timer = NodeTimer<PubsubTimer> | { layer: 'presence', timer: PresenceTimer } | { layer: 'scopes' }
type Event = NodeEvent | { layer: 'presence', event: PresenceEvent<NodeId> }
type Eff = Effect<NodeId, Msg, Timer, Event>

/** What a wire frame stands for: the network hands message objects over unchanged, so identity is enough */
const beacons = new WeakMap<Uint8Array, BeaconRecord<NodeId>>()
const queries = new WeakMap<Uint8Array, QueryRecord<NodeId>>()

/** A topic's scope as the service names it (hex of a 16-byte hash): any distinct string will do here */
export function scopeOf (topic: number): string {
  return `scope-${topic}`
}

/** How often a node feeds its topic views to presence (the service does it on pubsub's topic-view events) */
const SCOPE_REFRESH_MS = 2_000

export class PresenceSimNode implements SimCore<Msg, Timer, Event> {
  readonly inner: BroadcastNode<PubsubMessage<number>, PubsubTimer>
  readonly presence: PresenceCore<NodeId>
  /** the same object as `inner.broadcast`, typed as what it is: the topic views are read from it */
  private readonly pubsub: PubsubCore<NodeId>
  private readonly addrs = [Uint8Array.of(4, 10, 0, 0, 1, 6, 0x0f, 0xa1)]

  constructor (readonly id: NodeId, rng: Rng, private readonly scenario: PresenceScenario, readonly topics: number[]) {
    const broadcast = plumtreeProtocol(scenario.pubsub).create(id, rng.fork('broadcast'))
    this.pubsub = broadcast as unknown as PubsubCore<NodeId>
    this.inner = new BroadcastNode(id, rng, broadcast, scenario.membership)
    this.presence = new PresenceCore<NodeId>(id, rng.fork('presence'), scenario.presence)
  }

  start (now: number, contacts: NodeId[]): Eff[] {
    const out = this.inner.start(now, contacts) as Eff[]
    this.fromPresence(this.presence.start(now), out, now)
    out.push({ type: 'schedule-timer', key: 's:scopes', at: now + SCOPE_REFRESH_MS, timer: { layer: 'scopes' } })
    return this.after(out, now)
  }

  subscribe (now: number): Eff[] {
    const out: Eff[] = []
    for (const topic of this.topics) {
      out.push(...this.inner.application({ type: 'subscribe', topic: `t${topic}` }, now) as Eff[])
    }
    return this.after(out, now)
  }

  /** The application calls findPeer */
  find (now: number, id: string, target: NodeId, scoped: boolean): Eff[] {
    const wire = new Uint8Array(1)
    const query: QueryRecord<NodeId> = { id, origin: this.id, target, tags: [], scopes: scoped ? this.topics.map(scopeOf) : [], hopLimit: this.presence.config.maxHops, issuedAtMs: now, ttl: this.presence.config.maxHops, wire }
    queries.set(wire, query)
    const out: Eff[] = []
    this.fromPresence(this.presence.handle({ type: 'find', id, target, query }, now), out, now)
    return out
  }

  topicPeers (topic: number): NodeId[] {
    return this.pubsub.topicPeers(`t${topic}`)
  }

  /** Every peer this node holds a link to: membership active view and topic views */
  linked (): Set<NodeId> {
    const all = new Set<NodeId>(this.inner.membership.hyparview.activeView())
    for (const topic of this.topics) {
      this.pubsub.topicPeers(`t${topic}`).forEach(p => all.add(p))
    }
    return all
  }

  handle (input: CoreInput<Msg, Timer>, now: number): Eff[] {
    const out: Eff[] = []
    if (input.type === 'message' && input.message.layer === 'presence') {
      const presenceInput = this.decode(input.from, input.message.message)
      if (presenceInput != null) {
        this.fromPresence(this.presence.handle(presenceInput, now), out, now)
      }
      return out
    }
    if (input.type === 'timer-expired' && input.timer.layer === 'presence') {
      this.fromPresence(this.presence.handle({ type: 'timer-expired', key: input.key.slice(2), timer: input.timer.timer }, now), out, now)
      return out
    }
    if (input.type === 'timer-expired' && input.timer.layer === 'scopes') {
      for (const topic of this.scenario.scoped === false ? [] : this.topics) {
        this.fromPresence(this.presence.handle({ type: 'scope-neighbors', scope: scopeOf(topic), peers: this.pubsub.topicPeers(`t${topic}`) }, now), out, now)
      }
      out.push({ type: 'schedule-timer', key: 's:scopes', at: now + SCOPE_REFRESH_MS, timer: { layer: 'scopes' } })
      return out
    }
    return this.after(this.inner.handle(input as CoreInput<NodeMessage<PubsubMessage<number>>, NodeTimer<PubsubTimer>>, now) as Eff[], now)
  }

  /** The receiving adapter's decode: wire frames back to records (all signatures valid here) */
  private decode (from: NodeId, message: PMsg): Parameters<PresenceCore<NodeId>['handle']>[0] | undefined {
    switch (message.type) {
      case 'beacon': {
        const beacon = beacons.get(message.wire)
        return beacon == null ? undefined : { type: 'beacon', from, beacon, signatureValid: true }
      }
      case 'query': {
        const query = queries.get(message.wire)
        return query == null ? undefined : { type: 'query', from, query: { ...query, ttl: message.ttl }, signatureValid: true }
      }
      case 'reply':
        return { type: 'reply', from, id: message.id, beacons: message.beacons.flatMap(w => { const b = beacons.get(w); return b == null ? [] : [{ beacon: b, signatureValid: true }] }) }
      case 'ask':
        return { type: 'ask', from, id: message.id, target: message.target }
      case 'hint':
        return { type: 'hint', from, id: message.id }
      default:
        return undefined
    }
  }

  private fromPresence (effects: ReturnType<PresenceCore<NodeId>['handle']>, out: Eff[], now: number): void {
    for (const effect of effects) {
      switch (effect.type) {
        case 'send': out.push({ type: 'send', to: effect.to, message: { layer: 'presence', message: effect.message } }); break
        case 'schedule-timer': out.push({ type: 'schedule-timer', key: `p:${effect.key}`, at: effect.at, timer: { layer: 'presence', timer: effect.timer } }); break
        case 'cancel-timer': out.push({ type: 'cancel-timer', key: `p:${effect.key}` }); break
        case 'emit':
          out.push({ type: 'emit', event: { layer: 'presence', event: effect.event } })
          if (effect.event.type === 'beacon-due') {
            // the adapter signs a fresh beacon and hands it to the core for the active view
            const wire = new Uint8Array(1)
            const ttl = this.presence.config.beaconTtlMs
            beacons.set(wire, { peer: this.id, seq: effect.event.seq, issuedAtMs: now, expiresAtMs: now + ttl, addrs: this.addrs, wire })
            this.fromPresence(this.presence.handle({ type: 'announce', frames: [wire], to: [...this.inner.membership.hyparview.activeView()] }, now), out, now)
          }
          break
        default: break
      }
    }
  }

  /** Membership's neighbour changes reach presence as the service's neighbor-up/down listener does */
  private after (effects: Eff[], now: number): Eff[] {
    let changed = false
    for (const effect of effects) {
      if (effect.type === 'emit' && effect.event.layer === 'membership' && (effect.event.event.type === 'neighbor-up' || effect.event.event.type === 'neighbor-down')) {
        changed = true
      }
    }
    if (changed) {
      this.fromPresence(this.presence.handle({ type: 'neighbors', peers: [...this.inner.membership.hyparview.activeView()] }, now), effects, now)
    }
    return effects
  }
}

export function validatePresenceScenario (s: PresenceScenario): PresenceScenario {
  const ok = Number.isInteger(s.nodes) && s.nodes >= 10 && s.joinInterval > 0 &&
    Number.isInteger(s.topics?.count) && s.topics.count >= 1 && Number.isInteger(s.topics.perNode) && s.topics.perNode >= 1 && s.topics.perNode <= s.topics.count &&
    s.topics.subscribeAt < s.lookups?.at && s.lookups.interval > 0 && Number.isInteger(s.lookups.topicPeers) && Number.isInteger(s.lookups.anyPeers) &&
    s.duration > s.lookups.at + (s.lookups.topicPeers + s.lookups.anyPeers) * s.lookups.interval
  if (!ok) {
    throw new InvalidConfigError('presence scenario: needs nodes >= 10, joinInterval > 0, 1 <= topics.perNode <= topics.count, topics.subscribeAt < lookups.at, lookups.interval > 0, integer lookup counts, and a duration past the last lookup')
  }
  return s
}

function summary (lookups: Array<{ found: boolean, local: boolean, latency?: number, messages: number, bytes: number }>): LookupStats {
  const n = lookups.length
  return {
    lookups: n,
    success: n === 0 ? 0 : lookups.filter(l => l.found).length / n,
    answeredLocally: n === 0 ? 0 : lookups.filter(l => l.local).length / n,
    latency: distribution(lookups.flatMap(l => l.latency ?? [])),
    messagesPerLookup: n === 0 ? 0 : Math.round(lookups.reduce((s, l) => s + l.messages, 0) / n * 10) / 10,
    bytesPerLookup: n === 0 ? 0 : Math.round(lookups.reduce((s, l) => s + l.bytes, 0) / n)
  }
}

function sumOf (records: Array<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const r of records) {
    for (const [k, v] of Object.entries(r)) {
      if (v !== 0) {
        out[k] = (out[k] ?? 0) + v
      }
    }
  }
  return out
}

/** Forms membership and the topic views, then runs the lookups one at a time */
export function runPresenceScenario (scenario: PresenceScenario, progress?: (virtualMs: number) => void): PresenceResult {
  validatePresenceScenario(scenario)
  const scoped = scenario.scoped ?? true
  const rng = createRng(scenario.seed).fork('presence-schedule')
  const ids = Array.from({ length: scenario.nodes }, (_, i) => i)
  const topicsOf = ids.map(() => rng.sample(Array.from({ length: scenario.topics.count }, (_, t) => t), scenario.topics.perNode))
  const members = Array.from({ length: scenario.topics.count }, () => [] as NodeId[])
  topicsOf.forEach((topics, id) => { topics.forEach(t => members[t].push(id)) })
  const nodes = new Map<NodeId, PresenceSimNode>()

  interface Lookup { kind: 'topic' | 'any', searcher: NodeId, target: NodeId, at: number, finished: boolean, found: boolean, local: boolean, latency?: number, messages: number, bytes: number }
  const byId = new Map<string, Lookup>()
  const done: Lookup[] = []
  let beaconBytes = 0
  const window = { from: scenario.lookups.at, to: scenario.duration }

  const net = new Network<Msg, Timer, Event>({
    seed: scenario.seed,
    latency: scenario.latency,
    loss: scenario.loss ?? 0,
    createCore: (id, nodeRng) => {
      const node = new PresenceSimNode(id, nodeRng, scenario, topicsOf[id])
      nodes.set(id, node)
      return node
    },
    messageType: (m) => m.layer === 'membership' ? `membership:${String(m.message.type)}` : m.layer === 'presence' ? `presence:${m.message.type}` : m.message.type,
    messageBytes: (m) => m.layer === 'broadcast' ? plumtreeProtocol().messageBytes(m.message) : 0,
    onSend: (_from, _to, m, _bytes, now) => {
      if (m.layer !== 'presence') {
        return
      }
      const message = m.message
      if (message.type === 'beacon') {
        if (now >= window.from && now < window.to) {
          beaconBytes += BEACON_BYTES
        }
        return
      }
      const id = message.type === 'query' ? queries.get(message.wire)?.id : message.id
      const lookup = id == null ? undefined : byId.get(id)
      if (lookup == null) {
        return
      }
      lookup.messages++
      switch (message.type) {
        case 'reply': lookup.bytes += REPLY_HEADER_BYTES + message.beacons.length * REPLY_BEACON_BYTES; break
        case 'ask': lookup.bytes += ASK_BYTES; break
        case 'hint': lookup.bytes += HINT_BYTES; break
        default: lookup.bytes += QUERY_BYTES + SCOPE_BYTES * (queries.get(message.wire)?.scopes.length ?? 0)
      }
    },
    onEmit: (node, e, now) => {
      if (e.layer !== 'presence') {
        return
      }
      const event = e.event
      if (event.type !== 'query-answered' && event.type !== 'query-failed') {
        return
      }
      const lookup = byId.get(event.id)
      if (lookup == null || node !== lookup.searcher || lookup.finished) {
        return
      }
      lookup.finished = true
      lookup.found = event.type === 'query-answered'
      if (lookup.found) {
        lookup.latency = now - lookup.at
        lookup.local = now === lookup.at && lookup.messages === 0
      }
      done.push(lookup)
    }
  })

  net.at(0, () => { net.spawn(0, []) })
  const joinRng = createRng(scenario.seed).fork('presence-contacts')
  for (let i = 1; i < scenario.nodes; i++) {
    const contact = scenario.contact === 'random' ? joinRng.int(i) : 0
    net.at(i * scenario.joinInterval, () => { net.spawn(i, [contact]) })
  }
  net.at(scenario.topics.subscribeAt, () => {
    for (const id of ids) {
      net.inject(id, (_core, now) => nodes.get(id)?.subscribe(now) ?? [])
    }
  })

  const kinds: Array<'topic' | 'any'> = []
  for (let i = 0; i < Math.max(scenario.lookups.topicPeers, scenario.lookups.anyPeers); i++) {
    if (i < scenario.lookups.topicPeers) { kinds.push('topic') }
    if (i < scenario.lookups.anyPeers) { kinds.push('any') }
  }
  kinds.forEach((kind, i) => {
    net.at(scenario.lookups.at + i * scenario.lookups.interval, () => {
      const live = ids.filter(id => net.isUp(id))
      const searcher = live[rng.int(live.length)]
      const node = nodes.get(searcher)
      if (node == null) {
        return
      }
      const linked = node.linked()
      const pool = kind === 'topic'
        ? [...new Set(node.topics.flatMap(t => members[t]))]
        : live
      const candidates = pool.filter(p => p !== searcher && !linked.has(p) && net.isUp(p))
      if (candidates.length === 0) {
        return
      }
      const target = candidates[rng.int(candidates.length)]
      const id = `lookup-${i}`
      const lookup: Lookup = { kind, searcher, target, at: net.now, finished: false, found: false, local: false, messages: 0, bytes: 0 }
      byId.set(id, lookup)
      net.inject(searcher, (_core, now) => node.find(now, id, target, scoped))
    })
  })

  const step = 10_000
  for (let t = step; t < scenario.duration; t += step) {
    net.runUntil(t)
    progress?.(t)
  }
  net.runUntil(scenario.duration)

  const seconds = (window.to - window.from) / 1000
  const sizes: number[] = []
  const components = members.map((group, t) => {
    const inTopic = new Set(group.filter(id => net.isUp(id)))
    const seen = new Set<NodeId>()
    let count = 0
    for (const start of inTopic) {
      if (seen.has(start)) {
        continue
      }
      count++
      const stack = [start]
      seen.add(start)
      while (stack.length > 0) {
        const at = stack.pop() as NodeId
        const peers = nodes.get(at)?.topicPeers(t) ?? []
        for (const p of peers) {
          if (inTopic.has(p) && !seen.has(p)) {
            seen.add(p)
            stack.push(p)
          }
        }
      }
    }
    group.forEach(id => { if (net.isUp(id)) { sizes.push(nodes.get(id)?.topicPeers(t).length ?? 0) } })
    return count
  })
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    nodes: scenario.nodes,
    scoped,
    topicPeers: summary(done.filter(l => l.kind === 'topic')),
    anyPeer: summary(done.filter(l => l.kind === 'any')),
    beaconBytesPerNodePerSecond: seconds <= 0 ? 0 : Math.round(beaconBytes / scenario.nodes / seconds),
    records: distribution([...nodes.values()].map(n => n.presence.recordCount)),
    topicViews: { size: distribution(sizes), components: distribution(components) },
    drops: sumOf([...nodes.values()].map(n => n.presence.drops)),
    counters: sumOf([...nodes.values()].map(n => n.presence.counters)),
    virtualMs: scenario.duration,
    eventsProcessed: net.eventsProcessed
  }
}
