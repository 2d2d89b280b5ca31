import { InvalidConfigError } from '@saorsa-gossip/core'
import { processingSpecProblem } from './processing.ts'
import type { ProcessingSpec } from './processing.ts'
import type { MembershipConfig } from '@saorsa-gossip/membership'

/** One disruption or measurement on the scenario's timeline; times in virtual ms */
export type TimelineEvent =
  | { at: number, action: 'crash', fraction: number, label?: string }
  | { at: number, action: 'restart-crashed' }
  | { at: number, action: 'partition', groups: number }
  | { at: number, action: 'heal' }
  | { at: number, action: 'stalls', fraction: number, duration: number, until: number }
  | { at: number, action: 'churn', perSecond: number, until: number, downtime: number }
  | { at: number, action: 'snapshot', label: string }

export interface MembershipScenario {
  name: string
  /** RNG seed; `SIM_SEED` in the environment overrides it */
  seed: number
  nodes: number
  /** one-way latency range, ms */
  latency: { min: number, max: number }
  /** probability any message is lost */
  loss?: number
  /** virtual time to run, ms */
  duration: number
  /** node 0 starts at 0; node i joins through node 0 at i × interval */
  join: { interval: number }
  membership?: MembershipConfig
  timeline?: TimelineEvent[]
  /** how often connectivity is sampled after a crash to find the healing time, ms (default 250) */
  healSampleInterval?: number
  /** round-trip every message through the real protobuf codec (slower; bytes become exact) */
  codec?: boolean
  /** CPU cost of inputs and nodes sharing cores (src/processing.ts); off when absent */
  processing?: ProcessingSpec
}

const ACTIONS = new Set(['crash', 'restart-crashed', 'partition', 'heal', 'stalls', 'churn', 'snapshot'])

type Check = [ok: (raw: any) => boolean, why: string]

const SCENARIO_CHECKS: Check[] = [
  [raw => typeof raw.name === 'string' && raw.name.length > 0, 'name must be a non-empty string'],
  [raw => Number.isSafeInteger(raw.seed), 'seed must be an integer'],
  [raw => Number.isInteger(raw.nodes) && raw.nodes >= 2 && raw.nodes <= 100_000, 'nodes must be an integer in [2, 100000]'],
  [raw => raw.latency != null && raw.latency.min >= 0 && raw.latency.max >= raw.latency.min, 'latency needs 0 <= min <= max'],
  [raw => raw.loss == null || (raw.loss >= 0 && raw.loss < 1), 'loss must be in [0, 1)'],
  [raw => raw.duration > 0, 'duration must be > 0'],
  [raw => raw.join != null && raw.join.interval >= 0, 'join.interval must be >= 0'],
  [raw => raw.timeline == null || Array.isArray(raw.timeline), 'timeline must be an array']
]

const EVENT_CHECKS: Check[] = [
  [e => e != null && ACTIONS.has(e.action), `action must be one of ${[...ACTIONS].join(', ')}`],
  [e => e.at >= 0, 'at must be >= 0'],
  [e => !(e.action === 'crash' || e.action === 'stalls') || (e.fraction > 0 && e.fraction < 1), 'fraction must be in (0, 1)'],
  [e => e.action !== 'partition' || (Number.isInteger(e.groups) && e.groups >= 2), 'groups must be an integer >= 2'],
  [e => e.action !== 'stalls' || (e.duration > 0 && e.until >= e.at), 'stalls need duration > 0 and until >= at'],
  [e => e.action !== 'churn' || (e.perSecond > 0 && e.until >= e.at && e.downtime >= 0), 'churn needs perSecond > 0, until >= at, downtime >= 0']
]

/** Checks a parsed scenario; throws InvalidConfigError naming the bad field */
export function validateScenario (raw: any): MembershipScenario {
  if (raw == null || typeof raw !== 'object') {
    throw new InvalidConfigError('scenario: must be a JSON object')
  }
  for (const [ok, why] of SCENARIO_CHECKS) {
    if (!ok(raw)) {
      throw new InvalidConfigError(`scenario: ${why}`)
    }
  }
  const problem = raw.processing == null ? undefined : processingSpecProblem(raw.processing)
  if (problem != null) {
    throw new InvalidConfigError(`scenario: ${problem}`)
  }
  for (const [i, event] of (raw.timeline ?? []).entries()) {
    for (const [ok, why] of EVENT_CHECKS) {
      if (!ok(event)) {
        throw new InvalidConfigError(`scenario: timeline[${i}].${why}`)
      }
    }
  }
  return raw as MembershipScenario
}
