import { scheduleTimer, send } from '@saorsa-gossip/core'
import type { HyParViewConfig } from './hyparview-config.ts'
import type { CoreEffect, HyParViewDrops } from './types.ts'
import type { IndexedSet, Rng } from '@saorsa-gossip/core'

type Out<P> = Array<CoreEffect<P>>

/** What SHUFFLE reads and changes of the HyParView node it belongs to */
export interface ShuffleViews<P> {
  readonly self: P
  readonly config: HyParViewConfig
  readonly rng: Rng
  readonly active: IndexedSet<P>
  readonly passive: IndexedSet<P>
  readonly drops: HyParViewDrops
  /** ±10% jitter of a period, so that many nodes' timers do not fire in lockstep */
  jitter(interval: number): number
}

/**
 * HyParView's passive-view exchange (Leitão et al., DSN 2007, §4.4): every `shuffleInterval`
 * a node sends a sample of its views on a random walk of `shuffleTtl` hops; the node where it
 * ends answers the origin with as many of its passive peers, and both integrate what they
 * got, evicting first what they sent away.
 *
 * One change from the paper: the answer goes back along the walk's own path, hop by hop over
 * active links, instead of over a new connection to the origin. On libp2p a connection costs
 * a Noise handshake, identify and new streams; 100 idle real nodes opened 0.09 connections per
 * node per second for shuffle answers alone, and those dials were most of their idle CPU
 * (SPEC.md §5.1, benchmarks/README.md).
 */
export class Shuffle<P> {
  private readonly views: ShuffleViews<P>
  /** the sample our last SHUFFLE carried (evicted first when the reply comes); undefined: none outstanding */
  private sent?: P[]

  constructor (views: ShuffleViews<P>) {
    this.views = views
  }

  /** The shuffle timer: the next one, and a SHUFFLE to a random active neighbour */
  onTimer (now: number, out: Out<P>): void {
    const { self, config, rng, active, passive } = this.views
    out.push(scheduleTimer('hpv:shuffle', now + this.views.jitter(config.shuffleInterval), { kind: 'hpv-shuffle' }))
    const target = active.pick(rng)
    if (target == null) {
      return
    }
    const peers = [
      self,
      ...active.sample(rng, config.shuffleActiveCount, p => p === target),
      ...passive.sample(rng, config.shufflePassiveCount)
    ]
    this.sent = peers.slice(1)
    out.push(send(target, { proto: 'hpv', type: 'shuffle', origin: self, ttl: config.shuffleTtl, peers, route: [] }))
  }

  /**
   * A SHUFFLE walking through us: forwarded while its TTL lasts (we join its route), else
   * answered back along the route and integrated
   */
  onShuffle (from: P, origin: P, ttl: number, peers: P[], route: P[], out: Out<P>): void {
    const { self, config, rng, active, passive } = this.views
    if (origin === self) {
      return
    }
    // the route is bounded by the TTL we accept: a walk that arrives with a full one ends here
    if (ttl > 1 && active.size > 1 && route.length < config.shuffleTtl) {
      const next = active.pick(rng, p => p === from || p === origin)
      if (next != null) {
        out.push(send(next, { proto: 'hpv', type: 'shuffle', origin, ttl: ttl - 1, peers, route: [...route, self] }))
        return
      }
    }
    // accept: answer with as many passive peers as were sent, then integrate theirs. The
    // answer goes to whoever handed us the walk (a connection that exists), carrying the rest
    // of the way back: the origin first, the hop nearest to us last
    // (a walk that came without a route from someone other than its origin was forwarded by a
    // node that does not record one: the paper's direct answer is the only way back)
    const reply = passive.sample(rng, peers.length, p => p === origin)
    if (route.length === 0) {
      out.push(send(origin, { proto: 'hpv', type: 'shuffle-reply', peers: reply, route: [] }))
    } else {
      out.push(send(from, { proto: 'hpv', type: 'shuffle-reply', peers: reply, route: [origin, ...route.slice(0, -1)] }))
    }
    this.integrate(peers, reply)
  }

  /**
   * A SHUFFLE_REPLY: with hops left, passed on to the next one if it is still an active
   * neighbour (never dialled: a reply must not make us open connections for others); with
   * none, the answer to our own SHUFFLE
   */
  onReply (peers: P[], route: P[], out: Out<P>): void {
    if (route.length > 0) {
      const next = route[route.length - 1]
      if (next === this.views.self || !this.views.active.has(next)) {
        this.views.drops.unroutable++
        return
      }
      out.push(send(next, { proto: 'hpv', type: 'shuffle-reply', peers, route: route.slice(0, -1) }))
      return
    }
    this.integrateReply(peers)
  }

  /** Integrates the reply to our last SHUFFLE, evicting first what we sent (paper §4.4); unasked replies are dropped */
  private integrateReply (peers: P[]): void {
    const sent = this.sent
    if (sent == null) {
      this.views.drops.unexpected++
      return
    }
    this.sent = undefined
    this.integrate(peers, sent)
  }

  /** Adds received peers to the passive view, evicting first the peers we sent away (paper §4.4) */
  private integrate (received: P[], sentAway: P[]): void {
    const { self, config, rng, active, passive } = this.views
    const evictable = sentAway.filter(p => passive.has(p))
    for (const peer of received) {
      if (peer === self || active.has(peer) || passive.has(peer)) {
        continue
      }
      if (passive.size >= config.passiveViewCapacity) {
        const victim = evictable.pop() ?? passive.pick(rng)
        if (victim != null) {
          passive.delete(victim)
        }
      }
      passive.add(peer)
    }
  }
}
