/**
 * Runs every fuzz target for a time budget: a progress line per target, then the
 * JSON summary as the last line. Exit status 1 when any target crashed.
 *
 * Usage: node dist/src/run.js [--quick] [--seconds N] [--execs N] [--seed N] [--target a,b] [--write-corpus]
 *
 * --execs N runs every target until N executions (the long run: 1,000,000), with --seconds
 * as a cap per target (default then 3,600).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { TARGETS } from './targets.ts'
import type { Target } from './engine.ts'

const args = process.argv.slice(2)
const option = (name: string): string | undefined => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const KNOWN = new Set(['--quick', '--seconds', '--execs', '--seed', '--target', '--write-corpus'])
const TAKES_VALUE = new Set(['--seconds', '--execs', '--seed', '--target'])
for (let i = 0; i < args.length; i++) {
  if (!KNOWN.has(args[i])) {
    process.stderr.write(`fuzz: unknown option ${args[i]} (options: ${[...KNOWN].join(' ')})\n`)
    process.exit(2)
  }
  if (TAKES_VALUE.has(args[i])) {
    if (i + 1 >= args.length || args[i + 1].startsWith('--')) {
      process.stderr.write(`fuzz: ${args[i]} needs a value\n`)
      process.exit(2)
    }
    i++
  }
}
const quick = args.includes('--quick')
const baseSeed = Number(option('--seed') ?? 0x5a0c5a)
const execsWanted = option('--execs') == null ? undefined : Number(option('--execs'))
/** quick: 14 targets × 8 s stays around two minutes with start-up */
const seconds = Number(option('--seconds') ?? (quick ? 8 : execsWanted != null ? 3600 : 60))
if (!Number.isFinite(seconds) || seconds <= 0 || (execsWanted != null && (!Number.isInteger(execsWanted) || execsWanted <= 0)) || !Number.isInteger(baseSeed)) {
  process.stderr.write('fuzz: --seconds must be a positive number, --execs a positive integer and --seed an integer\n')
  process.exit(2)
}
const only = option('--target')?.split(',')
const CORPUS = fileURLToPath(new URL('../../corpus/', import.meta.url))

const print = (line: string): void => { process.stdout.write(line + '\n') }

const unknownTargets = (only ?? []).filter(name => !TARGETS.some(t => t.name === name))
if (unknownTargets.length > 0) {
  process.stderr.write(`fuzz: unknown target ${unknownTargets.join(', ')} (targets: ${TARGETS.map(t => t.name).join(', ')})\n`)
  process.exit(2)
}
const targets = TARGETS.filter(t => only == null || only.includes(t.name))

if (args.includes('--write-corpus')) {
  for (const t of targets) {
    const dir = join(CORPUS, t.name)
    const seeds = await t.seeds()
    if (seeds.length === 0) {
      continue
    }
    mkdirSync(dir, { recursive: true })
    seeds.forEach((s, i) => { writeFileSync(join(dir, `seed-${i}.bin`), s) })
    print(`${t.name}: wrote ${seeds.length} seeds`)
  }
  process.exit(0)
}

function readCorpus (name: string): Uint8Array[] {
  try {
    const dir = join(CORPUS, name)
    return readdirSync(dir).sort().map(f => new Uint8Array(readFileSync(join(dir, f))))
  } catch {
    return []
  }
}

/** Counterexamples as JSON, bytes in hex so a crash can be replayed by hand */
function show (value: unknown): string {
  return JSON.stringify(value, (_, v) => {
    if (v instanceof Uint8Array) {
      return `hex:${Buffer.from(v).toString('hex')}`
    }
    return typeof v === 'bigint' ? v.toString() : v
  })
}

let maxHeap = 0
/** run with --expose-gc (npm run fuzz does): heap after a full GC is what the targets retain, not garbage */
const gc = (globalThis as { gc?(): void }).gc
function sampleHeap (): number {
  gc?.()
  const mb = process.memoryUsage().heapUsed / 2 ** 20
  maxHeap = Math.max(maxHeap, mb)
  return mb
}

let pendingError: unknown
// a promise a target forgot to await must fail that target, not vanish
process.on('unhandledRejection', (err) => { pendingError = err })

interface Result { target: string, execs: number, seconds: number, crashes: number, heapMB: number, crash?: string }

function hashName (name: string): number {
  let h = 0
  for (const c of name) {
    h = (h * 31 + c.charCodeAt(0)) | 0
  }
  return h >>> 0
}

function saveCrash (name: string, crash: string): void {
  const dir = join(tmpdir(), 'saorsa-fuzz-crashes')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${name}.txt`)
  writeFileSync(file, crash + '\n')
  // the input can be kilobytes: the console gets its start, the file all of it
  print(`  ${crash.split('\n').map(l => l.length > 400 ? `${l.slice(0, 400)}…` : l).join('\n  ')}\n  saved to ${file}`)
}

async function fuzz (t: Target<any>): Promise<Result> {
  const corpus = readCorpus(t.name)
  const arbitrary = t.arbitrary(corpus)
  const isAsync = t.run.constructor.name === 'AsyncFunction'
  const property = isAsync
    ? fc.asyncProperty(arbitrary, async (x) => { await t.run(x) })
    : fc.property(arbitrary, (x) => { t.run(x) as void })
  const start = performance.now()
  const deadline = start + seconds * 1000
  let execs = 0
  let batch = 20
  let seed = (baseSeed ^ hashName(t.name)) >>> 0
  let crash: string | undefined
  const enough = (): boolean => execsWanted != null && execs >= execsWanted
  while (performance.now() < deadline && crash == null && !enough()) {
    const remaining = deadline - performance.now()
    const batchStart = performance.now()
    const params = { seed, numRuns: execsWanted == null ? batch : Math.min(batch, execsWanted - execs), interruptAfterTimeLimit: Math.max(1, Math.ceil(remaining)), markInterruptAsFailure: false }
    const r = isAsync ? await fc.check(property as fc.IAsyncProperty<unknown>, params) : fc.check(property as fc.IProperty<unknown>, params)
    execs += r.numRuns
    if (r.failed && r.interrupted && r.counterexample == null) {
      // fast-check reports a batch that its time limit interrupted before the first run ended
      // as failed (no success, no counterexample): the budget ran out, nothing crashed. A CI run
      // reported "undefined: undefined (path null)" for exactly this
      break
    }
    if (r.failed) {
      const err = r.errorInstance as Error | undefined
      crash = r.counterexample == null
        ? `too many inputs skipped (${r.numSkips}, seed ${seed})`
        : `${String(err?.name)}: ${String(err?.message)} (seed ${seed}, path ${String(r.counterexamplePath)})\n  input: ${show(r.counterexample)}`
      break
    }
    try {
      t.check?.()
      if (pendingError != null) {
        throw pendingError instanceof Error ? pendingError : new Error(String(pendingError))
      }
    } catch (err: any) {
      crash = `${String(err?.name)}: ${String(err?.message)} (long-lived state, after seed ${seed})`
    }
    sampleHeap()
    seed = (seed + 1) >>> 0
    // aim for ~0.5 s batches: few enough fc.check calls, frequent enough heap samples
    const took = performance.now() - batchStart
    batch = Math.max(1, Math.min(100_000, Math.round(batch * Math.min(4, 500 / Math.max(took, 1)))))
  }
  const elapsed = (performance.now() - start) / 1000
  const heapMB = sampleHeap()
  const state = t.describe?.() ?? ''
  print(`${t.name}: ${execs} execs in ${elapsed.toFixed(1)} s (${Math.round(execs / elapsed)}/s), corpus ${corpus.length}, heap ${heapMB.toFixed(0)} MB${state === '' ? '' : `, ${state}`}, ${crash == null ? 'ok' : 'CRASH'}`)
  if (crash != null) {
    saveCrash(`${t.name}-${seed}`, crash)
  }
  return { target: t.name, execs, seconds: Number(elapsed.toFixed(1)), crashes: crash == null ? 0 : 1, heapMB: Number(heapMB.toFixed(1)), ...(crash == null ? {} : { crash: crash.split('\n')[0] }) }
}

const started = performance.now()
const results: Result[] = []
for (const t of targets) {
  results.push(await fuzz(t))
}
const crashes = results.reduce((n, r) => n + r.crashes, 0)
print(JSON.stringify({
  targets: results.length,
  execs: results.reduce((n, r) => n + r.execs, 0),
  crashes,
  maxHeapMB: Number(maxHeap.toFixed(1)),
  seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  engine: 'fast-check',
  results
}))
process.exit(crashes === 0 ? 0 : 1)
