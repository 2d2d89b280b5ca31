import { cancelTimer, scheduleTimer, send } from '@saorsa-gossip/core'
import type { SwimConfig } from './swim-config.ts'
import type { CoreEffect } from './types.ts'

type Out<P> = Array<CoreEffect<P>>

/** Relayed PING-REQs outstanding at most; more are dropped (bounds memory under a PING-REQ flood) */
export const MAX_RELAYS = 256
/** A helper nacks this fraction of indirectTimeout after a PING-REQ when the target stays silent (SPEC.md §6.2) */
export const NACK_DELAY = 0.5

interface Relay<P> {
  requester: P
  requesterSeq: number
}

/**
 * The helper's side of SWIM's indirect probe (SWIM §3, Lifeguard's nack): a PING-REQ makes us
 * ping the target under our own sequence number, forward its ack to the requester, or nack
 * when it stays silent. Kept apart from the prober, which shares only the sequence counter.
 */
export class Relays<P> {
  private readonly relays = new Map<number, Relay<P>>()

  constructor (private readonly config: Pick<SwimConfig, 'indirectTimeout' | 'lifeguard'>) {}

  /** Pings `target` for `requester` under our sequence number `local`; false (nothing sent) when MAX_RELAYS are outstanding */
  request (requester: P, requesterSeq: number, target: P, local: number, now: number, out: Out<P>): boolean {
    if (this.relays.size >= MAX_RELAYS) {
      return false
    }
    this.relays.set(local, { requester, requesterSeq })
    out.push(send(target, { proto: 'swim', type: 'ping', seq: local, updates: [] }))
    // Lifeguard nack: answer well before the requester's own deadline (it waits indirectTimeout
    // from sending, and the request took up to a one-way delay to get here), so that a missing
    // nack really means *its* links are bad; 0.8× arrived too late most of the time (review)
    out.push(scheduleTimer(`swim:relay:${local}`, now + Math.floor(this.config.indirectTimeout * NACK_DELAY), { kind: 'swim-relay-timeout', seq: local }))
    return true
  }

  /** An ack under sequence number `seq`: if it answers a relayed ping, forwards it to the requester and returns true */
  answered (seq: number, out: Out<P>): boolean {
    const relay = this.relays.get(seq)
    if (relay == null) {
      return false
    }
    this.relays.delete(seq)
    out.push(cancelTimer(`swim:relay:${seq}`))
    out.push(send(relay.requester, { proto: 'swim', type: 'ack', seq: relay.requesterSeq, incarnation: 0, updates: [], neighbors: [] }))
    return true
  }

  /** The target stayed silent: with Lifeguard, the requester gets a nack */
  timedOut (seq: number, out: Out<P>): void {
    const relay = this.relays.get(seq)
    if (relay == null) {
      return
    }
    this.relays.delete(seq)
    if (this.config.lifeguard) {
      out.push(send(relay.requester, { proto: 'swim', type: 'nack', seq: relay.requesterSeq }))
    }
  }
}
