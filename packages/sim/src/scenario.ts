import { InvalidConfigError } from '@saorsa-gossip/core'
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
}

const ACTIONS = new Set(['crash', 'restart-crashed', 'partition', 'heal', 'stalls', 'churn', 'snapshot'])

/** Checks a parsed scenario; throws InvalidConfigError naming the bad field */
export function validateScenario (raw: any): MembershipScenario {
  const fail = (why: string): never => { throw new InvalidConfigError(`scenario: ${why}`) }
  if (raw == null || typeof raw !== 'object') {
    fail('must be a JSON object')
  }
  if (typeof raw.name !== 'string' || raw.name.length === 0) fail('name must be a non-empty string')
  if (!Number.isSafeInteger(raw.seed)) fail('seed must be an integer')
  if (!Number.isInteger(raw.nodes) || raw.nodes < 2 || raw.nodes > 100_000) fail('nodes must be an integer in [2, 100000]')
  if (raw.latency == null || !(raw.latency.min >= 0) || !(raw.latency.max >= raw.latency.min)) fail('latency needs 0 <= min <= max')
  if (raw.loss != null && !(raw.loss >= 0 && raw.loss < 1)) fail('loss must be in [0, 1)')
  if (!(raw.duration > 0)) fail('duration must be > 0')
  if (raw.join == null || !(raw.join.interval >= 0)) fail('join.interval must be >= 0')
  for (const [i, event] of (raw.timeline ?? []).entries()) {
    if (event == null || !ACTIONS.has(event.action)) fail(`timeline[${i}].action must be one of ${[...ACTIONS].join(', ')}`)
    if (!(event.at >= 0)) fail(`timeline[${i}].at must be >= 0`)
    if ((event.action === 'crash' || event.action === 'stalls') && !(event.fraction > 0 && event.fraction < 1)) fail(`timeline[${i}].fraction must be in (0, 1)`)
    if (event.action === 'partition' && !(Number.isInteger(event.groups) && event.groups >= 2)) fail(`timeline[${i}].groups must be an integer >= 2`)
  }
  return raw as MembershipScenario
}
