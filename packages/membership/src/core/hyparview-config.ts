import { InvalidConfigError } from '@saorsa-gossip/core'

/**
 * HyParView parameters. Sources: the seed specification (ARCHITECTURE.md,
 * "Protocol parameters") and Leitão, Pereira & Rodrigues, "HyParView: a
 * membership protocol for reliable gossip-based broadcast", DSN 2007 (§5,
 * experimental settings).
 */
export interface HyParViewConfig {
  /** A node below this many active neighbours promotes passive peers (seed: active view 8–12, lower bound) */
  activeViewTarget: number
  /** Hard maximum of the active view (seed: active view 8–12, upper bound) */
  activeViewCapacity: number
  /** Maximum of the passive view (seed: passive view 64–128, lower bound) */
  passiveViewCapacity: number
  /** Active random walk length of FORWARD_JOIN (paper §5: ARWL = 6) */
  activeRandomWalkLength: number
  /** Hop at which FORWARD_JOIN also adds the joiner to the passive view (paper §5: PRWL = 3) */
  passiveRandomWalkLength: number
  /** Period of SHUFFLE, ms (seed: 30 s) */
  shuffleInterval: number
  /** Active-view peers sent in a SHUFFLE (paper §5: ka = 3) */
  shuffleActiveCount: number
  /** Passive-view peers sent in a SHUFFLE (paper §5: kp = 4) */
  shufflePassiveCount: number
  /** Random-walk length of SHUFFLE (guess: as ARWL) */
  shuffleTtl: number
  /** Period of the repair check that refills a short active view from the passive view, ms (guess) */
  repairInterval: number
  /** A NEIGHBOR request unanswered for this long counts as failed and its target leaves the passive view, ms (guess: several RTTs) */
  neighborRequestTimeout: number
  /** With an empty active view, JOIN is retried through another contact after this long, ms (guess) */
  joinRetryInterval: number
  /**
   * Period of the reconnect attempt to a lost neighbour (one declared dead or whose connection
   * was lost), ms: how the two halves of a healed partition find each other again (SPEC.md §5.4)
   */
  reconnectInterval: number
  /** Lost neighbours remembered for reconnect attempts (oldest forgotten first) */
  lostCapacity: number
  /** A lost neighbour is tried for this long after it was lost, ms */
  lostRetention: number
}

export const DEFAULT_HYPARVIEW_CONFIG: Readonly<HyParViewConfig> = {
  activeViewTarget: 8,
  activeViewCapacity: 12,
  passiveViewCapacity: 64,
  activeRandomWalkLength: 6,
  passiveRandomWalkLength: 3,
  shuffleInterval: 30_000,
  shuffleActiveCount: 3,
  shufflePassiveCount: 4,
  shuffleTtl: 6,
  repairInterval: 1_000,
  neighborRequestTimeout: 2_000,
  joinRetryInterval: 5_000,
  reconnectInterval: 10_000,
  lostCapacity: 16,
  lostRetention: 600_000
}

export function resolveHyParViewConfig (init: Partial<HyParViewConfig> = {}): HyParViewConfig {
  const config = { ...DEFAULT_HYPARVIEW_CONFIG, ...init }
  for (const [key, value] of Object.entries(config)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new InvalidConfigError(`hyparview.${key} must be a non-negative integer, got ${String(value)}`)
    }
  }
  if (config.activeViewTarget < 1 || config.activeViewCapacity < config.activeViewTarget) {
    throw new InvalidConfigError('hyparview needs 1 <= activeViewTarget <= activeViewCapacity')
  }
  if (config.passiveViewCapacity < 1) {
    throw new InvalidConfigError('hyparview.passiveViewCapacity must be >= 1')
  }
  if (config.passiveRandomWalkLength > config.activeRandomWalkLength) {
    throw new InvalidConfigError('hyparview.passiveRandomWalkLength must not exceed activeRandomWalkLength')
  }
  for (const key of ['shuffleInterval', 'repairInterval', 'neighborRequestTimeout', 'joinRetryInterval'] as const) {
    if (config[key] < 1) {
      throw new InvalidConfigError(`hyparview.${key} must be >= 1 ms`)
    }
  }
  return config
}
