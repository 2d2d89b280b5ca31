import type { MembershipMessage } from './core/messages.ts'
import type { CounterGroup, Metric, Metrics } from '@libp2p/interface'

export type DropReason = 'malformed' | 'oversize' | 'bad-address' | 'send-failed'
export type EventCount = 'suspicions' | 'refutations' | 'deaths'

/** Counters of the membership service, mirrored into libp2p metrics when a metrics implementation is configured */
export class MembershipStats {
  readonly messagesIn: Record<string, number> = {}
  readonly messagesOut: Record<string, number> = {}
  readonly bytesIn: Record<string, number> = {}
  readonly bytesOut: Record<string, number> = {}
  readonly drops: Record<DropReason, number> = { malformed: 0, oversize: 0, 'bad-address': 0, 'send-failed': 0 }
  readonly events: Record<EventCount, number> = { suspicions: 0, refutations: 0, deaths: 0 }
  /** `send-failed` drops by the error's name (NoValidAddressesError, WriteTimeoutError, ...): why frames did not leave */
  readonly sendErrors: Record<string, number> = {}
  private readonly metrics?: {
    messagesIn: CounterGroup
    messagesOut: CounterGroup
    bytesIn: CounterGroup
    bytesOut: CounterGroup
    drops: CounterGroup
    events: CounterGroup
    activeView: Metric
    passiveView: Metric
  }

  constructor (metrics?: Metrics) {
    if (metrics != null) {
      this.metrics = {
        messagesIn: metrics.registerCounterGroup('saorsa_gossip_membership_messages_in_total', { label: 'type' }),
        messagesOut: metrics.registerCounterGroup('saorsa_gossip_membership_messages_out_total', { label: 'type' }),
        bytesIn: metrics.registerCounterGroup('saorsa_gossip_membership_bytes_in_total', { label: 'type' }),
        bytesOut: metrics.registerCounterGroup('saorsa_gossip_membership_bytes_out_total', { label: 'type' }),
        drops: metrics.registerCounterGroup('saorsa_gossip_membership_drops_total', { label: 'reason' }),
        events: metrics.registerCounterGroup('saorsa_gossip_membership_events_total', { label: 'event' }),
        activeView: metrics.registerMetric('saorsa_gossip_membership_active_view_size'),
        passiveView: metrics.registerMetric('saorsa_gossip_membership_passive_view_size')
      }
    }
  }

  received (message: MembershipMessage<unknown>, bytes: number): void {
    const type = label(message)
    this.messagesIn[type] = (this.messagesIn[type] ?? 0) + 1
    this.bytesIn[type] = (this.bytesIn[type] ?? 0) + bytes
    this.metrics?.messagesIn.increment({ [type]: 1 })
    this.metrics?.bytesIn.increment({ [type]: bytes })
  }

  sent (message: MembershipMessage<unknown>, bytes: number): void {
    const type = label(message)
    this.messagesOut[type] = (this.messagesOut[type] ?? 0) + 1
    this.bytesOut[type] = (this.bytesOut[type] ?? 0) + bytes
    this.metrics?.messagesOut.increment({ [type]: 1 })
    this.metrics?.bytesOut.increment({ [type]: bytes })
  }

  drop (reason: DropReason): void {
    this.drops[reason]++
    this.metrics?.drops.increment({ [reason]: 1 })
  }

  sendError (name: string): void {
    // error names come from libp2p and the kit: a bounded set, but cap it against surprises
    if (this.sendErrors[name] != null || Object.keys(this.sendErrors).length < 32) {
      this.sendErrors[name] = (this.sendErrors[name] ?? 0) + 1
    }
  }

  count (event: EventCount): void {
    this.events[event]++
    this.metrics?.events.increment({ [event]: 1 })
  }

  views (active: number, passive: number): void {
    this.metrics?.activeView.update(active)
    this.metrics?.passiveView.update(passive)
  }
}

/**
 * The counter label of a message: its type, except that a refused NEIGHBOR_REPLY counts as
 * `neighbor-refused`. Refusals are requests that bought nothing (often a dial, SPEC.md §5.5),
 * so operators and the benchmarks see them apart from acceptances.
 */
function label (message: MembershipMessage<unknown>): string {
  return message.type === 'neighbor-reply' && !message.accepted ? 'neighbor-refused' : message.type
}
