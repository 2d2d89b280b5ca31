import { LruTtlCache, cancelTimer, emit, scheduleTimer, send } from '@saorsa-gossip/core'
import { refuseBeacon } from './beacon-rules.ts'
import { presenceConfig } from './config.ts'
import { refuseQuery } from './query-rules.ts'
import { RecordCache } from './record-cache.ts'
import { TokenBuckets } from './token-bucket.ts'
import type { PresenceConfig } from './config.ts'
import type { BeaconRecord, DropCounts, DropReason, PresenceEffect, PresenceInput, PresenceMessage, PresenceTimer, QueryRecord } from './types.ts'
import type { Rng } from '@saorsa-gossip/core'

interface Pending<P> {
  target: P
  replies: number
  /** the signed query, sent when the asks find nothing */
  query: QueryRecord<P>
  /** neighbours asked whose hint has not come (SPEC.md §8.4) */
  asked: Set<P>
  /** the signed query has gone out */
  queried: boolean
}

const PRUNE_KEY = 'prune'
const BEACON_KEY = 'beacon'

/**
 * Presence and friend-of-a-friend discovery as a pure state machine (SPEC.md §8).
 * No keys, no clock, no randomness of its own: signatures are verified (and made) by
 * the adapter, `now` is passed in, and the fan-out choice uses the injected Rng.
 */
export class PresenceCore<P> {
  readonly config: PresenceConfig
  readonly drops: DropCounts
  readonly counters = { beaconsAccepted: 0, beaconsRelayed: 0, sealedStored: 0, queriesForwarded: 0, queriesAnswered: 0, repliesAccepted: 0, asksSent: 0, asksAnswered: 0, asksReplied: 0 }
  private readonly self: P
  private readonly rng: Rng
  private readonly records: RecordCache<P>
  private readonly seen: LruTtlCache<string, true>
  private readonly queryBuckets: TokenBuckets<P>
  private readonly beaconBuckets: TokenBuckets<P>
  private readonly pending = new Map<string, Pending<P>>()
  private neighbors: P[] = []
  /** topic neighbours per scope (SPEC.md §8.4): where a scoped query goes first */
  private readonly scopes = new Map<string, P[]>()
  private own: Uint8Array[] = []
  private readonly sealed: LruTtlCache<string, Uint8Array>
  private lastSeq: number

  constructor (self: P, rng: Rng, config: Partial<PresenceConfig> = {}, lastSeq = 0) {
    this.self = self
    this.rng = rng
    this.config = presenceConfig(config)
    this.records = new RecordCache(this.config.maxRecords)
    this.seen = new LruTtlCache({ maxEntries: this.config.seenQueries, ttl: this.config.seenQueryTtlMs, refreshOnGet: false })
    this.sealed = new LruTtlCache({ maxEntries: this.config.maxRecords, ttl: this.config.beaconTtlMs, refreshOnGet: false })
    this.queryBuckets = new TokenBuckets(this.config.queryRatePerSec, this.config.queryBurst)
    this.beaconBuckets = new TokenBuckets(this.config.beaconRatePerSec, this.config.beaconBurst)
    this.lastSeq = lastSeq
    this.drops = Object.fromEntries(DROP_REASONS.map(r => [r, 0])) as DropCounts
  }

  /** The first timers: a beacon now, pruning every beacon interval */
  start (now: number): Array<PresenceEffect<P>> {
    return [scheduleTimer(BEACON_KEY, now, { type: 'beacon-due' }), scheduleTimer(PRUNE_KEY, now + this.config.beaconIntervalMs, { type: 'prune' })]
  }

  /** An unexpired record for `peer`, if held */
  lookup (peer: P, now: number): BeaconRecord<P> | undefined {
    return this.records.get(peer, now)
  }

  /**
   * The sealed beacons held (frames as received), for the adapter to try again with a group key
   * it has just received: a new member gets its neighbours' beacons before its key (SPEC.md §8.3)
   */
  heldSealed (now: number): Uint8Array[] {
    return [...this.sealed.entries(now)].map(([, wire]) => wire)
  }

  get recordCount (): number {
    return this.records.size
  }

  /**
   * Charges `from`'s bucket for one beacon or query; false (counted `rate-limited`) when empty.
   * The adapter calls it before the ML-DSA-65 check, so a flood costs us no verification and
   * no binding lookup, and then feeds the frame with `admitted: true`.
   */
  admit (kind: 'beacon' | 'query', from: P, now: number): boolean {
    const ok = (kind === 'beacon' ? this.beaconBuckets : this.queryBuckets).take(from, now)
    if (!ok) {
      this.drops['rate-limited']++
    }
    return ok
  }

  handle (input: PresenceInput<P>, now: number): Array<PresenceEffect<P>> {
    switch (input.type) {
      case 'beacon': return this.onBeacon(input.from, input.beacon, input.signatureValid, input.admitted === true, now)
      case 'query': return this.onQuery(input.from, input.query, input.signatureValid, input.admitted === true, now)
      case 'reply': return this.onReply(input.from, input.id, input.beacons, now)
      case 'find': return this.onFind(input.id, input.target, input.query, input.ask !== false, now)
      case 'ask': return this.onAsk(input.from, input.id, input.target, input.admitted === true, now)
      case 'hint': return this.onHint(input.from, input.id, now)
      case 'announce': return this.onAnnounce(input.frames, input.to)
      case 'sealed': return this.onSealed(input.from, input.tag, input.wire, input.admitted === true, now)
      case 'neighbors': return this.onNeighbors(input.peers)
      case 'scope-neighbors': return this.onScopeNeighbors(input.scope, input.peers, now)
      case 'frame-dropped': return this.drop(input.reason)
      case 'timer-expired': return this.onTimer(input.timer, now)
      default: return []
    }
  }

  private onAnnounce (frames: Uint8Array[], to: P[]): Array<PresenceEffect<P>> {
    this.own = frames
    return to.flatMap(peer => frames.map(wire => send(peer, { type: 'beacon', wire })))
  }

  /** Kept by tag for its local lifetime: a non-member cannot read the beacon's own expiry or seq */
  private onSealed (from: P, tag: string, wire: Uint8Array, admitted: boolean, now: number): Array<PresenceEffect<P>> {
    if (!admitted && !this.admit('beacon', from, now)) {
      return []
    }
    this.sealed.set(tag, wire, now)
    this.counters.sealedStored++
    return []
  }

  /** A new neighbour gets our current beacon at once, not at the next beacon interval */
  private onNeighbors (peers: P[]): Array<PresenceEffect<P>> {
    const before = this.everyNeighbor()
    this.neighbors = peers.filter(p => p !== this.self)
    return this.beaconTo(this.neighbors.filter(p => !before.has(p)))
  }

  /**
   * Topic neighbours get our beacon like membership neighbours, so a node holds the records of
   * the peers it shares topics with and a scoped query finds them (SPEC.md §8.4). Local input
   * (our own subscriptions' views, each bounded by pubsub's topic view capacity), not a peer's
   */
  private onScopeNeighbors (scope: string, peers: P[], now: number): Array<PresenceEffect<P>> {
    const before = this.everyNeighbor()
    const mine = [...new Set(peers)].filter(p => p !== this.self)
    if (mine.length === 0) {
      this.scopes.delete(scope)
      return []
    }
    const known = new Set(this.scopes.get(scope) ?? [])
    this.scopes.set(scope, mine)
    const effects = this.beaconTo(mine.filter(p => !before.has(p)))
    for (const peer of mine.filter(p => !known.has(p))) {
      effects.push(...this.introduce(peer, mine, now))
      // and the other way: our other neighbours in the topic get the newcomer's record, when we
      // hold it already (a membership neighbour's); else relay() passes it on when it arrives
      const record = this.records.get(peer, now)
      if (record != null && record.fromGroup !== true) {
        for (const friend of mine) {
          if (friend !== peer && known.has(friend)) {
            this.counters.beaconsRelayed++
            effects.push(send(friend, { type: 'beacon', wire: record.wire }))
          }
        }
      }
    }
    return effects
  }

  /**
   * Friends of a friend: a new topic neighbour gets the records we hold of our other neighbours
   * in that topic (signed by them, forwarded unchanged), so every node holds the records of its
   * topic neighbourhood two hops out (SPEC.md §8.4). At most `beaconBurst − 1`, so our own
   * beacon and these fit the receiver's bucket for us.
   */
  private introduce (peer: P, scopePeers: P[], now: number): Array<PresenceEffect<P>> {
    const effects: Array<PresenceEffect<P>> = []
    for (const friend of scopePeers) {
      if (effects.length >= this.config.beaconBurst - 1) {
        break
      }
      const record = friend === peer ? undefined : this.records.get(friend, now)
      if (record != null && record.fromGroup !== true) {
        this.counters.beaconsRelayed++
        effects.push(send(peer, { type: 'beacon', wire: record.wire }))
      }
    }
    return effects
  }

  /**
   * A fresh beacon from a topic neighbour itself goes on to our other neighbours in that topic,
   * once (a relayed beacon is never relayed again: `from` is not its signer)
   */
  private relay (from: P, beacon: BeaconRecord<P>): Array<PresenceEffect<P>> {
    if (beacon.peer !== from || beacon.fromGroup === true) {
      return []
    }
    const to = new Set<P>()
    for (const peers of this.scopes.values()) {
      if (peers.includes(from)) {
        peers.forEach(p => { if (p !== from) { to.add(p) } })
      }
    }
    this.counters.beaconsRelayed += to.size
    return [...to].map(peer => send(peer, { type: 'beacon', wire: beacon.wire }))
  }

  private everyNeighbor (): Set<P> {
    const all = new Set(this.neighbors)
    for (const peers of this.scopes.values()) {
      peers.forEach(p => all.add(p))
    }
    return all
  }

  private beaconTo (peers: P[]): Array<PresenceEffect<P>> {
    const own = this.own
    return peers.flatMap(peer => own.map(wire => send(peer, { type: 'beacon', wire })))
  }

  /**
   * Whom a query goes to: neighbours in the topics the query names, when we share any (the
   * peers the origin cares about are there), else the membership neighbours
   */
  private routes (scopes: string[], exclude: (p: P) => boolean): { peers: P[], scoped: boolean } {
    const scoped = new Set<P>()
    for (const scope of scopes) {
      this.scopes.get(scope)?.forEach(p => { if (!exclude(p)) { scoped.add(p) } })
    }
    return scoped.size > 0 ? { peers: [...scoped], scoped: true } : { peers: this.neighbors.filter(p => !exclude(p)), scoped: false }
  }

  private drop (reason: DropReason): Array<PresenceEffect<P>> {
    this.drops[reason]++
    return []
  }

  private onTimer (timer: PresenceTimer, now: number): Array<PresenceEffect<P>> {
    if (timer.type === 'prune') {
      this.records.prune(now)
      return [scheduleTimer(PRUNE_KEY, now + this.config.beaconIntervalMs, { type: 'prune' })]
    }
    if (timer.type === 'beacon-due') {
      // seq survives restarts: issue time in ms, or one more than the last if the clock stepped back
      this.lastSeq = Math.max(this.lastSeq + 1, now)
      return [emit({ type: 'beacon-due', seq: this.lastSeq }), scheduleTimer(BEACON_KEY, now + this.config.beaconIntervalMs, { type: 'beacon-due' })]
    }
    const pending = this.pending.get(timer.id)
    if (pending == null) {
      return []
    }
    if (timer.type === 'ask-deadline') {
      return pending.queried ? [] : this.sendQuery(timer.id, pending, now)
    }
    this.pending.delete(timer.id)
    return [emit({ type: 'query-failed', id: timer.id, target: pending.target })]
  }

  /** Accepts a beacon into the cache; the refusal reason when it is not accepted */
  private accept (beacon: BeaconRecord<P>, signatureValid: boolean, now: number): DropReason | undefined {
    if (beacon.peer === this.self) {
      return 'self'
    }
    const refusal = refuseBeacon(beacon, signatureValid, this.records.seq(beacon.peer), this.config, now)
    if (refusal == null) {
      this.records.set(beacon)
      this.counters.beaconsAccepted++
    }
    return refusal
  }

  private onBeacon (from: P, beacon: BeaconRecord<P>, signatureValid: boolean, admitted: boolean, now: number): Array<PresenceEffect<P>> {
    if (!admitted && !this.admit('beacon', from, now)) {
      return []
    }
    const refusal = this.accept(beacon, signatureValid, now)
    if (refusal != null) {
      return this.drop(refusal)
    }
    return [emit({ type: 'peer-found', peer: beacon.peer, addrs: beacon.addrs, via: 'beacon' }), ...this.relay(from, beacon)]
  }

  private onQuery (from: P, query: QueryRecord<P>, signatureValid: boolean, admitted: boolean, now: number): Array<PresenceEffect<P>> {
    // the bucket is charged before anything else, so a flood of forged queries costs its sender too
    if (!admitted && !this.admit('query', from, now)) {
      return []
    }
    const refusal = refuseQuery(query, signatureValid, this.config, now)
    if (refusal != null) {
      return this.drop(refusal)
    }
    if (query.origin === this.self || this.seen.has(query.id, now)) {
      return this.drop('duplicate-query')
    }
    this.seen.set(query.id, true, now)
    const effects: Array<PresenceEffect<P>> = []
    const held = query.target != null ? this.records.get(query.target, now) : undefined
    const record = held?.fromGroup === true ? undefined : held
    const sealed = query.tags.flatMap(tag => this.sealed.get(tag, now) ?? [])
    const found = record != null || sealed.length > 0
    if (found) {
      this.counters.queriesAnswered++
      effects.push(send(query.origin, { type: 'reply', id: query.id, beacons: record != null ? [record.wire] : [], sealed, origin: query.origin }))
    }
    if (query.ttl > 1 && !found) {
      for (const to of this.pick(this.routes(query.scopes, p => p === from || p === query.origin).peers, this.config.fanout)) {
        this.counters.queriesForwarded++
        effects.push(send(to, { type: 'query', wire: query.wire, ttl: query.ttl - 1 }))
      }
    }
    return effects
  }

  private onReply (from: P, id: string, beacons: Array<{ beacon: BeaconRecord<P>, signatureValid: boolean }>, now: number): Array<PresenceEffect<P>> {
    const pending = this.pending.get(id)
    if (pending == null) {
      return this.drop('unsolicited-reply')
    }
    if (pending.replies >= this.config.replyBudget) {
      return this.drop('over-budget')
    }
    pending.replies++
    this.counters.repliesAccepted++
    // an asked neighbour's reply is its answer to the Ask too (SPEC.md §8.4)
    const answeredAsk = pending.asked.delete(from)
    const effects: Array<PresenceEffect<P>> = []
    for (const { beacon, signatureValid } of beacons.slice(0, this.config.replyBudget)) {
      const refusal = this.accept(beacon, signatureValid, now)
      // a record we already hold (same seq) still answers the query
      const usable = refusal == null || (refusal === 'replayed' && this.records.get(beacon.peer, now)?.seq === beacon.seq)
      if (!usable) {
        this.drops[refusal]++
        continue
      }
      if (refusal == null) {
        effects.push(emit({ type: 'peer-found', peer: beacon.peer, addrs: beacon.addrs, via: 'foaf' }))
      }
      if (beacon.peer === pending.target && this.pending.has(id)) {
        this.pending.delete(id)
        if (answeredAsk && !pending.queried) {
          this.counters.asksReplied++
        }
        effects.push(cancelTimer(`query:${id}`), cancelTimer(`ask:${id}`), emit({ type: 'query-answered', id, target: pending.target, addrs: beacon.addrs }))
      }
    }
    // an asked neighbour whose reply did not answer (a forged or stale record) counts as a no
    if (answeredAsk && this.pending.has(id)) {
      effects.push(...this.askedAll(id, pending, now))
    }
    return effects
  }

  private onFind (id: string, target: P, query: QueryRecord<P>, ask: boolean, now: number): Array<PresenceEffect<P>> {
    if (query.tags.length > this.config.maxTags || query.scopes.length > this.config.maxScopes) {
      return [emit({ type: 'query-failed', id, target })]
    }
    const record = this.records.get(target, now)
    if (record != null) {
      return [emit({ type: 'query-answered', id, target, addrs: record.addrs })]
    }
    const routes = this.routes(query.scopes, () => false)
    if (this.pending.size >= this.config.maxPendingQueries || routes.peers.length === 0) {
      return [emit({ type: 'query-failed', id, target })]
    }
    const pending: Pending<P> = { target, replies: 0, query, asked: new Set(), queried: false }
    this.pending.set(id, pending)
    this.seen.set(id, true, now)
    if (!ask || this.config.askFanout === 0) {
      return this.sendQuery(id, pending, now)
    }
    // neighbours first, by name: one of them usually holds the record (topic neighbours two hops
    // out, SPEC.md §8.4), and an Ask is ~70 bytes where a signed query is 3.5 KiB
    // topic neighbours first (they hold the records of the searcher's topics two hops out), then membership ones
    const asked = this.pick(routes.peers, this.config.askFanout)
    asked.push(...this.pick(this.neighbors.filter(p => !asked.includes(p)), this.config.askFanout - asked.length))
    pending.asked = new Set(asked)
    this.counters.asksSent += asked.length
    return [
      ...asked.map(to => send<P, PresenceMessage<P>>(to, { type: 'ask', id, target })),
      scheduleTimer(`ask:${id}`, now + this.config.askTimeoutMs, { type: 'ask-deadline', id })
    ]
  }

  /** The signed FOAF query, when no neighbour knew the target (or asks are off) */
  private sendQuery (id: string, pending: Pending<P>, now: number): Array<PresenceEffect<P>> {
    pending.queried = true
    const routes = this.routes(pending.query.scopes, () => false)
    const first = this.pick(routes.peers, this.config.originFanout)
    // a scoped query also takes a few membership branches: the target may share none of our topics
    const wider = !routes.scoped
      ? []
      : this.pick(this.neighbors.filter(p => !first.includes(p)), this.config.originOverlayFanout)
    if (first.length + wider.length === 0) {
      this.pending.delete(id)
      return [emit({ type: 'query-failed', id, target: pending.target })]
    }
    return [
      ...[...first, ...wider].map(to => send<P, PresenceMessage<P>>(to, { type: 'query', wire: pending.query.wire, ttl: pending.query.ttl })),
      scheduleTimer(`query:${id}`, now + this.config.queryTimeoutMs, { type: 'query-deadline', id })
    ]
  }

  /**
   * A neighbour asks for a record by name. Charged to its query bucket; a clear record we hold
   * goes back as a Reply (signed by its subject, so the asker checks it like any reply; a group
   * record is never given out, SPEC.md §8.3), else a Hint says we hold none, so the asker need
   * not wait for its deadline. Never forwarded.
   */
  private onAsk (from: P, id: string, target: P, admitted: boolean, now: number): Array<PresenceEffect<P>> {
    if (!admitted && !this.admit('query', from, now)) {
      return []
    }
    const held = this.records.get(target, now)
    if (held == null || held.fromGroup === true) {
      return [send(from, { type: 'hint', id })]
    }
    this.counters.asksAnswered++
    return [send(from, { type: 'reply', id, beacons: [held.wire], sealed: [], origin: from })]
  }

  /** A neighbour holds no record: once every asked neighbour said so, the signed query goes */
  private onHint (from: P, id: string, now: number): Array<PresenceEffect<P>> {
    const pending = this.pending.get(id)
    if (pending?.asked.delete(from) !== true) {
      return this.drop('unsolicited-reply')
    }
    return this.askedAll(id, pending, now)
  }

  private askedAll (id: string, pending: Pending<P>, now: number): Array<PresenceEffect<P>> {
    if (pending.asked.size === 0 && !pending.queried) {
      return [cancelTimer(`ask:${id}`), ...this.sendQuery(id, pending, now)]
    }
    return []
  }

  /** `n` distinct peers chosen with the injected Rng */
  private pick (peers: P[], n: number): P[] {
    const pool = [...peers]
    const out: P[] = []
    while (out.length < n && pool.length > 0) {
      out.push(pool.splice(this.rng.int(pool.length), 1)[0])
    }
    return out
  }
}

export const DROP_REASONS: DropReason[] = [
  'bad-signature', 'from-future', 'expired', 'ttl-too-long', 'replayed', 'too-many-addrs', 'duplicate-query', 'rate-limited',
  'bad-ttl', 'stale-query', 'unsolicited-reply', 'over-budget', 'malformed', 'oversize', 'self', 'too-many-tags', 'too-many-scopes', 'unopenable'
]
