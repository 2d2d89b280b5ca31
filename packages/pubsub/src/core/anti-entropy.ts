import { MESSAGE_ID_LENGTH, bytesEqual, emit } from '@saorsa-gossip/core'
import { shortId } from './message-store.ts'
import { RibltDecoder, RibltEncoder } from './riblt.ts'
import { penalize } from './scoring.ts'
import { heard, out, randomNonce, topicState } from './state.ts'
import type { StoredMessage } from './message-store.ts'
import type { AeDigestMessage, AeMoreMessage, AeSymbolsMessage, AeWantMessage } from './messages.ts'
import type { AeAnswering, Ctx, TopicState } from './state.ts'

/**
 * Anti-entropy (SPEC.md §7.5): every `aePeriod` a subscriber reconciles the
 * ids of one topic published in an aligned window with one peer. A 44-byte
 * digest settles the common case (nothing missing); otherwise the peer
 * streams rateless IBLT coded symbols until the difference decodes, so the
 * cost follows the number of differences, not the set size. The missing
 * messages are then pulled (and the peer's missing ones pushed) and spread
 * through the tree like new ones.
 */

/** Share of sessions started with a passive-view peer: how a topic overlay split by a partition finds itself again */
const PASSIVE_SESSION_SHARE = 0.25

function windowFor<P> (ctx: Ctx<P>, now: number): { from: number, to: number } {
  const { aeGuard, aeWindow, aeAlign } = ctx.config
  // clocks are ms since the epoch; clamping at 0 only matters to a simulator starting at 0
  const to = Math.max(0, Math.floor((now - aeGuard) / aeAlign) * aeAlign)
  return { from: Math.max(0, to - aeWindow), to }
}

function keysOf (entries: StoredMessage[]): Uint8Array[] {
  return entries.map(e => e.id.subarray(0, 8))
}

function digestOf (entries: StoredMessage[]): Uint8Array {
  const digest = new Uint8Array(MESSAGE_ID_LENGTH)
  for (const entry of entries) {
    for (let i = 0; i < MESSAGE_ID_LENGTH; i++) {
      digest[i] ^= entry.id[i]
    }
  }
  return digest
}

function isU32 (n: unknown): boolean {
  return Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 0xffffffff
}

function validSymbol (s: unknown): boolean {
  const symbol = s as { count?: unknown, hi?: unknown, lo?: unknown, check?: unknown } | null
  return symbol != null && typeof symbol === 'object' && Number.isInteger(symbol.count) && isU32(symbol.hi) && isU32(symbol.lo) && isU32(symbol.check)
}

/**
 * The anti-entropy timer: one session per subscribed topic with a random topic neighbour
 * (sometimes a passive one). Not when our window holds nothing: we have nothing to push, and
 * a peer holding a message we lack has a non-empty window and starts a session itself. On a
 * quiet topic every node's digests were a steady frame stream that could find nothing
 * (SPEC.md §7.5).
 */
export function onAntiEntropyTimer<P> (ctx: Ctx<P>, now: number): void {
  expireSessions(ctx, now)
  const { from, to } = windowFor(ctx, now)
  for (const state of ctx.topics.values()) {
    if (!state.subscribed || to <= from) {
      continue
    }
    const entries = ctx.store.window(state.name, from, to, now)
    if (entries.length === 0) {
      ctx.stats.aeSkippedEmpty++
      continue
    }
    const usePassive = state.passive.size > 0 && (state.active.size === 0 || ctx.rng.float() < PASSIVE_SESSION_SHARE)
    const peer = usePassive ? state.passive.pick(ctx.rng) : state.active.pick(ctx.rng)
    if (peer === undefined) {
      continue
    }
    startSession(ctx, state, peer, usePassive, { from, to, entries }, now)
  }
}

function startSession<P> (ctx: Ctx<P>, state: TopicState<P>, peer: P, passive: boolean, window: { from: number, to: number, entries: StoredMessage[] }, now: number): void {
  const { from, to, entries } = window
  const session = randomNonce(ctx.rng)
  // the decoder works on this snapshot: the responder's symbols describe its set as of our digest
  ctx.ae.initiated.set(session, { peer, topic: state.name, from, to, startedAt: now, passive, keys: keysOf(entries) })
  ctx.stats.aeSessions++
  out(ctx, peer, { type: 'ae-digest', topic: state.name, session, from, to, count: entries.length, digest: digestOf(entries) })
}

function expireSessions<P> (ctx: Ctx<P>, now: number): void {
  for (const [session, s] of ctx.ae.initiated) {
    if (now - s.startedAt > ctx.config.aeSessionTimeout) {
      ctx.ae.initiated.delete(session)
    }
  }
  for (const [peer, sessions] of ctx.ae.answering) {
    for (const [session, s] of sessions) {
      if (now - s.startedAt > ctx.config.aeSessionTimeout) {
        sessions.delete(session)
      }
    }
    if (sessions.size === 0) {
      ctx.ae.answering.delete(peer)
    }
  }
}

/** A window the responder accepts: no wider than ours, not in the future */
function acceptableWindow<P> (ctx: Ctx<P>, from: number, to: number, now: number): boolean {
  return Number.isFinite(from) && Number.isFinite(to) && from < to &&
    to - from <= ctx.config.aeWindow + ctx.config.aeAlign && to <= now + ctx.config.aeAlign
}

/** Digest from the initiator: equal → done (no reply); different → the first batch of coded symbols */
export function onAeDigest<P> (ctx: Ctx<P>, from: P, message: AeDigestMessage, now: number): void {
  const state = ctx.topics.get(message.topic)
  if (state?.subscribed !== true) {
    ctx.stats.dropped.notSubscribed++
    return
  }
  if (!acceptableWindow(ctx, message.from, message.to, now) || !(message.digest instanceof Uint8Array) || !Number.isInteger(message.count) || !Number.isInteger(message.session)) {
    ctx.stats.dropped.invalid++
    penalize(ctx, from, 'protocol-violation', now)
    return
  }
  // only known subscribers, at most once per topic per half period: a digest costs ~100 bytes,
  // its answer up to thousands of symbols and then the payloads
  // a digest from a topic neighbour proves the link alive, answered or not
  heard(state, from, now)
  const knownSubscriber = state.active.has(from) || state.passive.has(from) || ctx.overlay.neighborTopics.get(from)?.has(message.topic) === true
  const answeredKey = `${String(from)}|${message.topic}`
  let sessions = ctx.ae.answering.get(from)
  if (!knownSubscriber || ctx.ae.answered.has(answeredKey, now) || sessions?.has(message.session) === true || (sessions?.size ?? 0) >= 4) {
    ctx.stats.dropped.unexpected++
    return
  }
  ctx.ae.answered.set(answeredKey, true, now)
  const entries = ctx.store.window(message.topic, message.from, message.to, now)
  if (entries.length === message.count && bytesEqual(digestOf(entries), message.digest)) {
    return
  }
  if (sessions == null) {
    sessions = new Map()
    ctx.ae.answering.set(from, sessions)
  }
  const encoder = new RibltEncoder(keysOf(entries))
  // at least |Δcount| ids differ; decoding needs ≈1.35–1.7 symbols per difference (Yang et al.
  // 2024). The claimed count is unverified: the first batch is bounded by our own set, more
  // follow on request
  const delta = Math.min(Math.abs(entries.length - message.count), entries.length + 64)
  const first = Math.max(ctx.config.aeInitialSymbols, Math.ceil(1.5 * delta))
  const answering = { encoder, sent: 0, startedAt: now, topic: message.topic, from: message.from, to: message.to }
  sessions.set(message.session, answering)
  sendSymbols(ctx, from, message.session, answering, first)
}

function sendSymbols<P> (ctx: Ctx<P>, peer: P, session: number, answering: AeAnswering, count: number): void {
  const n = Math.min(count, ctx.config.aeMaxSymbols - answering.sent)
  if (n <= 0) {
    return
  }
  const symbols = answering.encoder.produce(n)
  out(ctx, peer, { type: 'ae-symbols', topic: answering.topic, session, from: answering.from, to: answering.to, offset: answering.sent, symbols })
  answering.sent += n
}

/** Symbols from the responder: decode; on success pull what we lack and push what it lacks */
export function onAeSymbols<P> (ctx: Ctx<P>, from: P, message: AeSymbolsMessage, now: number): void {
  const session = ctx.ae.initiated.get(message.session)
  if (session == null || session.peer !== from || session.topic !== message.topic || !Array.isArray(message.symbols)) {
    ctx.stats.dropped.unexpected++
    return
  }
  if (!message.symbols.every(validSymbol)) {
    ctx.stats.dropped.invalid++
    ctx.ae.initiated.delete(message.session)
    penalize(ctx, from, 'protocol-violation', now)
    return
  }
  const state = ctx.topics.get(session.topic)
  if (state != null) {
    heard(state, from, now)
  }
  if (session.decoder == null) {
    session.decoder = new RibltDecoder(session.keys)
  }
  if (message.offset !== session.decoder.symbolsUsed || message.symbols.length === 0 || message.symbols.length > ctx.config.aeMaxSymbols) {
    ctx.stats.dropped.invalid++
    ctx.ae.initiated.delete(message.session)
    return
  }
  session.decoder.add(message.symbols)
  if (!session.decoder.decoded) {
    const used = session.decoder.symbolsUsed
    if (used >= ctx.config.aeMaxSymbols) {
      ctx.stats.aeAbandoned++
      ctx.ae.initiated.delete(message.session)
      return
    }
    // grow by half of what was sent: total overshoot stays within 1.5× of what decoding needs
    out(ctx, from, { type: 'ae-more', topic: session.topic, session: message.session, offset: used, count: Math.max(ctx.config.aeInitialSymbols, Math.ceil(used / 2)) })
    return
  }
  ctx.ae.initiated.delete(message.session)
  // ids that arrived by other routes since the digest are no longer wanted
  const theirs = session.decoder.remoteOnly.filter(key => { const { hi, lo } = shortId(key); return ctx.store.getByShort(hi, lo) == null }).slice(0, ctx.config.aeMaxIds)
  const ours = session.decoder.localOnly.slice(0, ctx.config.aeMaxIds)
  if (theirs.length > 0) {
    out(ctx, from, { type: 'ae-want', topic: session.topic, session: message.session, shortIds: theirs })
  }
  for (const key of ours) {
    const { hi, lo } = shortId(key)
    const stored = ctx.store.getByShort(hi, lo)
    if (stored?.message != null) {
      ctx.stats.aeRepaired++
      out(ctx, from, { ...stored.message, round: stored.message.round + 1, repair: true })
    }
  }
  ctx.out.push(emit({ type: 'anti-entropy', topic: session.topic, peer: from, session: message.session, missingHere: session.decoder.remoteOnly.length, missingThere: ours.length, pulled: theirs.length, symbols: session.decoder.symbolsUsed }))
  const topic = topicState(ctx, session.topic)
  if (session.passive && theirs.length + ours.length > 0 && topic.subscribed && !topic.active.has(from) && !topic.pendingJoins.has(from)) {
    // differences with a peer outside our topic view: the overlay may have been split; link to it
    topic.pendingJoins.set(from, now)
    out(ctx, from, { type: 'topic-join', topic: session.topic, urgent: false })
  }
}

export function onAeMore<P> (ctx: Ctx<P>, from: P, message: AeMoreMessage, now: number): void {
  const answering = ctx.ae.answering.get(from)?.get(message.session)
  if (answering == null || message.offset !== answering.sent || !Number.isInteger(message.count) || message.count < 1) {
    ctx.stats.dropped.unexpected++
    return
  }
  const state = ctx.topics.get(answering.topic)
  if (state != null) {
    heard(state, from, now)
  }
  // an honest initiator asks for at most as many again as it has: the total at most doubles per round
  sendSymbols(ctx, from, message.session, answering, Math.min(message.count, Math.max(ctx.config.aeInitialSymbols, answering.sent)))
}

/** The initiator pulls: answer every short id we hold with the full message, as a repair */
export function onAeWant<P> (ctx: Ctx<P>, from: P, message: AeWantMessage, now: number): void {
  const answering = ctx.ae.answering.get(from)?.get(message.session)
  if (answering == null || answering.topic !== message.topic || !Array.isArray(message.shortIds) || message.shortIds.length > ctx.config.aeMaxIds) {
    ctx.stats.dropped.unexpected++
    return
  }
  // served once per session, and only messages of the session's topic and window
  ctx.ae.answering.get(from)?.delete(message.session)
  const state = ctx.topics.get(answering.topic)
  if (state != null) {
    heard(state, from, now)
  }
  for (const key of message.shortIds) {
    if (!(key instanceof Uint8Array) || key.length !== 8) {
      ctx.stats.dropped.invalid++
      continue
    }
    const { hi, lo } = shortId(key)
    const stored = ctx.store.getByShort(hi, lo)
    if (stored?.message != null && stored.topic === message.topic && stored.publishedAt >= answering.from && stored.publishedAt < answering.to) {
      // once per (peer, message) within the window: a peer that received a message cannot lack
      // it again, so a second pull is an attack — a ~100-byte digest and 10 bytes per short id
      // buying a whole window of payloads every few seconds (issue 19, SPEC.md §4.2)
      const pair = `${String(from)}|${hi}:${lo}`
      if (ctx.ae.pulled.has(pair, now)) {
        ctx.stats.dropped.unexpected++
        continue
      }
      ctx.ae.pulled.set(pair, true, now)
      ctx.stats.aeRepaired++
      out(ctx, from, { ...stored.message, round: stored.message.round + 1, repair: true })
    }
  }
}
