/**
 * The one percentile every package and benchmark reports (issue 13: there were three, with
 * three contracts): nearest rank over an ascending array, `NaN` when there are no samples
 * (JSON.stringify writes it as `null`).
 */
export function percentile (sorted: readonly number[], p: number): number {
  if (sorted.length === 0) {
    return NaN
  }
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))]
}
