import { emit } from '@saorsa-gossip/core'
import { linkDown, out } from './state.ts'
import type { Ctx } from './state.ts'
import type { PenaltyReason } from './types.ts'

/**
 * How the core scores peers (SPEC.md §7.11): one channel. Handlers record what a peer did
 * in `ctx.scoring.scores` as they find it — through `penalize` for a fault, which also emits
 * the `penalty` event for observers — and after each input `enforceGraylist` cuts the peers
 * that fell below the graylist threshold. The driver never scores: it reports facts as inputs
 * (`bad-frame`, `unreachable`, `validation-result`) and reads `peerScore`.
 */

/** The peer sent something a correct implementation never sends */
export function penalize<P> (ctx: Ctx<P>, peer: P, reason: PenaltyReason, now: number): void {
  ctx.scoring.scores.record(peer, reason === 'protocol-violation' ? 'protocol-violation' : 'invalid', now)
  ctx.scoring.penalized.add(peer)
  ctx.out.push(emit({ type: 'penalty', peer, reason }))
}

/** Peers penalised by the input just handled that are now graylisted lose every topic link and view entry */
export function enforceGraylist<P> (ctx: Ctx<P>, now: number): void {
  const { scores, penalized } = ctx.scoring
  if (penalized.size === 0) {
    return
  }
  for (const peer of penalized) {
    if (!scores.isGraylisted(peer, now)) {
      continue
    }
    ctx.stats.graylisted++
    ctx.out.push(emit({ type: 'graylisted', peer, score: scores.score(peer, now) }))
    for (const state of ctx.topics.values()) {
      if (state.active.has(peer)) {
        out(ctx, peer, { type: 'topic-leave', topic: state.name })
      }
      linkDown(ctx, state, peer, false)
      state.passive.delete(peer)
      state.pendingJoins.delete(peer)
      state.lateJoins.delete(peer)
    }
  }
  penalized.clear()
}
