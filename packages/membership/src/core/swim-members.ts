import { cancelTimer, emit, scheduleTimer } from '@saorsa-gossip/core'
import { scaledTimeout, suspicionTimeout } from './suspicion.ts'
import type { LocalHealth } from './local-health.ts'
import type { MemberStatus, MemberUpdate } from './messages.ts'
import type { SwimConfig } from './swim-config.ts'
import type { Dissemination } from './swim-news.ts'
import type { DropCounters, CoreEffect } from './types.ts'
import type { IndexedSet, LoadEstimate } from '@saorsa-gossip/core'

type Out<P> = Array<CoreEffect<P>>

/** Largest incarnation accepted: incarnation + 1 must still be exact */
export const MAX_INCARNATION = Number.MAX_SAFE_INTEGER - 1
/**
 * How far ahead of our clock an accusation's incarnation may be, ms. Incarnations start at
 * the node's clock (wall-clock ms in the service, virtual time in the simulator) and grow by
 * one per refutation, so an honest one is never far ahead of any honest clock; 2³² ms (49
 * days) is far beyond clock skew. Without a bound, one forged `dead` at MAX_INCARNATION made
 * its victim unable to refute (its refutation would need MAX_INCARNATION + 1, which every
 * core rejects): dead for ever in the eyes of everyone who heard it (issue 19, SPEC.md §6.3).
 * Alive news gets twice the room, so that a refutation of an accusation at the bound is
 * accepted by a node whose clock is somewhat behind.
 */
export const INCARNATION_AHEAD = 2 ** 32
/** Accusers answered directly per incarnation at most */
const MAX_REFUTED_TO = 64

export interface Member<P> {
  incarnation: number
  status: MemberStatus
  /** Lifeguard: distinct peers that raised this suspicion */
  suspecters?: Set<P>
  /** when our own suspicion clock started: the first time we timed this suspicion as a monitor */
  suspectedAt?: number
}

/** What update application shares with the rest of the detector */
export interface SwimMembersContext<P> {
  self: P
  config: SwimConfig
  /** checks every peer key that arrives in an update */
  validPeer (value: unknown): boolean
  /** the members we probe; a verdict removes its member */
  monitored: IndexedSet<P>
  news: Dissemination<P>
  health: LocalHealth<P>
  load: LoadEstimate
  /** the detector's counters (SwimStats) that suspicions, refutations and verdicts add to */
  stats: { suspicionsRaised: number, refutations: number, deathsDeclared: number, verdictsChecked: number, verdictsRefuted: number }
  drops: DropCounters
  /** sends a Lifeguard confirmation probe: direct only, its failure adds our own suspicion */
  confirm (peer: P, now: number, out: Out<P>): void
}

/**
 * The member table and the rules by which news changes it: precedence of alive, suspect and
 * dead (SWIM §4.2), suspicion timers shortened by independent confirmations (Lifeguard §IV-B),
 * verdicts, and the refutation of news about ourselves with a higher incarnation.
 *
 * Every message's updates and every probe outcome end here, while probing only decides whom to
 * ask; keeping the two apart keeps each readable. The one way back into probing is `confirm`,
 * the Lifeguard probe of a member someone else suspects (SPEC.md §6.3).
 */
export class SwimMembers<P> {
  private readonly self: P
  private readonly config: SwimConfig
  private readonly validPeer: (value: unknown) => boolean
  private readonly monitored: IndexedSet<P>
  private readonly news: Dissemination<P>
  private readonly health: LocalHealth<P>
  private readonly load: LoadEstimate
  private readonly stats: SwimMembersContext<P>['stats']
  private readonly drops: DropCounters
  private readonly confirm: SwimMembersContext<P>['confirm']
  private readonly members = new Map<P, Member<P>>()
  /** accusers answered directly at the current incarnation, and when (bounded: cleared on each refutation) */
  private readonly refutedTo = new Map<P, number>()
  /** other nodes' verdicts about members we monitor, while our own probe checks them (at most one per monitored member) */
  private readonly pendingVerdicts = new Map<P, MemberUpdate<P>>()
  /** the incarnation we last announced as alive (-1: none yet) */
  private announced = -1
  private ownIncarnation: number

  /** `startIncarnation` has been checked by the caller (0 ≤ it ≤ MAX_INCARNATION) */
  constructor (context: SwimMembersContext<P>, startIncarnation: number) {
    this.self = context.self
    this.config = context.config
    this.validPeer = context.validPeer
    this.monitored = context.monitored
    this.news = context.news
    this.health = context.health
    this.load = context.load
    this.stats = context.stats
    this.drops = context.drops
    this.confirm = context.confirm
    this.ownIncarnation = startIncarnation
  }

  /** Our own incarnation: raised by each refutation */
  get incarnation (): number {
    return this.ownIncarnation
  }

  get (peer: P): Member<P> | undefined {
    return this.members.get(peer)
  }

  set (peer: P, member: Member<P>): void {
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

  /** Our own suspicion of `target`, after a failed probe */
  suspect (target: P, now: number, out: Out<P>): void {
    const member = this.members.get(target) ?? { incarnation: 0, status: 'alive' as MemberStatus }
    if (member.status === 'dead') {
      return
    }
    this.stats.suspicionsRaised++
    this.apply({ member: target, incarnation: Math.max(0, member.incarnation), status: 'suspect', from: this.self }, now, out)
  }

  /**
   * Applies one update; anything that changes our view is queued for the next
   * flush to every neighbour. Precedence (SWIM §4.2): higher incarnation wins;
   * at equal incarnation dead > suspect > alive.
   */
  apply (update: MemberUpdate<P>, now: number, out: Out<P>): void {
    if (update == null || !Number.isSafeInteger(update.incarnation) || update.incarnation < 0 || update.incarnation > MAX_INCARNATION ||
      !['alive', 'suspect', 'dead'].includes(update.status) || !this.validPeer(update.member) || !this.validPeer(update.from)) {
      this.drops.invalid++
      return
    }
    if (update.incarnation > Math.max(0, now) + (update.status === 'alive' ? 2 : 1) * INCARNATION_AHEAD) {
      // implausibly far ahead of our clock: no honest node has reached it
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

  /** A suspicion's timer fired: a monitor turns it into a verdict */
  onSuspicionTimeout (peer: P, now: number, out: Out<P>): void {
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
    this.apply({ member: peer, incarnation: member.incarnation, status: 'dead', from: this.self }, now, out)
  }

  private applyAlive (update: MemberUpdate<P>, now: number, out: Out<P>): void {
    const { member: peer, incarnation } = update
    const known = this.members.get(peer)
    if (known != null && incarnation <= known.incarnation) {
      return
    }
    this.set(peer, { incarnation, status: 'alive' })
    out.push(cancelTimer(`swim:sus:${String(peer)}`))
    if (known?.status === 'suspect' || known?.status === 'dead') {
      out.push(emit({ type: 'peer-alive', peer, incarnation }))
    }
    // a first sighting (no record, or a neighbour whose incarnation we had not learnt yet) is
    // recorded, not spread: there is no full membership list to keep, and spreading every node's
    // incarnation to every node costs O(n²) records (measured: ~9 GB in the simulator at 10,000
    // nodes). A newer incarnation of a known member is a refutation passing through: spread it.
    if (known != null && known.incarnation >= 0) {
      this.news.queue(update, now, out)
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
    this.set(peer, entry)
    out.push(emit({ type: 'peer-suspect', peer, incarnation }))
    // only a monitor, which can probe the member itself, may turn a suspicion into a verdict;
    // everyone else waits for a verdict or a refutation (SPEC.md §6.3)
    if (this.monitored.has(peer)) {
      this.rescheduleSuspicion(peer, entry, now, out)
    }
    this.news.queue(update, now, out)
    if (this.config.lifeguard && update.from !== this.self && this.monitored.has(peer)) {
      // see for ourselves: a failed direct probe becomes our own confirmation
      this.confirm(peer, now, out)
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
    this.news.queue(update, now, out, false)
  }

  private applyDead (update: MemberUpdate<P>, now: number, out: Out<P>): void {
    const { member: peer, incarnation } = update
    const known = this.members.get(peer)
    if (known != null && (incarnation < known.incarnation || (known.status === 'dead' && incarnation === known.incarnation))) {
      return
    }
    if (this.config.lifeguard && update.from !== this.self && this.monitored.has(peer)) {
      this.checkVerdict(update, now, out)
      return
    }
    this.acceptDead(update, now, out)
  }

  /**
   * Another node's verdict about a member we monitor is checked before it is obeyed (SPEC.md
   * §6.3): a direct probe that goes unanswered confirms it at once; an answer, or any frame
   * from the member, discards it. The accused is sent the verdict so that it refutes within a
   * round trip for everyone else. A forged `dead` therefore no longer cuts a live link; a real
   * one costs its monitors one ack timeout.
   */
  private checkVerdict (update: MemberUpdate<P>, now: number, out: Out<P>): void {
    const pending = this.pendingVerdicts.get(update.member)
    if (pending != null && pending.incarnation >= update.incarnation) {
      return
    }
    this.pendingVerdicts.set(update.member, update)
    this.stats.verdictsChecked++
    this.news.post(update.member, update)
    this.news.scheduleFlush(now, out)
    this.confirm(update.member, now, out)
  }

  /** Our check of a verdict found no answer: it stands. True when there was one to confirm. */
  verdictConfirmed (peer: P, now: number, out: Out<P>): boolean {
    const pending = this.pendingVerdicts.get(peer)
    if (pending == null) {
      return false
    }
    this.pendingVerdicts.delete(peer)
    const known = this.members.get(peer)
    if (known == null || known.incarnation <= pending.incarnation) {
      this.acceptDead(pending, now, out)
    }
    return true
  }

  /** The member answered or sent something: a verdict we were checking was wrong */
  heardFrom (peer: P): void {
    if (this.pendingVerdicts.delete(peer)) {
      this.stats.verdictsRefuted++
    }
  }

  /** No longer our neighbour: no longer ours to check */
  forgetVerdict (peer: P): void {
    this.pendingVerdicts.delete(peer)
  }

  private acceptDead (update: MemberUpdate<P>, now: number, out: Out<P>): void {
    const { member: peer, incarnation } = update
    // a verdict we were checking is settled by this one (our own, say): its probe's deadline
    // must not declare the member a second time
    this.pendingVerdicts.delete(peer)
    this.set(peer, { incarnation, status: 'dead' })
    out.push(cancelTimer(`swim:sus:${String(peer)}`))
    out.push(emit({ type: 'peer-dead', peer, incarnation, by: update.from }))
    // relay to the co-monitors first (that needs it still monitored), then stop watching it
    this.news.queue(update, now, out)
    this.monitored.delete(peer)
  }

  /** Refute suspicion or death of ourselves with a higher incarnation (SWIM §4.2) */
  private onNewsAboutSelf (update: MemberUpdate<P>, now: number, out: Out<P>): void {
    if (update.status === 'alive') {
      return
    }
    if (update.incarnation >= this.ownIncarnation) {
      this.ownIncarnation = update.incarnation + 1
      this.refutedTo.clear()
      this.stats.refutations++
      if (this.config.lifeguard) {
        // Lifeguard §IV-A: being suspected suggests we are the slow one
        this.health.adjust(1)
      }
    }
    // spread our current incarnation once per incarnation, even when the accusation was about an
    // older one: whoever believes it has not heard the newer one yet
    if (this.announced !== this.ownIncarnation) {
      this.announced = this.ownIncarnation
      this.news.queue({ member: this.self, incarnation: this.ownIncarnation, status: 'alive', from: this.self }, now, out)
    }
    // answer whoever raised or confirmed the accusation directly: it may not be among our
    // neighbours (a one-sided link). Again when it repeats the accusation an ack wait or more
    // after our answer: that answer was lost. Answering once per incarnation let one lost frame
    // turn into a verdict at 3% loss, our acks to its pings being lost too and the piggybacked
    // refutation crowded out by other news (2,000 nodes, SPEC.md §6.3)
    const answered = this.refutedTo.get(update.from)
    if (update.from !== this.self && (answered == null ? this.refutedTo.size < MAX_REFUTED_TO : now - answered >= this.config.ackTimeout)) {
      this.refutedTo.set(update.from, now)
      this.news.post(update.from, { member: this.self, incarnation: this.ownIncarnation, status: 'alive', from: this.self })
      this.news.scheduleFlush(now, out)
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
}
