import { scheduleTimer, send } from '@saorsa-gossip/core'
import type { MemberStatus, MemberUpdate } from './messages.ts'
import type { SwimConfig } from './swim-config.ts'
import type { CoreEffect } from './types.ts'
import type { IndexedSet } from '@saorsa-gossip/core'

type Out<P> = Array<CoreEffect<P>>

/**
 * SWIM's epidemic queue (SWIM §4.1): the latest update per member, each piggybacked a bounded
 * number of times on pings, acks and ping-reqs, oldest first; the oldest is dropped beyond
 * `capacity`.
 */
export class PiggybackQueue<P> {
  private readonly entries = new Map<P, { update: MemberUpdate<P>, remaining: number }>()

  constructor (private readonly retransmitLimit: number, private readonly capacity: number) {}

  add (update: MemberUpdate<P>): void {
    this.entries.delete(update.member)
    this.entries.set(update.member, { update, remaining: this.retransmitLimit })
    if (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value as P)
    }
  }

  get size (): number {
    return this.entries.size
  }

  /**
   * Appends up to `max` updates in all to `updates`, oldest first, each at most once (entries
   * are collected before they are re-queued); news about `peer` is skipped when `updates`
   * already holds some (the caller put the buddy-system update first)
   */
  takeInto (updates: Array<MemberUpdate<P>>, peer: P, max: number): void {
    const taken: P[] = []
    for (const key of this.entries.keys()) {
      if (updates.length + taken.length >= max) {
        break
      }
      if (updates.length > 0 && key === peer) {
        continue
      }
      taken.push(key)
    }
    for (const key of taken) {
      const entry = this.entries.get(key) as { update: MemberUpdate<P>, remaining: number }
      updates.push(entry.update)
      this.entries.delete(key)
      if (--entry.remaining > 0) {
        this.entries.set(key, entry)
      }
    }
  }
}

/** News we send directly, per recipient, batched until the next flush (SPEC.md §6.4) */
export class Outbox<P> {
  private readonly pending = new Map<P, Array<MemberUpdate<P>>>()

  get size (): number {
    return this.pending.size
  }

  post (peer: P, update: MemberUpdate<P>): void {
    const list = this.pending.get(peer)
    if (list == null) {
      this.pending.set(peer, [update])
    } else if (!list.some(u => u.member === update.member && u.incarnation === update.incarnation && u.status === update.status && u.from === update.from)) {
      list.push(update)
    }
  }

  /** One batch of at most `max` updates per recipient; what is left waits for the next flush */
  drain (max: number): Array<{ peer: P, updates: Array<MemberUpdate<P>> }> {
    const batches: Array<{ peer: P, updates: Array<MemberUpdate<P>> }> = []
    for (const [peer, updates] of this.pending) {
      batches.push({ peer, updates: updates.splice(0, max) })
      if (updates.length === 0) {
        this.pending.delete(peer)
      }
    }
    return batches
  }
}

/**
 * Which acks carry our active view (SPEC.md §6.4): a prober gets the list when its version
 * is news to it, when it asks (`wantView`), and every `fullEvery` acks so a lost copy is
 * replaced. At most `capacity` probers are remembered.
 */
export class AckViews<P> {
  private version = 0
  private readonly sent = new Map<P, { version: number, acks: number }>()

  constructor (private readonly fullEvery: number, private readonly capacity: number) {}

  /** Our monitored set changed */
  changed (): void {
    this.version++
  }

  forget (prober: P): void {
    this.sent.delete(prober)
  }

  /** `view()` for an ack to `prober`, or undefined when it already holds this version */
  viewFor (prober: P, wanted: boolean, view: () => P[]): P[] | undefined {
    const sent = this.sent.get(prober)
    if (!wanted && sent != null && sent.version === this.version && ++sent.acks < this.fullEvery) {
      return undefined
    }
    if (sent == null && this.sent.size >= this.capacity) {
      this.sent.clear()
    }
    this.sent.set(prober, { version: this.version, acks: 0 })
    return view()
  }
}

/**
 * Where SWIM's news goes (SPEC.md §6.4): every change to our view is spread epidemically on
 * pings and acks (the piggyback queue), and what we originate, or hear about a member we watch,
 * also goes straight to those who act on it, batched per recipient until the next flush. One
 * outlet shared by the prober and by update application, so neither owns the other's queues;
 * the detector's monitored set and its members' neighbour lists are shared with it read-only.
 */
export class Dissemination<P> {
  /** news being spread epidemically on pings and acks: latest update per member, with sends left */
  private readonly piggyback: PiggybackQueue<P>
  /** our own news waiting for the next flush, per recipient */
  private readonly outbox = new Outbox<P>()
  private flushScheduled = false

  constructor (
    private readonly self: P,
    private readonly config: SwimConfig,
    private readonly monitored: Pick<IndexedSet<P>, 'has' | 'values'>,
    private readonly neighborsOf: ReadonlyMap<P, P[]>
  ) {
    this.piggyback = new PiggybackQueue<P>(this.config.retransmitLimit, this.config.piggybackQueueCapacity)
  }

  /**
   * What a ping, ack or ping-req to `peer` carries: news about the peer itself
   * first (Lifeguard's buddy system, so a suspected member learns it at once),
   * then up to maxPiggyback queued updates, oldest first (SWIM §4.1).
   * `member` is our record of `peer`.
   */
  updatesFor (peer: P, member: { incarnation: number, status: MemberStatus } | undefined): Array<MemberUpdate<P>> {
    const updates: Array<MemberUpdate<P>> = []
    if (this.config.lifeguard && (member?.status === 'suspect' || member?.status === 'dead')) {
      updates.push({ member: peer, incarnation: member.incarnation, status: member.status, from: this.self })
    }
    this.piggyback.takeInto(updates, peer, this.config.maxPiggyback)
    return updates
  }

  /** Whether a ping to a member in this state would carry news (then it is sent even when traffic answered it) */
  hasNewsFor (member: { status: MemberStatus } | undefined): boolean {
    return this.piggyback.size > 0 || (this.config.lifeguard && member != null && member.status !== 'alive')
  }

  /**
   * Every change to our view is spread epidemically by piggybacking. News we
   * originate also goes straight to those who act on it: a verdict about X to
   * X's other monitors (its active view, learnt from its acks) and, with
   * Lifeguard, to X itself; a refutation to everyone who monitors us.
   */
  queue (update: MemberUpdate<P>, now: number, out: Out<P>, relay = true): void {
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

  scheduleFlush (now: number, out: Out<P>): void {
    if (this.outbox.size > 0 && !this.flushScheduled) {
      this.flushScheduled = true
      out.push(scheduleTimer('swim:flush', now + this.config.gossipFlushInterval, { kind: 'swim-flush' }))
    }
  }

  /** Queues `update` for `peer` alone, sent with the next flush */
  post (peer: P, update: MemberUpdate<P>): void {
    if (peer !== this.self) {
      this.outbox.post(peer, update)
    }
  }

  /** Sends batched news, at most maxUpdatesPerMessage per message and recipient */
  flush (now: number, out: Out<P>): void {
    this.flushScheduled = false
    for (const { peer, updates } of this.outbox.drain(this.config.maxUpdatesPerMessage)) {
      out.push(send(peer, { proto: 'swim', type: 'gossip', updates }))
    }
    if (this.outbox.size > 0) {
      this.flushScheduled = true
      out.push(scheduleTimer('swim:flush', now + this.config.gossipFlushInterval, { kind: 'swim-flush' }))
    }
  }
}
