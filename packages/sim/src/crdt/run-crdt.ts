/**
 * crdtSync() in the simulator (issue 17): every node runs membership and the Plumtree core
 * (as in the broadcast scenarios) and, on one document topic, the CRDT pure core that the
 * service drives: `Replica` (author check, delivered operations, own-delta log) and
 * `ReplicaSync` (when a digest is due, which digest gets a delta-interval). Frames are the real
 * wire frames, carried as Plumtree payloads; the origin travels in the message header, as the
 * service's signed origin does (signatures themselves are not simulated).
 *
 * Persistence is modelled as the service does it (SPEC.md §9.9): an own delta-group is written
 * before it is published, and the whole replica is snapshotted at most once per anti-entropy
 * period when it changed; a crashed node that restarts rebuilds its replica from that store,
 * so it never reuses one of its own dots, and anti-entropy brings the rest.
 */
import { InvalidConfigError, createRng } from '@saorsa-gossip/core'
import { OrSet, Replica, ReplicaSync, decodeFrame, decodeRanges, decodeSnapshot, encodeFrame, encodeRanges, encodeSnapshot, frameToState, opsOf, stateToFrame, Frame, DEFAULT_REPLICA_CONFIG } from '@saorsa-gossip/crdt'
import { appMessageId, broadcastEvents, originHeader, originOf } from '../broadcast/app-messages.ts'
import { BroadcastNode } from '../broadcast/node.ts'
import { plumtreeProtocol } from '../broadcast/plumtree.ts'
import { Network } from '../network.ts'
import type { NodeEvent, NodeMessage, NodeTimer } from '../broadcast/node.ts'
import type { DeliverEvent } from '../broadcast/types.ts'
import type { CoreInput, NodeId, SimCore } from '../network.ts'
import type { OverlayScenario } from '../overlay-scenario.ts'
import type { Effect, Rng } from '@saorsa-gossip/core'
import type { CrdtState, DotRange } from '@saorsa-gossip/crdt'
import type { MembershipConfig } from '@saorsa-gossip/membership'
import type { PubsubConfig, PubsubMessage, PubsubTimer } from '@saorsa-gossip/pubsub'

export const CRDT_TOPIC = 'saorsa-crdt/sim'

/** The overlay (node i joins through node 0) and the document's story */
export interface CrdtScenario extends OverlayScenario {
  name: string
  /** when the first nodes subscribe to the document (after the overlay formed, as in the broadcast scenarios); a restarted node subscribes at once */
  subscribeAt: number
  /** crdtSync's antiEntropyInterval, ms */
  antiEntropyInterval: number
  /** crdtSync's heartbeatPeriods */
  heartbeatPeriods?: number
  /** edits: every live node makes `perNode` edit turns at random times in [from, to) */
  edits: { from: number, to: number, perNode: number }
  partitionAt: number
  healAt: number
  /** this fraction of the live nodes crashes at `at` and restarts (from its store) at `restartAt` */
  crash: { at: number, fraction: number, restartAt: number }
  /** virtual end, ms */
  duration: number
  membership?: MembershipConfig
  pubsub?: Partial<PubsubConfig>
}

export interface CrdtResult {
  scenario: string
  nodes: number
  /** operations authored in all (adds and removes) */
  operations: number
  /** every live replica equal (state and delivered operations) at the end */
  converged: boolean
  /** ms from the heal until every live replica held every operation (null: not within the run) */
  convergedAfterHealMs: number | null
  /** the same in anti-entropy periods */
  antiEntropyPeriods: number | null
  /**
   * ms from the heal until the first crdt frame crossed between the halves: until then the
   * Plumtree topic overlay (not the CRDT) is still split, and no protocol above it can converge
   */
  topicReconnectedAfterHealMs: number | null
  /** ms from that first crossing until every live replica held every operation */
  convergedAfterReconnectMs: number | null
  /** crdt DELTA frames published after the heal (edits none; repairs only), bytes as encoded, counted once at the publisher */
  deltaBytes: number
  repairs: number
  /** crdt DIGEST frames published after the heal, counted once at the publisher */
  digestBytes: number
  digests: number
  /** digests not sent because another member's digest lacked everything the node lacked (whole run) */
  digestsSuppressed: number
  /** the operations each half missed: the deltas authored during the partition, encoded once each */
  partitionDeltaBytes: number
  /** one replica's full state, encoded, at the end */
  fullStateBytes: number
  /** what shipping full states would cost at the heal: one per live node */
  fullStateSyncBytes: number
  /** Plumtree bytes on the links after the heal, by message type (every hop) */
  linkBytesAfterHeal: Record<string, number>
  /** at the end: membership active-view links and Plumtree topic links between the two halves */
  crossLinks: { membership: number, topic: number }
  crashed: number
  restoredFromStore: number
  /** replicas that reused one of their own dots after a restart (must be 0) */
  dotReuse: number
  virtualMs: number
  eventsProcessed: number
}

type Msg = NodeMessage<PubsubMessage<number>>
type Timer = NodeTimer<PubsubTimer> | { layer: 'crdt' }
type Eff = Effect<NodeId, Msg, Timer, NodeEvent>

/** The node's datastore: it survives crashes */
interface Store {
  snapshot?: Uint8Array
  /** own delta-groups written after the snapshot, encoded DELTA frames */
  own: Uint8Array[]
}

/** 52-character PeerId-like names, so that frames and digests have their real sizes */
export function simPeerName (id: NodeId): string {
  return `12D3KooWSim${String(id).padStart(41, '0')}`
}

interface Decoded { frame: Frame, origin: NodeId, state?: CrdtState, ops?: DotRange, ranges?: DotRange[] }

/** One decode per published frame: every delivery of a message shares the payload object */
const decoded = new WeakMap<Uint8Array, Decoded>()

function decodePayload (payload: Uint8Array, header: Uint8Array | undefined): Decoded | undefined {
  let d = decoded.get(payload)
  if (d != null) {
    return d
  }
  const origin = originOf(header)
  if (origin == null) {
    return undefined
  }
  const frame = decodeFrame(payload)
  d = { frame, origin }
  if (frame.kind === Frame.Kind.DIGEST) {
    d.ranges = decodeRanges(frame.context)
  } else {
    d.state = frameToState(frame)
    d.ops = opsOf(frame)
  }
  decoded.set(payload, d)
  return d
}

export interface CrdtHooks {
  /** a crdt frame this node publishes (bytes encoded, once) */
  published(node: NodeId, frame: Frame, bytes: number, now: number): void
  /** the node's delivered operations changed */
  changed(node: NodeId): void
  /** a crdt frame from `origin` reached `node` */
  delivered(node: NodeId, origin: NodeId, now: number): void
  /** the node publishes its own operations from `from` on (a restarted node must not reuse one) */
  edited(node: NodeId, from: number): void
}

/** A simulated node: membership + Plumtree (BroadcastNode) and one OR-Set document on top */
export class CrdtSimNode implements SimCore<Msg, Timer, NodeEvent> {
  readonly inner: BroadcastNode<PubsubMessage<number>, PubsubTimer>
  readonly replica: Replica
  readonly sync: ReplicaSync
  readonly self: string
  private published = 0
  private periods = 0
  private snapshotAt = -1
  private readonly header: Uint8Array

  constructor (readonly id: NodeId, private readonly rng: Rng, private readonly scenario: CrdtScenario, private readonly store: Store, private readonly hooks: CrdtHooks) {
    this.inner = new BroadcastNode(id, rng, plumtreeProtocol(scenario.pubsub).create(id, rng.fork('broadcast')), scenario.membership)
    this.self = simPeerName(id)
    const config = { ...DEFAULT_REPLICA_CONFIG }
    this.replica = new Replica(this.self, 'orset', config)
    if (store.snapshot != null) {
      this.replica.load(decodeSnapshot(this.self, 'orset', store.snapshot))
    }
    for (const bytes of store.own) {
      const frame = decodeFrame(bytes)
      this.replica.restoreOwn(frameToState(frame), opsOf(frame))
    }
    this.sync = new ReplicaSync(this.replica)
    if (this.restored) {
      this.sync.restored()
    }
    this.header = originHeader(id)
  }

  get restored (): boolean {
    return this.store.snapshot != null || this.store.own.length > 0
  }

  start (now: number, contacts: NodeId[]): Eff[] {
    const out = this.inner.start(now, contacts) as Eff[]
    if (now >= this.scenario.subscribeAt) {
      out.push(...this.open(now))
    }
    return this.after(out, now)
  }

  /** The application opens the document: subscribe, and start the anti-entropy timer */
  open (now: number): Eff[] {
    const out = this.inner.application({ type: 'subscribe', topic: CRDT_TOPIC }, now) as Eff[]
    // the service's setInterval starts when the node does: phases differ between nodes
    out.push({ type: 'schedule-timer', key: 'c:ae', at: now + 1 + this.rng.int(this.scenario.antiEntropyInterval), timer: { layer: 'crdt' } })
    return this.after(out, now)
  }

  handle (input: CoreInput<Msg, Timer>, now: number): Eff[] {
    if (input.type === 'timer-expired' && input.timer.layer === 'crdt') {
      return this.after(this.antiEntropy(now), now)
    }
    return this.after(this.inner.handle(input as CoreInput<Msg, NodeTimer<PubsubTimer>>, now) as Eff[], now)
  }

  /** The application edits: one turn of 1–3 operations, published as one delta-group (write-ahead first) */
  edit (now: number, universe: number): Eff[] {
    const set = this.replica.state as OrSet
    const group = new OrSet()
    const from = this.replica.nextOwn()
    const turn = 1 + this.rng.int(3)
    for (let i = 0; i < turn; i++) {
      const values = set.values()
      const delta = values.length > 0 && this.rng.float() < 0.3
        ? set.remove(this.self, values[this.rng.int(values.length)])
        : set.add(this.self, `item-${this.rng.int(universe)}`)
      this.replica.recordLocal(delta)
      group.join(delta)
    }
    const frame = stateToFrame(group, { replica: this.self, from, to: this.replica.delivered.max(this.self) })
    const bytes = encodeFrame(frame)
    this.store.own.push(bytes)
    this.hooks.changed(this.id)
    this.hooks.edited(this.id, from)
    return this.publish(frame, bytes, now)
  }

  private publish (frame: Frame, bytes: Uint8Array, now: number): Eff[] {
    const id = appMessageId(this.id, ++this.published, this.rng)
    this.hooks.published(this.id, frame, bytes.byteLength, now)
    return this.inner.application({ type: 'publish', topic: CRDT_TOPIC, id, payload: bytes, header: this.header, publishedAt: now } as any, now) as Eff[]
  }

  private antiEntropy (now: number): Eff[] {
    const out: Eff[] = [{ type: 'schedule-timer', key: 'c:ae', at: now + this.scenario.antiEntropyInterval, timer: { layer: 'crdt' } }]
    const heartbeat = ++this.periods % (this.scenario.heartbeatPeriods ?? 10) === 0
    const ranges = this.sync.digest(now, heartbeat, this.rng.float())
    if (ranges != null) {
      const frame: Frame = { kind: Frame.Kind.DIGEST, type: Frame.Type.ORSET, context: encodeRanges(ranges), orset: [], lww: [], yjs: new Uint8Array(0) }
      out.push(...this.publish(frame, encodeFrame(frame), now))
    }
    // debounced snapshot: at most once a period, only when something changed since the last
    const dots = countDots(this.replica.delivered.ranges())
    if (dots !== this.snapshotAt) {
      this.snapshotAt = dots
      this.store.snapshot = encodeSnapshot(this.self, 'orset', this.replica.snapshot())
      this.store.own.length = 0
    }
    return out
  }

  /** Feed the CRDT the document messages the Plumtree core delivered, and publish what they call for */
  private after (effects: Eff[], now: number): Eff[] {
    const extra: Eff[] = []
    for (const broadcast of broadcastEvents(effects)) {
      const event = broadcast as DeliverEvent & { header?: Uint8Array }
      const change = broadcast as { type: string, topic?: string, subscribed?: boolean }
      if (change.type === 'subscription-change') {
        // as crdtSync does on Plumtree's subscription-change: a new subscriber makes our digest due
        if (change.topic === CRDT_TOPIC && change.subscribed === true) {
          this.sync.peerArrived()
        }
        continue
      }
      if (event.type !== 'message' || event.topic !== CRDT_TOPIC) {
        continue
      }
      const d = decodePayload(event.payload, event.header)
      if (d == null || d.origin === this.id) {
        continue
      }
      const author = simPeerName(d.origin)
      this.hooks.delivered(this.id, d.origin, now)
      if (d.ranges != null) {
        const interval = this.sync.onDigest(d.ranges, author)
        if (interval != null) {
          const frame = stateToFrame(interval.delta, interval.ops)
          extra.push(...this.publish(frame, encodeFrame(frame), now))
        }
      } else if (d.state != null && d.ops != null) {
        if (this.replica.receive(author, d.state, d.ops, now) === 'applied') {
          this.hooks.changed(this.id)
        }
      }
    }
    if (extra.length > 0) {
      effects.push(...extra)
    }
    return effects
  }
}

function countDots (ranges: DotRange[]): number {
  return ranges.reduce((n, r) => n + r.to - r.from + 1, 0)
}

function canon (replica: Replica): string {
  return JSON.stringify([(replica.state as OrSet).values(), replica.digest()])
}

export function validateCrdtScenario (s: CrdtScenario): CrdtScenario {
  const ok = Number.isInteger(s.nodes) && s.nodes >= 2 && s.antiEntropyInterval > 0 && s.subscribeAt <= s.edits.from && s.edits.from < s.edits.to &&
    s.partitionAt <= s.edits.from && s.healAt >= s.edits.to && s.crash.fraction >= 0 && s.crash.fraction < 1 &&
    s.crash.at < s.crash.restartAt && s.duration > s.healAt
  if (!ok) {
    throw new InvalidConfigError('crdt scenario: needs nodes >= 2, antiEntropyInterval > 0, subscribeAt <= edits.from, partitionAt <= edits.from < edits.to <= healAt < duration, 0 <= crash.fraction < 1, crash.at < crash.restartAt')
  }
  return s
}

/**
 * Forms the overlay, splits it in two halves, lets every node edit during the partition while
 * a fraction crashes and restarts from its store, heals, and measures how long until every
 * live replica holds every operation, and what anti-entropy shipped to get there.
 */
export function runCrdtScenario (scenario: CrdtScenario, progress?: (virtualMs: number) => void, trace?: (virtualMs: number, complete: number, live: number, total: number) => void): CrdtResult {
  validateCrdtScenario(scenario)
  const stores = new Map<NodeId, Store>()
  const nodes = new Map<NodeId, CrdtSimNode>()
  const ids = Array.from({ length: scenario.nodes }, (_, i) => i)
  const dirty = new Set<NodeId>()
  const held = new Map<NodeId, number>()
  let healed = false
  let reconnectedAt: number | null = null
  const after = { deltaBytes: 0, repairs: 0, digestBytes: 0, digests: 0 }
  let partitionDeltaBytes = 0
  let dotReuse = 0
  const lastOwn = new Map<NodeId, number>()
  let restoredFromStore = 0
  const linkBytesAfterHeal: Record<string, number> = {}
  const hooks: CrdtHooks = {
    published: (_node, frame, bytes, now) => {
      if (frame.kind === Frame.Kind.DELTA && now >= scenario.partitionAt && now < scenario.healAt) {
        partitionDeltaBytes += bytes
      }
      if (!healed) {
        return
      }
      if (frame.kind === Frame.Kind.DIGEST) {
        after.digestBytes += bytes
        after.digests++
      } else {
        after.deltaBytes += bytes
        after.repairs++
      }
    },
    changed: (node) => { dirty.add(node) },
    delivered: (node, origin, now) => {
      if (healed && reconnectedAt == null && halfOf.get(node) !== halfOf.get(origin)) {
        reconnectedAt = now
      }
    },
    edited: (node, from) => {
      if (from <= (lastOwn.get(node) ?? 0)) {
        dotReuse++
      }
      lastOwn.set(node, from)
    }
  }
  const net = new Network<Msg, Timer, NodeEvent>({
    seed: scenario.seed,
    latency: scenario.latency,
    loss: scenario.loss ?? 0,
    createCore: (id, rng) => {
      let store = stores.get(id)
      if (store == null) {
        store = { own: [] }
        stores.set(id, store)
      }
      const node = new CrdtSimNode(id, rng, scenario, store, hooks)
      if (node.restored) {
        restoredFromStore++
      }
      nodes.set(id, node)
      dirty.add(id)
      return node
    },
    messageType: (m) => m.layer === 'membership' ? `membership:${String(m.message.type)}` : m.message.type,
    messageBytes: (m) => m.layer === 'membership' ? 0 : plumtreeProtocol().messageBytes(m.message),
    onSend: (_from, _to, m, bytes) => {
      if (healed && m.layer === 'broadcast') {
        linkBytesAfterHeal[m.message.type] = (linkBytesAfterHeal[m.message.type] ?? 0) + bytes
      }
    }
  })

  net.at(0, () => { net.spawn(0, []) })
  for (let i = 1; i < scenario.nodes; i++) {
    net.at(i * scenario.joinInterval, () => { net.spawn(i, [0]) })
  }
  const rng = createRng(scenario.seed).fork('crdt-schedule')
  const halves: NodeId[][] = (() => {
    const shuffled = rng.shuffle(ids.slice())
    const half = Math.ceil(shuffled.length / 2)
    return [shuffled.slice(0, half), shuffled.slice(half)]
  })()
  const halfOf = new Map<NodeId, NodeId[]>()
  for (const h of halves) {
    for (const id of h) {
      halfOf.set(id, h)
    }
  }
  net.at(scenario.subscribeAt, () => {
    for (const id of ids) {
      net.inject(id, (_core, now) => nodes.get(id)?.open(now) ?? [])
    }
  })
  net.at(scenario.partitionAt, () => { net.partition(halves) })
  const universe = scenario.nodes * 2
  for (const id of ids) {
    for (let k = 0; k < scenario.edits.perNode; k++) {
      const at = scenario.edits.from + rng.int(scenario.edits.to - scenario.edits.from)
      net.at(at, () => { net.inject(id, (_core, now) => nodes.get(id)?.edit(now, universe) ?? []) })
    }
  }
  let crashed: NodeId[] = []
  net.at(scenario.crash.at, () => {
    const live = ids.filter(id => net.isUp(id))
    crashed = rng.sample(live, Math.round(live.length * scenario.crash.fraction))
    for (const id of crashed) {
      net.crash(id)
    }
  })
  net.at(scenario.crash.restartAt, () => {
    for (const id of crashed) {
      // rejoin through a live node of its own half (the partition may still be on)
      const contacts = rng.sample((halfOf.get(id) ?? ids).filter(c => c !== id && net.isUp(c)), 3)
      net.spawn(id, contacts)
    }
  })
  net.at(scenario.healAt, () => {
    healed = true
    net.heal()
  })

  // before the heal in large slices; after it in 100 ms steps, to time convergence
  for (let t = Math.min(10_000, scenario.healAt); t < scenario.healAt; t = Math.min(t + 10_000, scenario.healAt)) {
    net.runUntil(t)
    progress?.(t)
  }
  let operations = 0
  const totalOps = (): number => {
    operations = 0
    for (const id of ids) {
      operations += stores.has(id) ? (nodes.get(id)?.replica.delivered.max(simPeerName(id)) ?? 0) : 0
    }
    return operations
  }
  let convergedAt: number | null = null
  for (let t = scenario.healAt; t < scenario.duration;) {
    t = Math.min(t + 100, scenario.duration)
    net.runUntil(t)
    if (t % 10_000 === 0) {
      progress?.(t)
    }
    if (convergedAt != null) {
      continue
    }
    for (const id of dirty) {
      const node = nodes.get(id)
      if (node != null) {
        held.set(id, countDots(node.replica.digest()))
      }
    }
    dirty.clear()
    const total = totalOps()
    const live = ids.filter(id => net.isUp(id))
    const complete = live.filter(id => held.get(id) === total).length
    trace?.(t, complete, live.length, total)
    if (complete === live.length) {
      convergedAt = t
    }
  }
  totalOps()
  const live = ids.filter(id => net.isUp(id))
  const first = canon((nodes.get(live[0]) as CrdtSimNode).replica)
  const converged = live.every(id => canon((nodes.get(id) as CrdtSimNode).replica) === first)
  const crossLinks = { membership: 0, topic: 0 }
  for (const id of live) {
    const node = nodes.get(id) as CrdtSimNode
    const other = (peer: NodeId): boolean => halfOf.get(peer) !== halfOf.get(id)
    crossLinks.membership += (node.inner.membership as unknown as { hyparview: { activeView(): NodeId[] } }).hyparview.activeView().filter(other).length
    crossLinks.topic += (node.inner.broadcast as unknown as { topicPeers(topic: string): NodeId[] }).topicPeers(CRDT_TOPIC).filter(other).length
  }
  const fullStateBytes = encodeFrame(stateToFrame((nodes.get(live[0]) as CrdtSimNode).replica.state)).byteLength
  const convergedAfterHealMs = convergedAt == null ? null : convergedAt - scenario.healAt
  return {
    scenario: scenario.name,
    nodes: scenario.nodes,
    operations,
    converged,
    convergedAfterHealMs,
    antiEntropyPeriods: convergedAfterHealMs == null ? null : Math.round(100 * convergedAfterHealMs / scenario.antiEntropyInterval) / 100,
    topicReconnectedAfterHealMs: reconnectedAt == null ? null : reconnectedAt - scenario.healAt,
    convergedAfterReconnectMs: reconnectedAt == null || convergedAt == null ? null : convergedAt - reconnectedAt,
    ...after,
    digestsSuppressed: [...nodes.values()].reduce((n, node) => n + node.sync.suppressed, 0),
    partitionDeltaBytes,
    fullStateBytes,
    fullStateSyncBytes: fullStateBytes * live.length,
    linkBytesAfterHeal,
    crossLinks,
    crashed: crashed.length,
    restoredFromStore,
    dotReuse,
    virtualMs: scenario.duration,
    eventsProcessed: net.eventsProcessed
  }
}
