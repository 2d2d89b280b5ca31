/**
 * npm run bench:frame-cost — what one frame costs the libp2p stack, for the simulator's
 * processing model (packages/sim/src/processing.ts, SPEC.md §4.1).
 *
 * Two libp2p nodes in one process (TCP + noise + yamux, and QUIC), one stream. Frames of
 * each size go one at a time: the next is sent only when the reader has the previous one,
 * so no write or read is batched with another (as frames spread out in time on a real
 * overlay). The process's CPU time (user + system, all threads) over `--frames` frames,
 * divided by the frames, is what a frame costs its sender and its receiver together; a
 * least-squares line over the sizes splits it into a per-frame and a per-KiB part. A table,
 * then the JSON summary as the last line.
 *
 * Options: --frames N (default 2000), --sizes a,b,c (bytes, default 64,1024,4096,16384),
 * --transports tcp,quic.
 */
import { bareNode } from './net/bare-node.ts'
import type { Stream } from '@libp2p/interface'

const PROTOCOL = '/saorsa-gossip/bench/frame-cost/1.0.0'

type Transport = 'tcp' | 'quic'

/** CPU ms per frame (sender and receiver together) for `frames` frames of `size` bytes, one at a time */
async function measure (transport: Transport, size: number, frames: number): Promise<number> {
  const a = await bareNode(transport)
  const b = await bareNode(transport)
  let got = 0
  let wanted = 0
  let arrived: () => void = () => {}
  await b.handle(PROTOCOL, (stream: Stream) => {
    stream.addEventListener('message', (evt) => {
      got += evt.data.byteLength
      if (got >= wanted) {
        arrived()
      }
    })
  })
  const stream = await a.dialProtocol(b.getMultiaddrs()[0], PROTOCOL)
  const frame = new Uint8Array(size).fill(7)
  const one = async (): Promise<void> => {
    wanted += size
    const done = new Promise<void>(resolve => { arrived = resolve })
    if (!stream.send(frame)) {
      await new Promise<void>(resolve => { stream.addEventListener('drain', () => { resolve() }, { once: true }) })
    }
    await done
  }
  // warm-up: stream open at both ends, JIT settled
  for (let i = 0; i < 200; i++) {
    await one()
  }
  const before = process.cpuUsage()
  for (let i = 0; i < frames; i++) {
    await one()
  }
  const used = process.cpuUsage(before)
  await a.stop()
  await b.stop()
  return (used.user + used.system) / 1000 / frames
}

/** Least-squares line through (KiB, ms) points: per-frame intercept and per-KiB slope */
function fit (points: Array<{ size: number, ms: number }>): { perFrameMs: number, perKiBMs: number } {
  const xs = points.map(p => p.size / 1024)
  const ys = points.map(p => p.ms)
  const n = points.length
  const mx = xs.reduce((s, x) => s + x, 0) / n
  const my = ys.reduce((s, y) => s + y, 0) / n
  const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0)
  const slope = sxx === 0 ? 0 : xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / sxx
  return { perFrameMs: round(my - slope * mx), perKiBMs: round(slope) }
}

function round (x: number): number {
  return Math.round(x * 10_000) / 10_000
}

function arg (name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

function fail (message: string): never {
  process.stderr.write(`bench:frame-cost: ${message}\n`)
  process.exit(2)
}

function positiveInts (name: string, fallback: number[]): number[] {
  const raw = arg(name)
  const values = raw == null ? fallback : raw.split(',').map(Number)
  if (values.length === 0 || values.some(v => !Number.isInteger(v) || v <= 0)) {
    fail(`--${name} takes positive integers separated by commas, got ${String(raw)}`)
  }
  return values
}

const [frames] = positiveInts('frames', [2000])
const sizes = positiveInts('sizes', [64, 1024, 4096, 16384])
const transports = (arg('transports') ?? 'tcp,quic').split(',') as Transport[]
if (transports.some(t => t !== 'tcp' && t !== 'quic')) {
  fail(`--transports takes tcp and/or quic, got ${String(arg('transports'))}`)
}
const results: Record<string, { points: Array<{ size: number, ms: number }>, perFrameMs: number, perKiBMs: number }> = {}
process.stdout.write(`${frames} frames per size, one at a time; CPU ms per frame, sender and receiver together\n`)
for (const transport of transports) {
  const points: Array<{ size: number, ms: number }> = []
  for (const size of sizes) {
    const ms = round(await measure(transport, size, frames))
    points.push({ size, ms })
    process.stdout.write(`${transport.padEnd(5)} ${String(size).padStart(6)} B  ${ms.toFixed(4)} ms\n`)
  }
  results[transport] = { points, ...fit(points) }
  process.stdout.write(`${transport.padEnd(5)} fit: ${results[transport].perFrameMs} ms per frame + ${results[transport].perKiBMs} ms per KiB\n`)
}
process.stdout.write(`${JSON.stringify({ bench: 'frame-cost', frames, results })}\n`)
process.exit(0)
