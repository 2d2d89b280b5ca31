/** Small helpers shared by the benchmarks: timing, medians, output */
import fs from 'node:fs'
import path from 'node:path'
import { percentile as nearestRank } from '@saorsa-gossip/core'

export function median (samples: number[]): number {
  const sorted = samples.slice().sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 0 ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[mid]
}

/** core's nearest-rank percentile of unsorted samples */
export function percentile (samples: number[], p: number): number {
  return nearestRank(samples.slice().sort((a, b) => a - b), p)
}

/** Runs `fn` `warmup` times unmeasured, then `iterations` times, returning each duration in ms */
export function time (fn: () => void, iterations: number, warmup = 3): number[] {
  for (let i = 0; i < warmup; i++) {
    fn()
  }
  const out: number[] = []
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint()
    fn()
    out.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  return out
}

export function round (n: number, digits = 3): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

/** Writes the summary to benchmarks/results/<name>.json and prints it as the last line */
export function writeSummary (name: string, summary: Record<string, unknown>): void {
  const dir = path.resolve(import.meta.dirname, '../../results')
  fs.mkdirSync(dir, { recursive: true })
  const json = JSON.stringify(summary)
  fs.writeFileSync(path.join(dir, `${name}.json`), json + '\n')
  process.stdout.write(json + '\n')
}
