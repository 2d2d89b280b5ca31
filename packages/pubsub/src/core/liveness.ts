import { heard } from './state.ts'
import type { Ctx, TopicState } from './state.ts'

/**
 * A topic neighbour silent through this many messages that reached us from others is suspect
 * while traffic flows: a live neighbour sends IHAVEs or copies of most of them (SPEC.md §7.13)
 */
export const BUSY_SILENCE = 10
/** … and silent for at least this long, ms, before it gets its early ping */
const BUSY_IDLE_FLOOR = 2_000
/** an early ping unanswered this long, ms, while traffic kept flowing, drops the link */
const BUSY_TIMEOUT_FLOOR = 2_000

/**
 * Topic-link timers that follow observed load (SPEC.md §7.13). The configured values are
 * floors for an idle machine; a node whose own timers fire late, or whose pings come back
 * slowly, waits longer before it pings, drops a silent link or gives up on a join. On 100
 * real nodes sharing two cores the event loop lagged 1–4.5 s during formation, against a
 * fixed 3 s link timeout: links were dropped while their pongs sat in the queue (issue 12).
 */
export interface LinkTimers {
  /** a topic link silent this long gets a ping, ms */
  idle: number
  /** a topic link silent this long is dropped (and the peer told), ms */
  timeout: number
  /** a TOPIC_JOIN unanswered this long stops counting as pending, ms */
  join: number
  /** on a busy topic, a link silent through BUSY_SILENCE messages and this long gets a ping, ms */
  busyIdle: number
  /** … and that ping unanswered this long, through 2 × BUSY_SILENCE messages, drops it, ms */
  busyTimeout: number
}

export function linkTimers<P> (ctx: Ctx<P>, now: number): LinkTimers {
  const { keepaliveIdle, linkTimeout } = ctx.config
  const lag = ctx.load.lag(now)
  // what one ping exchange can take now: the peer's answer time (RTO) plus our own queue
  const exchange = ctx.load.rto() + lag
  // a loaded node pings less often: its pings are work for peers that are likely loaded too
  const idle = keepaliveIdle + Math.ceil(lag)
  const timeout = Math.max(linkTimeout, Math.ceil(idle + 3 * exchange))
  // a join that is merely late is still taken when its answer comes (lateJoins); the floor is
  // the config's (SPEC.md §7.13 has the measurements behind its default)
  const join = Math.max(ctx.config.joinTimeout, Math.ceil(3 * exchange))
  const busyIdle = Math.min(idle, Math.max(BUSY_IDLE_FLOOR, Math.ceil(2 * exchange)))
  const busyTimeout = Math.max(BUSY_TIMEOUT_FLOOR, Math.ceil(3 * exchange))
  return { idle, timeout, join, busyIdle, busyTimeout }
}

/**
 * Anything from a peer proves every topic link with it alive, whatever the topic: on a
 * busy node a ping may be queued behind payloads of another topic.
 */
export function heardFrom<P> (ctx: Ctx<P>, peer: P, now: number): void {
  for (const state of ctx.topics.values()) {
    heard(state, peer, now)
  }
}

/**
 * A lazy neighbour silent through half the busy rule's messages: a live lazy neighbour
 * announces what it gets from elsewhere, so it is pinged now rather than after `busyIdle`.
 * An eager one is not judged so early: a live leaf we push to sends nothing back.
 */
export function quietLazy<P> (state: TopicState<P>, peer: P, timers: LinkTimers, now: number): boolean {
  const silent = now - (state.lastHeard.get(peer) ?? now)
  return !state.eager.has(peer) && missedSince(state, peer) >= BUSY_SILENCE / 2 && silent > timers.busyIdle / 2
}

/**
 * A topic neighbour that is probably dead though its link still stands: pinged while traffic
 * flowed, or when it left our membership view, and unanswered for one exchange (`rto + lag`).
 * It does not count towards `topicActiveTarget`, so its replacement is asked for at once
 * instead of when the link is dropped, seconds later (SPEC.md §7.13). Asked for every eager
 * peer of every relayed message: the unpinged majority is answered by one map lookup.
 */
export function likelyDead<P> (ctx: Ctx<P>, state: TopicState<P>, peer: P, now: number): boolean {
  const pingedAt = state.pinged.get(peer)
  if (pingedAt === undefined || (missedSince(state, peer) < BUSY_SILENCE / 2 && !state.doubted.has(peer))) {
    return false
  }
  const lag = ctx.load.lag(now)
  // backpressure: a loaded node asks for no extra links, and its neighbours, loaded too, are
  // slow rather than dead
  return lag < ctx.config.graftTimeout1 && now - pingedAt > ctx.load.rto() + lag
}

/** Messages that reached us on the topic since we last heard from `peer` (0 for a peer we never heard) */
export function missedSince<P> (state: TopicState<P>, peer: P): number {
  return state.received - (state.heardAtReceived.get(peer) ?? state.received)
}
