/**
 * ML-DSA-65 keygen / sign / verify for both backends, measured in one run so
 * that the native/noble ratio is meaningful on a noisy machine.
 *
 * Usage: npm run bench:crypto [-- --iterations N]
 * Prints a table, then a JSON summary as the last line (also written to
 * benchmarks/results/crypto.json).
 */
import crypto from 'node:crypto'
import { nativeAvailable, nativeBackend, nobleBackend } from '@saorsa-gossip/identity'
import { median, percentile, round, time, writeSummary } from './stats.ts'
import type { MlDsa65Backend } from '@saorsa-gossip/identity'

function arg (name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback
  if (!Number.isInteger(v) || v < 1) {
    throw new Error(`--${name} must be a positive integer`)
  }
  return v
}

interface Figures { keygenMs: number, signMs: number, verifyMs: number, verifyP95Ms: number, signP95Ms: number }

function measure (backend: MlDsa65Backend, iterations: number): Figures {
  const message = crypto.randomBytes(256)
  const key = backend.fromSeed(crypto.randomBytes(32))
  const signature = backend.sign(key, message)
  const keygen = time(() => backend.fromSeed(crypto.randomBytes(32)), iterations)
  const sign = time(() => backend.sign(key, message), iterations)
  const verify = time(() => {
    if (!backend.verify(key.publicKey, message, signature)) {
      throw new Error('verify failed')
    }
  }, iterations)
  return {
    keygenMs: round(median(keygen)),
    signMs: round(median(sign)),
    verifyMs: round(median(verify)),
    signP95Ms: round(percentile(sign, 95)),
    verifyP95Ms: round(percentile(verify, 95))
  }
}

const iterations = arg('iterations', 200)
if (!nativeAvailable()) {
  throw new Error(`node:crypto has no ML-DSA-65 on Node ${process.versions.node} / OpenSSL ${process.versions.openssl}: run through npm so the pinned Node 24 is used`)
}
const native = measure(nativeBackend, iterations)
const noble = measure(nobleBackend, Math.max(10, Math.floor(iterations / 4)))

const rows = [
  ['operation', 'native ms (median)', 'noble ms (median)', 'noble/native'],
  ['keygen', native.keygenMs, noble.keygenMs, round(noble.keygenMs / native.keygenMs, 1)],
  ['sign', native.signMs, noble.signMs, round(noble.signMs / native.signMs, 1)],
  ['verify', native.verifyMs, noble.verifyMs, round(noble.verifyMs / native.verifyMs, 1)]
]
process.stdout.write(`ML-DSA-65 on Node ${process.versions.node}, OpenSSL ${process.versions.openssl}, ${iterations} native / ${Math.max(10, Math.floor(iterations / 4))} noble iterations\n`)
for (const row of rows) {
  process.stdout.write(row.map((c, i) => String(c).padEnd(i === 0 ? 10 : 20)).join('') + '\n')
}

writeSummary('crypto', {
  benchmark: 'crypto',
  node: process.versions.node,
  openssl: process.versions.openssl,
  iterations,
  nativeKeygenMs: native.keygenMs,
  nobleKeygenMs: noble.keygenMs,
  nativeSignMs: native.signMs,
  nobleSignMs: noble.signMs,
  nativeVerifyMs: native.verifyMs,
  nobleVerifyMs: noble.verifyMs,
  nativeSignP95Ms: native.signP95Ms,
  nativeVerifyP95Ms: native.verifyP95Ms,
  verifySpeedup: round(noble.verifyMs / native.verifyMs, 2),
  signSpeedup: round(noble.signMs / native.signMs, 2)
})
