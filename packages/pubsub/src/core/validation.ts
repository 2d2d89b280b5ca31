import { bytesKey } from '@saorsa-gossip/core'
import { penalize } from './scoring.ts'
import { deliverAndRelay } from './tree.ts'
import type { GossipMessage } from './messages.ts'
import type { Ctx } from './state.ts'
import type { ValidationResult } from './types.ts'

/**
 * Deferred validation (SPEC.md §7.7, §7.12): a new message of a topic the driver validates
 * waits in `ctx.validation.pending` (tree.ts onGossip puts it there and emits `validate`)
 * until the driver's `validation-result`, or until `validationTimeout` forgets it.
 */

function rejectMessage<P> (ctx: Ctx<P>, key: string, from: P, message: GossipMessage, now: number, reason: 'invalid-message' | 'rejected'): void {
  ctx.stats.dropped.rejected++
  // a tombstone: anti-entropy must count it as held, or it would pull it again every period
  ctx.store.put(key, message.topic, message.id, message.publishedAt, undefined, now)
  penalize(ctx, from, reason, now)
}

/** The driver's verdict on a message held for deferred validation */
export function onValidationResult<P> (ctx: Ctx<P>, topic: string, id: Uint8Array, result: ValidationResult, now: number): void {
  const key = bytesKey(id)
  const pending = ctx.validation.pending.get(key)
  if (pending == null) {
    return
  }
  ctx.validation.pending.delete(key)
  const state = ctx.topics.get(topic)
  if (result === 'accept' && state?.subscribed === true) {
    deliverAndRelay(ctx, state, pending.from, pending.message, now, pending.missing)
  } else if (result === 'reject') {
    rejectMessage(ctx, key, pending.from, pending.message, now, 'rejected')
  } else {
    ctx.store.put(key, topic, id, pending.message.publishedAt, undefined, now)
  }
}

/** Messages whose validation result never came: forgotten as if ignored (maintenance timer) */
export function expireValidations<P> (ctx: Ctx<P>, now: number): void {
  for (const [key, pending] of ctx.validation.pending) {
    if (now - pending.at > ctx.config.validationTimeout) {
      ctx.validation.pending.delete(key)
      ctx.store.put(key, pending.message.topic, pending.message.id, pending.message.publishedAt, undefined, now)
    }
  }
}
