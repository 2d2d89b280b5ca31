import { scheduleTimer } from '@saorsa-gossip/core'
import { onAeDigest, onAeMore, onAeSymbols, onAeWant, onAntiEntropyTimer } from './anti-entropy.ts'
import { resolvePubsubConfig } from './config.ts'
import { heardFrom } from './liveness.ts'
import { MessageStore } from './message-store.ts'
import { onConnectionLost, onFind, onFound, onNeighborDown, onNeighborUnwatched, onNeighborUp, onPeerDown, onUnreachable, onSubscriptions, onTopicJoin, onTopicJoinReply, onTopicLeave, onTopicPing, onTopicPong, subscribe, unsubscribe } from './overlay.ts'
import { PeerScores } from './score.ts'
import { enforceGraylist, penalize } from './scoring.ts'
import { createCtx, topicState } from './state.ts'
import { SubscriberAnnouncer, mayChangeSubscribers } from './subscribers.ts'
import { maintainTopic } from './topic-upkeep.ts'
import { onGossip, onGraft, onGraftTimer, onIHave, onIHaveFlush, onPrune, publish } from './tree.ts'
import { emptyStats } from './types.ts'
import { expireValidations, onValidationResult } from './validation.ts'
import type { PubsubConfig } from './config.ts'
import type { GossipMessage, PubsubMessage } from './messages.ts'
import type { ScoreConfig } from './score.ts'
import type { Ctx, TopicState } from './state.ts'
import type { PublishOutcome, PubsubEffect, PubsubInput, PubsubStats, PubsubTimer } from './types.ts'
import type { Rng } from '@saorsa-gossip/core'

export interface PubsubCoreInit {
  config?: Partial<PubsubConfig>
  /**
   * Origin check run on the first copy of every message before anything else
   * (the service verifies the ML-DSA-65 signature here). False → dropped and the
   * sender penalised; that sender's copies of the id are refused for a minute, while
   * other peers' copies are still checked (a forgery must not block the genuine message).
   */
  verify?(message: GossipMessage): boolean
  /**
   * Which topics' new messages wait for a `validation-result` input after a
   * `validate` event (the service runs topic validators there); the others are
   * accepted at once, with no round trip through the service. `true` defers every
   * topic; default none.
   */
  deferValidation?: boolean | ((topic: string) => boolean)
  /** peer scoring weights and thresholds (SPEC.md §7.11) */
  score?: Partial<ScoreConfig>
}

type Out<P> = Array<PubsubEffect<P>>
type Handler<P, M> = (ctx: Ctx<P>, from: P, message: M, state: TopicState<P> | undefined, now: number) => void
type Handlers = { [K in PubsubMessage<any>['type']]: Handler<any, Extract<PubsubMessage<any>, { type: K }>> }

/** One handler per message type (SPEC.md §7.2) */
const HANDLERS: Handlers = {
  gossip: (ctx, from, m, state, now) => { onGossip(ctx, from, m, state, now) },
  ihave: (ctx, from, m, state, now) => { onIHave(ctx, from, m, state, now) },
  graft: (ctx, from, m, state, now) => { onGraft(ctx, from, m, state, now) },
  prune: (ctx, from, _m, state, now) => { onPrune(ctx, from, state, now) },
  subscriptions: (ctx, from, m, _state, now) => { onSubscriptions(ctx, from, m, now) },
  find: (ctx, from, m) => { onFind(ctx, from, m) },
  found: (ctx, from, m, _state, now) => { onFound(ctx, from, m, now) },
  'topic-join': (ctx, from, m, _state, now) => { onTopicJoin(ctx, from, m, now) },
  'topic-join-reply': (ctx, from, m, _state, now) => { onTopicJoinReply(ctx, from, m, now) },
  'topic-leave': (ctx, from, m) => { onTopicLeave(ctx, from, m.topic) },
  'topic-ping': (ctx, from, m, _state, now) => { onTopicPing(ctx, from, m.topic, m.nonce, now) },
  'topic-pong': (ctx, from, m, _state, now) => { onTopicPong(ctx, from, m.topic, m.nonce, now) },
  'ae-digest': (ctx, from, m, _state, now) => { onAeDigest(ctx, from, m, now) },
  'ae-symbols': (ctx, from, m, _state, now) => { onAeSymbols(ctx, from, m, now) },
  'ae-more': (ctx, from, m, _state, now) => { onAeMore(ctx, from, m, now) },
  'ae-want': (ctx, from, m, _state, now) => { onAeWant(ctx, from, m, now) }
}

/**
 * Plumtree epidemic broadcast trees (Leitão, Pereira & Rodrigues, SRDS 2007)
 * over per-topic HyParView-style overlays, with rateless-IBLT anti-entropy.
 * A pure state machine: inputs in, effects out; time and randomness are given.
 */
export class PubsubCore<P> {
  readonly config: PubsubConfig
  readonly stats: PubsubStats = emptyStats()
  private readonly ctx: Ctx<P>
  /** subscription-change events: one per peer entering or leaving knownSubscribers (subscribers.ts) */
  private readonly subscribers = new SubscriberAnnouncer<P>()

  constructor (self: P, rng: Rng, init: PubsubCoreInit = {}) {
    this.config = resolvePubsubConfig(init.config)
    // the core owns the scores (scoring.ts): drivers report facts as inputs and read `peerScore`
    this.ctx = createCtx(self, this.config, rng, this.stats, new PeerScores<P>(init.score))
    this.ctx.validation.verify = init.verify
    const defer = init.deferValidation
    this.ctx.validation.defer = typeof defer === 'function' ? defer : () => defer === true
  }

  get self (): P {
    return this.ctx.self
  }

  start (now: number): Out<P> {
    const { rng } = this.ctx
    // random phases so that nodes started together do not act in lockstep
    return [
      scheduleTimer('maintain', now + rng.int(this.config.maintenanceInterval), { kind: 'maintain' }),
      scheduleTimer('anti-entropy', now + rng.int(this.config.aePeriod), { kind: 'anti-entropy', due: now + this.config.aePeriod })
    ]
  }

  handle (input: PubsubInput<P>, now: number): Out<P> {
    const ctx = this.ctx
    ctx.out = []
    switch (input.type) {
      case 'message':
        if (this.ctx.scoring.scores.isGraylisted(input.from, now)) {
          ctx.stats.dropped.lowScore++
          break
        }
        this.onMessage(input.from, input.message, now)
        break
      case 'timer-expired':
        this.onTimer(input.timer, now)
        break
      case 'neighbor-up':
        onNeighborUp(ctx, input.peer, now, input.monitored !== false)
        break
      case 'neighbor-unwatched':
        onNeighborUnwatched(ctx, input.peer)
        break
      case 'neighbor-down':
        onNeighborDown(ctx, input.peer, now)
        break
      case 'peer-down':
        onPeerDown(ctx, input.peer, now)
        break
      case 'peer-heard':
        heardFrom(ctx, input.peer, now)
        break
      case 'connection-lost':
        onConnectionLost(ctx, input.peer)
        break
      case 'unreachable':
        onUnreachable(ctx, input.peer, now)
        break
      case 'publish':
        publish(ctx, input, topicState(ctx, input.topic), now)
        break
      case 'subscribe':
        subscribe(ctx, input.topic, now)
        break
      case 'unsubscribe':
        unsubscribe(ctx, input.topic)
        break
      case 'bad-frame':
        if (!this.ctx.scoring.scores.isGraylisted(input.peer, now)) {
          ctx.stats.dropped.invalid++
          penalize(ctx, input.peer, 'protocol-violation', now)
        }
        break
      case 'validation-result':
        onValidationResult(ctx, input.topic, input.id, input.result, now)
        break
      default:
        break
    }
    enforceGraylist(ctx, now)
    if (mayChangeSubscribers(input)) {
      this.subscribers.reconcile(ctx, topic => this.knownSubscribers(topic))
    }
    return ctx.out
  }

  /**
   * Publishes a message signed by the service: the effects to run and what happened (the
   * `publish` input does the same and drops the outcome)
   */
  publish (input: Extract<PubsubInput<P>, { type: 'publish' }>, now: number): { effects: Out<P>, outcome: PublishOutcome<P> } {
    const ctx = this.ctx
    ctx.out = []
    const outcome = publish(ctx, input, topicState(ctx, input.topic), now)
    return { effects: ctx.out, outcome }
  }

  /**
   * Whether a GOSSIP from `from` would reach the origin check (the verify hook): false when it is
   * refused or a duplicate before that (graylisted sender, bad structure or size, a topic we do
   * not subscribe to, an id seen already, outside the publish-time window, a copy of an id that
   * failed from this peer). Read only. The adapter checks a bridged message's signature
   * (asynchronously, SPEC.md §7.14) only when this says the core would ask for it.
   */
  needsOriginCheck (from: P, message: GossipMessage, now: number): boolean {
    const ctx = this.ctx
    const { maxClockSkew, seenTtl, maxMessageSize } = ctx.config
    return !ctx.scoring.scores.isGraylisted(from, now) &&
      message.payload.length <= maxMessageSize &&
      ctx.topics.get(message.topic)?.subscribed === true &&
      !ctx.seen.has(message.id, now) &&
      message.publishedAt <= now + maxClockSkew && message.publishedAt >= now - (seenTtl - maxClockSkew) &&
      !ctx.validation.failedOrigin.has(`${String(from)}|${MessageStore.key(message.id)}`, now)
  }

  isSubscribed (topic: string): boolean {
    return this.ctx.topics.get(topic)?.subscribed === true
  }

  subscriptions (): string[] {
    return [...this.ctx.topics.values()].filter(t => t.subscribed).map(t => t.name)
  }

  /** Topic neighbours (the links the tree runs on) */
  topicPeers (topic: string): P[] {
    return [...(this.ctx.topics.get(topic)?.active.values() ?? [])]
  }

  eagerPeers (topic: string): P[] {
    return [...(this.ctx.topics.get(topic)?.eager ?? [])]
  }

  lazyPeers (topic: string): P[] {
    return [...(this.ctx.topics.get(topic)?.lazy ?? [])]
  }

  /** Membership neighbours known to subscribe to `topic` */
  neighborSubscribers (topic: string): P[] {
    return this.ctx.overlay.neighbors.values().filter(p => this.ctx.overlay.neighborTopics.get(p)?.has(topic) === true)
  }

  /**
   * Peers known to subscribe to `topic`: topic neighbours, known subscribers kept
   * for repair, and membership neighbours that announced it
   */
  knownSubscribers (topic: string): P[] {
    const state = this.ctx.topics.get(topic)
    const all = new Set<P>([...(state?.active.values() ?? []), ...(state?.passive.values() ?? []), ...this.neighborSubscribers(topic)])
    all.delete(this.ctx.self)
    return [...all]
  }

  /**
   * Peers a publication on `topic` would reach now: the topic neighbours when
   * subscribed, otherwise the subscribers a non-subscriber can hand it to
   */
  reachable (topic: string): P[] {
    const state = this.ctx.topics.get(topic)
    if (state?.subscribed === true) {
      return [...state.active.values()]
    }
    return [...new Set<P>([...this.neighborSubscribers(topic), ...(state?.passive.values() ?? [])])]
  }

  /**
   * A frame handed to our transport `ms` ago has just been taken by it (its write drained):
   * copies we send are that late, and so are the copies our neighbours send us (SPEC.md §7.13)
   */
  observeSendDelay (ms: number): void {
    this.ctx.load.observeSendDelay(ms)
  }

  /** Our own event-loop lag and the topic-ping round-trip timeout the link timers follow, ms (SPEC.md §7.13) */
  loadEstimate (now: number): { lag: number, rto: number } {
    return { lag: this.ctx.load.lag(now), rto: this.ctx.load.rto() }
  }

  /** The peer's current score (SPEC.md §7.11) */
  peerScore (peer: P, now: number): number {
    return this.ctx.scoring.scores.score(peer, now)
  }

  get cachedMessages (): number {
    return this.ctx.store.size
  }

  private onMessage (from: P, message: PubsubMessage<P>, now: number): void {
    const ctx = this.ctx
    if (message == null || typeof message !== 'object' || !Object.hasOwn(HANDLERS, message.type)) {
      ctx.stats.dropped.invalid++
      return
    }
    const state = typeof (message as { topic?: unknown }).topic === 'string' ? ctx.topics.get((message as { topic: string }).topic) : undefined
    const handler = HANDLERS[message.type] as Handler<P, typeof message>
    handler(ctx, from, message, state, now)
    // after the handler: a pong must still find the ping it answers (its round-trip sample)
    heardFrom(ctx, from, now)
  }

  private onTimer (timer: PubsubTimer, now: number): void {
    const ctx = this.ctx
    if ('due' in timer && typeof timer.due === 'number') {
      // how late our own periodic timers fire is our event-loop lag (liveness.ts)
      ctx.load.observeTimer(timer.due, now)
    }
    switch (timer.kind) {
      case 'ihave-flush':
        onIHaveFlush(ctx)
        break
      case 'graft':
        onGraftTimer(ctx, timer.topic, timer.key, now)
        break
      case 'maintain':
        expireValidations(ctx, now)
        for (const state of ctx.topics.values()) {
          maintainTopic(ctx, state, now, true)
        }
        ctx.out.push(scheduleTimer('maintain', now + this.config.maintenanceInterval, { kind: 'maintain', due: now + this.config.maintenanceInterval }))
        break
      case 'anti-entropy':
        onAntiEntropyTimer(ctx, now)
        ctx.out.push(scheduleTimer('anti-entropy', now + this.config.aePeriod, { kind: 'anti-entropy', due: now + this.config.aePeriod }))
        break
      default:
        break
    }
  }
}
