import { disconnect } from '@saorsa-gossip/core'
import { HyParView } from './hyparview.ts'
import { Swim } from './swim.ts'
import type { HyParViewConfig } from './hyparview-config.ts'
import type { MembershipMessage } from './messages.ts'
import type { SwimConfig } from './swim-config.ts'
import type { CoreEffect, MembershipEffect, MembershipTimer, NeighborDownReason } from './types.ts'
import type { Rng, TimerExpiredEvent } from '@saorsa-gossip/core'

export interface MembershipConfig {
  hyparview?: Partial<HyParViewConfig>
  swim?: Partial<SwimConfig>
  /** SWIM incarnation to start from: the process start time in milliseconds, so a restarted node outranks verdicts about its previous run (SPEC.md §6.3) */
  startIncarnation?: number
}

/** Inputs a driver (libp2p service or simulator) feeds the membership core */
export type MembershipInput<P> =
  | { type: 'message', from: P, message: MembershipMessage<P> }
  | TimerExpiredEvent<MembershipTimer<P>>
  /** the transport lost the last connection to an active-view peer: a fact, not a verdict (SPEC.md §7.1) */
  | { type: 'connection-lost', peer: P }
  /** a peer that runs the protocol connected to us (the application dialled it, or discovery did) */
  | { type: 'contact', peer: P }
  /** the last connection to a peer outside the active view closed: asking it again costs a dial (SPEC.md §5.5) */
  | { type: 'disconnected', peer: P }
  /** the peer does not run the protocol (stream negotiation refused it): never a contact or candidate */
  | { type: 'unsupported', peer: P }
  | { type: 'unreachable', peer: P }

type Out<P> = Array<MembershipEffect<P>>

/**
 * HyParView and SWIM composed (iroh-gossip's topic.rs pattern): active-view
 * changes decide whom SWIM probes, and SWIM's dead verdicts evict from both
 * HyParView views. A refuted suspicion evicts nothing.
 */
export class Membership<P> {
  readonly self: P
  readonly hyparview: HyParView<P>
  readonly swim: Swim<P>

  constructor (self: P, rng: Rng, config: MembershipConfig = {}) {
    this.self = self
    this.hyparview = new HyParView(self, rng.fork('hyparview'), config.hyparview)
    this.swim = new Swim(self, rng.fork('swim'), config.swim, config.startIncarnation)
  }

  start (now: number, contacts: P[] = []): Out<P> {
    return this.react([...this.swim.start(now), ...this.hyparview.start(now, contacts)], now)
  }

  handle (input: MembershipInput<P>, now: number): Out<P> {
    switch (input.type) {
      case 'message':
        if (input.message?.proto === 'hpv') {
          return this.react(this.hyparview.handleMessage(input.from, input.message, now), now)
        }
        if (input.message?.proto === 'swim') {
          return this.react(this.swim.handleMessage(input.from, input.message, now), now)
        }
        this.hyparview.drops.invalid++
        return []
      case 'timer-expired':
        return this.react(input.timer.kind.startsWith('hpv-') ? this.hyparview.handleTimer(input.timer, now) : this.swim.handleTimer(input.timer, now), now)
      case 'connection-lost':
        return this.react(this.hyparview.peerDown(input.peer, 'connection-lost', now), now)
      case 'contact':
        return this.react(this.hyparview.addContact(input.peer, now), now)
      case 'unsupported':
        return this.react(this.hyparview.unsupported(input.peer, now), now)
      case 'unreachable':
        return this.react(this.hyparview.unreachable(input.peer, now), now)
      case 'disconnected':
        this.hyparview.disconnected(input.peer)
        return []
      default:
        return []
    }
  }

  /**
   * A frame of another service (pubsub) arrived from `peer`: SWIM counts it as a sign of life
   * (SPEC.md §6.2). No effects: it only updates what the next probe slot reads.
   */
  heard (peer: P, now: number): void {
    this.swim.heard(peer, now)
  }

  /** Feeds events between the two protocols until no new cross-effects arise */
  private react (effects: Array<CoreEffect<P>>, now: number): Out<P> {
    const out: Out<P> = []
    const queue = effects
    for (let i = 0; i < queue.length; i++) {
      const effect = queue[i]
      if (effect.type !== 'emit') {
        out.push(effect)
        continue
      }
      const event = effect.event
      if (event.type !== 'link-asymmetric' && event.type !== 'neighbors-of' && event.type !== 'probe-failed') {
        // internal news stays inside the composition
        out.push({ type: 'emit', event })
      }
      switch (event.type) {
        case 'neighbor-up':
          this.swim.monitor(event.peer, now)
          break
        case 'neighbor-down':
          this.swim.unmonitor(event.peer)
          // the driver closes our stream to it, and the connection if nothing else uses it
          out.push(disconnect(event.peer, event.reason))
          break
        case 'peer-alive':
          this.hyparview.found(event.peer)
          break
        case 'peer-suspect':
          this.hyparview.doubt(event.peer)
          break
        case 'peer-dead':
          queue.push(...this.hyparview.peerDown(event.peer, 'dead' satisfies NeighborDownReason, now))
          break
        case 'link-asymmetric':
          queue.push(...this.hyparview.relink(event.peer, now))
          break
        case 'neighbors-of':
          this.hyparview.neighbourViewSize(event.peer, event.size)
          queue.push(...this.hyparview.learn(event.neighbors, now))
          break
        case 'probe-failed':
          queue.push(...this.hyparview.unresponsive(event.peer, now))
          break
        default:
          break
      }
    }
    return out
  }
}
