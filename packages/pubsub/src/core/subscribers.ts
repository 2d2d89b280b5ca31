import { emit } from '@saorsa-gossip/core'
import type { Ctx } from './state.ts'

/**
 * Messages that can change whom we know to subscribe to a topic. Payloads, IHAVE, GRAFT/PRUNE
 * (links, not subscriptions), pings and anti-entropy cannot, and are not followed by a diff.
 */
const SUBSCRIBER_MESSAGES = new Set(['subscriptions', 'find', 'found', 'topic-join', 'topic-join-reply', 'topic-leave'])

/** Whether an input of this kind may have changed a topic's known subscribers */
export function mayChangeSubscribers (input: { type: string, message?: { type?: unknown }, timer?: { kind?: unknown } }): boolean {
  switch (input.type) {
    case 'message': return SUBSCRIBER_MESSAGES.has(String(input.message?.type))
    case 'timer-expired': return input.timer?.kind === 'maintain'
    case 'neighbor-up': case 'neighbor-down': case 'peer-down': case 'connection-lost': case 'subscribe': case 'unsubscribe': return true
    default: return false
  }
}

/**
 * `subscription-change` events as gossipsub applications expect them: one event per peer that
 * enters or leaves `knownSubscribers(topic)` (what `getSubscribers` returns), whichever way we
 * learnt of it — a membership neighbour's SUBSCRIPTIONS, a topic walk, a TOPIC_JOIN, a link
 * that timed out. Emitting at each place that changes the sets missed the peers learnt through
 * walks (issue 13); diffing what was announced against the sets after each input that may
 * change them cannot miss one (SPEC.md §7.12).
 */
export class SubscriberAnnouncer<P> {
  /** topic → peers announced as subscribed */
  private readonly announced = new Map<string, Set<P>>()

  reconcile (ctx: Ctx<P>, known: (topic: string) => P[]): void {
    const topics = new Set<string>([...ctx.topics.keys(), ...this.announced.keys()])
    for (const peerTopics of ctx.overlay.neighborTopics.values()) {
      for (const topic of peerTopics) {
        topics.add(topic)
      }
    }
    for (const topic of topics) {
      const now = new Set(known(topic))
      const before = this.announced.get(topic)
      for (const peer of now) {
        if (before?.has(peer) !== true) {
          ctx.out.push(emit({ type: 'subscription-change', peer, topic, subscribed: true }))
        }
      }
      for (const peer of before ?? []) {
        if (!now.has(peer)) {
          ctx.out.push(emit({ type: 'subscription-change', peer, topic, subscribed: false }))
        }
      }
      if (now.size === 0) {
        this.announced.delete(topic)
      } else {
        this.announced.set(topic, now)
      }
    }
  }
}
