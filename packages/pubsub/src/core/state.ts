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
  /** last time anything arrived from each topic neighbour */
  lastHeard: Map<P, number>
  /** topic neighbours we pinged, and when */
  pinged: Map<P, number>
  pendingJoins: Map<P, number>
  /** joins that timed out: an acceptance arriving late is still taken (bounded by the join rate) */
  lateJoins: Map<P, number>
  missing: Map<string, Missing<P>>
  /** walks in flight: walk number → start time */
  walks: Map<number, number>
  /** no walk before this time; the pause doubles while walks find nobody new (up to 60 s) */
  nextWalkAt: number
  walkBackoff: number
  /** a non-subscriber's messages waiting for a subscriber to be found */
  pending: Array<{ message: GossipMessage, since: number }>
}

/** Shared mutable state the handlers work on; `out` collects the effects of one input */
export interface Ctx<P> {
  self: P
  config: PubsubConfig
  rng: Rng
  stats: PubsubStats
  store: MessageStore
  seen: SeenIds
  topics: Map<string, TopicState<P>>
  /** membership overlay neighbours and the topics each announced */
  neighbors: IndexedSet<P>
  neighborTopics: Map<P, Set<string>>
  /** lazy IHAVE entries waiting for the dispatch timer */
  lazyQueue: Map<P, Map<string, IHaveEntry[]>>
  flushPending: boolean
  aeInitiated: Map<number, AeInitiated<P>>
  aeAnswering: Map<P, Map<number, AeAnswering>>
  pendingValidation: Map<string, { from: P, message: GossipMessage, missing: Missing<P> | undefined, at: number }>
  /** (peer, topic) pairs whose anti-entropy digest we answered recently */
  aeAnswered: LruTtlCache<string, true>
  /** (peer, id) pairs whose copy failed the origin check recently */
  failedOrigin: LruTtlCache<string, true>
  /** smoothed delay from a message's first IHAVE to its unrequested eager copy, ms (adaptive timeout₁) */
  eagerLag: number
  /** ids first received as the answer to our GRAFT → when they were first announced (the late tree copy is a lag sample, not a fault) */
  graftedIds: LruTtlCache<string, number>
  /** (peer, id) pairs whose GRAFT we answered recently */
  graftAnswers: LruTtlCache<string, true>
  /** peers the driver could not reach lately: no join candidates until `joinTimeout` has passed (overlay.ts onUnreachable) */
  unreachable: LruTtlCache<P, true>
  scores: PeerScores<P>
  /** our own timer lateness and topic-ping round trips: the link timers follow them (liveness.ts) */
  load: LoadEstimate
  verify?(message: GossipMessage): boolean
  /** whether new messages of a topic wait for the service's validation-result */
  deferValidation(topic: string): boolean
  out: Array<PubsubEffect<P>>
}

export function createCtx<P> (self: P, config: PubsubConfig, rng: Rng, stats: PubsubStats, scores: PeerScores<P>): Ctx<P> {
  return {
    scores,
    self,
    config,
    rng,
    stats,
    store: new MessageStore({ retention: config.cacheRetention, maxMessages: config.cacheMaxMessages, maxBytes: config.cacheMaxBytes }),
    seen: new SeenIds({ maxEntries: config.seenMaxEntries, ttl: config.seenTtl }),
    topics: new Map(),
    neighbors: new IndexedSet(),
    neighborTopics: new Map(),
    lazyQueue: new Map(),
    flushPending: false,
    aeInitiated: new Map(),
    aeAnswering: new Map(),
    pendingValidation: new Map(),
    graftAnswers: new LruTtlCache({ maxEntries: 8192, ttl: 10_000 }),
    unreachable: new LruTtlCache({ maxEntries: 1024, ttl: config.joinTimeout }),
    failedOrigin: new LruTtlCache({ maxEntries: 8192, ttl: 60_000 }),
    eagerLag: 0,
    graftedIds: new LruTtlCache({ maxEntries: 4096, ttl: 30_000 }),
    aeAnswered: new LruTtlCache({ maxEntries: 8192, ttl: Math.max(1, config.aePeriod / 2) }),
    deferValidation: () => false,
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
      lastHeard: new Map(),
      pinged: new Map(),
      pendingJoins: new Map(),
      lateJoins: new Map(),
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
  ctx.stats.topicLinksUp++
  ctx.out.push(emit({ type: 'topic-neighbor-up', topic: state.name, peer }))
}

/** A topic link goes down: the peer is kept as a passive candidate unless it is gone */
export function linkDown<P> (ctx: Ctx<P>, state: TopicState<P>, peer: P, keepPassive: boolean): void {
  if (!state.active.delete(peer)) {
    return
  }
  state.eager.delete(peer)
  state.lazy.delete(peer)
  state.lastHeard.delete(peer)
  state.pinged.delete(peer)
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
    state.pinged.delete(peer)
  }
}
