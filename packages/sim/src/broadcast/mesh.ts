import { emit, LruTtlCache, scheduleTimer, send, SeenIds, bytesKey } from '@saorsa-gossip/core'
import { MeshScores } from '../attacks/mesh-score.ts'
import type { BroadcastCore, BroadcastEvent, BroadcastInput, BroadcastProtocol } from './types.ts'
import type { MeshScoreConfig } from '../attacks/mesh-score.ts'
import type { Effect, Rng } from '@saorsa-gossip/core'

/**
 * A gossipsub v1.1-style mesh (libp2p specs, pubsub/gossipsub/gossipsub-v1.0.md
 * and -v1.1.md) over the shared HyParView overlay: full messages travel eagerly
 * along a per-topic mesh of about D neighbours; the rest hear of them lazily
 * through IHAVE / IWANT gossip at each heartbeat. Peer exchange, fanout state,
 * outbound quotas and opportunistic grafting are not modelled. Peer scoring is
 * off unless `MeshOptions.score` is given (the adversarial runs, src/attacks/):
 * then a subset of v1.1's score acts (src/attacks/mesh-score.ts).
 */

export type MeshMessage<P> =
  | MeshPublish<P>
  | { kind: 'ihave', topic: string, ids: Uint8Array[] }
  | { kind: 'iwant', ids: Uint8Array[] }
  | { kind: 'graft', topic: string }
  | { kind: 'prune', topic: string }
  /** the sender's complete subscription list (an empty list withdraws all) */
  | { kind: 'subscribe', topics: string[] }

export interface MeshPublish<P> {
  kind: 'publish'
  topic: string
  id: Uint8Array
  /** the publisher, never forwarded back to (gossipsub's `from` field) */
  origin: P
  /** hops from the origin to the receiver (the origin sends 1) */
  hops: number
  publishedAt: number
  payload: Uint8Array
}

export type MeshTimer = 'heartbeat'

export interface MeshConfig {
  /** Desired mesh degree (spec default D = 6) */
  D: number
  /** Below this the heartbeat grafts up to D (spec default D_lo = 4) */
  Dlo: number
  /** Above this the heartbeat prunes down to D, and GRAFTs are refused at it (spec default D_hi = 12) */
  Dhi: number
  /** Non-mesh peers sent IHAVE per topic per heartbeat (spec default D_lazy = 6) */
  Dlazy: number
  /** ms (spec default heartbeat_interval = 1 s) */
  heartbeatInterval: number
  /** Heartbeats a message stays in the cache for IWANT (spec default mcache_len = 5) */
  mcacheLength: number
  /** Heartbeats of the cache advertised in IHAVE (spec default mcache_gossip = 3) */
  mcacheGossip: number
  /** ms (spec default seen_ttl = 120 s) */
  seenTtl: number
  seenMaxEntries: number
  /** The publisher sends to every subscribed neighbour, not just its mesh (v1.1 default true) */
  floodPublish: boolean
  /** An id is asked for by IWANT at most once in this many ms (v1.1 iwant_followup_time = 3 s) */
  iwantFollowup: number
  /** Ids remembered as asked for: bounds the IWANT map */
  maxAsked: number
  /** No re-GRAFT to a peer for this long after a PRUNE, either way (v1.1 prune_backoff = 1 min) */
  pruneBackoff: number
  /** Most ids per IHAVE sent or honoured, and per IWANT (v1.1 max_ihave_length = 5000) */
  maxIHaveLength: number
}

export const DEFAULT_MESH_CONFIG: MeshConfig = {
  D: 6,
  Dlo: 4,
  Dhi: 12,
  Dlazy: 6,
  heartbeatInterval: 1_000,
  mcacheLength: 5,
  mcacheGossip: 3,
  seenTtl: 120_000,
  seenMaxEntries: 100_000,
  floodPublish: true,
  iwantFollowup: 3_000,
  maxAsked: 10_000,
  pruneBackoff: 60_000,
  maxIHaveLength: 5_000
}

type Out<P> = Array<Effect<P, MeshMessage<P>, MeshTimer, BroadcastEvent>>

/** Optional defences, off by default so that the attack-free comparisons stay as measured */
export interface MeshOptions<P> {
  /** gossipsub v1.1-style peer scoring (src/attacks/mesh-score.ts) */
  score?: Partial<MeshScoreConfig>
  /** origin check (gossipsub's signature check) on the first copy: false → dropped, P4, not marked seen */
  verify?(message: MeshPublish<P>): boolean
}

interface PeerState {
  /** topics the neighbour announced */
  topics: Set<string>
  /** topic → time until which we do not GRAFT this neighbour (cleared with the neighbour) */
  backoff: Map<string, number>
}

/** gossipsub's message cache: a sliding window of heartbeats, the newest first */
class MessageCache<P> {
  private readonly windows: string[][] = [[]]
  private readonly messages = new Map<string, MeshPublish<P>>()
  private readonly length: number
  private readonly gossip: number

  constructor (length: number, gossip: number) {
    this.length = length
    this.gossip = gossip
  }

  get size (): number {
    return this.messages.size
  }

  put (key: string, message: MeshPublish<P>): void {
    this.messages.set(key, message)
    this.windows[0].push(key)
  }

  get (key: string): MeshPublish<P> | undefined {
    return this.messages.get(key)
  }

  /** ids of the topic's messages from the newest `gossip` windows */
  gossipIds (topic: string): Uint8Array[] {
    const ids: Uint8Array[] = []
    for (const window of this.windows.slice(0, this.gossip)) {
      for (const key of window) {
        const message = this.messages.get(key)
        if (message?.topic === topic) {
          ids.push(message.id)
        }
      }
    }
    return ids
  }

  /** Called once per heartbeat, after gossip: the oldest window beyond `length` is forgotten */
  shift (): void {
    this.windows.unshift([])
    while (this.windows.length > this.length) {
      for (const key of this.windows.pop() ?? []) {
        this.messages.delete(key)
      }
    }
  }
}

export class MeshCore<P> implements BroadcastCore<P, MeshMessage<P>, MeshTimer> {
  readonly self: P
  readonly config: MeshConfig
  private readonly rng: Rng
  /** neighbours, insertion-ordered so that sampling is deterministic for a given input sequence */
  private readonly peers = new Map<P, PeerState>()
  private readonly mesh = new Map<string, Set<P>>()
  private readonly seen: SeenIds
  private readonly mcache: MessageCache<P>
  /** ids requested by IWANT recently: hex id → true, expiring after `iwantFollowup` */
  private readonly asked: LruTtlCache<string, true>
  /** scoring only: the score table, IWANT promises (hex id → peer and deadline), IWANT answers per (peer, id), IHAVEs per peer this heartbeat */
  readonly scores: MeshScores<P> | undefined
  private readonly verify: ((message: MeshPublish<P>) => boolean) | undefined
  private readonly promises = new Map<string, { peer: P, until: number }>()
  private readonly served: LruTtlCache<string, number>
  private readonly ihaves = new Map<P, number>()

  constructor (self: P, rng: Rng, config: Partial<MeshConfig> = {}, options: MeshOptions<P> = {}) {
    this.self = self
    this.rng = rng
    this.config = { ...DEFAULT_MESH_CONFIG, ...config }
    this.scores = options.score == null ? undefined : new MeshScores<P>(options.score)
    this.verify = options.verify
    this.served = new LruTtlCache({ maxEntries: this.config.maxAsked, ttl: this.config.mcacheLength * this.config.heartbeatInterval, refreshOnGet: false })
    this.seen = new SeenIds({ maxEntries: this.config.seenMaxEntries, ttl: this.config.seenTtl })
    this.mcache = new MessageCache(this.config.mcacheLength, this.config.mcacheGossip)
    this.asked = new LruTtlCache({ maxEntries: this.config.maxAsked, ttl: this.config.iwantFollowup, refreshOnGet: false })
  }

  meshPeers (topic: string): P[] {
    return [...(this.mesh.get(topic) ?? [])]
  }

  /** neighbours that announced `topic` */
  subscribers (topic: string): P[] {
    return [...this.peers].filter(([, state]) => state.topics.has(topic)).map(([peer]) => peer)
  }

  get cachedMessages (): number {
    return this.mcache.size
  }

  /** The first heartbeat is jittered over one interval, so nodes started together do not tick together */
  start (now: number): Out<P> {
    return [scheduleTimer('heartbeat', now + this.rng.int(this.config.heartbeatInterval), 'heartbeat')]
  }

  handle (input: BroadcastInput<P, MeshMessage<P>, MeshTimer>, now: number): Out<P> {
    switch (input.type) {
      case 'neighbor-up':
        if (!this.peers.has(input.peer)) {
          this.peers.set(input.peer, { topics: new Set(), backoff: new Map() })
        }
        // announced on every neighbor-up: a neighbour that restarted has forgotten our subscriptions
        return this.mesh.size > 0 ? [send(input.peer, this.announcement())] : []
      case 'neighbor-down':
        this.peers.delete(input.peer)
        for (const mesh of this.mesh.values()) {
          mesh.delete(input.peer)
        }
        return []
      case 'subscribe':
        return this.join(input.topic, now)
      case 'unsubscribe':
        return this.leave(input.topic, now)
      case 'publish':
        return this.publish(input.topic, input.id, input.payload, input.publishedAt, now)
      case 'timer-expired':
        return input.key === 'heartbeat' ? this.heartbeat(now) : []
      case 'message':
        return this.receive(input.from, input.message, now)
      default:
        return []
    }
  }

  private announcement (): MeshMessage<P> {
    return { kind: 'subscribe', topics: [...this.mesh.keys()] }
  }

  private announce (): Out<P> {
    const message = this.announcement()
    return [...this.peers.keys()].map((peer) => send(peer, message))
  }

  /** Spec join(topic): announce, then GRAFT up to D neighbours already known to be subscribed */
  private join (topic: string, now: number): Out<P> {
    if (this.mesh.has(topic)) {
      return []
    }
    const mesh = new Set<P>()
    this.mesh.set(topic, mesh)
    return [...this.announce(), ...this.graft(topic, mesh, this.config.D, now)]
  }

  /** Spec leave(topic): PRUNE the whole mesh, then withdraw the subscription */
  private leave (topic: string, now: number): Out<P> {
    const mesh = this.mesh.get(topic)
    if (mesh == null) {
      return []
    }
    this.mesh.delete(topic)
    const out = [...mesh].map((peer) => this.prune(peer, topic, now))
    return [...out, ...this.announce()]
  }

  private graft (topic: string, mesh: Set<P>, count: number, now: number): Out<P> {
    const scores = this.scores
    const candidates = this.subscribers(topic).filter((peer) => !mesh.has(peer) && !this.backedOff(peer, topic, now) && (scores == null || scores.score(peer, now) >= 0))
    return this.rng.sample(candidates, count).map((peer) => {
      mesh.add(peer)
      return send(peer, { kind: 'graft', topic })
    })
  }

  private prune (peer: P, topic: string, now: number): Out<P>[number] {
    this.peers.get(peer)?.backoff.set(topic, now + this.config.pruneBackoff)
    return send(peer, { kind: 'prune', topic })
  }

  private backedOff (peer: P, topic: string, now: number): boolean {
    return (this.peers.get(peer)?.backoff.get(topic) ?? -Infinity) > now
  }

  private deliver (message: MeshPublish<P>, hops: number): Out<P>[number] {
    const { topic, id, publishedAt, payload } = message
    return emit<BroadcastEvent>({ type: 'message', topic, id, hops, publishedAt, payload })
  }

  /** With floodPublish (v1.1 default) the origin sends to every subscribed neighbour; otherwise to its mesh, or D of them */
  private publish (topic: string, id: Uint8Array, payload: Uint8Array, publishedAt: number, now: number): Out<P> {
    if (!this.seen.add(id, now)) {
      return []
    }
    const message: MeshPublish<P> = { kind: 'publish', topic, id, origin: this.self, hops: 1, publishedAt, payload }
    this.mcache.put(bytesKey(id), message)
    const mesh = this.mesh.get(topic)
    let targets = this.subscribers(topic)
    if (this.scores != null) {
      const scores = this.scores
      targets = targets.filter((peer) => scores.mayPublish(peer, now))
    }
    if (!this.config.floodPublish) {
      targets = mesh != null ? [...mesh] : this.rng.sample(targets, this.config.D)
    }
    return [this.deliver(message, 0), ...targets.map((peer) => send(peer, message))]
  }

  private receive (from: P, message: MeshMessage<P>, now: number): Out<P> {
    if (this.scores?.isGraylisted(from, now) === true) {
      return []
    }
    if (message.kind === 'publish') {
      return this.onPublish(from, message, now)
    }
    // control traffic only from current neighbours: a late GRAFT must not put a departed peer in the mesh
    const state = this.peers.get(from)
    if (state == null) {
      return []
    }
    switch (message.kind) {
      case 'subscribe':
        state.topics = new Set(message.topics)
        for (const [topic, mesh] of this.mesh) {
          if (!state.topics.has(topic)) {
            mesh.delete(from)
          }
        }
        return []
      case 'graft':
        return this.onGraft(from, state, message.topic, now)
      case 'prune':
        this.mesh.get(message.topic)?.delete(from)
        state.backoff.set(message.topic, now + this.config.pruneBackoff)
        return []
      case 'ihave':
        return this.onIHave(from, message.topic, message.ids, now)
      case 'iwant':
        return this.onIWant(from, message.ids, now)
      default:
        return []
    }
  }

  /** Accepted if we are subscribed, below Dhi and not backing off from the peer; otherwise PRUNE */
  private onGraft (from: P, state: PeerState, topic: string, now: number): Out<P> {
    const mesh = this.mesh.get(topic)
    if (mesh == null) {
      return [send(from, { kind: 'prune', topic })]
    }
    state.topics.add(topic)
    if (mesh.has(from)) {
      return []
    }
    if (this.scores != null && this.backedOff(from, topic, now)) {
      // v1.1: a GRAFT during the backoff is a behaviour penalty
      this.scores.misbehaved(from, now)
    }
    if (mesh.size >= this.config.Dhi || this.backedOff(from, topic, now) || (this.scores != null && this.scores.score(from, now) < 0)) {
      return [this.prune(from, topic, now)]
    }
    mesh.add(from)
    return []
  }

  /** IWANT for ids neither seen nor asked for within `iwantFollowup` (from any peer) */
  private onIHave (from: P, topic: string, ids: Uint8Array[], now: number): Out<P> {
    if (!this.mesh.has(topic)) {
      return []
    }
    if (this.scores != null) {
      const count = (this.ihaves.get(from) ?? 0) + 1
      this.ihaves.set(from, count)
      if (!this.scores.mayGossip(from, now) || count > this.scores.config.maxIHaveMessages) {
        return []
      }
    }
    const want: Uint8Array[] = []
    for (const id of ids.slice(0, this.config.maxIHaveLength)) {
      const key = bytesKey(id)
      if (!this.seen.has(id, now) && !this.asked.has(key, now)) {
        this.asked.set(key, true, now)
        want.push(id)
        if (this.scores != null) {
          this.promises.set(key, { peer: from, until: now + this.config.iwantFollowup })
        }
      }
    }
    return want.length > 0 ? [send(from, { kind: 'iwant', ids: want })] : []
  }

  private onIWant (from: P, ids: Uint8Array[], now: number): Out<P> {
    const out: Out<P> = []
    const scores = this.scores
    if (scores != null && !scores.mayGossip(from, now)) {
      return out
    }
    for (const id of ids.slice(0, this.config.maxIHaveLength)) {
      const key = bytesKey(id)
      const cached = this.mcache.get(key)
      if (cached == null) {
        continue
      }
      if (scores != null) {
        // v1.1 gossip_retransmission: the same id to the same peer at most a few times
        const pair = `${String(from)}|${key}`
        const times = this.served.get(pair, now) ?? 0
        if (times >= scores.config.gossipRetransmission) {
          continue
        }
        this.served.set(pair, times + 1, now)
      }
      out.push(send(from, cached))
    }
    return out
  }

  /** First sight: deliver, cache for IWANT, forward along the mesh (not back to the sender or the origin) */
  private onPublish (from: P, message: MeshPublish<P>, now: number): Out<P> {
    const mesh = this.mesh.get(message.topic)
    if (mesh == null || this.seen.has(message.id, now)) {
      return []
    }
    if (this.verify != null && !this.verify(message)) {
      // not marked seen: a forged copy racing ahead must not block the genuine one
      this.scores?.invalid(from, now)
      return []
    }
    this.seen.add(message.id, now)
    if (this.scores != null) {
      this.scores.firstDelivery(from, now)
      this.promises.delete(bytesKey(message.id))
    }
    const forward: MeshPublish<P> = { ...message, hops: message.hops + 1 }
    this.mcache.put(bytesKey(message.id), forward)
    const out: Out<P> = [this.deliver(message, message.hops)]
    for (const peer of mesh) {
      if (peer !== from && peer !== message.origin) {
        out.push(send(peer, forward))
      }
    }
    return out
  }

  /** Spec heartbeat: mesh maintenance, then IHAVE gossip to non-mesh peers, then shift the cache */
  private heartbeat (now: number): Out<P> {
    const { D, Dlo, Dhi, Dlazy, maxIHaveLength } = this.config
    const out: Out<P> = []
    const scores = this.scores
    if (scores != null) {
      for (const [key, promise] of this.promises) {
        if (promise.until <= now) {
          // v1.1 P7: an IHAVE whose IWANT was not answered in time
          this.promises.delete(key)
          scores.misbehaved(promise.peer, now)
        }
      }
      this.ihaves.clear()
      for (const [topic, mesh] of this.mesh) {
        for (const peer of [...mesh]) {
          if (scores.score(peer, now) < 0) {
            mesh.delete(peer)
            out.push(this.prune(peer, topic, now))
          }
        }
      }
    }
    for (const [topic, mesh] of this.mesh) {
      if (mesh.size < Dlo) {
        out.push(...this.graft(topic, mesh, D - mesh.size, now))
      }
      if (mesh.size > Dhi) {
        // no scores to rank by: the peers kept are a uniform sample
        for (const peer of this.rng.sample([...mesh], mesh.size - D)) {
          mesh.delete(peer)
          out.push(this.prune(peer, topic, now))
        }
      }
      let ids = this.mcache.gossipIds(topic)
      if (ids.length > 0) {
        ids = ids.length > maxIHaveLength ? this.rng.sample(ids, maxIHaveLength) : ids
        // v1.1 sends to max(Dlazy, 0.25 × eligible): with an active view of at most 12 that is always Dlazy
        const eligible = this.subscribers(topic).filter((peer) => !mesh.has(peer) && (scores == null || scores.mayGossip(peer, now)))
        for (const peer of this.rng.sample(eligible, Dlazy)) {
          out.push(send(peer, { kind: 'ihave', topic, ids }))
        }
      }
    }
    this.mcache.shift()
    for (const state of this.peers.values()) {
      for (const [topic, until] of state.backoff) {
        if (until <= now) {
          state.backoff.delete(topic)
        }
      }
    }
    out.push(scheduleTimer('heartbeat', now + this.config.heartbeatInterval, 'heartbeat'))
    return out
  }
}

export function meshProtocol<P> (config: Partial<MeshConfig> = {}, options: MeshOptions<P> = {}): BroadcastProtocol<P, MeshMessage<P>, MeshTimer> {
  return {
    name: 'mesh',
    create: (self: P, rng: Rng) => new MeshCore<P>(self, rng, config, options),
    messageType: (message) => message.kind,
    messageBytes: (message) => {
      switch (message.kind) {
        // id + topic + publishedAt + header; the origin is not counted (a libp2p `from` would add ~38)
        case 'publish': return message.payload.length + 32 + 32 + 8 + 8
        case 'ihave': return 32 + 32 * message.ids.length + 4
        case 'iwant': return 32 * message.ids.length + 4
        case 'graft':
        case 'prune': return 36
        default: return 32 * message.topics.length + 4
      }
    },
    isPayload: (message) => message.kind === 'publish',
    // IHAVE / IWANT are the lazy id-list repair path
    isAntiEntropy: (message) => message.kind === 'ihave' || message.kind === 'iwant'
  }
}
