import type { MemberUpdate } from './messages.ts'

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
