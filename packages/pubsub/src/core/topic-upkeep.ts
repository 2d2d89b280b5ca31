import { emit } from '@saorsa-gossip/core'
import { BUSY_SILENCE, likelyDead, linkTimers, missedSince, quietLazy } from './liveness.ts'
import { linkDown, out, randomNonce } from './state.ts'
import type { Ctx, TopicState } from './state.ts'

/**
 * Topic view upkeep (SPEC.md §7.4, §7.13): the maintenance round that checks silent links,
 * joins towards `topicActiveTarget` and walks for subscribers.
 */

/** Longest pause between walks that keep finding no new subscriber, ms */
export const MAX_WALK_BACKOFF = 60_000
/** Topic neighbours a FIND names as not to answer (the codec's limit of named peers) */
export const MAX_WALK_EXCLUDE = 16
/**
 * A requester with fewer topic neighbours than this joins urgently (accepted at capacity, by
 * eviction). One link is a tree leaf that any failure cuts off; with urgency only at zero, the
 * last nodes of 100 real ones to start sat at one link for 5–10 s while every subscriber they
 * knew was full (SPEC.md §7.4)
 */
const URGENT_BELOW = 2
/**
 * Maintenance rounds without a new overlay neighbour after which the overlay counts as formed
 * around us, and topic joins may dial passive candidates and walk up to `topicActiveTarget`.
 * Before, 100 real nodes opened half their connections for topic joins and FOUND answers to
 * peers that membership connected them with moments later (issue 12)
 */
const NEIGHBOURS_SETTLE = 3

/** Starts a random walk over the membership overlay for a subscriber of `state` */
function startWalk<P> (ctx: Ctx<P>, state: TopicState<P>, now: number): void {
  const next = ctx.overlay.neighbors.pick(ctx.rng)
  if (next === undefined) {
    return
  }
  const walk = randomNonce(ctx.rng)
  state.walks.set(walk, now)
  ctx.stats.walksStarted++
  const exclude = [...state.active.values()].slice(0, MAX_WALK_EXCLUDE)
  out(ctx, next, { type: 'find', topic: state.name, origin: ctx.self, ttl: ctx.config.findTtl, walk, ...(exclude.length > 0 ? { exclude } : {}) })
}

/**
 * Topic view upkeep, every `maintenanceInterval`: liveness of silent links,
 * joins towards the target size, walks when no candidate is known, and
 * expiry of a non-subscriber's queued messages.
 */
export function maintainTopic<P> (ctx: Ctx<P>, state: TopicState<P>, now: number, mayWalk: boolean): void {
  const { config } = ctx
  const timers = linkTimers(ctx, now)
  for (const [walk, started] of state.walks) {
    if (now - started > timers.join * 2) {
      // nobody answered: the topic is rare or empty here, walk less often
      state.walks.delete(walk)
      ctx.stats.walksFailed++
      state.walkBackoff = Math.min(MAX_WALK_BACKOFF, Math.max(config.maintenanceInterval, state.walkBackoff * 2))
      state.nextWalkAt = now + state.walkBackoff
    }
  }
  if (!state.subscribed) {
    const expired = state.pending.filter(p => now - p.since > config.pendingPublishTimeout)
    state.pending = state.pending.filter(p => now - p.since <= config.pendingPublishTimeout)
    for (const { message } of expired) {
      ctx.out.push(emit({ type: 'publish-failed', topic: state.name, id: message.id, reason: 'no-subscriber-found' }))
    }
    if (mayWalk && state.pending.length > 0 && state.walks.size < config.maxConcurrentWalks && now >= state.nextWalkAt) {
      startWalk(ctx, state, now)
    }
    return
  }
  for (const peer of [...state.active.values()]) {
    const silent = now - (state.lastHeard.get(peer) ?? now)
    // while the topic is busy, silence is measured in messages too: a crashed neighbour whose
    // connection did not close (nobody told us) is found in seconds instead of `linkTimeout`
    // (a 50% crash of 2,000 simulated nodes: dead topic links lingered 15 s, SPEC.md §7.13)
    const missed = missedSince(state, peer)
    const pingedAt = state.pinged.get(peer)
    // a link whose peer left our membership view is judged as a busy one: it need not have
    // been silent through any traffic, since an isolated node receives none (onNeighborDown)
    const doubted = state.doubted.has(peer)
    // a membership neighbour is watched by SWIM, whose frames count as heard here (peer-heard)
    // and whose verdict drops it from the view (then it is doubted, above): an idle link with
    // it needs no keepalive of its own. Pings were a fifth of an idle node's frames, and on QUIC
    // each frame per second costs ~1.3 ms of CPU per second (benchmarks/README.md, eighteenth
    // session). The busy rules still apply: SWIM does not see a link dropped at the other end
    const watched = !doubted && ctx.overlay.neighbors.has(peer) && !ctx.overlay.unmonitored.has(peer)
    const busyDead = (missed >= 2 * BUSY_SILENCE || doubted) && pingedAt !== undefined && now - pingedAt > timers.busyTimeout && state.repinged.has(peer)
    if ((silent > timers.timeout && !watched) || busyDead) {
      // tell it: a link dropped on one side only would be pinged and answered with a leave
      // later, or carry payloads one way (SPEC.md §7.13)
      out(ctx, peer, { type: 'topic-leave', topic: state.name })
      ctx.stats.linkTimeouts++
      if (busyDead) {
        ctx.stats.linkTimeoutsBusy++
        ctx.stats.linkTimeoutsDoubted += doubted ? 1 : 0
      }
      linkDown(ctx, state, peer, true)
    } else if (((silent > timers.idle && !watched) || (missed >= BUSY_SILENCE && silent > timers.busyIdle) || quietLazy(state, peer, timers, now)) && !state.pinged.has(peer)) {
      state.pinged.set(peer, now)
      out(ctx, peer, { type: 'topic-ping', topic: state.name, nonce: now })
    } else if (pingedAt !== undefined && (missed >= BUSY_SILENCE || doubted) && now - pingedAt > timers.busyTimeout / 2 && !state.repinged.has(peer)) {
      // the busy rule drops after one exchange: ask twice, so that one lost ping or pong (3%
      // loss in the simulator dropped 6 live links in 75 s) does not cost a link. Its nonce is
      // not the one we wait for: a late answer is liveness, not a round-trip sample
      state.repinged.add(peer)
      out(ctx, peer, { type: 'topic-ping', topic: state.name, nonce: now })
    }
  }
  for (const [peer, sent] of state.pendingJoins) {
    if (now - sent > timers.join) {
      state.pendingJoins.delete(peer)
      state.lateJoins.set(peer, sent)
    }
  }
  for (const [peer, sent] of state.lateJoins) {
    // a peer that never answers may be across a partition: it stays a passive candidate (for
    // anti-entropy across a healed split, §7.5) as long as a silent link would be kept, ×4;
    // purging it at once left nothing to find the other half with after a heal
    if (now - sent > 4 * Math.max(timers.join, timers.timeout)) {
      // no answer at all: not a candidate for now
      state.lateJoins.delete(peer)
      state.passive.delete(peer)
    }
  }
  fillTopicView(ctx, state, now, mayWalk)
}

/**
 * Joins towards `topicActiveTarget`, counting a likely-dead neighbour as missing: it is
 * replaced now, not when it is dropped seconds later (SPEC.md §7.13); then a walk when no
 * candidate is known
 */
function fillTopicView<P> (ctx: Ctx<P>, state: TopicState<P>, now: number, mayWalk: boolean): void {
  const { config } = ctx
  const suspects = state.active.values().filter(peer => likelyDead(ctx, state, peer, now)).length
  const shortfall = config.topicActiveTarget - state.active.size - state.pendingJoins.size
  const wanted = shortfall + suspects
  if (wanted <= 0) {
    return
  }
  const taken = (p: P): boolean => p === ctx.self || state.active.has(p) || state.pendingJoins.has(p) || state.lateJoins.has(p) || ctx.overlay.unreachable.has(p, now) || !ctx.scoring.scores.mayGossip(p, now)
  const neighbours = ctx.overlay.neighbors.values().filter(p => !taken(p) && ctx.overlay.neighborTopics.get(p)?.has(state.name) === true)
  const candidates = [...ctx.rng.sample(neighbours, wanted)]
  // passive candidates and walks cost a connection each (a dial, a handshake, identify and
  // streams). While the overlay around us still grows they only make up the urgent minimum:
  // the neighbours that arrive carry the rest for free (SPEC.md §7.4)
  const dialWanted = overlayGrowing(ctx, now)
    ? Math.min(wanted, URGENT_BELOW - state.active.size - state.pendingJoins.size) - candidates.length
    : wanted - candidates.length
  const dialled = dialWanted > 0 ? state.passive.sample(ctx.rng, dialWanted, taken) : []
  candidates.push(...dialled)
  const urgent = state.active.size < URGENT_BELOW
  ctx.stats.joinsForSuspects += Math.max(0, candidates.length - Math.max(0, shortfall))
  for (const peer of candidates) {
    state.pendingJoins.set(peer, now)
    out(ctx, peer, { type: 'topic-join', topic: state.name, urgent })
  }
  // walks only from the maintenance timer (or a new subscription), never in answer to a message
  if (mayWalk && dialled.length < dialWanted && state.walks.size < config.maxConcurrentWalks && now >= state.nextWalkAt) {
    startWalk(ctx, state, now)
  }
}

/** Whether the overlay gained a neighbour within the last `NEIGHBOURS_SETTLE` maintenance rounds (stretched by our lag) */
function overlayGrowing<P> (ctx: Ctx<P>, now: number): boolean {
  return now - ctx.overlay.grewAt < NEIGHBOURS_SETTLE * ctx.config.maintenanceInterval + ctx.load.lag(now)
}
