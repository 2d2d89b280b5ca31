import { IndexedSet, InvalidConfigError, LoadEstimate, cancelTimer, emit, scheduleTimer, send } from '@saorsa-gossip/core'
import { isPeerKey } from './hyparview-validation.ts'
import { LocalHealth } from './local-health.ts'
import { ProbeSchedule } from './probe-schedule.ts'
import { scaledTimeout } from './suspicion.ts'
import { resolveSwimConfig } from './swim-config.ts'
import { MAX_INCARNATION, SwimMembers } from './swim-members.ts'
import { AckViews, Dissemination } from './swim-news.ts'
import { NACK_DELAY, Relays } from './swim-relays.ts'
import type { MemberStatus, MemberUpdate, SwimMessage } from './messages.ts'
import type { SwimConfig } from './swim-config.ts'
import type { DropCounters, CoreEffect, MembershipTimer } from './types.ts'
import type { Rng } from '@saorsa-gossip/core'

type Out<P> = Array<CoreEffect<P>>

export { MAX_RELAYS } from './swim-relays.ts'

/** Largest neighbour list accepted in an ack (an active view is at most 12 by default) */
export const MAX_NEIGHBORS = 64
/** Probes outstanding at most, confirmation probes included */
export const MAX_PROBES = 64
/** Slots of the interleaved schedule served per probe period at most (SPEC.md §6.2) */
const MAX_SLOTS_PER_PERIOD = 3
/** An ack repeats an unchanged neighbour list at least every this many acks to the same prober (a lost full list heals) */
const FULL_VIEW_EVERY = 8
/** Probers whose last-sent view version is remembered (active views are ≤ 12; relayed pings add a few) */
const MAX_VIEW_SENT = 256
/**
 * A neighbour not heard from since it became one counts as a link still setting up for this
 * many probe periods (replaceUnresponsive, SPEC.md §6.10). Guess: a few probe cycles; under
 * heavier load than this, the lag gate already holds the option back
 */
const YOUNG_LINK_PROBES = 5

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

/** Counters for metrics and the simulator */
export interface SwimStats {
  probes: number
  /** probes whose deadline fired late because this node was stalled: not counted as failures (Lifeguard on) */
  inconclusiveProbes: number
  failedProbes: number
  suspicionsRaised: number
  refutations: number
  deathsDeclared: number
  /** other nodes' dead verdicts about members we monitor, checked with a probe before being obeyed (SPEC.md §6.3) */
  verdictsChecked: number
  /** of those, verdicts the member disproved by answering */
  verdictsRefuted: number
  /** probe slots answered by a frame the member had just sent us: no ping (SPEC.md §6.2) */
  probesAnsweredByTraffic: number
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
 *
 * This class probes; the member table and how news changes it are in `SwimMembers`
 * (swim-members.ts), where news goes in `Dissemination` (swim-news.ts), and when each member
 * is probed in `ProbeSchedule` (probe-schedule.ts).
 */
export class Swim<P> {
  readonly self: P
  readonly config: SwimConfig
  readonly drops: DropCounters = { unexpected: 0, invalid: 0 }
  readonly stats: SwimStats = { probes: 0, inconclusiveProbes: 0, failedProbes: 0, suspicionsRaised: 0, refutations: 0, deathsDeclared: 0, verdictsChecked: 0, verdictsRefuted: 0, probesAnsweredByTraffic: 0 }
  private readonly rng: Rng
  private readonly monitored = new IndexedSet<P>()
  /** the member table, and the rules by which news changes it */
  private readonly members: SwimMembers<P>
  private readonly probes = new Map<number, Probe<P>>()
  /** PING-REQs we answer as a helper */
  private readonly relays: Relays<P>
  /** where news goes: piggybacked on pings and acks, and batched straight to those who act on it */
  private readonly news: Dissemination<P>
  /** each monitored member's own active view, from its last ack: the other peers that watch it */
  private readonly neighborsOf = new Map<P, P[]>()
  /** whether each monitored member's last neighbour list named us */
  private readonly listsUs = new Map<P, boolean>()
  /** when each monitored member last sent us a frame, of any service (`heard`) */
  private readonly heardAt = new Map<P, number>()
  /** when each monitored member became a neighbour (a new link gets time to become symmetric) */
  private readonly monitoredSince = new Map<P, number>()
  private readonly validPeer: (value: unknown) => boolean
  /** when each monitored member is next probed, interleaved with its other monitors */
  private readonly schedule: ProbeSchedule<P>
  private seq = 0
  /** Lifeguard's local health multiplier, missed nacks judged once the helper's fate is known */
  private readonly health: LocalHealth<P>
  /** our own timer lateness and ack round trips: every timeout follows them (SPEC.md §6.9) */
  private readonly load = new LoadEstimate()
  /** acks carry our view only when it is news to the prober */
  private readonly ackViews = new AckViews<P>(FULL_VIEW_EVERY, MAX_VIEW_SENT)
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
    this.news = new Dissemination<P>(self, this.config, this.monitored, this.neighborsOf)
    this.validPeer = validPeer
    if (!Number.isSafeInteger(startIncarnation) || startIncarnation < 0 || startIncarnation > MAX_INCARNATION) {
      throw new InvalidConfigError('startIncarnation must be a non-negative safe integer')
    }
    // a dead helper is probed or reported within a few probe cycles and a suspicion timeout
    this.health = new LocalHealth<P>(this.config.maxLocalHealth, 10 * this.config.probeInterval + 2 * this.config.suspicionMaxTimeout)
    this.schedule = new ProbeSchedule<P>(self, rng, this.config, this.monitored, this.neighborsOf)
    this.relays = new Relays<P>(this.config)
    this.members = new SwimMembers<P>({
      self,
      config: this.config,
      validPeer,
      monitored: this.monitored,
      news: this.news,
      health: this.health,
      load: this.load,
      stats: this.stats,
      drops: this.drops,
      confirm: (peer, now, out) => { this.sendProbe(peer, true, now, out) }
    }, startIncarnation)
  }

  get localHealthMultiplier (): number {
    return this.health.multiplier
  }

  get ownIncarnation (): number {
    return this.members.incarnation
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
      this.members.set(peer, { incarnation: -1, status: 'alive' })
    } else if (member.status === 'dead') {
      // it completed a handshake with us, so it runs: watch it again from its last incarnation
      // (its acks bring the newer one), or it could never be declared again
      this.members.set(peer, { incarnation: member.incarnation, status: 'alive' })
    }
  }

  /** Stops probing `peer` */
  unmonitor (peer: P): void {
    this.members.forgetVerdict(peer)
    if (this.monitored.delete(peer)) {
      this.ackViews.changed()
    }
    this.ackViews.forget(peer)
    this.neighborsOf.delete(peer)
    this.listsUs.delete(peer)
    this.monitoredSince.delete(peer)
    this.heardAt.delete(peer)
    this.schedule.forget(peer)
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
    this.members.heardFrom(from)
    this.heard(from, now)
    if ('updates' in message) {
      for (const update of message.updates) {
        this.members.apply(update, now, out)
      }
    }
    switch (message.type) {
      case 'ping': out.push(send(from, { proto: 'swim', type: 'ack', seq: message.seq, incarnation: this.members.incarnation, updates: this.outgoingUpdates(from), neighbors: this.ackViews.viewFor(from, message.wantView === true, () => this.monitored.values().slice()) })); break
      case 'ack': this.onAck(from, message.seq, message.incarnation, message.neighbors, now, out); break
      case 'ping-req': this.onPingReq(from, message.seq, message.target, now, out); break
      case 'nack': this.onNack(from, message.seq); break
      case 'gossip': break
      default: this.drops.invalid++
    }
    return out
  }

  /**
   * A frame from `peer` arrived, of any service: it was alive and reached us just now. Only
   * monitored members are recorded (the map stays as small as the active view).
   */
  heard (peer: P, now: number): void {
    if (this.monitored.has(peer)) {
      this.heardAt.set(peer, now)
    }
  }

  /** Field types and sizes of a remote message; updates are checked one by one in SwimMembers.apply */
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
      case 'swim-relay-timeout': this.relays.timedOut(timer.seq, out); break
      case 'swim-suspicion': this.members.onSuspicionTimeout(timer.member, now, out); break
      case 'swim-flush': this.news.flush(now, out); break
      case 'swim-recheck': this.onRecheck(timer.member, timer.heard, now, out); break
      default: break
    }
    return out
  }

  // --- probing ------------------------------------------------------------------

  private onProbeTimer (now: number, out: Out<P>): void {
    // a lagging node probes less often too (its probes would only time out in its own queue).
    // Lifeguard's multiplier stretches the waits, not the period: it also rises with what is not
    // our slowness (lost nacks, no helper left), and after a mass failure stretched survivors'
    // periods to 2–4 s while their dead members' slots waited (SPEC.md §6.5)
    const period = this.config.probeInterval + Math.ceil(this.load.lag(now))
    out.push(scheduleTimer('swim:probe', now + period, { kind: 'swim-probe', due: now + period }))
    this.health.expire(now)
    // a neighbour we suspect is probed every period: its ack (carrying a refuted incarnation)
    // clears the suspicion even when every refutation message was lost (with one re-probe per
    // suspicion, 3% loss turned into 5–8 false verdicts per 2,000-node run instead of 0). It
    // comes on top of the round-robin probe, not instead of it: after a mass failure most
    // neighbours are suspects, and re-probing them in its place stalled the round-robin that
    // finds the others (own suspicions P99 18 s, SPEC.md §6.2)
    const lagging = this.lagging(now)
    const suspect = this.nextSuspect()
    if (suspect != null) {
      this.sendProbe(suspect, false, now, out)
      if (lagging) {
        // a node whose own event loop lags sends one probe per period, no more
        return
      }
    }
    // every member whose slot has come, not one per period; then those a sweep still owes a
    // probe (SPEC.md §6.2)
    const slots = lagging ? 1 : MAX_SLOTS_PER_PERIOD
    for (let i = 0; i < slots; i++) {
      const target = this.schedule.due(now) ?? (lagging ? undefined : this.schedule.nextSwept(now))
      if (target == null) {
        break
      }
      if (!this.probing(target) && !this.answeredByTraffic(target, now, out)) {
        this.sendProbe(target, false, now, out)
      }
    }
  }

  /**
   * The slot's member sent us a frame within the ack wait a ping would get: that frame is the
   * answer the ping asks for, so none is sent (SPEC.md §6.2). Not when the ping would carry news
   * (refutations and verdicts travel on pings), not while we show signs of our own slowness (a
   * probe's round trip is also Lifeguard's evidence about us), and not before the member's ack
   * told us its neighbours (the interleaved schedule needs them). One recheck follows when that
   * wait has passed since the frame: a member silent since then is probed at once, so a crash
   * just after that frame costs at most one ack wait; one heard again since is left to its next
   * slot, its other monitors' slots coming about once per period meanwhile.
   */
  private answeredByTraffic (target: P, now: number, out: Out<P>): boolean {
    if (!this.config.trafficAnswersProbe || (this.config.lifeguard && this.health.multiplier > 0) || !this.neighborsOf.has(target)) {
      return false
    }
    const heard = this.heardAt.get(target)
    const wait = this.load.timeout(this.config.ackTimeout, now)
    if (heard == null || now - heard > wait || this.news.hasNewsFor(this.members.get(target))) {
      return false
    }
    this.stats.probesAnsweredByTraffic++
    out.push(scheduleTimer(`swim:recheck:${String(target)}`, heard + wait + 1, { kind: 'swim-recheck', member: target, heard }))
    return true
  }

  /** A member whose slot a frame answered: probed now unless it has sent something since */
  private onRecheck (member: P, heard: number, now: number, out: Out<P>): void {
    if (!this.monitored.has(member) || (this.heardAt.get(member) ?? -Infinity) > heard || this.probing(member)) {
      return
    }
    this.sendProbe(member, false, now, out)
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

  private sendProbe (target: P, confirm: boolean, now: number, out: Out<P>): void {
    if (this.probes.size >= MAX_PROBES) {
      return
    }
    const seq = ++this.seq
    this.schedule.probed(target)
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
    if (this.relays.answered(seq, out)) {
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
      this.members.apply({ member: from, incarnation, status: 'alive', from }, now, out)
    }
    if (from === probe.target && this.monitored.has(from)) {
      if (neighbors != null) {
        const others = neighbors.filter(p => p !== this.self && p !== from)
        const listsUs = neighbors.includes(this.self)
        const previous = this.neighborsOf.get(from)
        const changed = previous == null || previous.length !== others.length || previous.some((p, i) => p !== others[i])
        if (changed) {
          // keep the old array when nothing changed, so the cached rank stays valid
          this.neighborsOf.set(from, others)
          // our rank among its monitors may have changed, and with it our slots
          this.schedule.reschedule(from, now + 1)
        }
        if (changed || this.listsUs.get(from) !== listsUs) {
          out.push(emit({ type: 'neighbors-of', peer: from, neighbors: others, size: others.length + (listsUs ? 1 : 0) }))
        }
        this.listsUs.set(from, listsUs)
      }
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
      if (this.members.verdictConfirmed(probe.target, now, out)) {
        return
      }
      const member = this.members.get(probe.target)
      if (member?.status === 'suspect' && member.incarnation === probe.incarnation) {
        this.stats.suspicionsRaised++
        this.members.apply({ member: probe.target, incarnation: member.incarnation, status: 'suspect', from: this.self }, now, out)
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
    const unfit = (p: P): boolean => p === probe.target || this.members.get(p)?.status !== 'alive'
    // the target's own neighbours first (its last ack named them): they hold a connection to it,
    // any other helper must dial one. On 100 real nodes forming under load a tenth of all
    // connections were helpers' pings (SPEC.md §6.2)
    const linked = new Set(this.neighborsOf.get(probe.target) ?? [])
    const helpers = this.monitored.sample(this.rng, this.config.indirectProbes, p => unfit(p) || !linked.has(p))
    if (helpers.length < this.config.indirectProbes) {
      helpers.push(...this.monitored.sample(this.rng, this.config.indirectProbes - helpers.length, p => unfit(p) || linked.has(p)))
    }
    probe.indirect = true
    probe.helpers = helpers
    probe.expectedNacks = this.config.lifeguard ? helpers.length : 0
    for (const helper of helpers) {
      out.push(send(helper, { proto: 'swim', type: 'ping-req', seq, target: probe.target, updates: this.outgoingUpdates(helper) }))
    }
  }

  /**
   * A neighbour whose link has shown life: it sent us a frame since we began to watch it, or we
   * have watched it for YOUNG_LINK_PROBES probe periods. Only these are replaced on a failed
   * probe (SPEC.md §6.10): on 100 real QUIC nodes this cut the live links torn down during
   * formation from 6–7 to 0–2 per run
   */
  private established (peer: P, now: number): boolean {
    return this.heardAt.has(peer) || now - (this.monitoredSince.get(peer) ?? now) >= YOUNG_LINK_PROBES * this.config.probeInterval
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
    if (!this.lagging(now)) {
      this.schedule.sweep(now, probe.target)
    }
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
    const alreadySuspect = this.members.get(probe.target)?.status === 'suspect'
    this.members.suspect(probe.target, now, out)
    if (this.config.replaceUnresponsive && alreadySuspect && !this.lagging(now) && this.established(probe.target, now)) {
      // a failed probe, direct and indirect, of a neighbour already suspect (our own earlier probe
      // failed, or another monitor's suspicion reached us): two failures, so the overlay
      // need not wait for the verdict to replace it (SPEC.md §6.10). One failed probe is not
      // enough: at 5% loss a live neighbour fails one now and then, and tearing its link down
      // during its refutation led to false verdicts in the simulator. Not while our own event
      // loop lags: on loaded real nodes the targets are as slow as we are, and tearing their
      // links down only added load. Not a neighbour we have not heard from since we began to
      // watch it, within YOUNG_LINK_PROBES periods: a new link whose first pings fail is likelier
      // a transport still setting up (a QUIC stream opened under load) than a crash
      out.push(emit({ type: 'probe-failed', peer: probe.target }))
    }
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
    if (this.health.multiplier > 0 || this.lagging(now)) {
      return
    }
    const next = this.schedule.next(now)
    if (next != null && !this.probing(next)) {
      this.sendProbe(next, false, now, out)
    }
  }

  /** Our own event loop lags by an ack wait or more: what we would judge may be our own slowness */
  private lagging (now: number): boolean {
    return this.load.lag(now) >= this.config.ackTimeout
  }

  private onPingReq (from: P, seq: number, target: P, now: number, out: Out<P>): void {
    if (target === this.self || target === from) {
      this.drops.invalid++
      return
    }
    // one sequence space for our probes and our relayed pings: an ack's seq says which it answers
    const local = this.seq + 1
    if (!this.relays.request(from, seq, target, local, now, out)) {
      this.drops.unexpected++
      return
    }
    this.seq = local
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

  // --- dissemination ------------------------------------------------------

  /** What a ping, ack or ping-req to `peer` carries (Dissemination.updatesFor) */
  private outgoingUpdates (peer: P): Array<MemberUpdate<P>> {
    return this.news.updatesFor(peer, this.members.get(peer))
  }
}
