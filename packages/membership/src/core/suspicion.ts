/**
 * Lifeguard dynamic suspicion timeout (Dadgar et al. 2018, §IV-B; the same
 * formula as memberlist's suspicion.go):
 *
 * `timeout(C) = max(min, max − (max − min) · log(C + 1) / log(K + 1))`
 *
 * where C is the number of independent confirmations received and K the
 * number expected. With no confirmations the timeout is `max`; with K or
 * more it is `min`. The logarithm makes the first confirmations count most.
 */
export function suspicionTimeout (confirmations: number, expected: number, min: number, max: number): number {
  if (confirmations <= 0 || expected <= 0) {
    return max
  }
  const fraction = Math.log(confirmations + 1) / Math.log(expected + 1)
  return Math.max(min, Math.floor(max - (max - min) * fraction))
}

/**
 * Lifeguard local health awareness (§IV-A): the node's own timeouts are
 * stretched by (LHM + 1) where LHM ∈ [0, maxLocalHealth] rises on evidence
 * that *this* node is slow (missed nacks, having to refute a suspicion about
 * itself, failed probes) and falls with each successful probe.
 */
export function scaledTimeout (base: number, localHealth: number): number {
  return base * (localHealth + 1)
}

export function adjustLocalHealth (current: number, delta: number, max: number): number {
  return Math.min(max, Math.max(0, current + delta))
}
