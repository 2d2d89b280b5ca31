import { InvalidConfigError } from '@saorsa-gossip/core'

export interface GroupCoreConfig {
  /** commits kept behind the head, and so the deepest fork a member can switch away from (guess: a partition of a few minutes with a commit a minute) */
  maxRollbackEpochs: number
  /** messages for epochs or branches not (yet) ours, kept until their commit arrives (guess) */
  maxFutureMessages: number
  /** how long such a message waits, ms (guess: two anti-entropy periods of plumtree and a chain fetch) */
  futureTtl: number
  /** commits of other branches kept as candidates for the ordering rule (guess) */
  maxCandidates: number
  /** each member announces its head this often, ms, so that halves of a healed partition find each other's branch (guess: plumtree's anti-entropy period × 6) */
  headInterval: number
  /**
   * Remote inputs (received messages, chain replies) and local operations waiting while an MLS
   * operation is in flight; beyond it they are refused as `queue-full` (SPEC.md §11.6). Opening
   * one suite-87 commit takes 30–300 ms (§11.9), so 1,024 waiting inputs is already minutes of work
   */
  maxQueuedInputs: number
  /** bytes of MLS data those inputs carry: four full chain replies (MAX_REPLY_BYTES, 4 MiB each) */
  maxQueuedBytes: number
  /**
   * A duty of the remaining members (committing a leaver's removal, re-adding a peer stranded
   * on a losing branch) falls to the first of them in PeerId order; the k-th takes it over
   * after k × this, ms, if it is still not done (SPEC.md §11.3). Guess: headInterval, the
   * period in which a live member shows itself; a live first member's commit takes seconds
   */
  dutyTimeout: number
}

export const DEFAULT_GROUP_CORE_CONFIG: GroupCoreConfig = {
  maxRollbackEpochs: 16,
  maxFutureMessages: 256,
  futureTtl: 60_000,
  maxCandidates: 256,
  headInterval: 30_000,
  maxQueuedInputs: 1024,
  maxQueuedBytes: 16 * 1024 * 1024,
  dutyTimeout: 30_000
}

export function groupCoreConfig (init: Partial<GroupCoreConfig> = {}): GroupCoreConfig {
  const config = { ...DEFAULT_GROUP_CORE_CONFIG, ...init }
  for (const [key, value] of Object.entries(config)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new InvalidConfigError(`groups: ${key} must be a positive integer, got ${String(value)}`)
    }
  }
  return config
}
