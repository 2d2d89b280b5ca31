import type { Ctx } from './state.ts'

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
}

/**
 * A topic link to a membership neighbour is pinged this many times less often: SWIM already
 * probes that peer (about once per probe interval between its monitors) and a failure reaches
 * the core as `peer-down`; the topic ping then only checks that both sides still hold the link
 * (guess: 6, i.e. every 30 s at the default `keepaliveIdle`). On an idle 12-node overlay topic
 * pings and pongs were 36% of the frames a node sent (benchmarks/README.md).
 */
export const MEMBER_LINK_IDLE_FACTOR = 6

export function linkTimers<P> (ctx: Ctx<P>, now: number): LinkTimers {
  const { keepaliveIdle, linkTimeout } = ctx.config
  const lag = ctx.load.lag(now)
  // what one ping exchange can take now: the peer's answer time (RTO) plus our own queue
  const exchange = ctx.load.rto() + lag
  // a loaded node pings less often: its pings are work for peers that are likely loaded too
  const idle = keepaliveIdle + Math.ceil(lag)
  const timeout = Math.max(linkTimeout, Math.ceil(idle + 3 * exchange))
  // short: a join that is merely late is still taken when its answer comes (lateJoins), while a
  // pending join holds a slot of the target, so a long wait here slowed formation (20 s at 100 nodes)
  const join = Math.max(ctx.config.joinTimeout, Math.ceil(3 * exchange))
  return { idle, timeout, join }
}

/** The timers of one link: a link to a membership neighbour is pinged (and so dropped) later */
export function timersFor<P> (ctx: Ctx<P>, timers: LinkTimers, peer: P): LinkTimers {
  if (!ctx.neighbors.has(peer)) {
    return timers
  }
  const extra = (MEMBER_LINK_IDLE_FACTOR - 1) * timers.idle
  return { idle: timers.idle + extra, timeout: timers.timeout + extra, join: timers.join }
}

/**
 * Anything from a peer proves every topic link with it alive, whatever the topic: on a
 * busy node a ping may be queued behind payloads of another topic.
 */
export function heardFrom<P> (ctx: Ctx<P>, peer: P, now: number): void {
  for (const state of ctx.topics.values()) {
    if (state.active.has(peer)) {
      state.lastHeard.set(peer, now)
      state.pinged.delete(peer)
    }
  }
}
