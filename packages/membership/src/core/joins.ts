import { scheduleTimer, send } from '@saorsa-gossip/core'
import type { HyParViewConfig } from './hyparview-config.ts'
import type { CoreEffect } from './types.ts'
import type { IndexedSet, Rng } from '@saorsa-gossip/core'

type Out<P> = Array<CoreEffect<P>>

/** Contacts remembered for join retries (bootstrap list plus peers that connected to us) */
const MAX_CONTACTS = 32

/** What joining reads and changes of the HyParView node it belongs to */
export interface JoinHost<P> {
  readonly self: P
  readonly config: HyParViewConfig
  readonly rng: Rng
  readonly active: IndexedSet<P>
  /** NEIGHBOR and JOIN requests in flight, by priority */
  readonly pending: Map<P, 'high' | 'low'>
  /** peers not to ask again before the next repair round */
  readonly coolingOff: Set<P>
  addActive(peer: P, now: number, out: Out<P>): void
  addPassive(peer: P): void
  requestNeighbor(peer: P, priority: 'high' | 'low', now: number, out: Out<P>): void
}

/**
 * Entering the overlay (Leitão et al., DSN 2007, §4.2, Alg. 1): JOIN to a contact, retried
 * every `joinRetryInterval` while the active view is empty; the contact's FORWARD_JOIN random
 * walks, each ending in a high-priority NEIGHBOR request to the joiner; and the contacts
 * themselves (the bootstrap list plus peers that connected to us, at most MAX_CONTACTS).
 */
export class Joins<P> {
  private contacts: P[] = []

  constructor (private readonly host: JoinHost<P>) {}

  /** The bootstrap list given to `start` */
  setContacts (contacts: readonly P[]): void {
    this.contacts = contacts.filter(c => c !== this.host.self)
  }

  /** A peer that connected to us is a contact too (oldest forgotten first beyond MAX_CONTACTS) */
  addContact (peer: P): void {
    if (!this.contacts.includes(peer)) {
      this.contacts.push(peer)
      if (this.contacts.length > MAX_CONTACTS) {
        this.contacts.shift()
      }
    }
  }

  /** The peer refused the protocol: never a contact again */
  removeContact (peer: P): void {
    this.contacts = this.contacts.filter(c => c !== peer)
  }

  /** Whether a contact may be asked now (one not cooling off) */
  hasContact (): boolean {
    return this.available().length > 0
  }

  /** JOIN to a random contact not cooling off, retried after `joinRetryInterval` */
  sendJoin (now: number, out: Out<P>): void {
    const contact = this.host.rng.pick(this.available())
    if (contact == null) {
      return
    }
    this.host.pending.set(contact, 'high')
    out.push(send(contact, { proto: 'hpv', type: 'join' }))
    out.push(scheduleTimer('hpv:join', now + this.host.config.joinRetryInterval, { kind: 'hpv-join-retry' }))
  }

  /** `joinRetryInterval` after a JOIN: a node still without neighbours tries again */
  onRetry (now: number, out: Out<P>): void {
    // the JOIN (or its answer) was lost, or the contact is down: forget the request either way,
    // or it would block requests to the contact and shrink every refill by one for ever
    for (const contact of this.contacts) {
      if (!this.host.active.has(contact)) {
        this.host.pending.delete(contact)
      }
    }
    if (this.host.active.size > 0) {
      return
    }
    if (this.host.pending.size === 0) {
      this.sendJoin(now, out)
    } else {
      out.push(scheduleTimer('hpv:join', now + this.host.config.joinRetryInterval, { kind: 'hpv-join-retry' }))
    }
  }

  /** The contact takes the joiner unconditionally and starts random walks through its other neighbours (paper Alg. 1) */
  onJoin (joiner: P, now: number, out: Out<P>): void {
    // the paper walks from every active peer (its active view is log n + c ≈ 5); ours holds up
    // to 12, and every walk ends in a dial to the joiner: walks enough for the joiner to reach
    // its target with us (SPEC.md §5.1: 100 real nodes formed in 11 s instead of 18–20)
    const others = this.host.active.sample(this.host.rng, this.host.config.activeViewTarget - 1, p => p === joiner)
    this.host.addActive(joiner, now, out)
    out.push(send(joiner, { proto: 'hpv', type: 'neighbor-reply', accepted: true }))
    for (const peer of others) {
      out.push(send(peer, { proto: 'hpv', type: 'forward-join', joiner, ttl: this.host.config.activeRandomWalkLength }))
    }
  }

  /** One hop of a FORWARD_JOIN walk: the joiner becomes a passive candidate at `passiveRandomWalkLength` and an active neighbour where the walk ends */
  onForwardJoin (from: P, joiner: P, ttl: number, now: number, out: Out<P>): void {
    if (joiner === this.host.self) {
      return
    }
    if (ttl === 0 || this.host.active.size <= 1) {
      // end of the walk: become the joiner's neighbour (high priority: it must not be refused)
      if (!this.host.active.has(joiner)) {
        this.host.requestNeighbor(joiner, 'high', now, out)
      }
      return
    }
    if (ttl === this.host.config.passiveRandomWalkLength) {
      this.host.addPassive(joiner)
    }
    const next = this.host.active.pick(this.host.rng, p => p === from || p === joiner)
    if (next == null) {
      if (!this.host.active.has(joiner)) {
        this.host.requestNeighbor(joiner, 'high', now, out)
      }
      return
    }
    out.push(send(next, { proto: 'hpv', type: 'forward-join', joiner, ttl: ttl - 1 }))
  }

  /** Contacts not cooling off */
  private available (): P[] {
    return this.contacts.filter(c => !this.host.coolingOff.has(c))
  }
}
