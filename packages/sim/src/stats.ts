/** Summary statistics used in simulator results */
import { percentile as nearestRank } from '@saorsa-gossip/core'

/** core's nearest-rank percentile, `null` (not NaN) for no samples: results are JSON */
export function percentile (sorted: number[], p: number): number | null {
  const value = nearestRank(sorted, p)
  return Number.isNaN(value) ? null : value
}

export interface Distribution {
  count: number
  min: number | null
  p50: number | null
  p90: number | null
  p95: number | null
  p99: number | null
  max: number | null
  mean: number | null
}

export function distribution (values: number[]): Distribution {
  const sorted = values.slice().sort((a, b) => a - b)
  const sum = sorted.reduce((a, b) => a + b, 0)
  return {
    count: sorted.length,
    min: sorted[0] ?? null,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? null,
    mean: sorted.length === 0 ? null : Math.round(sum / sorted.length * 100) / 100
  }
}
