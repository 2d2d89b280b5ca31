import { InvalidConfigError } from '@saorsa-gossip/core'
import { processingSpecProblem } from '../processing.ts'
import type { ProcessingSpec } from '../processing.ts'
import type { MembershipConfig } from '@saorsa-gossip/membership'
import type { PubsubConfig } from '@saorsa-gossip/pubsub'

export type ProtocolName = 'plumtree' | 'flood' | 'mesh'

/**
 * A publish schedule: `count` messages `interval` ms apart from `at`.
 * `fixed`: always the same subscriber; `random`: a random live subscriber per
 * message; `all`: `count` random live subscribers (all of them when `count`
 * is at least their number) publish once each at `at` (a burst);
 * `non-subscriber`: a random live node that does not subscribe.
 */
export interface TrafficSpec {
  label: string
  at: number
  count: number
  interval: number
  sender: 'fixed' | 'random' | 'all' | 'non-subscriber'
}

export type BroadcastTimelineEvent =
  | { at: number, action: 'crash', fraction: number }
  | { at: number, action: 'partition' }
  | { at: number, action: 'heal' }

export interface BroadcastScenario {
  name: string
  seed: number
  nodes: number
  /** one-way latency range per message, ms */
  latency: { min: number, max: number }
  loss?: number
  /** node i joins through node 0 at i × interval */
  join: { interval: number }
  /** when the subscribers subscribe (after the membership overlay has formed), ms */
  subscribeAt: number
  /** fraction of nodes subscribed to the topic (default 1) */
  subscribers?: number
  payloadSize: number
  traffic: TrafficSpec[]
  timeline?: BroadcastTimelineEvent[]
  duration: number
  membership?: MembershipConfig
  pubsub?: Partial<PubsubConfig>
  /** round-trip every message through the real wire codecs (plumtree only; byte counts become the exact encoded sizes, without the length prefix) */
  codec?: boolean
  /** protocols to run over the same overlay and schedule (default: all three) */
  protocols?: ProtocolName[]
  /** CPU cost of inputs and nodes sharing cores (src/processing.ts); off when absent */
  processing?: ProcessingSpec
}

const SENDERS = new Set(['fixed', 'random', 'all', 'non-subscriber'])

type Check = [ok: (raw: any) => boolean, why: string]

const CHECKS: Check[] = [
  [raw => typeof raw.name === 'string' && raw.name !== '', 'name must be a non-empty string'],
  [raw => Number.isInteger(raw.seed), 'seed must be an integer'],
  [raw => Number.isInteger(raw.nodes) && raw.nodes >= 2, 'nodes must be an integer >= 2'],
  [raw => raw.latency?.min >= 0 && raw.latency?.max >= raw.latency?.min, 'latency must be { min >= 0, max >= min }'],
  [raw => raw.join?.interval >= 0, 'join.interval must be >= 0'],
  [raw => raw.subscribeAt >= 0, 'subscribeAt must be >= 0'],
  [raw => raw.subscribers == null || (raw.subscribers > 0 && raw.subscribers <= 1), 'subscribers must be in (0, 1]'],
  [raw => Number.isInteger(raw.payloadSize) && raw.payloadSize >= 0, 'payloadSize must be an integer >= 0'],
  [raw => raw.duration > 0, 'duration must be > 0'],
  [raw => Array.isArray(raw.traffic), 'traffic must be an array'],
  [raw => raw.traffic.every((t: any) => typeof t?.label === 'string' && t.at >= 0 && Number.isInteger(t.count) && t.interval >= 0 && SENDERS.has(t.sender)),
    `every traffic entry needs label, at >= 0, integer count, interval >= 0 and sender in ${[...SENDERS].join('|')}`],
  [raw => (raw.timeline ?? []).every((e: any) => e?.at >= 0 && ['crash', 'partition', 'heal'].includes(e.action) && (e.action !== 'crash' || (e.fraction > 0 && e.fraction < 1))),
    'timeline entries are { at >= 0, action: crash (0 < fraction < 1) | partition | heal }'],
  [raw => (raw.protocols ?? []).every((p: unknown) => p === 'plumtree' || p === 'flood' || p === 'mesh'), 'protocols must be plumtree, flood or mesh']
]

/** Checks a scenario read from JSON; throws InvalidConfigError naming the first problem */
export function validateBroadcastScenario (raw: any): BroadcastScenario {
  if (raw == null || typeof raw !== 'object') {
    throw new InvalidConfigError('broadcast scenario: must be an object')
  }
  for (const [ok, why] of CHECKS) {
    if (!ok(raw)) {
      throw new InvalidConfigError(`broadcast scenario: ${why}`)
    }
  }
  const problem = raw.processing == null ? undefined : processingSpecProblem(raw.processing)
  if (problem != null) {
    throw new InvalidConfigError(`broadcast scenario: ${problem}`)
  }
  return raw as BroadcastScenario
}
