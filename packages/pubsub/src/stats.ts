import type { PubsubStats } from './core/types.ts'
import type { Metrics } from '@libp2p/interface'

/** Why the adapter dropped something before (or instead of) the core */
export type AdapterDrop =
  /** an address list for a named peer that does not parse as multiaddrs */
  | 'bad-address'
  /** undecodable frame or one breaking a decode limit (the sender is scored) */
  | 'malformed'
  /** a length prefix over the frame limit: the stream is reset */
  | 'oversize-frame'
  /** the origin's ML-DSA-65 binding could not be obtained from the relay or the origin */
  | 'unknown-origin'
  /** too many messages waiting for origin bindings */
  | 'origin-queue-full'
  /** more than maxQueuedBytesPerPeer waiting to be written to one peer */
  | 'send-queue-full'
  /** a dial or write failed; Plumtree's GRAFT and anti-entropy repair the loss */
  | 'send-failed'
  /** a topic validator threw (counted as Ignore, as gossipsub does) */
  | 'validator-error'
  /** a binding record attached to a GOSSIP frame did not verify (the relay is scored; the origin is then looked up) */
  | 'bad-origin-binding'
  /** a carried key whose record verified but whose message's signature did not verify under it: not taken (the origin is then looked up) */
  | 'unproven-origin-key'
  /** a bridged message whose author's libp2p signature does not verify (the core then refuses it and scores the relay) */
  | 'bad-libp2p-signature'
  /** a bridged message on a topic `acceptForwarded` does not cover (not relayed; the relay is not scored) */
  | 'forwarded-refused'

const DROPS: AdapterDrop[] = ['forwarded-refused', 'bad-address', 'malformed', 'oversize-frame', 'unknown-origin', 'origin-queue-full', 'send-queue-full', 'send-failed', 'validator-error', 'bad-origin-binding', 'unproven-origin-key', 'bad-libp2p-signature']

/**
 * Counters of the plumtree service: the core's (deliveries, duplicates, grafts,
 * prunes, IHAVE, anti-entropy, drops) plus frames, bytes and drops seen by the
 * adapter. With a libp2p metrics implementation they are exported as metric
 * groups computed at scrape time, and peer scores as one more group.
 */
export class PlumtreeStats {
  readonly framesIn: Record<string, number> = {}
  readonly framesOut: Record<string, number> = {}
  readonly bytesIn: Record<string, number> = {}
  readonly bytesOut: Record<string, number> = {}
  readonly drops: Record<AdapterDrop, number> = Object.fromEntries(DROPS.map(d => [d, 0])) as Record<AdapterDrop, number>
  /** origin bindings resolved (through the relay or from the origin) */
  originsResolved = 0
  /** origin bindings that arrived attached to a message and verified (no lookup needed) */
  originsCarried = 0
  private coreStats?: () => PubsubStats | undefined

  constructor (metrics: Metrics | undefined, core: () => PubsubStats | undefined, scores: () => Record<string, number>) {
    this.coreStats = core
    if (metrics == null) {
      return
    }
    metrics.registerMetricGroup('saorsa_gossip_plumtree_core', { calculate: () => flattenCore(this.core) })
    metrics.registerMetricGroup('saorsa_gossip_plumtree_frames_in', { label: 'type', calculate: () => ({ ...this.framesIn }) })
    metrics.registerMetricGroup('saorsa_gossip_plumtree_frames_out', { label: 'type', calculate: () => ({ ...this.framesOut }) })
    metrics.registerMetricGroup('saorsa_gossip_plumtree_bytes_in', { label: 'type', calculate: () => ({ ...this.bytesIn }) })
    metrics.registerMetricGroup('saorsa_gossip_plumtree_bytes_out', { label: 'type', calculate: () => ({ ...this.bytesOut }) })
    metrics.registerMetricGroup('saorsa_gossip_plumtree_drops', { label: 'reason', calculate: () => ({ ...this.drops }) })
    metrics.registerMetricGroup('saorsa_gossip_plumtree_peer_score', { label: 'peer', calculate: scores })
  }

  /** The core's counters (zeros before start) */
  get core (): PubsubStats | undefined {
    return this.coreStats?.()
  }

  received (type: string, bytes: number): void {
    this.framesIn[type] = (this.framesIn[type] ?? 0) + 1
    this.bytesIn[type] = (this.bytesIn[type] ?? 0) + bytes
  }

  sent (type: string, bytes: number): void {
    this.framesOut[type] = (this.framesOut[type] ?? 0) + 1
    this.bytesOut[type] = (this.bytesOut[type] ?? 0) + bytes
  }

  drop (reason: AdapterDrop): void {
    this.drops[reason]++
  }
}

/** The core's counters as one flat metric group (`dropped_oversize`, …) */
export function flattenCore (stats: PubsubStats | undefined): Record<string, number> {
  if (stats == null) {
    return {}
  }
  const out: Record<string, number> = {}
  for (const [key, value] of Object.entries(stats)) {
    if (typeof value === 'number') {
      out[key] = value
    } else {
      for (const [reason, n] of Object.entries(value as Record<string, number>)) {
        out[`dropped_${reason}`] = n
      }
    }
  }
  return out
}
