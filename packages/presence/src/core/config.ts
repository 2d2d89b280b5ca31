import { InvalidConfigError } from '@saorsa-gossip/core'

export interface PresenceConfig {
  /** how often we sign and send a beacon, ms (upstream saorsa-gossip: 300 s) */
  beaconIntervalMs: number
  /** beacon lifetime, ms (ARCHITECTURE.md seed: 10–15 min; upstream: 3 × interval) */
  beaconTtlMs: number
  /** clock skew accepted on issued-at times, ms (issue 16: ±2 min) */
  maxClockSkewMs: number
  /** address hints kept per beacon (guess: enough for ip4+ip6 × tcp+quic and a relay) */
  maxAddrs: number
  /** records cached (bounded in count; bytes are bounded by maxAddrs × frame limit) */
  maxRecords: number
  /** FOAF fan-out per hop (ARCHITECTURE.md seed: 3) */
  fanout: number
  /** neighbours the origin itself asks (guess: every neighbour costs ~3.5 KiB a query, SPEC.md §8.8) */
  originFanout: number
  /**
   * membership neighbours a scoped query's origin asks besides its topic neighbours, so a target
   * outside our topics can be found too (measured in the simulator, SPEC.md §8.4)
   */
  originOverlayFanout: number
  /**
   * neighbours (topic and membership) asked by name before a signed query is sent, 0 for never
   * (SPEC.md §8.4: a ~70-byte Ask instead of a 3.5 KiB signed query per neighbour)
   */
  askFanout: number
  /** how long the asker waits for its neighbours' hints before sending the signed query, ms (guess: a few loaded round trips) */
  askTimeoutMs: number
  /** hops a query may travel (ARCHITECTURE.md seed: 3–4) */
  maxHops: number
  /** how long the origin waits for replies, ms (upstream: 3 s) */
  queryTimeoutMs: number
  /** query ids remembered for dedupe, and for how long, ms */
  seenQueries: number
  seenQueryTtlMs: number
  /** replies the origin accepts per query; further ones are dropped */
  replyBudget: number
  /** queries accepted from one neighbour: tokens per second and burst (guess, SPEC §8.5) */
  queryRatePerSec: number
  queryBurst: number
  /** beacons accepted from one neighbour per second and burst */
  beaconRatePerSec: number
  beaconBurst: number
  /** tags one query may carry: groups × 2 hour slices (guess: 4 groups) */
  maxTags: number
  /** topic scopes one query may carry (guess: a node in more topics names its first 8) */
  maxScopes: number
  /** queries we may have in flight at once */
  maxPendingQueries: number
  /**
   * With keys from groups() (SPEC.md §8.3): how long after our group moved to a new epoch the
   * previous epoch's key still opens beacons and makes lookup tags, ms. Members re-seal at once
   * when they apply a commit, so this covers the commit's spread (groups' futureTtl is 60 s, plus
   * a chain fetch): guess
   */
  groupEpochGraceMs: number
}

export const DEFAULT_PRESENCE_CONFIG: PresenceConfig = {
  beaconIntervalMs: 300_000,
  beaconTtlMs: 900_000,
  maxClockSkewMs: 120_000,
  maxAddrs: 8,
  maxRecords: 4096,
  fanout: 3,
  originFanout: 4,
  originOverlayFanout: 2,
  askFanout: 8,
  askTimeoutMs: 1_000,
  maxHops: 3,
  queryTimeoutMs: 3_000,
  seenQueries: 8192,
  seenQueryTtlMs: 60_000,
  replyBudget: 8,
  queryRatePerSec: 5,
  queryBurst: 20,
  beaconRatePerSec: 1,
  beaconBurst: 10,
  maxPendingQueries: 64,
  maxTags: 8,
  maxScopes: 8,
  groupEpochGraceMs: 120_000
}

export function presenceConfig (partial: Partial<PresenceConfig> = {}): PresenceConfig {
  const config = { ...DEFAULT_PRESENCE_CONFIG, ...partial }
  for (const [key, value] of Object.entries(config)) {
    const min = key === 'askFanout' ? 0 : Number.MIN_VALUE
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      throw new InvalidConfigError(`presence config ${key} must be a ${min === 0 ? 'non-negative' : 'positive'} number`)
    }
  }
  if (config.beaconTtlMs < config.beaconIntervalMs) {
    throw new InvalidConfigError('presence beaconTtlMs must be at least beaconIntervalMs')
  }
  return config
}
