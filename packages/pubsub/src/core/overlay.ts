import { linkTimers } from './liveness.ts'
import { penalize } from './scoring.ts'
import { addPassive, heard, linkDown, linkUp, out, topicState } from './state.ts'
import { maintainTopic, MAX_WALK_BACKOFF, MAX_WALK_EXCLUDE } from './topic-upkeep.ts'
import { deliverAndRelay, forwardToSubscribers } from './tree.ts'
import type { FindMessage, FoundMessage, SubscriptionsMessage, TopicJoinMessage, TopicJoinReplyMessage } from './messages.ts'
import type { Ctx, TopicState } from './state.ts'

/** Peers named in FOUND / join replies (a sample of the replier's topic views) */
const OTHERS_SAMPLE = 4
/** Most topics accepted in one SUBSCRIPTIONS message */
export const MAX_SUBSCRIPTIONS = 1024

function subscribedTopics<P> (ctx: Ctx<P>): string[] {
  return [...ctx.topics.values()].filter(t => t.subscribed).map(t => t.name)
}

export function subscribe<P> (ctx: Ctx<P>, topic: string, now: number): void {
  const state = topicState(ctx, topic)
  if (state.subscribed) {
    return
  }
  state.subscribed = true
  for (const peer of ctx.overlay.neighbors.values()) {
    out(ctx, peer, { type: 'subscriptions', subscribe: [topic], unsubscribe: [] })
  }
  maintainTopic(ctx, state, now, true)
  // our own queued messages: we are in the tree now
  for (const { message } of state.pending.splice(0)) {
    deliverAndRelay(ctx, state, undefined, message, now)
  }
}

export function unsubscribe<P> (ctx: Ctx<P>, topic: string): void {
  const state = ctx.topics.get(topic)
  if (state?.subscribed !== true) {
    return
  }
  state.subscribed = false
  for (const peer of [...state.active.values()]) {
    out(ctx, peer, { type: 'topic-leave', topic })
    linkDown(ctx, state, peer, true)
  }
  state.missing.clear()
  state.pendingJoins.clear()
  state.lateJoins.clear()
  for (const peer of ctx.overlay.neighbors.values()) {
    out(ctx, peer, { type: 'subscriptions', subscribe: [], unsubscribe: [topic] })
  }
}

/**
 * A membership neighbour: tell it our topics (it routes walks and finds candidates by them).
 * `monitored`: SWIM watches it, so its idle topic links go unpinged (SPEC.md §7.13)
 */
export function onNeighborUp<P> (ctx: Ctx<P>, peer: P, now: number, monitored = true): void {
  if (peer === ctx.self) {
    return
  }
  if (monitored) {
    ctx.overlay.unmonitored.delete(peer)
  } else {
    ctx.overlay.unmonitored.add(peer)
  }
  if (!ctx.overlay.neighbors.add(peer)) {
    return
  }
  if (ctx.overlay.neighbors.size > ctx.overlay.most) {
    // a new high only: neighbours that come and go in a formed overlay are no growth
    ctx.overlay.most = ctx.overlay.neighbors.size
    ctx.overlay.grewAt = now
  }
  const topics = subscribedTopics(ctx)
  if (topics.length > 0) {
    out(ctx, peer, { type: 'subscriptions', subscribe: topics, unsubscribe: [] })
  }
}

/**
 * No longer a membership neighbour. Topic links with it have their own liveness and stay, but
 * membership mostly drops a neighbour that SWIM found unresponsive: each such link is pinged
 * now and judged after one exchange, as on a busy topic (SPEC.md §7.13). A survivor of a 50%
 * crash whose every neighbour had died heard nothing on any link, and so nothing dropped its
 * dead links for the 15 s `linkTimeout`: its messages, and the traffic it should have had in
 * that time, came only by anti-entropy (2,000 simulated nodes, seed 1).
 */
export function onNeighborDown<P> (ctx: Ctx<P>, peer: P, now: number): void {
  forgetNeighbour(ctx, peer)
  for (const state of ctx.topics.values()) {
    if (!state.subscribed || !state.active.has(peer) || state.doubted.has(peer)) {
      continue
    }
    state.doubted.add(peer)
    if (!state.pinged.has(peer)) {
      state.pinged.set(peer, now)
      out(ctx, peer, { type: 'topic-ping', topic: state.name, nonce: now })
    }
  }
}

/** Membership dropped a neighbour that a connection still holds: its idle links are pinged again */
export function onNeighborUnwatched<P> (ctx: Ctx<P>, peer: P): void {
  if (ctx.overlay.neighbors.has(peer)) {
    ctx.overlay.unmonitored.add(peer)
  }
}

function forgetNeighbour<P> (ctx: Ctx<P>, peer: P): void {
  ctx.overlay.neighbors.delete(peer)
  ctx.overlay.neighborTopics.delete(peer)
  ctx.overlay.unmonitored.delete(peer)
}

/**
 * The last connection to the peer closed: its links cannot carry anything, and a join sent
 * to it will not be answered on that connection, so both go (a new connection starts over).
 * It stays a passive candidate: connections that carry no link are closed on purpose (SPEC.md
 * §2.8), and a dead peer is found by SWIM or by the next dial failing (`unreachable`).
 */
export function onConnectionLost<P> (ctx: Ctx<P>, peer: P): void {
  for (const state of ctx.topics.values()) {
    linkDown(ctx, state, peer, true)
    state.pendingJoins.delete(peer)
    state.lateJoins.delete(peer)
  }
  ctx.ae.answering.delete(peer)
}

/**
 * The peer is gone (`peer-down`: SWIM's dead verdict; SPEC.md §7.1): drop every topic link and forget it as a candidate — except links that carried
 * something in the last half `keepaliveIdle`. A dead verdict is a rumour that can be stale
 * (after a partition heals, the verdicts each half made about the other cross over until they
 * are refuted); fresh traffic on the link is direct proof.
 */
export function onPeerDown<P> (ctx: Ctx<P>, peer: P, now: number): void {
  forgetNeighbour(ctx, peer)
  for (const state of ctx.topics.values()) {
    if (now - (state.lastHeard.get(peer) ?? -Infinity) < linkTimers(ctx, now).idle / 2) {
      continue
    }
    linkDown(ctx, state, peer, false)
    state.passive.delete(peer)
    state.pendingJoins.delete(peer)
    state.lateJoins.delete(peer)
  }
  ctx.ae.answering.delete(peer)
}

/**
 * The driver could not reach the peer. A join sent to it will never be answered: waiting out
 * `joinTimeout` for it held 100 real nodes' topic overlay back for 15–20 s, a third of the
 * joins going to subscribers learned from FOUND that the driver had no address for (issue
 * 12). The join is given up, the peer leaves the passive views and is no join candidate for
 * `joinTimeout`; the topic asks its next candidate now. Links keep their own liveness timers: a failed write on
 * a link says little about the peer's next connection.
 */
export function onUnreachable<P> (ctx: Ctx<P>, peer: P, now: number): void {
  ctx.overlay.unreachable.set(peer, true, now)
  for (const state of ctx.topics.values()) {
    const waiting = state.pendingJoins.delete(peer)
    state.lateJoins.delete(peer)
    state.passive.delete(peer)
    if (waiting && state.subscribed) {
      maintainTopic(ctx, state, now, false)
    }
  }
}

export function onSubscriptions<P> (ctx: Ctx<P>, from: P, message: SubscriptionsMessage, now: number): void {
  if (!Array.isArray(message.subscribe) || !Array.isArray(message.unsubscribe) ||
    message.subscribe.length + message.unsubscribe.length > MAX_SUBSCRIPTIONS ||
    ![...message.subscribe, ...message.unsubscribe].every(t => typeof t === 'string')) {
    ctx.stats.dropped.invalid++
    penalize(ctx, from, 'protocol-violation', now)
    return
  }
  if (!ctx.overlay.neighbors.has(from)) {
    ctx.stats.dropped.unexpected++
    return
  }
  let topics = ctx.overlay.neighborTopics.get(from)
  if (topics == null) {
    topics = new Set()
    ctx.overlay.neighborTopics.set(from, topics)
  }
  for (const topic of message.unsubscribe) {
    topics.delete(topic)
    // no longer a subscriber: not a candidate for joins, forwarding or anti-entropy
    ctx.topics.get(topic)?.passive.delete(from)
  }
  for (const topic of message.subscribe) {
    if (topics.size >= MAX_SUBSCRIPTIONS || topics.has(topic)) {
      continue
    }
    topics.add(topic)
    const state = ctx.topics.get(topic)
    if (state == null) {
      continue
    }
    addPassive(ctx, state, from)
    if (state.subscribed) {
      maintainTopic(ctx, state, now, false)
    } else {
      flushPending(ctx, state, now)
    }
  }
}

/** FIND: a subscriber answers the origin directly; anyone else passes the walk on, preferring neighbours known to subscribe */
export function onFind<P> (ctx: Ctx<P>, from: P, message: FindMessage<P>): void {
  if (typeof message.topic !== 'string' || !Number.isInteger(message.ttl) || !Number.isInteger(message.walk) || message.origin == null) {
    ctx.stats.dropped.invalid++
    return
  }
  const state = ctx.topics.get(message.topic)
  // the origin's topic neighbours would name nobody new: the walk goes on past them. Else a few
  // subscribers linked to each other, and near each other in the membership overlay (where walks
  // prefer subscribers), keep finding only themselves and the topic stays split (seen on 30 real
  // nodes with membership views of 2–3: 3 of a topic's 10 apart from the other 7 for 60 s+)
  const exclude = new Set(Array.isArray(message.exclude) ? message.exclude.slice(0, MAX_WALK_EXCLUDE) : [])
  const linked = exclude.has(ctx.self) || state?.active.has(message.origin) === true
  if (state?.subscribed === true && message.origin !== ctx.self && !linked) {
    const others = [...state.active.values(), ...state.passive.values()].filter(p => p !== message.origin && !exclude.has(p))
    out(ctx, message.origin, { type: 'found', topic: message.topic, walk: message.walk, others: ctx.rng.sample(others, OTHERS_SAMPLE) })
    return
  }
  const ttl = Math.min(message.ttl, ctx.config.findTtl) - 1
  if (ttl <= 0) {
    return
  }
  const all = ctx.overlay.neighbors.values().filter(p => p !== from && p !== message.origin)
  const away = all.filter(p => !exclude.has(p))
  const candidates = away.length > 0 ? away : all
  const subscribers = candidates.filter(p => ctx.overlay.neighborTopics.get(p)?.has(message.topic) === true)
  const next = ctx.rng.pick(subscribers.length > 0 ? subscribers : candidates)
  if (next !== undefined) {
    out(ctx, next, { ...message, ttl })
  }
}

export function onFound<P> (ctx: Ctx<P>, from: P, message: FoundMessage<P>, now: number): void {
  const state = ctx.topics.get(message.topic)
  if (state == null || !Array.isArray(message.others) || message.others.length > OTHERS_SAMPLE * 4) {
    ctx.stats.dropped.unexpected++
    return
  }
  if (!state.walks.delete(message.walk)) {
    ctx.stats.dropped.unexpected++
    return
  }
  const known = (p: P): boolean => p === ctx.self || state.active.has(p) || state.passive.has(p) || state.pendingJoins.has(p)
  const fresh = [from, ...message.others.slice(0, OTHERS_SAMPLE)].filter(p => !known(p))
  for (const peer of fresh) {
    addPassive(ctx, state, peer)
  }
  // a walk that found nobody new: walk less often (a topic with fewer subscribers than the
  // target would otherwise walk for ever, a walk per answer)
  state.walkBackoff = fresh.length > 0 ? 0 : Math.min(MAX_WALK_BACKOFF, Math.max(ctx.config.maintenanceInterval, state.walkBackoff * 2))
  state.nextWalkAt = now + state.walkBackoff
  if (state.subscribed) {
    if (fresh.length > 0) {
      maintainTopic(ctx, state, now, false)
    }
  } else {
    flushPending(ctx, state, now)
  }
}

function lowestScored<P> (ctx: Ctx<P>, state: TopicState<P>, now: number): P | undefined {
  const all = [...state.active.values()]
  // the links that came to us go first; the ones we made only when there are no others
  const cameToUs = all.filter(p => !state.chosen.has(p))
  const peers = cameToUs.length > 0 ? cameToUs : all
  let lowest = Infinity
  let worst: P[] = []
  for (const peer of peers) {
    const score = ctx.scoring.scores.score(peer, now)
    if (score < lowest) {
      lowest = score
      worst = [peer]
    } else if (score === lowest) {
      worst.push(peer)
    }
  }
  return ctx.rng.pick(worst)
}

export function onTopicJoin<P> (ctx: Ctx<P>, from: P, message: TopicJoinMessage, now: number): void {
  const state = ctx.topics.get(message.topic)
  if (state?.subscribed !== true) {
    // not a subscriber (any more): TOPIC_LEAVE tells the asker to forget us as a candidate
    out(ctx, from, { type: 'topic-leave', topic: message.topic })
    return
  }
  const others = ctx.rng.sample([...state.active.values(), ...state.passive.values()].filter(p => p !== from), OTHERS_SAMPLE)
  if (state.active.has(from)) {
    heard(state, from, now)
    out(ctx, from, { type: 'topic-join-reply', topic: message.topic, accepted: true, others })
    return
  }
  if (!ctx.scoring.scores.mayGossip(from, now)) {
    // dropped for its score (maintainTopic): not back before the score recovers
    out(ctx, from, { type: 'topic-join-reply', topic: message.topic, accepted: false, others: [] })
    return
  }
  if (state.active.size >= ctx.config.topicActiveCapacity) {
    if (message.urgent !== true) {
      addPassive(ctx, state, from)
      out(ctx, from, { type: 'topic-join-reply', topic: message.topic, accepted: false, others })
      return
    }
    // a peer with no topic neighbour is always taken in (HyParView's high-priority join); the
    // neighbour with the lowest score makes room (random among equals): "urgent" is the
    // joiner's word, and sybils repeating it must not displace neighbours that deliver
    const victim = lowestScored(ctx, state, now)
    if (victim !== undefined) {
      out(ctx, victim, { type: 'topic-leave', topic: state.name })
      linkDown(ctx, state, victim, true)
    }
  }
  linkUp(ctx, state, from, now)
  out(ctx, from, { type: 'topic-join-reply', topic: message.topic, accepted: true, others })
}

export function onTopicJoinReply<P> (ctx: Ctx<P>, from: P, message: TopicJoinReplyMessage<P>, now: number): void {
  const state = ctx.topics.get(message.topic)
  if (state == null || !Array.isArray(message.others) || message.others.length > OTHERS_SAMPLE * 4) {
    ctx.stats.dropped.unexpected++
    return
  }
  // a reply to a join we stopped waiting for is still an answer to our question: under load it
  // is late, not forged (refusing it tore down the link the other side had just made)
  const asked = state.pendingJoins.delete(from) || state.lateJoins.delete(from)
  if (!asked) {
    // unsolicited: nothing in it is taken (it could fill the passive view with anyone)
    ctx.stats.dropped.unexpected++
    if (message.accepted === true && !state.active.has(from)) {
      out(ctx, from, { type: 'topic-leave', topic: message.topic })
    }
    return
  }
  for (const peer of message.others.slice(0, OTHERS_SAMPLE)) {
    addPassive(ctx, state, peer)
  }
  if (message.accepted !== true) {
    addPassive(ctx, state, from)
    return
  }
  if (!state.subscribed || state.active.size >= ctx.config.topicActiveCapacity) {
    if (!state.active.has(from)) {
      out(ctx, from, { type: 'topic-leave', topic: message.topic })
    }
    return
  }
  linkUp(ctx, state, from, now)
  if (state.active.has(from)) {
    state.chosen.add(from)
  }
}

export function onTopicLeave<P> (ctx: Ctx<P>, from: P, topic: string): void {
  const state = ctx.topics.get(topic)
  if (state == null) {
    return
  }
  state.pendingJoins.delete(from)
  if (state.active.has(from)) {
    // it dropped the link (evicted us, or left the topic: its SUBSCRIPTIONS says which)
    linkDown(ctx, state, from, true)
    return
  }
  // an answer to a join, a forward or traffic on a link it does not have: no candidate for now
  state.passive.delete(from)
}

export function onTopicPing<P> (ctx: Ctx<P>, from: P, topic: string, nonce: number, now: number): void {
  const state = ctx.topics.get(topic)
  if (state?.subscribed === true && state.active.has(from)) {
    heard(state, from, now)
    out(ctx, from, { type: 'topic-pong', topic, nonce })
    return
  }
  // the pinger thinks we are linked and we are not: tell it, so both sides agree
  out(ctx, from, { type: 'topic-leave', topic })
}

export function onTopicPong<P> (ctx: Ctx<P>, from: P, topic: string, nonce: number, now: number): void {
  const state = ctx.topics.get(topic)
  if (state == null) {
    return
  }
  // the nonce is the time we pinged: the answer to our own ping is a round-trip sample (only
  // when it echoes the ping we sent, so a peer cannot feed us arbitrary samples)
  if (state.pinged.get(from) === nonce) {
    ctx.load.observeRtt(nonce, now)
  }
  heard(state, from, now)
}

/** Hands a non-subscriber's queued messages to subscribers as soon as one is known */
function flushPending<P> (ctx: Ctx<P>, state: TopicState<P>, now: number): void {
  const pending = state.pending.splice(0)
  for (const { message } of pending) {
    forwardToSubscribers(ctx, state, message, now)
  }
}
