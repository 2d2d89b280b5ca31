import { MESSAGE_ID_LENGTH, cancelTimer, emit, scheduleTimer, bytesKey } from '@saorsa-gossip/core'
import { likelyDead, linkTimers } from './liveness.ts'
import { MessageStore } from './message-store.ts'
import { penalize } from './scoring.ts'
import { heard, makeEager, makeLazy, out } from './state.ts'
import type { GossipMessage, GraftMessage, IHaveMessage } from './messages.ts'
import type { Ctx, Missing, TopicState } from './state.ts'
import type { PublishOutcome, PubsubInput } from './types.ts'

/** Hop counts above this are nonsense (a tree over any realistic overlay is far shallower) */
const MAX_ROUND = 1024
/**
 * Most duplicates an eager link may cost before it is pruned, earned one per first copy it
 * delivered. 1, measured (SPEC.md §7.3): 3 gave lower latency on 30 real nodes but made old
 * links so sticky that after a partition healed the new links across it were the ones pruned,
 * and repair took 11.6–13.8 s instead of 2.6–4.1 s
 */
export const MAX_EAGER_CREDIT = 1

/**
 * Shortest pause between two PRUNEs to one peer: before any round-trip sample, the seed's SWIM
 * ack timeout (200 ms) is the shortest exchange we assume anywhere
 */
const MIN_PRUNE_REPEAT = 200

/** Most ids announced but not yet received, per topic: beyond it new announcements are ignored */
export const MAX_MISSING = 4096

/**
 * Plumtree timeout₁, adaptive: at least `graftTimeout1`, else twice the smoothed lag of
 * unrequested eager copies behind their IHAVE, at most `graftTimeoutMax`. On an overloaded
 * node eager copies are late, not lost; a fixed timer would graft every lazy link, the extra
 * copies add load, and the tree collapses into a flood (measured, SPEC.md §7.3).
 */
export function graftTimeout<P> (ctx: Ctx<P>, now: number): number {
  const { graftTimeout1, graftTimeoutMax } = ctx.config
  // plus our own event-loop lag: the copy we would graft for may already be queued behind
  // it, and grafting adds payloads to an overloaded node (backpressure, SPEC.md §7.13)
  return Math.min(graftTimeoutMax, Math.max(graftTimeout1, 2 * ctx.tree.eagerLag)) + Math.ceil(ctx.load.lag(now))
}

/**
 * A copy that says nothing about the sender's link state: an anti-entropy push, a
 * non-subscriber's hand-over, or a flood copy (SPEC.md §7.3). It never flips, credits or prunes
 * a link
 */
function offTree (message: GossipMessage): boolean {
  return message.repair === true || message.flood === true
}

/**
 * Smoothed hop count of first copies (weight 0.05: a few dozen messages) and the flood switch
 * with hysteresis: on at `floodDepth`, off below `floodDepth − floodRounds`, since flooding k
 * rounds itself shortens the paths it is measured on (2,000 simulated nodes: hops P50 10 → 8)
 */
function learnDepth<P> (ctx: Ctx<P>, round: number): void {
  const { floodDepth, floodRounds } = ctx.config
  ctx.tree.depth = ctx.tree.depth === 0 ? round : ctx.tree.depth * 0.95 + round * 0.05
  if (ctx.tree.depth >= floodDepth) {
    ctx.tree.flooding = true
  } else if (ctx.tree.depth < floodDepth - floodRounds) {
    ctx.tree.flooding = false
  }
}

function learnLag<P> (ctx: Ctx<P>, lag: number): void {
  ctx.tree.eagerLag = ctx.tree.eagerLag === 0 ? lag : ctx.tree.eagerLag * 0.9 + lag * 0.1
}

/** Timer key of a missing id: per topic, so the same id announced in two topics keeps both timers */
function graftKey (topic: string, key: string): string {
  return `graft/${topic}/${key}`
}

/** Well-formed per SPEC.md §7.2; anything else is dropped and counted, never thrown */
export function validGossip (message: GossipMessage): boolean {
  return typeof message.topic === 'string' &&
    message.id instanceof Uint8Array && message.id.length === MESSAGE_ID_LENGTH &&
    Number.isInteger(message.round) && message.round >= 0 && message.round <= MAX_ROUND &&
    Number.isFinite(message.publishedAt) &&
    message.payload instanceof Uint8Array &&
    (message.header === undefined || message.header instanceof Uint8Array) &&
    (message.wave === undefined || (Number.isInteger(message.wave) && message.wave > 0 && message.wave <= 0xffffffff))
}

/** The application publishes: deliver locally, then push eagerly and announce lazily (Plumtree Broadcast) */
export function publish<P> (ctx: Ctx<P>, input: Extract<PubsubInput<P>, { type: 'publish' }>, state: TopicState<P>, now: number): PublishOutcome<P> {
  const message: GossipMessage = { type: 'gossip', topic: input.topic, id: input.id, round: 0, publishedAt: input.publishedAt, payload: input.payload, header: input.header }
  if (input.payload.length > ctx.config.maxMessageSize) {
    ctx.stats.dropped.oversize++
    ctx.out.push(emit({ type: 'publish-failed', topic: input.topic, id: input.id, reason: 'oversize' }))
    return { status: 'oversize' }
  }
  if (!ctx.seen.add(input.id, now)) {
    ctx.stats.duplicates++
    return { status: 'duplicate' }
  }
  ctx.stats.published++
  const from = ctx.out.length
  if (state.subscribed) {
    deliverAndRelay(ctx, state, undefined, message, now)
  } else {
    // a non-subscriber hands its message to subscribers it knows; it never joins the tree
    forwardToSubscribers(ctx, state, message, now)
  }
  const recipients = new Set<P>()
  for (let i = from; i < ctx.out.length; i++) {
    const effect = ctx.out[i]
    if (effect.type === 'send' && effect.message.type === 'gossip') {
      recipients.add(effect.to)
    }
  }
  return { status: 'published', recipients: [...recipients] }
}

/** Sends a non-subscriber's message to up to two known subscribers, or queues it while a walk looks for one */
export function forwardToSubscribers<P> (ctx: Ctx<P>, state: TopicState<P>, message: GossipMessage, now: number): void {
  // membership neighbours that announced the topic first (their word is fresh), then known subscribers
  const announced = ctx.overlay.neighbors.values().filter(peer => ctx.overlay.neighborTopics.get(peer)?.has(state.name) === true)
  const targets = ctx.rng.sample(announced, 2)
  if (targets.length < 2) {
    targets.push(...state.passive.sample(ctx.rng, 2 - targets.length, p => targets.includes(p)))
  }
  if (targets.length === 0) {
    if (state.pending.length >= ctx.config.maxPendingPublishes) {
      ctx.out.push(emit({ type: 'publish-failed', topic: state.name, id: message.id, reason: 'queue-full' }))
      return
    }
    if (state.pending.length === 0) {
      // new demand: look for a subscriber at the next maintenance tick, whatever earlier walks found
      state.nextWalkAt = now
    }
    state.pending.push({ message, since: now })
    return
  }
  for (const peer of targets) {
    out(ctx, peer, { ...message, round: 1, repair: true })
  }
}

/** Plumtree Receive(GOSSIP) */
export function onGossip<P> (ctx: Ctx<P>, from: P, message: GossipMessage, state: TopicState<P> | undefined, now: number): void {
  if (!validGossip(message)) {
    ctx.stats.dropped.invalid++
    penalize(ctx, from, 'invalid-message', now)
    return
  }
  if (message.payload.length > ctx.config.maxMessageSize) {
    ctx.stats.dropped.oversize++
    penalize(ctx, from, 'oversize', now)
    return
  }
  if (state?.subscribed !== true) {
    // we carry no payloads of topics we do not subscribe to; tell the sender to drop the link
    ctx.stats.dropped.notSubscribed++
    out(ctx, from, { type: 'topic-leave', topic: message.topic })
    return
  }
  heard(state, from, now)
  const key = MessageStore.key(message.id)
  answeredLate(ctx, from, key, now)
  if (ctx.seen.has(message.id, now)) {
    ctx.stats.duplicates++
    withdrawIHave(ctx, from, state.name, key)
    const graftedSince = offTree(message) ? undefined : ctx.tree.graftedIds.get(key, now)
    if (graftedSince !== undefined) {
      // the tree's own copy of a message we already pulled with GRAFT: the eager path works, it
      // is only slow. Learn the lag and keep the link; pruning it would leave the next message
      // to IHAVE and GRAFT again (on an overloaded node, a spiral into flooding)
      ctx.tree.graftedIds.delete(key)
      learnLag(ctx, now - graftedSince)
      return
    }
    if (chargeable(ctx, state, from, message, now)) {
      ctx.scoring.scores.record(from, 'duplicate', now)
    }
    const firstWave = ctx.tree.waves.get(key, now)
    if (message.flood === true || (firstWave !== undefined && firstWave !== message.wave)) {
      // flood copies race the tree by design, and two waves of one flooded message meet on tree
      // links: that proves no cycle, and pruning the link would cut the tree other origins use
      ctx.stats.duplicatesFlood++
      return
    }
    if (message.repair !== true) {
      if (!state.eager.has(from) && state.active.has(from)) {
        ctx.stats.duplicatesOnLazy++
        repeatPrune(ctx, state, from, now)
        return
      }
    } else {
      ctx.stats.duplicatesRepair++
    }
    // a duplicate on an eager link means two tree paths: make this one lazy (Plumtree §3.5) —
    // unless it recently delivered first copies: with several publishers one tree serves every
    // origin, and a link that is the first path for some of them is a duplicate path for
    // others. Pruning it at its first duplicate cut tree links each way under concurrent
    // messages and left 100 real nodes repairing by IHAVE and GRAFT (SPEC.md §7.3)
    if (!offTree(message) && state.eager.has(from)) {
      const credit = state.eagerCredit.get(from) ?? 0
      if (credit > 0) {
        state.eagerCredit.set(from, credit - 1)
        ctx.stats.prunesSpared++
        return
      }
      makeLazy(state, from, now)
      ctx.stats.prunes++
      sendPrune(ctx, state, from, now)
    }
    return
  }
  const { maxClockSkew, seenTtl } = ctx.config
  if (message.publishedAt > now + maxClockSkew || message.publishedAt < now - (seenTtl - maxClockSkew)) {
    // older than the seen-id memory reaches (a replay) or from a clock far ahead
    ctx.stats.dropped.expired++
    return
  }
  const failedKey = `${String(from)}|${key}`
  if (ctx.validation.failedOrigin.has(failedKey, now)) {
    // this peer already sent a copy of this id that failed the check: not verified again
    ctx.stats.dropped.invalid++
    return
  }
  if (ctx.validation.verify != null && !ctx.validation.verify(message)) {
    // not marked seen and not tombstoned: a forged copy racing ahead must not block the real one
    // (from another peer); the same peer's copies of this id are refused for a minute
    ctx.validation.failedOrigin.set(failedKey, true, now)
    ctx.stats.dropped.invalid++
    penalize(ctx, from, 'invalid-message', now)
    return
  }
  if (!ctx.scoring.scores.mayAccept(from, now)) {
    // checked after the origin check, so forgeries keep counting against the peer until it is
    // graylisted; a valid copy is not marked seen, so the same message from another peer gets in
    ctx.stats.dropped.lowScore++
    return
  }
  if (ctx.validation.defer(state.name) && ctx.validation.pending.size >= ctx.config.maxPendingValidation) {
    ctx.stats.dropped.unexpected++
    return
  }
  ctx.seen.add(message.id, now)
  if (message.flood === true || message.wave !== undefined) {
    ctx.tree.waves.set(key, message.flood === true ? 0 : message.wave ?? 0, now)
  }
  const missing = state.missing.get(key)
  if (missing != null) {
    state.missing.delete(key)
    ctx.out.push(cancelTimer(graftKey(state.name, key)))
    if (missing.asked.includes(from)) {
      ctx.scoring.scores.record(from, 'graft-answered', now)
      ctx.tree.graftedIds.set(key, missing.since, now)
    } else if (!offTree(message)) {
      // the tree delivered it, only later than the announcement: learn how late the tree runs
      learnLag(ctx, now - missing.since)
    }
  }
  if (state.active.has(from) && !offTree(message)) {
    // the peer pushes to us, so it holds us eager: so do we (Plumtree Receive(GOSSIP)). Not for
    // a repair copy (an anti-entropy push): the peer's link state did not change. A
    // copy that crossed our PRUNE makes the link eager here while the peer, taking the PRUNE,
    // holds it lazy: our pushes then reach it as duplicates on a lazy link, and its
    // repeatPrune settles the link lazy at both ends. Refusing such copies instead (no flip
    // while our PRUNE is in flight) thinned the tree across a healed partition: the simulated
    // crdt heal (sim crdt-scenarios.spec) converged 12.8 s after the halves met, bound 4 s
    makeEager(state, from)
    optimize(ctx, state, from, message, missing?.announcements, now)
  }
  if (ctx.validation.defer(state.name)) {
    ctx.validation.pending.set(key, { from, message, missing, at: now })
    ctx.out.push(emit({ type: 'validate', topic: state.name, id: message.id, from, message }))
    return
  }
  deliverAndRelay(ctx, state, from, message, now, missing)
}

/** Plumtree's optimisation: a much shorter lazy path replaces the eager one (paper §3.8) */
function optimize<P> (ctx: Ctx<P>, state: TopicState<P>, from: P, message: GossipMessage, announcements: Array<{ peer: P, round: number }> | undefined, now: number): void {
  if (announcements == null || announcements.length === 0 || offTree(message) || message.wave !== undefined) {
    // a flooded message's rounds measure the flood's short cuts, not the shared tree
    return
  }
  let best = announcements[0]
  for (const a of announcements) {
    if (a.round < best.round) {
      best = a
    }
  }
  if (message.round - best.round <= ctx.config.optimizationThreshold || !state.active.has(best.peer)) {
    return
  }
  if (!ctx.scoring.scores.mayGossip(best.peer, now)) {
    // the round is the announcer's word: a peer below the gossip threshold (unanswered GRAFTs,
    // invalid messages) does not take over the eager link. A stricter rule (score > 0) slowed
    // the healing of a partition from 13.5 to 20.9 s: after a heal the other half's nodes have
    // never delivered to us, and those are exactly the shorter paths the optimisation needs
    return
  }
  makeEager(state, best.peer)
  out(ctx, best.peer, { type: 'graft', topic: state.name, round: best.round })
  makeLazy(state, from, now)
  sendPrune(ctx, state, from, now)
  ctx.stats.optimizations++
}

/**
 * Whether a duplicate counts against its sender's score (SPEC.md §7.11). Repair pushes race each
 * other by design and never count; flood copies always do (a peer that sends floods of
 * duplicates loses score whatever it marks them; an honest one sends one per message and link).
 * A tree copy counts only on a link we have held lazy for longer than an exchange takes now
 * (`busyTimeout`: our lag and the peer's answer time included): before that the peer may not
 * have had our PRUNE yet. On an eager link a duplicate is the tree's own redundancy (two paths,
 * Plumtree §3.5), answered by a PRUNE, not a fault. Until 2026-12-05 every tree duplicate
 * counted: on 100 real nodes past saturation (issue 12) honest senders lagging seconds behind
 * our PRUNEs fell below the thresholds, and their frames — PRUNEs and GRAFTs included — were
 * dropped (SPEC.md §7.11 has the figures)
 */
function chargeable<P> (ctx: Ctx<P>, state: TopicState<P>, from: P, message: GossipMessage, now: number): boolean {
  if (message.repair === true) {
    return false
  }
  if (message.flood === true) {
    return true
  }
  const since = state.lazySince.get(from)
  return since !== undefined && now - since > linkTimers(ctx, now).busyTimeout
}

/**
 * A copy from a peer we charged with an unanswered GRAFT for this id: it was slow, not lying
 * (a peer announcing ids it never serves never sends one), so the charge is taken back. Under
 * overload GRAFT answers come seconds late; charged for good, honest neighbours fell below the
 * gossip threshold and their IHAVEs were ignored (SPEC.md §7.11)
 */
function answeredLate<P> (ctx: Ctx<P>, from: P, key: string, now: number): void {
  const missed = ctx.tree.graftsMissed
  if (missed.size === 0) {
    return
  }
  const charged = `${String(from)}|${key}`
  if (missed.has(charged, now)) {
    missed.delete(charged)
    ctx.scoring.scores.record(from, 'graft-late', now)
  }
}

function sendPrune<P> (ctx: Ctx<P>, state: TopicState<P>, peer: P, now: number): void {
  state.prunedAt.set(peer, now)
  out(ctx, peer, { type: 'prune', topic: state.name })
}

/**
 * A tree copy on a link we hold lazy: the peer still holds us eager. Either our PRUNE is on its
 * way, or it crossed a first copy of another message that made us eager again (onGossip) and
 * the peer then took our PRUNE — after which it pushes everything to us and, the link being
 * lazy here, nothing ever told it to stop. The paper answers every duplicate with PRUNE; we
 * repeat it at most once per exchange (the peer's answer time plus our own lag), so a peer
 * whose copies were already in flight is not sent one PRUNE per copy. On 100 real nodes at
 * 40 msg/s (issue 12) 38,000–40,000 of 49,000–57,000 duplicates arrived on lazy links, most
 * within 500 ms of our PRUNE (already in flight); 100–270 PRUNEs per run were repeats.
 */
function repeatPrune<P> (ctx: Ctx<P>, state: TopicState<P>, peer: P, now: number): void {
  const last = state.prunedAt.get(peer)
  if (last !== undefined && now - last < Math.max(MIN_PRUNE_REPEAT, ctx.load.rto() + ctx.load.lag(now))) {
    // our last PRUNE may not have reached the peer yet
    return
  }
  ctx.stats.prunesRepeated++
  sendPrune(ctx, state, peer, now)
}

/** First sight of a valid message: deliver, cache, push to eager links, announce to lazy ones */
export function deliverAndRelay<P> (ctx: Ctx<P>, state: TopicState<P>, from: P | undefined, message: GossipMessage, now: number, missing?: Missing<P>): void {
  const key = MessageStore.key(message.id)
  ctx.store.put(key, state.name, message.id, message.publishedAt, message, now)
  ctx.stats.delivered++
  ctx.out.push(emit({ type: 'message', topic: state.name, id: message.id, hops: message.round, publishedAt: message.publishedAt, payload: message.payload, header: message.header, from }))
  if (from !== undefined) {
    state.received++
    ctx.scoring.scores.record(from, 'first-delivery', now)
    learnDepth(ctx, message.round)
    if (!offTree(message) && state.eager.has(from)) {
      state.eagerCredit.set(from, Math.min(MAX_EAGER_CREDIT, (state.eagerCredit.get(from) ?? 0) + 1))
    }
  }
  // our pushes on eager links are tree copies (a repair mark stays: an anti-entropy push's
  // relays race the tree too). The origin floods while its trees are deep, and a flooded message
  // (it carries a wave) goes on flooding for `floodRounds` hops — except from an overloaded node,
  // which sends no extra copies (backpressure, SPEC.md §7.13: on 100 real nodes at 10 msg/s,
  // grafts under load deepened some nodes' trees past floodDepth). Whoever floods, and whoever
  // got a flood copy first, starts a wave of its own: those are the points where one message
  // enters the tree more than once
  const next: GossipMessage = { ...message, round: message.round + 1 }
  delete next.flood
  const { floodRounds } = ctx.config
  const flooded = from === undefined ? ctx.tree.flooding : message.wave !== undefined
  const flood = floodRounds > 0 && next.repair !== true && flooded && next.round <= floodRounds && ctx.load.lag(now) < ctx.config.graftTimeout1
  if (flood || message.flood === true) {
    next.wave = ctx.rng.int(0xffffffff) + 1
  }
  // peers that announced the message have it: a copy would only come back as a duplicate (and
  // undo a graft the optimisation just made), an IHAVE would be noise
  const skip = (peer: P): boolean => peer === from || (missing != null && (missing.asked.includes(peer) || missing.announcements.some(a => a.peer === peer)))
  for (const peer of state.eager) {
    if (skip(peer) || !ctx.scoring.scores.mayAccept(peer, now)) {
      continue
    }
    if (likelyDead(ctx, state, peer, now)) {
      // pinged and unanswered for an exchange: an announcement instead of the copy. A live
      // peer's pong ends this, and it pulls what it missed with GRAFT (SPEC.md §7.13)
      ctx.stats.pushesWithheld++
      queueIHave(ctx, peer, state.name, key, { id: message.id, round: next.round }, now)
    } else {
      out(ctx, peer, next)
    }
  }
  for (const peer of state.lazy) {
    if (flood && !skip(peer) && ctx.scoring.scores.mayAccept(peer, now)) {
      // the trees are deep (large overlay): reaching every neighbour of the origin's first hops
      // costs about V^floodRounds copies whatever the size and cuts hops (SPEC.md §7.3)
      ctx.stats.floodSent++
      out(ctx, peer, { ...next, flood: true })
    } else if (!skip(peer) && ctx.scoring.scores.mayGossip(peer, now)) {
      queueIHave(ctx, peer, state.name, key, { id: message.id, round: next.round }, now)
    }
  }
}

function queueIHave<P> (ctx: Ctx<P>, peer: P, topic: string, key: string, entry: { id: Uint8Array, round: number }, now: number): void {
  let byTopic = ctx.tree.lazyQueue.get(peer)
  if (byTopic == null) {
    byTopic = new Map()
    ctx.tree.lazyQueue.set(peer, byTopic)
  }
  let entries = byTopic.get(topic)
  if (entries == null) {
    entries = new Map()
    byTopic.set(topic, entries)
  }
  entries.set(key, entry)
  if (!ctx.tree.flushPending) {
    ctx.tree.flushPending = true
    // the batch widens under load: a lagging node sends fewer, larger IHAVEs (SPEC.md §7.13)
    const due = now + ctx.config.ihaveDispatchInterval + Math.min(1_000, Math.ceil(ctx.load.lag(now) / 4))
    ctx.out.push(scheduleTimer('ihave-flush', due, { kind: 'ihave-flush', due }))
  }
}

/** IHAVE dispatch timer: batched ids, at most `maxIHaveIds` per message, only to current lazy links */
export function onIHaveFlush<P> (ctx: Ctx<P>): void {
  ctx.tree.flushPending = false
  for (const [peer, byTopic] of ctx.tree.lazyQueue) {
    for (const [topic, entries] of byTopic) {
      if (entries.size === 0 || ctx.topics.get(topic)?.active.has(peer) !== true) {
        continue
      }
      const all = [...entries.values()]
      for (let i = 0; i < all.length; i += ctx.config.maxIHaveIds) {
        ctx.stats.ihaveSent++
        out(ctx, peer, { type: 'ihave', topic, entries: all.slice(i, i + ctx.config.maxIHaveIds) })
      }
    }
  }
  ctx.tree.lazyQueue.clear()
}

/**
 * `peer` announced or sent us the message `key` of `topic`: it has it, so an IHAVE of ours still
 * waiting for the dispatch timer would only be ignored there. Of two lazy neighbours that both
 * hold a message, each otherwise announces it to the other (SPEC.md §7.3)
 */
function withdrawIHave<P> (ctx: Ctx<P>, peer: P, topic: string, key: string): void {
  if (ctx.tree.lazyQueue.get(peer)?.get(topic)?.delete(key) === true) {
    ctx.stats.ihavesWithdrawn++
  }
}

/** Plumtree Receive(IHAVE): remember the announcer, start timeout₁ for ids not yet received */
export function onIHave<P> (ctx: Ctx<P>, from: P, message: IHaveMessage, state: TopicState<P> | undefined, now: number): void {
  if (!Array.isArray(message.entries) || message.entries.length > ctx.config.maxIHaveIds) {
    ctx.stats.dropped.invalid++
    penalize(ctx, from, 'protocol-violation', now)
    return
  }
  ctx.stats.ihaveReceived++
  if (state?.subscribed !== true || !state.active.has(from)) {
    ctx.stats.dropped.unexpected++
    return
  }
  heard(state, from, now)
  if (!ctx.scoring.scores.mayGossip(from, now)) {
    // below the gossip threshold its announcements are not acted on (gossipsub v1.1 does the
    // same): a peer announcing ids it never serves would otherwise keep us grafting it
    ctx.stats.dropped.lowScore++
    return
  }
  for (const entry of message.entries) {
    // an announced copy has travelled at least one hop: round 0 or less is a lie that would win the optimisation
    if (!(entry?.id instanceof Uint8Array) || entry.id.length !== MESSAGE_ID_LENGTH || !Number.isInteger(entry.round) || entry.round < 1 || entry.round > MAX_ROUND) {
      ctx.stats.dropped.invalid++
      continue
    }
    if (ctx.seen.has(entry.id, now)) {
      if (ctx.tree.lazyQueue.has(from)) {
        withdrawIHave(ctx, from, state.name, MessageStore.key(entry.id))
      }
      continue
    }
    const key = MessageStore.key(entry.id)
    let missing = state.missing.get(key)
    if (missing == null) {
      if (state.missing.size >= MAX_MISSING) {
        ctx.stats.dropped.unexpected++
        continue
      }
      missing = { id: entry.id, announcements: [], asked: [], since: now }
      state.missing.set(key, missing)
      ctx.out.push(scheduleTimer(graftKey(state.name, key), now + graftTimeout(ctx, now), { kind: 'graft', topic: state.name, key }))
    }
    // one announcement per peer: a single peer must not fill every slot and be grafted again and again
    if (missing.announcements.length < ctx.config.topicActiveCapacity && !missing.announcements.some(a => a.peer === from) && !missing.asked.includes(from)) {
      missing.announcements.push({ peer: from, round: entry.round })
    }
  }
}

/** Timer(mID): graft the next announcer and ask it for the message; retry with timeout₂ */
export function onGraftTimer<P> (ctx: Ctx<P>, topic: string, key: string, now: number): void {
  const state = ctx.topics.get(topic)
  const missing = state?.missing.get(key)
  if (state == null || missing == null) {
    return
  }
  let announcement = missing.announcements.shift()
  while (announcement != null && !state.active.has(announcement.peer)) {
    announcement = missing.announcements.shift()
  }
  const previous = missing.asked[missing.asked.length - 1]
  if (previous !== undefined) {
    // asked last time and the message still has not come: it did not answer in time. Also
    // when it was the last announcer: a peer announcing ids it never serves must lose score
    // whether or not someone else announced them too (SPEC.md §7.11)
    ctx.scoring.scores.record(previous, 'graft-unanswered', now)
    ctx.tree.graftsMissed.set(`${String(previous)}|${key}`, true, now)
  }
  if (announcement == null) {
    // nobody left to ask: anti-entropy will find it
    state.missing.delete(key)
    return
  }
  ctx.out.push(scheduleTimer(graftKey(topic, key), now + ctx.config.graftTimeout2 * graftTimeout(ctx, now) / ctx.config.graftTimeout1, { kind: 'graft', topic, key }))
  makeEager(state, announcement.peer)
  ctx.stats.grafts++
  missing.asked.push(announcement.peer)
  out(ctx, announcement.peer, { type: 'graft', topic, id: missing.id, round: announcement.round })
}

/** Plumtree Receive(GRAFT): the link becomes eager; answer the request from the cache */
export function onGraft<P> (ctx: Ctx<P>, from: P, message: GraftMessage, state: TopicState<P> | undefined, now: number): void {
  if (state?.subscribed !== true || !state.active.has(from)) {
    ctx.stats.dropped.unexpected++
    out(ctx, from, { type: 'topic-leave', topic: message.topic })
    return
  }
  heard(state, from, now)
  makeEager(state, from)
  if (message.id instanceof Uint8Array) {
    const key = bytesKey(message.id)
    const stored = ctx.store.get(key)
    // once per (peer, id) for a while, and only within the topic asked about: a GRAFT costs a
    // few bytes and its answer up to a whole payload
    const answered = `${String(from)}|${key}`
    if (stored?.message != null && stored.topic === state.name && !ctx.tree.graftAnswers.has(answered, now)) {
      ctx.tree.graftAnswers.set(answered, true, now)
      out(ctx, from, { ...stored.message, round: stored.message.round + 1 })
    }
  }
}

/** Plumtree Receive(PRUNE): the link becomes lazy */
export function onPrune<P> (ctx: Ctx<P>, from: P, state: TopicState<P> | undefined, now: number): void {
  if (state == null || !state.active.has(from)) {
    ctx.stats.dropped.unexpected++
    return
  }
  heard(state, from, now)
  makeLazy(state, from, now)
}
