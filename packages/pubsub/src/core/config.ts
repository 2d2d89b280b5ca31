import { InvalidConfigError } from '@saorsa-gossip/core'

/**
 * Every timer, limit and default of the pubsub core (SPEC.md §7.6 gives the
 * reasons; the simulator measurements in benchmarks/README.md back them).
 */
export interface PubsubConfig {
  /** How long lazy IHAVE ids are batched before they are sent, ms (short: IHAVE latency adds to repair time) */
  ihaveDispatchInterval: number
  /** Most ids in one IHAVE message (issue 5: at most 1,024) */
  maxIHaveIds: number
  /** Wait after the first IHAVE for a missing message before grafting its announcer, ms (Plumtree timeout₁) */
  graftTimeout1: number
  /** Wait after a graft before grafting the next announcer, ms (Plumtree timeout₂, shorter than timeout₁) */
  graftTimeout2: number
  /**
   * Ceiling of the adaptive timeout₁, ms: when eager copies keep arriving well after their
   * IHAVE (slow or overloaded nodes), timeout₁ follows twice that delay up to here (SPEC.md §7.3)
   */
  graftTimeoutMax: number
  /** A lazy path shorter than the eager one by more than this many hops replaces it (Plumtree §3.8) */
  optimizationThreshold: number
  /**
   * Hops from the origin over which a message goes to every topic neighbour, lazy links
   * included (as flood copies, which change no link), once the trees are deep (`floodDepth`);
   * 0 is the paper's tree (SPEC.md §7.3)
   */
  floodRounds: number
  /**
   * Smoothed hop count of the first copies we receive at which early rounds start to flood;
   * flooding stops again below `floodDepth − floodRounds` (SPEC.md §7.3)
   */
  floodDepth: number
  /** Messages kept for grafts and anti-entropy pulls, ms after receipt */
  cacheRetention: number
  /** Most messages cached; the oldest go first */
  cacheMaxMessages: number
  /** Most payload bytes cached */
  cacheMaxBytes: number
  /** Message ids remembered for duplicate suppression, ms */
  seenTtl: number
  seenMaxEntries: number
  /** Largest payload accepted or published, bytes */
  maxMessageSize: number
  /** Topic view size maintained by joining (HyParView-style active view per topic) */
  topicActiveTarget: number
  /** Most topic neighbours accepted */
  topicActiveCapacity: number
  topicPassiveCapacity: number
  /** Topic view upkeep: joins, walks, keepalive, ms */
  maintenanceInterval: number
  /** A topic link silent this long gets a ping, ms */
  keepaliveIdle: number
  /** A topic link silent this long is dropped, ms */
  linkTimeout: number
  /**
   * A TOPIC_JOIN unanswered this long stops counting as pending (so another candidate is
   * asked), ms; stretched under load, and a late acceptance is still taken (SPEC.md §7.13)
   */
  joinTimeout: number
  /** Hops a FIND random walk makes over the membership overlay */
  findTtl: number
  /** Walks in flight per topic */
  maxConcurrentWalks: number
  /** Messages a non-subscriber queues per topic while it looks for a subscriber */
  maxPendingPublishes: number
  /** How long a non-subscriber keeps looking before the publish fails, ms */
  pendingPublishTimeout: number
  /** Anti-entropy period per topic, ms */
  aePeriod: number
  /** Anti-entropy reconciles ids published in the last `aeWindow` ms … */
  aeWindow: number
  /** … ending `aeGuard` ms ago (messages younger than that may still be in flight) */
  aeGuard: number
  /** Window bounds are multiples of this, so both sides of a session use the same set, ms */
  aeAlign: number
  /** Coded symbols in the first batch (more follow on demand) */
  aeInitialSymbols: number
  /** Coded symbols per session before reconciliation gives up (then the plain-list fallback) */
  aeMaxSymbols: number
  /** Short ids in one fallback list or want list */
  aeMaxIds: number
  /** Anti-entropy sessions expire after, ms */
  aeSessionTimeout: number
  /**
   * Tolerated difference between the origin's clock and ours, ms: a message published more than
   * this far in the future, or older than `seenTtl − maxClockSkew`, is dropped (replay protection:
   * an older copy could outlive its seen-id entry)
   */
  maxClockSkew: number
  /** Messages held at once for deferred validation; more are dropped */
  maxPendingValidation: number
  /** A message whose validation result has not come back after this long is forgotten, ms */
  validationTimeout: number
}

export const DEFAULT_PUBSUB_CONFIG: Readonly<PubsubConfig> = Object.freeze({
  ihaveDispatchInterval: 20,
  maxIHaveIds: 1024,
  graftTimeout1: 300,
  graftTimeout2: 150,
  graftTimeoutMax: 3000,
  optimizationThreshold: 10,
  floodRounds: 1,
  floodDepth: 7,
  cacheRetention: 120_000,
  cacheMaxMessages: 8192,
  cacheMaxBytes: 64 * 1024 * 1024,
  seenTtl: 180_000,
  seenMaxEntries: 200_000,
  maxMessageSize: 1024 * 1024,
  topicActiveTarget: 6,
  topicActiveCapacity: 12,
  topicPassiveCapacity: 30,
  maintenanceInterval: 1000,
  keepaliveIdle: 5000,
  linkTimeout: 15_000,
  joinTimeout: 15_000,
  findTtl: 40,
  maxConcurrentWalks: 3,
  maxPendingPublishes: 256,
  pendingPublishTimeout: 10_000,
  aePeriod: 5000,
  aeWindow: 90_000,
  aeGuard: 2000,
  aeAlign: 1000,
  aeInitialSymbols: 16,
  aeMaxSymbols: 16_384,
  aeMaxIds: 4096,
  aeSessionTimeout: 10_000,
  maxClockSkew: 30_000,
  maxPendingValidation: 1024,
  validationTimeout: 30_000
})

/**
 * Most flood rounds: a flood of k rounds costs about V^k copies per message for a topic view of
 * V (8 at 100 nodes: 64 copies for k = 2), whatever the overlay's size
 */
export const MAX_FLOOD_ROUNDS = 4

const POSITIVE: Array<keyof PubsubConfig> = Object.keys(DEFAULT_PUBSUB_CONFIG) as Array<keyof PubsubConfig>

/** Fills defaults and checks every value; throws InvalidConfigError naming the field */
export function resolvePubsubConfig (partial: Partial<PubsubConfig> = {}): PubsubConfig {
  const config: PubsubConfig = { ...DEFAULT_PUBSUB_CONFIG, ...partial }
  for (const key of POSITIVE) {
    const value = config[key]
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new InvalidConfigError(`pubsub config ${key} must be a finite number >= 0, got ${String(value)}`)
    }
  }
  const atLeastOne: Array<keyof PubsubConfig> = ['maxIHaveIds', 'cacheMaxMessages', 'seenMaxEntries', 'topicActiveTarget', 'topicActiveCapacity', 'findTtl', 'maxConcurrentWalks', 'aeInitialSymbols', 'aeMaxSymbols', 'aeMaxIds', 'aeAlign', 'maintenanceInterval', 'aePeriod', 'maxPendingValidation']
  for (const key of atLeastOne) {
    if (config[key] < 1) {
      throw new InvalidConfigError(`pubsub config ${key} must be >= 1, got ${config[key]}`)
    }
  }
  if (!Number.isInteger(config.floodRounds) || config.floodRounds > MAX_FLOOD_ROUNDS) {
    throw new InvalidConfigError(`pubsub config floodRounds must be an integer from 0 to ${MAX_FLOOD_ROUNDS}, got ${config.floodRounds}`)
  }
  if (config.floodDepth <= config.floodRounds) {
    throw new InvalidConfigError('pubsub config floodDepth must exceed floodRounds')
  }
  if (config.topicActiveCapacity < config.topicActiveTarget) {
    throw new InvalidConfigError('pubsub config topicActiveCapacity must be >= topicActiveTarget')
  }
  if (config.graftTimeoutMax < config.graftTimeout1) {
    throw new InvalidConfigError('pubsub config graftTimeoutMax must be >= graftTimeout1')
  }
  if (config.linkTimeout <= config.keepaliveIdle) {
    throw new InvalidConfigError('pubsub config linkTimeout must exceed keepaliveIdle')
  }
  if (config.cacheRetention < config.aeWindow + config.aeGuard) {
    throw new InvalidConfigError('pubsub config cacheRetention must cover aeWindow + aeGuard (pulls are served from the cache)')
  }
  if (config.seenTtl - config.maxClockSkew < config.aeWindow + config.aeGuard + config.maxClockSkew) {
    throw new InvalidConfigError('pubsub config seenTtl must exceed aeWindow + aeGuard + 2 × maxClockSkew (repaired messages must still be accepted)')
  }
  if (config.seenTtl < config.cacheRetention) {
    throw new InvalidConfigError('pubsub config seenTtl must be >= cacheRetention (a repaired message must not be delivered twice)')
  }
  return config
}
