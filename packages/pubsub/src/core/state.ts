import { IndexedSet, LoadEstimate, LruTtlCache, SeenIds, emit, send } from '@saorsa-gossip/core'
import { MessageStore } from './message-store.ts'
import type { PubsubConfig } from './config.ts'
import type { GossipMessage, IHaveEntry, PubsubMessage } from './messages.ts'
import type { RibltDecoder, RibltEncoder } from './riblt.ts'
import type { PeerScores } from './score.ts'
import type { PubsubEffect, PubsubStats } from './types.ts'
import type { Rng } from '@saorsa-gossip/core'

/** A message announced by lazy neighbours that has not arrived yet (Plumtree's `missing`) */
export interface Missing<P> {
  id: Uint8Array
  announcements: Array<{ peer: P, round: number }>
  /** announcers already grafted and asked for it (they will send it: never push it to them) */
  asked: P[]
  /** when the first announcement arrived */
  since: number
}

/** Anti-entropy session we started */
export interface AeInitiated<P> {
  peer: P
  topic: string
  from: number
  to: number
  startedAt: number
  /** short ids of our window when the session started */
  keys: Uint8Array[]
  decoder?: RibltDecoder
  /** the peer came from the passive view: differences found mean the topic overlay may be split */
  passive: boolean
}

/** Anti-entropy session a peer started with us */
export interface AeAnswering {
  topic: string
  from: number
  to: number
  encoder: RibltEncoder
  sent: number
  startedAt: number
}

/** Everything the core knows about one topic */
export interface TopicState<P> {
  name: string
  subscribed: boolean
  /** topic neighbours: the links Plumtree runs on */
  active: IndexedSet<P>
  /** known subscribers, for repair, joins and anti-entropy across a healed split */
  passive: IndexedSet<P>
  eager: Set<P>
  lazy: Set<P>
  /**
   * eager links' recent usefulness: first copies they delivered, less duplicates they cost,
   * between 0 and MAX_EAGER_CREDIT; a duplicate on a link without credit prunes it (tree.ts)
   */
  eagerCredit: Map<P, number>
  /** when we last sent each topic neighbour a PRUNE (a duplicate on a lazy link repeats it at most once per exchange: tree.ts) */
  prunedAt: Map<P, number>
  /**
   * when each lazy link last turned lazy: its peer's tree copies count against its score only
   * once it has had time to act on the PRUNE (tree.ts `chargeable`, SPEC.md §7.11)
   */
  lazySince: Map<P, number>
  /** last time anything arrived from each topic neighbour */
  lastHeard: Map<P, number>
  /** messages of the topic first received from others so far (a clock that only runs while traffic flows) */
  received: number
  /** `received` when each topic neighbour was last heard: how much traffic it has been silent through */
  heardAtReceived: Map<P, number>
  /** topic neighbours we pinged, and when */
  pinged: Map<P, number>
  /** pinged neighbours that got a second ping on a busy topic (one lost frame must not drop a link) */
  repinged: Set<P>
  /**
   * topic neighbours that stopped being membership neighbours while the link stands: pinged at
   * once and judged after one exchange, as on a busy topic (SPEC.md §7.13)
   */
  doubted: Set<P>
  pendingJoins: Map<P, number>
  /** joins that timed out: an acceptance arriving late is still taken (bounded by the join rate) */
  lateJoins: Map<P, number>
  /**
   * topic neighbours that accepted our TOPIC_JOIN: an urgent join evicts one of the others
   * first, so peers that come to us cannot displace every link we made (SPEC.md §7.4: eclipse)
   */
  chosen: Set<P>
  missing: Map<string, Missing<P>>
  /** walks in flight: walk number → start time */
  walks: Map<number, number>
  /** no walk before this time; the pause doubles while walks find nobody new (up to 60 s) */
  nextWalkAt: number
  walkBackoff: number
  /** a non-subscriber's messages waiting for a subscriber to be found */
  pending: Array<{ message: GossipMessage, since: number }>
}

/** Membership overlay neighbours (fed by the driver) and what the overlay knows about peers (overlay.ts) */
export interface OverlayState<P> {
  /** HyParView active view of the membership service: announcements and walks go through it */
  neighbors: IndexedSet<P>
  /** neighbours no failure detector watches (`neighbor-up` with `monitored: false`) */
  unmonitored: Set<P>
  /** the topics each membership neighbour announced (SUBSCRIPTIONS) */
  neighborTopics: Map<P, Set<string>>
  /** peers the driver could not reach lately: no join candidates until `joinTimeout` has passed (overlay.ts onUnreachable) */
  unreachable: LruTtlCache<P, true>
  /** when `neighbors` last gained a peer: while it keeps growing, topic joins wait for it instead of dialling (overlay.ts maintainTopic) */
  grewAt: number
  /** the most neighbours `neighbors` has held */
  most: number
}

/** Plumtree's bookkeeping across topics: lazy announcements waiting to go, and what grafts taught (tree.ts) */
export interface TreeState<P> {
  /**
   * lazy IHAVE entries waiting for the dispatch timer, by peer, topic and message key: keyed so
   * that an entry can be withdrawn when its peer shows it has the message (tree.ts `withdrawIHave`)
   */
  lazyQueue: Map<P, Map<string, Map<string, IHaveEntry>>>
  /** the dispatch timer is set */
  flushPending: boolean
  /** smoothed delay from a message's first IHAVE to its unrequested eager copy, ms (adaptive timeout₁) */
  eagerLag: number
  /** ids first received as the answer to our GRAFT → when they were first announced (the late tree copy is a lag sample, not a fault) */
  graftedIds: LruTtlCache<string, number>
  /** smoothed hop count of the first copies we received (how deep the trees reaching us are) */
  depth: number
  /** early rounds go to every topic neighbour (the trees are deep: `floodDepth`) */
  flooding: boolean
  /**
   * flooded messages: the wave of the first copy (0: a flood copy). A duplicate of another wave
   * met ours on a tree link, which proves no cycle: it prunes nothing (tree.ts, SPEC.md §7.3)
   */
  waves: LruTtlCache<string, number>
  /** (peer, id) pairs whose GRAFT we answered recently */
  graftAnswers: LruTtlCache<string, true>
  /** `${peer}|${id}` of GRAFTs charged as unanswered: a copy from that peer later takes the charge back (tree.ts `answeredLate`) */
  graftsMissed: LruTtlCache<string, true>
}

/** Anti-entropy sessions in both roles (anti-entropy.ts) */
export interface AntiEntropyState<P> {
  /** sessions we started, by session number */
  initiated: Map<number, AeInitiated<P>>
  /** sessions peers started with us, by peer and session number */
  answering: Map<P, Map<number, AeAnswering>>
  /** (peer, topic) pairs whose digest we answered recently */
  answered: LruTtlCache<string, true>
  /** (peer, message) pairs we served by AE_WANT within the window: each is served once (SPEC.md §7.5) */
  pulled: LruTtlCache<string, true>
}

/** A new message waiting for the driver's `validation-result` */
export interface HeldForValidation<P> {
  from: P
  message: GossipMessage
  /** its IHAVE bookkeeping, for the relay once it is accepted */
  missing: Missing<P> | undefined
  at: number
}

/** The checks a new message passes before delivery: the driver's origin check and its validators (tree.ts, validation.ts) */
export interface ValidationState<P> {
  /** the origin check (`PubsubCoreInit.verify`) */
  verify?(message: GossipMessage): boolean
  /** whether new messages of a topic wait for the driver's `validation-result` */
  defer(topic: string): boolean
  /** messages waiting for their verdict, by message id key */
  pending: Map<string, HeldForValidation<P>>
  /** (peer, id) pairs whose copy failed the origin check recently */
  failedOrigin: LruTtlCache<string, true>
}

/** Peer scores and the peers the current input penalised (scoring.ts, SPEC.md §7.11) */
export interface ScoringState<P> {
  scores: PeerScores<P>
  /** penalised while handling the current input: checked against the graylist once it is done */
  penalized: Set<P>
}

/**
 * The mutable state the handlers share, by concern: the topics (each with its views, tree
 * links and walks), the membership overlay, the tree's cross-topic bookkeeping,
 * anti-entropy, validation, scoring, the message cache and seen ids, and our own load.
 * `out` collects the effects of the input being handled.
 */
export interface Ctx<P> {
  self: P
  config: PubsubConfig
  rng: Rng
  stats: PubsubStats
  /** everything the core knows about each topic it has seen */
  topics: Map<string, TopicState<P>>
  overlay: OverlayState<P>
  tree: TreeState<P>
  ae: AntiEntropyState<P>
  validation: ValidationState<P>
  scoring: ScoringState<P>
  /** recent messages (payloads for GRAFT and anti-entropy, tombstones for refused ones) */
  store: MessageStore
  /** ids already received: a copy of one is a duplicate */
  seen: SeenIds
  /** our own timer lateness and topic-ping round trips: the link timers follow them (liveness.ts) */
  load: LoadEstimate
  out: Array<PubsubEffect<P>>
}

export function createCtx<P> (self: P, config: PubsubConfig, rng: Rng, stats: PubsubStats, scores: PeerScores<P>): Ctx<P> {
  return {
    self,
    config,
    rng,
    stats,
    topics: new Map(),
    overlay: {
      neighbors: new IndexedSet(),
      unmonitored: new Set(),
      neighborTopics: new Map(),
      unreachable: new LruTtlCache({ maxEntries: 1024, ttl: config.joinTimeout }),
      grewAt: -Infinity,
      most: 0
    },
    tree: {
      lazyQueue: new Map(),
      flushPending: false,
      eagerLag: 0,
      graftedIds: new LruTtlCache({ maxEntries: 4096, ttl: 30_000 }),
      depth: 0,
      flooding: false,
      waves: new LruTtlCache({ maxEntries: 8192, ttl: 30_000 }),
      graftAnswers: new LruTtlCache({ maxEntries: 8192, ttl: 10_000 }),
      graftsMissed: new LruTtlCache({ maxEntries: 4096, ttl: 30_000 })
    },
    ae: {
      initiated: new Map(),
      answering: new Map(),
      answered: new LruTtlCache({ maxEntries: 8192, ttl: Math.max(1, config.aePeriod / 2) }),
      pulled: new LruTtlCache({ maxEntries: 65_536, ttl: config.aeWindow + config.aeGuard })
    },
    validation: {
      defer: () => false,
      pending: new Map(),
      failedOrigin: new LruTtlCache({ maxEntries: 8192, ttl: 60_000 })
    },
    scoring: { scores, penalized: new Set() },
    store: new MessageStore({ retention: config.cacheRetention, maxMessages: config.cacheMaxMessages, maxBytes: config.cacheMaxBytes }),
    seen: new SeenIds({ maxEntries: config.seenMaxEntries, ttl: config.seenTtl }),
    load: new LoadEstimate(),
    out: []
  }
}

/** A random 52-bit number for walk and session ids: unguessable, so answers cannot be forged ahead of time */
export function randomNonce (rng: Rng): number {
  return rng.int(0x40000000) * 0x400000 + rng.int(0x400000)
}

export function topicState<P> (ctx: Ctx<P>, name: string): TopicState<P> {
  let state = ctx.topics.get(name)
  if (state == null) {
    state = {
      name,
      subscribed: false,
      active: new IndexedSet(),
      passive: new IndexedSet(),
      eager: new Set(),
      lazy: new Set(),
      eagerCredit: new Map(),
      prunedAt: new Map(),
      lazySince: new Map(),
      lastHeard: new Map(),
      received: 0,
      heardAtReceived: new Map(),
      pinged: new Map(),
      repinged: new Set(),
      doubted: new Set(),
      pendingJoins: new Map(),
      lateJoins: new Map(),
      chosen: new Set(),
      missing: new Map(),
      walks: new Map(),
      nextWalkAt: 0,
      walkBackoff: 0,
      pending: []
    }
    ctx.topics.set(name, state)
  }
  return state
}

export function out<P> (ctx: Ctx<P>, to: P, message: PubsubMessage<P>): void {
  if (message.type === 'gossip') {
    ctx.stats.payloadsSent++
  }
  ctx.out.push(send(to, message))
}

/** Adds a known subscriber to the passive view (bounded: a random one makes room) */
export function addPassive<P> (ctx: Ctx<P>, state: TopicState<P>, peer: P): void {
  if (peer === ctx.self || state.active.has(peer) || state.passive.has(peer)) {
    return
  }
  if (state.passive.size >= ctx.config.topicPassiveCapacity) {
    const victim = state.passive.pick(ctx.rng)
    if (victim !== undefined) {
      state.passive.delete(victim)
    }
  }
  state.passive.add(peer)
}

/** A topic link comes up: Plumtree starts every new link eager (paper §3.6) */
export function linkUp<P> (ctx: Ctx<P>, state: TopicState<P>, peer: P, now: number): void {
  if (peer === ctx.self || state.active.has(peer)) {
    return
  }
  state.passive.delete(peer)
  state.pendingJoins.delete(peer)
  state.lateJoins.delete(peer)
  state.active.add(peer)
  state.eager.add(peer)
  state.lastHeard.set(peer, now)
  state.heardAtReceived.set(peer, state.received)
  ctx.stats.topicLinksUp++
  ctx.out.push(emit({ type: 'topic-neighbor-up', topic: state.name, peer }))
}

/** The link to `peer` becomes eager (GRAFT, optimisation) */
export function makeEager<P> (state: TopicState<P>, peer: P): void {
  state.lazy.delete(peer)
  state.lazySince.delete(peer)
  state.eager.add(peer)
}

/** The link to `peer` becomes lazy (a PRUNE sent or received); a link already lazy keeps its start */
export function makeLazy<P> (state: TopicState<P>, peer: P, now: number): void {
  state.eager.delete(peer)
  state.eagerCredit.delete(peer)
  if (!state.lazy.has(peer)) {
    state.lazy.add(peer)
    state.lazySince.set(peer, now)
  }
}

/** A topic link goes down: the peer is kept as a passive candidate unless it is gone */
export function linkDown<P> (ctx: Ctx<P>, state: TopicState<P>, peer: P, keepPassive: boolean): void {
  if (!state.active.delete(peer)) {
    return
  }
  state.chosen.delete(peer)
  state.eager.delete(peer)
  state.lazy.delete(peer)
  state.eagerCredit.delete(peer)
  state.prunedAt.delete(peer)
  state.lazySince.delete(peer)
  state.lastHeard.delete(peer)
  state.heardAtReceived.delete(peer)
  state.pinged.delete(peer)
  state.repinged.delete(peer)
  state.doubted.delete(peer)
  for (const missing of state.missing.values()) {
    missing.announcements = missing.announcements.filter(a => a.peer !== peer)
  }
  if (keepPassive) {
    addPassive(ctx, state, peer)
  }
  ctx.stats.topicLinksDown++
  ctx.out.push(emit({ type: 'topic-neighbor-down', topic: state.name, peer }))
}

/** Anything from a topic neighbour proves the link alive */
export function heard<P> (state: TopicState<P>, peer: P, now: number): void {
  if (state.active.has(peer)) {
    state.lastHeard.set(peer, now)
    state.heardAtReceived.set(peer, state.received)
    state.pinged.delete(peer)
    state.repinged.delete(peer)
    state.doubted.delete(peer)
  }
}
