import { Membership } from '@saorsa-gossip/membership'
import type { BroadcastCore, BroadcastEvent, BroadcastInput } from './types.ts'
import type { CoreInput, NodeId, SimCore } from '../network.ts'
import type { Effect, Rng } from '@saorsa-gossip/core'
import type { MembershipConfig, MembershipEvent, MembershipMessage, MembershipTimer } from '@saorsa-gossip/membership'

/** One simulated host: the membership core and a broadcast core side by side, as a libp2p node runs both services */
export type NodeMessage<M> = { layer: 'membership', message: MembershipMessage<NodeId> } | { layer: 'broadcast', message: M }
export type NodeTimer<T> = { layer: 'membership', timer: MembershipTimer<NodeId> } | { layer: 'broadcast', timer: T }
export type NodeEvent = { layer: 'membership', event: MembershipEvent<NodeId> } | { layer: 'broadcast', event: BroadcastEvent }
type NodeEffect<M, T> = Effect<NodeId, NodeMessage<M>, NodeTimer<T>, NodeEvent>

export class BroadcastNode<M, T> implements SimCore<NodeMessage<M>, NodeTimer<T>, NodeEvent> {
  readonly membership: Membership<NodeId>
  readonly broadcast: BroadcastCore<NodeId, M, T>

  constructor (self: NodeId, rng: Rng, broadcast: BroadcastCore<NodeId, M, T>, config: MembershipConfig = {}) {
    this.membership = new Membership<NodeId>(self, rng.fork('membership'), config)
    this.broadcast = broadcast
  }

  start (now: number, contacts: NodeId[]): Array<NodeEffect<M, T>> {
    const out: Array<NodeEffect<M, T>> = []
    this.fromBroadcast(this.broadcast.start(now), out)
    this.fromMembership(this.membership.start(now, contacts), out, now)
    return out
  }

  handle (input: CoreInput<NodeMessage<M>, NodeTimer<T>>, now: number): Array<NodeEffect<M, T>> {
    const out: Array<NodeEffect<M, T>> = []
    if (input.type === 'message') {
      if (input.message.layer === 'membership') {
        this.fromMembership(this.membership.handle({ type: 'message', from: input.from, message: input.message.message }, now), out, now)
        // the libp2p service passes every membership frame on as `peer-heard`
        this.fromBroadcast(this.broadcast.handle({ type: 'peer-heard', peer: input.from }, now), out)
      } else {
        // the libp2p pubsub service tells membership of every frame it reads (`heard`)
        this.membership.heard(input.from, now)
        this.fromBroadcast(this.broadcast.handle({ type: 'message', from: input.from, message: input.message.message }, now), out)
      }
      return out
    }
    const timer = input.timer
    if (timer.layer === 'membership') {
      this.fromMembership(this.membership.handle({ type: 'timer-expired', key: input.key.slice(2), timer: timer.timer }, now), out, now)
    } else {
      this.fromBroadcast(this.broadcast.handle({ type: 'timer-expired', key: input.key.slice(2), timer: timer.timer }, now), out)
    }
    return out
  }

  /** Application input (publish, subscribe) to the broadcast core */
  application (input: BroadcastInput<NodeId, M, T>, now: number): Array<NodeEffect<M, T>> {
    const out: Array<NodeEffect<M, T>> = []
    this.fromBroadcast(this.broadcast.handle(input, now), out)
    return out
  }

  private fromMembership (effects: Array<Effect<NodeId, MembershipMessage<NodeId>, MembershipTimer<NodeId>, MembershipEvent<NodeId>>>, out: Array<NodeEffect<M, T>>, now: number): void {
    for (const effect of effects) {
      switch (effect.type) {
        case 'send': out.push({ type: 'send', to: effect.to, message: { layer: 'membership', message: effect.message } }); break
        case 'schedule-timer': out.push({ type: 'schedule-timer', key: `m:${effect.key}`, at: effect.at, timer: { layer: 'membership', timer: effect.timer } }); break
        case 'cancel-timer': out.push({ type: 'cancel-timer', key: `m:${effect.key}` }); break
        case 'disconnect': break
        case 'emit': {
          out.push({ type: 'emit', event: { layer: 'membership', event: effect.event } })
          const event = effect.event
          if (event.type === 'neighbor-up') {
            this.fromBroadcast(this.broadcast.handle({ type: 'neighbor-up', peer: event.peer }, now), out)
          } else if (event.type === 'neighbor-down') {
            this.fromBroadcast(this.broadcast.handle({ type: 'neighbor-down', peer: event.peer }, now), out)
          } else if (event.type === 'peer-dead') {
            // the service feeds SWIM's verdicts to pubsub the same way
            this.fromBroadcast(this.broadcast.handle({ type: 'peer-down', peer: event.peer }, now), out)
          }
          break
        }
        default: break
      }
    }
  }

  private fromBroadcast (effects: Array<Effect<NodeId, M, T, BroadcastEvent>>, out: Array<NodeEffect<M, T>>): void {
    for (const effect of effects) {
      switch (effect.type) {
        case 'send': out.push({ type: 'send', to: effect.to, message: { layer: 'broadcast', message: effect.message } }); break
        case 'schedule-timer': out.push({ type: 'schedule-timer', key: `b:${effect.key}`, at: effect.at, timer: { layer: 'broadcast', timer: effect.timer } }); break
        case 'cancel-timer': out.push({ type: 'cancel-timer', key: `b:${effect.key}` }); break
        case 'emit': out.push({ type: 'emit', event: { layer: 'broadcast', event: effect.event } }); break
        default: break
      }
    }
  }
}
