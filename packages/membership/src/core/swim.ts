import { IndexedSet, InvalidConfigError, LoadEstimate, cancelTimer, emit, scheduleTimer, send } from '@saorsa-gossip/core'
import { isPeerKey } from './hyparview.ts'
import { LocalHealth } from './local-health.ts'
import { scaledTimeout, suspicionTimeout } from './suspicion.ts'
import { resolveSwimConfig } from './swim-config.ts'
import { AckViews, Outbox, PiggybackQueue } from './swim-news.ts'
import type { MemberStatus, MemberUpdate, SwimMessage } from './messages.ts'
import type { SwimConfig } from './swim-config.ts'
import type { DropCounters, MembershipEffect, MembershipTimer } from './types.ts'
import type { Rng } from '@saorsa-gossip/core'

type Out<P> = Array<MembershipEffect<P>>

/** Largest neighbour list accepted in an ack (an active view is at most 12 by default) */
export const MAX_NEIGHBORS = 64
/** Relayed PING-REQs outstanding at most; more are dropped (bounds memory under a PING-REQ flood) */
export const MAX_RELAYS = 256
/** Probes outstanding at most, confirmation probes included */
export const MAX_PROBES = 64
/** A helper nacks this fraction of indirectTimeout after a PING-REQ when the target stays silent (SPEC.md §6.2) */
const NACK_DELAY = 0.5
/** Accusers answered directly per incarnation at most */
const MAX_REFUTED_TO = 64
/** Largest incarnation accepted: incarnation + 1 must still be exact */
const MAX_INCARNATION = Number.MAX_SAFE_INTEGER - 1
/** An ack repeats an unchanged neighbour list at least every this many acks to the same prober (a lost full list heals) */
const FULL_VIEW_EVERY = 8
/** Probers whose last-sent view version is remembered (active views are ≤ 12; relayed pings add a few) */
const MAX_VIEW_SENT = 256

interface Member<P> {
  incarnation: number
  status: MemberStatus
  /** Lifeguard: distinct peers that raised this suspicion */
  suspecters?: Set<P>
  /** when our own suspicion clock started: the first time we timed this suspicion as a monitor */
  suspectedAt?: number
}

interface Probe<P> {
  target: P
  /** peers asked to probe indirectly: their acks count too */
  helpers: P[]
  /** the member's incarnation when the probe was sent (what a confirmation confirms) */
  incarnation: number
  /** a confirmation probe (Lifeguard): direct only, failure adds our own suspicion */
  confirm: boolean
  indirect: boolean
  expectedNacks: number
  nacked: Set<P>
  /** when the direct ping left: its ack is a round-trip sample */
  sentAt: number
}

interface Relay<P> {
  requester: P
  requesterSeq: number
}

/** Counters for metrics and the simulator */
export interface SwimStats {
  probes: number
  /** probes whose deadline fired late because this node was stalled: not counted as failures (Lifeguard on) */
  inconclusiveProbes: number
  failedProbes: number
  suspicionsRaised: number
  refutations: number
  deathsDeclared: number
}

/**
 * SWIM failure detection over the overlay's active view, as a pure state
 * machine, with Lifeguard's extensions behind `config.lifeguard`.
 *
 * Which peers are probed: the members of the HyParView active view (the
 * composition calls `monitor` / `unmonitor`). Those are the connections the
 * overlay relies on, and with symmetric views every node is watched by its
 * 8–12 neighbours. News (suspect / alive / dead) is flooded once per change
 * to the active view in batches, so it reaches every node (and every passive
 * view) within a few hops; receivers forward only updates that change their
 * state, which ends the flood. See SPEC.md §6.
 */
export class Swim<P> {
  readonly self: P
  readonly config: SwimConfig
  readonly drops: DropCounters = { unexpected: 0, invalid: 0 }
  readonly stats: SwimStats = { probes: 0, inconclusiveProbes: 0, failedProbes: 0, suspicionsRaised: 0, refutations: 0, deathsDeclared: 0 }
  private readonly rng: Rng
  private readonly monitored = new IndexedSet<P>()
  private readonly members = new Map<P, Member<P>>()
  private readonly probes = new Map<number, Probe<P>>()
  private readonly relays = new Map<number, Relay<P>>()
  /** our own news waiting for the next flush, per recipient */
  private readonly outbox = new Outbox<P>()
  /** news being spread epidemically on pings and acks: latest update per member, with sends left */
  private readonly piggyback: PiggybackQueue<P>
  /** each monitored member's own active view, from its last ack: the other peers that watch it */
  private readonly neighborsOf = new Map<P, P[]>()
  /** whether each monitored member's last neighbour list named us */
  private readonly listsUs = new Map<P, boolean>()
  /** when each monitored member became a neighbour (a new link gets time to become symmetric) */
  private readonly monitoredSince = new Map<P, number>()
  /** accusers outside our view already answered at the current incarnation (bounded: cleared on each refutation) */
  private readonly refutedTo = new Set<P>()
  /** the incarnation we last announced as alive (-1: none yet) */
  private announced = -1
  private readonly validPeer: (value: unknown) => boolean
  /** when each monitored member is next due for a probe */
  private readonly nextDue = new Map<P, number>()
  /** our rank among each monitored member's monitors, recomputed only when its list changes */
  private readonly ranks = new Map<P, { list: P[], rank: number, size: number }>()
  private seq = 0
  private incarnation = 0
  /** Lifeguard's local health multiplier, missed nacks judged once the helper's fate is known */
  private readonly health: LocalHealth<P>
  /** our own timer lateness and ack round trips: every timeout follows them (SPEC.md §6.9) */
  private readonly load = new LoadEstimate()
  /** acks carry our view only when it is news to the prober */
  private readonly ackViews = new AckViews<P>(FULL_VIEW_EVERY, MAX_VIEW_SENT)
  private flushScheduled = false
  private started = false

  /**
   * `startIncarnation` is the incarnation to start from. Drivers pass the process start time
   * in milliseconds, so that a restarted node outranks any verdict about its previous run
   * (SPEC.md §6.3); a node that always started at 0 would be "dead" until it refuted.
   * `validPeer` checks every peer key that arrives in a message.
   */
  constructor (self: P, rng: Rng, config: Partial<SwimConfig> = {}, startIncarnation = 0, validPeer: (value: unknown) => boolean = isPeerKey) {
    this.self = self
    this.rng = rng
    this.config = resolveSwimConfig(config)
    this.piggyback = new PiggybackQueue<P>(this.config.retransmitLimit, this.config.piggybackQueueCapacity)
    this.validPeer = validPeer
    if (!Number.isSafeInteger(startIncarnation) || startIncarnation < 0 || startIncarnation > MAX_INCARNATION) {
      throw new InvalidConfigError('startIncarnation must be a non-negative safe integer')
    }
    this.incarnation = startIncarnation
    // a dead helper is probed or reported within a few probe cycles and a suspicion timeout
    this.health = new LocalHealth<P>(this.config.maxLocalHealth, 10 * this.config.probeInterval + 2 * this.config.suspicionMaxTimeout)
  }

  get localHealthMultiplier (): number {
    return this.health.multiplier
  }

  get ownIncarnation (): number {
    return this.incarnation
  }

  statusOf (peer: P): MemberStatus | undefined {
    return this.members.get(peer)?.status
  }

  start (now: number): Out<P> {
    if (this.started) {
      return []
    }
    this.started = true
    return [scheduleTimer('swim:probe', now + Math.floor(this.rng.float() * this.config.probeInterval), { kind: 'swim-probe' })]
  }

  /** Starts probing `peer` (it became an active neighbour) */
  monitor (peer: P, now: number): void {
    if (peer === this.self) {
      return
    }
    if (this.monitored.add(peer)) {
      this.monitoredSince.set(peer, now)
      this.ackViews.changed()
    }
    const member = this.members.get(peer)
    if (member == null) {
      // incarnation unknown (-1) until its first ack
      this.setMember(peer, { incarnation: -1, status: 'alive' })
    } else if (member.status === 'dead') {
      // it completed a handshake with us, so it runs: watch it again from its last incarnation
      // (its acks bring the newer one), or it could never be declared again
      this.setMember(peer, { incarnation: member.incarnation, status: 'alive' })
    }
  }

  /** Stops probing `peer` */
  unmonitor (peer: P): void {
    if (this.monitored.delete(peer)) {
      this.ackViews.changed()
    }
    this.ackViews.forget(peer)
    this.neighborsOf.delete(peer)
    this.listsUs.delete(peer)
    this.monitoredSince.delete(peer)
    this.nextDue.delete(peer)
    this.ranks.delete(peer)
    this.health.forgive(peer)
  }

  handleMessage (from: P, message: SwimMessage<P>, now: number): Out<P> {
    const out: Out<P> = []
    if (from === this.self) {
      this.drops.invalid++
      return out
    }
    if (!this.valid(message)) {
      this.drops.invalid++
      return out
    }
    this.health.heardFrom(from, now)
    if ('updates' in message) {
      for (const update of message.updates) {
        this.applyUpdate(update, now, out)
      }
    }
    switch (message.type) {
      case 'ping': out.push(send(from, { proto: 'swim', type: 'ack', seq: message.seq, incarnation: this.incarnation, updates: this.outgoingUpdates(from), neighbors: this.ackViews.viewFor(from, message.wantView === true, () => this.monitored.values().slice()) })); break
      case 'ack': this.onAck(from, message.seq, message.incarnation, message.neighbors, now, out); break
      case 'ping-req': this.onPingReq(from, message.seq, message.target, now, out); break
      case 'nack': this.onNack(from, message.seq); break
      case 'gossip': break
      default: this.drops.invalid++
    }
    return out
  }

  /** Field types and sizes of a remote message; updates are checked one by one in applyUpdate */
  private valid (message: SwimMessage<P>): boolean {
    const seq = (n: unknown): boolean => Number.isSafeInteger(n) && (n as number) >= 0
    if ('updates' in message && (!Array.isArray(message.updates) || message.updates.length > this.config.maxUpdatesPerMessage)) {
      return false
    }
    switch (message?.type) {
      case 'ping': return seq(message.seq)
      case 'ack': return seq(message.seq) && seq(message.incarnation) && message.incarnation <= MAX_INCARNATION &&
        (message.neighbors === undefined || (Array.isArray(message.neighbors) && message.neighbors.length <= MAX_NEIGHBORS && message.neighbors.every(p => this.validPeer(p))))
      case 'ping-req': return seq(message.seq) && this.validPeer(message.target)
      case 'nack': return seq(message.seq)
      case 'gossip': return true
      default: return false
    }
  }

  handleTimer (timer: MembershipTimer<P>, now: number): Out<P> {
    const out: Out<P> = []
    switch (timer.kind) {
      case 'swim-probe':
        // how late our own probe timer fires is our event-loop lag
        this.load.observeTimer(timer.due ?? now, now)
        this.onProbeTimer(now, out)
        break
      case 'swim-ack-timeout': this.onAckTimeout(timer.seq, now, out); break
      case 'swim-probe-end': this.onProbeEnd(timer.seq, timer.due, now, out); break
      case 'swim-relay-timeout': this.onRelayTimeout(timer.seq, out); break
      case 'swim-suspicion': this.onSuspicionTimeout(timer.member, now, out); break
      case 'swim-flush': this.onFlush(now, out); break
      default: break
    }
    return out
  }

  // --- probing ------------------------------------------------------------------

  /**
   * The monitored member whose probe is due first. Every member is probed
   * about once per cycle (one probe per period, as SWIM's round-robin), but
   * the *time* within the cycle is staggered across a member's monitors (see
   * `schedule`), so a crashed member is probed by someone about once per
   * period instead of whenever independent round-robins happen to reach it.
   */
  private nextTarget (now: number): P | undefined {
    let best: P | undefined
    let bestDue = Infinity
    for (const peer of this.monitored.values()) {
      // a member recorded dead that is our neighbour again (it restarted) is probed too: its
      // ack carries a newer incarnation and brings it back
      let due = this.nextDue.get(peer)
      if (due == null) {
        // new neighbour, rank unknown yet: a random point in one cycle
        due = now + Math.floor(this.rng.float() * this.monitored.size * this.config.probeInterval)
        this.nextDue.set(peer, due)
      }
      if (due < bestDue) {
        bestDue = due
        best = peer
      }
    }
    if (best != null) {
      this.schedule(best, now + this.config.probeInterval)
    }
    return best
  }

  /**
   * Next due time of `peer` after `after`. With the member's own neighbour
   * list (from its acks) we know all m monitors; sorted, we are number r, so
   * we take the slots t ≡ r·T (mod m·T), T the probe interval: the m monitors
   * interleave, about one probe of the member per period between them. Times
   * are absolute, so monitors' clocks need to agree only to a fraction of T;
   * with worse skew the schedules are merely independent, as in plain
   * round-robin (SPEC.md §6.2).
   */
  private schedule (peer: P, after: number): void {
    const others = this.neighborsOf.get(peer)
    const interval = this.config.probeInterval
    if (others == null || others.length === 0) {
      this.nextDue.set(peer, after + Math.max(1, this.monitored.size - 1) * interval)
      return
    }
    const { rank, size } = this.rankAmong(peer, others)
    const cycle = size * interval
    const phase = rank * interval
    let due = Math.floor(after / cycle) * cycle + phase
    while (due < after) {
      due += cycle
    }
    this.nextDue.set(peer, due)
  }

  private onProbeTimer (now: number, out: Out<P>): void {
    // a lagging node probes less often too (its probes would only time out in its own queue)
    const period = (this.config.lifeguard ? this.health.scale(this.config.probeInterval) : this.config.probeInterval) + Math.ceil(this.load.lag(now))
    out.push(scheduleTimer('swim:probe', now + period, { kind: 'swim-probe', due: now + period }))
    this.health.expire(now)
    // a neighbour we suspect is probed every period: its ack (carrying a refuted incarnation)
    // clears the suspicion even when every refutation message was lost (with one re-probe per
    // suspicion, 3% loss turned into 5–8 false verdicts per 2,000-node run instead of 0). It
    // comes on top of the round-robin probe, not instead of it: after a mass failure most
    // neighbours are suspects, and re-probing them in its place stalled the round-robin that
    // finds the others (own suspicions P99 18 s, SPEC.md §6.2)
    const suspect = this.nextSuspect()
    if (suspect != null) {
      this.sendProbe(suspect, false, now, out)
      if (this.health.multiplier > 0) {
        // a node that shows signs of its own slowness sends one probe per period, no more
        return
      }
    }
    const target = this.nextTarget(now)
    if (target != null && !this.probing(target)) {
      this.sendProbe(target, false, now, out)
    }
  }

  private nextSuspect (): P | undefined {
    for (const peer of this.monitored.values()) {
      if (this.members.get(peer)?.status === 'suspect' && !this.probing(peer)) {
        return peer
      }
    }
    return undefined
  }

  private probing (peer: P): boolean {
    for (const probe of this.probes.values()) {
      if (probe.target === peer) {
        return true
      }
    }
    return false
  }

  private rankAmong (peer: P, others: P[]): { rank: number, size: number } {
    const cached = this.ranks.get(peer)
    if (cached?.list === others) {
      return cached
    }
    const keys = [...others.map(p => String(p)), String(this.self)].sort()
    const entry = { list: others, rank: keys.indexOf(String(this.self)), size: keys.length }
    this.ranks.set(peer, entry)
    return entry
  }

  private sendProbe (target: P, confirm: boolean, now: number, out: Out<P>): void {
    if (this.probes.size >= MAX_PROBES) {
      return
    }
    const seq = ++this.seq
    this.probes.set(seq, { target, helpers: [], incarnation: Math.max(0, this.members.get(target)?.incarnation ?? 0), confirm, indirect: false, expectedNacks: 0, nacked: new Set(), sentAt: now })
    this.stats.probes++
    const ping: Extract<SwimMessage<P>, { type: 'ping' }> = { proto: 'swim', type: 'ping', seq, updates: this.outgoingUpdates(target) }
    if (!this.neighborsOf.has(target)) {
      // we hold no list of its neighbours: its ack must carry one (an earlier ack may have gone
      // to us as a relay, and the responder would then think we have it)
      ping.wantView = true
    }
    out.push(send(target, ping))
    const lhm = this.config.lifeguard ? this.health.multiplier : 0
    // the configured wait, or what acks have been taking plus our own lag, whichever is longer:
    // under load an ack is late, not missing (SPEC.md §6.9)
    out.push(scheduleTimer(`swim:ack:${seq}`, now + this.load.timeout(scaledTimeout(this.config.ackTimeout, lhm), now), { kind: 'swim-ack-timeout', seq }))
  }

  private onAck (from: P, seq: number, incarnation: number, neighbors: P[] | undefined, now: number, out: Out<P>): void {
    const relay = this.relays.get(seq)
    if (relay != null) {
      this.relays.delete(seq)
      out.push(cancelTimer(`swim:relay:${seq}`))
      out.push(send(relay.requester, { proto: 'swim', type: 'ack', seq: relay.requesterSeq, incarnation: 0, updates: [], neighbors: [] }))
      return
    }
    const probe = this.probes.get(seq)
    if (probe == null || (probe.target !== from && !probe.helpers.includes(from))) {
      // late, unknown or from the wrong peer: harmless, but counted
      this.drops.unexpected++
      return
    }
    this.probes.delete(seq)
    if (from === probe.target && !probe.indirect) {
      this.load.observeRtt(probe.sentAt, now)
    }
    if (from === probe.target && incarnation > 0) {
      // first-hand evidence: the member answered at this incarnation (clears a suspicion it has refuted)
      this.applyUpdate({ member: from, incarnation, status: 'alive', from }, now, out)
    }
    if (from === probe.target && this.monitored.has(from)) {
      if (neighbors != null) {
        const others = neighbors.filter(p => p !== this.self && p !== from)
        const previous = this.neighborsOf.get(from)
        // keep the old array when nothing changed, so the cached rank stays valid
        if (previous == null || previous.length !== others.length || previous.some((p, i) => p !== others[i])) {
          this.neighborsOf.set(from, others)
          out.push(emit({ type: 'neighbors-of', peer: from, neighbors: others }))
        }
        this.listsUs.set(from, neighbors.includes(this.self))
      }
      this.schedule(from, now + this.config.probeInterval)
      // we watch it but it does not list us: a lost DISCONNECT or NEIGHBOR_REPLY, or a verdict
      // that evicted us. Tell the overlay so it can redo the handshake (SPEC.md §6.4). An ack
      // without a list means "unchanged since the last list I sent you".
      if (this.listsUs.get(from) === false && now - (this.monitoredSince.get(from) ?? now) >= 2 * this.config.probeInterval) {
        out.push(emit({ type: 'link-asymmetric', peer: from }))
      }
    }
    out.push(cancelTimer(`swim:ack:${seq}`), cancelTimer(`swim:end:${seq}`))
    if (this.config.lifeguard && !probe.confirm) {
      this.health.adjust(-1)
    }
  }

  private onAckTimeout (seq: number, now: number, out: Out<P>): void {
    const probe = this.probes.get(seq)
    if (probe == null) {
      return
    }
    if (probe.confirm) {
      // Lifeguard confirmation probe failed: confirm the suspicion it was sent for, if that still
      // stands. It never starts a new one: after a refutation, a lost ack must not re-accuse
      // (that would turn message loss into a chain of suspicions, one per incarnation).
      this.probes.delete(seq)
      const member = this.members.get(probe.target)
      if (member?.status === 'suspect' && member.incarnation === probe.incarnation) {
        this.stats.suspicionsRaised++
        this.applyUpdate({ member: probe.target, incarnation: member.incarnation, status: 'suspect', from: this.self }, now, out)
      }
      return
    }
    // the end-of-probe deadline is scheduled only now: most probes are answered before this point,
    // and a timer nobody needs still costs a slot in the driver's timer queue
    const lhm = this.config.lifeguard ? this.health.multiplier : 0
    // an indirect probe is two round trips (us → helper → target and back); RTO already
    // overestimates one (SRTT + 4·RTTVAR), and more would slow detection on idle links. A
    // helper's nack comes after its own wait (half indirectTimeout) plus a round trip: without
    // that wait in the deadline, nacks over long paths (5–120 ms one way) arrived after it and
    // counted against our local health (SPEC.md §6.5)
    const nackWait = Math.floor(this.config.indirectTimeout * NACK_DELAY)
    const due = now + Math.max(this.load.timeout(scaledTimeout(this.config.indirectTimeout, lhm), now), this.load.timeout(0, now) + nackWait)
    out.push(scheduleTimer(`swim:end:${seq}`, due, { kind: 'swim-probe-end', seq, due }))
    const helpers = this.monitored.sample(this.rng, this.config.indirectProbes, p => p === probe.target || this.members.get(p)?.status !== 'alive')
    probe.indirect = true
    probe.helpers = helpers
    probe.expectedNacks = this.config.lifeguard ? helpers.length : 0
    for (const helper of helpers) {
      out.push(send(helper, { proto: 'swim', type: 'ping-req', seq, target: probe.target, updates: this.outgoingUpdates(helper) }))
    }
  }

  private onProbeEnd (seq: number, due: number, now: number, out: Out<P>): void {
    const probe = this.probes.get(seq)
    if (probe == null) {
      return
    }
    this.probes.delete(seq)
    if (this.config.lifeguard && now - due > this.config.indirectTimeout) {
      // Our own deadline fired this late: we were stalled (GC pause, CPU starvation), and the ack
      // may be waiting unread behind this timer. The probe proves nothing about the target; it is
      // evidence about us. (An extension of Lifeguard §IV-A's local health signals.)
      this.stats.inconclusiveProbes++
      this.health.adjust(1)
      return
    }
    this.stats.failedProbes++
    if (this.config.lifeguard) {
      // Lifeguard §IV-A (as memberlist's probeNode): helpers that answered with a nack show our own
      // links work, so only missing nacks count against us, and only once the helper is shown
      // alive (LocalHealth); with no helpers, the failed probe does
      if (probe.expectedNacks > 0) {
        this.health.missedNacks(probe.helpers.filter(h => !probe.nacked.has(h)), now)
      } else {
        this.health.adjust(1)
      }
    }
    this.suspect(probe.target, now, out)
    if (this.config.lifeguard) {
      this.probeNextEarly(now, out)
    }
  }

  /**
   * A failed probe is followed by the next probe at once, not a period later:
   * after a mass failure most of a survivor's neighbours are dead, and one probe per period took
   * 12 s to reach them all (SPEC.md §6.2). Only a node with no sign of its own slowness does
   * this, and each target is probed once per cycle, so the chain ends at the first live
   * neighbour.
   */
  private probeNextEarly (now: number, out: Out<P>): void {
    if (this.health.multiplier > 0 || this.load.lag(now) >= this.config.ackTimeout) {
      return
    }
    const next = this.nextTarget(now)
    if (next != null && !this.probing(next)) {
      this.sendProbe(next, false, now, out)
    }
  }

  private onPingReq (from: P, seq: number, target: P, now: number, out: Out<P>): void {
    if (target === this.self || target === from) {
      this.drops.invalid++
      return
    }
    if (this.relays.size >= MAX_RELAYS) {
      this.drops.unexpected++
      return
    }
    const local = ++this.seq
    this.relays.set(local, { requester: from, requesterSeq: seq })
    out.push(send(target, { proto: 'swim', type: 'ping', seq: local, updates: [] }))
    // Lifeguard nack: answer well before the requester's own deadline (it waits indirectTimeout
    // from sending, and the request took up to a one-way delay to get here), so that a missing
    // nack really means *its* links are bad; 0.8× arrived too late most of the time (review)
    out.push(scheduleTimer(`swim:relay:${local}`, now + Math.floor(this.config.indirectTimeout * NACK_DELAY), { kind: 'swim-relay-timeout', seq: local }))
  }

  private onRelayTimeout (seq: number, out: Out<P>): void {
    const relay = this.relays.get(seq)
    if (relay == null) {
      return
    }
    this.relays.delete(seq)
    if (this.config.lifeguard) {
      out.push(send(relay.requester, { proto: 'swim', type: 'nack', seq: relay.requesterSeq }))
    }
  }

  private onNack (from: P, seq: number): void {
    const probe = this.probes.get(seq)
    if (probe == null || !probe.helpers.includes(from) || probe.nacked.has(from)) {
      // only a helper we asked may nack, once: forged or repeated nacks must not lower our local health
      this.drops.unexpected++
      return
    }
    probe.nacked.add(from)
  }

  // --- suspicion and dissemination ------------------------------------------------------

  private suspect (target: P, now: number, out: Out<P>): void {
    const member = this.members.get(target) ?? { incarnation: 0, status: 'alive' as MemberStatus }
    if (member.status === 'dead') {
      return
    }
    this.stats.suspicionsRaised++
    this.applyUpdate({ member: target, incarnation: Math.max(0, member.incarnation), status: 'suspect', from: this.self }, now, out)
  }

  /**
   * Applies one update; anything that changes our view is queued for the next
   * flush to every neighbour. Precedence (SWIM §4.2): higher incarnation wins;
   * at equal incarnation dead > suspect > alive.
   */
  private applyUpdate (update: MemberUpdate<P>, now: number, out: Out<P>): void {
    if (update == null || !Number.isSafeInteger(update.incarnation) || update.incarnation < 0 || update.incarnation > MAX_INCARNATION ||
      !['alive', 'suspect', 'dead'].includes(update.status) || !this.validPeer(update.member) || !this.validPeer(update.from)) {
      this.drops.invalid++
      return
    }
    if (update.member === this.self) {
      this.onNewsAboutSelf(update, now, out)
    } else if (update.status === 'alive') {
      this.applyAlive(update, now, out)
    } else if (update.status === 'suspect') {
      this.applySuspect(update, now, out)
    } else {
      this.applyDead(update, now, out)
    }
  }

  private applyAlive (update: MemberUpdate<P>, now: number, out: Out<P>): void {
    const { member: peer, incarnation } = update
    const known = this.members.get(peer)
    if (known != null && incarnation <= known.incarnation) {
      return
    }
    this.setMember(peer, { incarnation, status: 'alive' })
    out.push(cancelTimer(`swim:sus:${String(peer)}`))
    if (known?.status === 'suspect' || known?.status === 'dead') {
      out.push(emit({ type: 'peer-alive', peer, incarnation }))
    }
    // a first sighting (no record, or a neighbour whose incarnation we had not learnt yet) is
    // recorded, not spread: there is no full membership list to keep, and spreading every node's
    // incarnation to every node costs O(n²) records (measured: ~9 GB in the simulator at 10,000
    // nodes). A newer incarnation of a known member is a refutation passing through: spread it.
    if (known != null && known.incarnation >= 0) {
      this.queue(update, now, out)
    }
  }

  private applySuspect (update: MemberUpdate<P>, now: number, out: Out<P>): void {
    const { member: peer, incarnation } = update
    const known = this.members.get(peer)
    if (known != null && (incarnation < known.incarnation || (known.status === 'dead' && incarnation === known.incarnation))) {
      return
    }
    if (known?.status === 'suspect' && known.incarnation === incarnation) {
      this.applyConfirmation(peer, known, update, now, out)
      return
    }
    const entry: Member<P> = { incarnation, status: 'suspect', suspecters: new Set([update.from]) }
    this.setMember(peer, entry)
    out.push(emit({ type: 'peer-suspect', peer, incarnation }))
    // only a monitor, which can probe the member itself, may turn a suspicion into a verdict;
    // everyone else waits for a verdict or a refutation (SPEC.md §6.3)
    if (this.monitored.has(peer)) {
      this.rescheduleSuspicion(peer, entry, now, out)
    }
    this.queue(update, now, out)
    if (this.config.lifeguard && update.from !== this.self && this.monitored.has(peer)) {
      // see for ourselves: a failed direct probe becomes our own confirmation
      this.sendProbe(peer, true, now, out)
    }
  }

  /** Another independent suspicion of the same incarnation: a Lifeguard confirmation */
  private applyConfirmation (peer: P, known: Member<P>, update: MemberUpdate<P>, now: number, out: Out<P>): void {
    if (known.suspecters == null || known.suspecters.has(update.from) || known.suspecters.size > this.config.expectedConfirmations) {
      // duplicates change nothing, and beyond K more confirmations cannot shorten the timeout
      // (the cap also bounds memory against forged confirmations)
      return
    }
    known.suspecters.add(update.from)
    if (this.monitored.has(peer)) {
      this.rescheduleSuspicion(peer, known, now, out)
    }
    // confirmations spread by piggyback only: relaying each to every co-monitor costs O(d²)
    this.queue(update, now, out, false)
  }

  private applyDead (update: MemberUpdate<P>, now: number, out: Out<P>): void {
    const { member: peer, incarnation } = update
    const known = this.members.get(peer)
    if (known != null && (incarnation < known.incarnation || (known.status === 'dead' && incarnation === known.incarnation))) {
      return
    }
    this.setMember(peer, { incarnation, status: 'dead' })
    out.push(cancelTimer(`swim:sus:${String(peer)}`))
    out.push(emit({ type: 'peer-dead', peer, incarnation, by: update.from }))
    // relay to the co-monitors first (that needs it still monitored), then stop watching it
    this.queue(update, now, out)
    this.monitored.delete(peer)
  }

  /** Refute suspicion or death of ourselves with a higher incarnation (SWIM §4.2) */
  private onNewsAboutSelf (update: MemberUpdate<P>, now: number, out: Out<P>): void {
    if (update.status === 'alive') {
      return
    }
    if (update.incarnation >= this.incarnation) {
      this.incarnation = update.incarnation + 1
      this.refutedTo.clear()
      this.stats.refutations++
      if (this.config.lifeguard) {
        // Lifeguard §IV-A: being suspected suggests we are the slow one
        this.health.adjust(1)
      }
    }
    // spread our current incarnation once per incarnation, even when the accusation was about an
    // older one: whoever believes it has not heard the newer one yet
    if (this.announced !== this.incarnation) {
      this.announced = this.incarnation
      this.queue({ member: this.self, incarnation: this.incarnation, status: 'alive', from: this.self }, now, out)
    }
    // answer whoever raised or confirmed the accusation directly, once per incarnation: it may
    // not be among our neighbours (a one-sided link), or our refutation to it may have been lost
    if (update.from !== this.self && !this.refutedTo.has(update.from) && this.refutedTo.size < MAX_REFUTED_TO) {
      this.refutedTo.add(update.from)
      this.post(update.from, { member: this.self, incarnation: this.incarnation, status: 'alive', from: this.self })
      this.scheduleFlush(now, out)
    }
  }

  private rescheduleSuspicion (peer: P, member: Member<P>, now: number, out: Out<P>): void {
    // the clock starts when *we* start timing, not when we first heard: a suspicion recorded
    // long ago as a bystander must not turn into an instant verdict once we become a monitor
    member.suspectedAt ??= now
    const started = member.suspectedAt
    let timeout: number
    if (this.config.lifeguard) {
      const confirmations = (member.suspecters?.size ?? 1) - 1
      // a node that believes itself unhealthy (LHM > 0: lost nacks, refuted accusations) also
      // waits longer before turning a suspicion into a verdict; its own evidence is weaker
      timeout = scaledTimeout(suspicionTimeout(confirmations, this.config.expectedConfirmations, this.config.suspicionMinTimeout, this.config.suspicionMaxTimeout), this.health.multiplier)
    } else {
      timeout = this.config.suspicionTimeout
    }
    // a refutation has to cross a round trip and then our own queue: our lag is not the
    // suspect's fault (Lifeguard's local health, extended to event-loop lag, SPEC.md §6.9)
    timeout += Math.ceil(2 * this.load.lag(now))
    out.push(scheduleTimer(`swim:sus:${String(peer)}`, Math.max(now, started + timeout), { kind: 'swim-suspicion', member: peer }))
  }

  private onSuspicionTimeout (peer: P, now: number, out: Out<P>): void {
    const member = this.members.get(peer)
    if (member?.status !== 'suspect') {
      return
    }
    if (!this.monitored.has(peer)) {
      // no longer our neighbour: no longer ours to decide (SPEC.md §6.3); restart the clock if we
      // ever monitor it again
      member.suspectedAt = undefined
      return
    }
    this.stats.deathsDeclared++
    this.applyUpdate({ member: peer, incarnation: member.incarnation, status: 'dead', from: this.self }, now, out)
  }

  /**
   * What a ping, ack or ping-req to `peer` carries: news about the peer itself
   * first (Lifeguard's buddy system, so a suspected member learns it at once),
   * then up to maxPiggyback queued updates, oldest first (SWIM §4.1).
   */
  private outgoingUpdates (peer: P): Array<MemberUpdate<P>> {
    const updates: Array<MemberUpdate<P>> = []
    const member = this.members.get(peer)
    if (this.config.lifeguard && (member?.status === 'suspect' || member?.status === 'dead')) {
      updates.push({ member: peer, incarnation: member.incarnation, status: member.status, from: this.self })
    }
    this.piggyback.takeInto(updates, peer, this.config.maxPiggyback)
    return updates
  }

  /**
   * Every change to our view is spread epidemically by piggybacking. News we
   * originate also goes straight to those who act on it: a verdict about X to
   * X's other monitors (its active view, learnt from its acks) and, with
   * Lifeguard, to X itself; a refutation to everyone who monitors us.
   */
  private queue (update: MemberUpdate<P>, now: number, out: Out<P>, relay = true): void {
    this.piggyback.add(update)
    if (update.member === this.self) {
      for (const peer of this.monitored.values()) {
        this.post(peer, update)
      }
    } else if (update.from === this.self) {
      for (const peer of this.neighborsOf.get(update.member) ?? []) {
        this.post(peer, update)
      }
      if (this.config.lifeguard) {
        this.post(update.member, update)
      }
    } else if (relay && update.status !== 'alive' && this.monitored.has(update.member)) {
      // news about a member we watch, first heard from someone else: pass it on to the monitors
      // we know of, so that one sender's out-of-date list does not leave a monitor uninformed
      for (const peer of this.neighborsOf.get(update.member) ?? []) {
        if (peer !== update.from) {
          this.post(peer, update)
        }
      }
    }
    this.scheduleFlush(now, out)
  }

  private scheduleFlush (now: number, out: Out<P>): void {
    if (this.outbox.size > 0 && !this.flushScheduled) {
      this.flushScheduled = true
      out.push(scheduleTimer('swim:flush', now + this.config.gossipFlushInterval, { kind: 'swim-flush' }))
    }
  }

  private post (peer: P, update: MemberUpdate<P>): void {
    if (peer !== this.self) {
      this.outbox.post(peer, update)
    }
  }

  /** Sends batched news, at most maxUpdatesPerMessage per message and recipient */
  private onFlush (now: number, out: Out<P>): void {
    this.flushScheduled = false
    for (const { peer, updates } of this.outbox.drain(this.config.maxUpdatesPerMessage)) {
      out.push(send(peer, { proto: 'swim', type: 'gossip', updates }))
    }
    if (this.outbox.size > 0) {
      this.flushScheduled = true
      out.push(scheduleTimer('swim:flush', now + this.config.gossipFlushInterval, { kind: 'swim-flush' }))
    }
  }

  private setMember (peer: P, member: Member<P>): void {
    if (member.status !== 'alive') {
      this.health.forgive(peer)
    }
    this.members.delete(peer)
    this.members.set(peer, member)
    if (this.members.size > this.config.memberTableCapacity) {
      for (const key of this.members.keys()) {
        if (!this.monitored.has(key)) {
          this.members.delete(key)
          break
        }
      }
    }
  }
}
