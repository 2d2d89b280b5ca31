#!/usr/bin/env node
/**
 * Runs every workspace's tests through `aegir run test` (dependency order),
 * passes their output through, and ends with one plain summary line,
 * "N passed, N failed", that CI tooling can read. Exits non-zero when any
 * workspace fails, or when no test ran at all.
 */
import { spawn } from 'node:child_process'

const ANSI = /\u001b\[[0-9;]*m/g
let passed = 0
let failed = 0
let pending = ''

function scan (chunk) {
  pending += chunk.toString()
  const lines = pending.split('\n')
  pending = lines.pop()
  for (const raw of lines) {
    const line = raw.replace(ANSI, '')
    const pass = line.match(/(\d+) passing/)
    const fail = line.match(/(\d+) failing/)
    if (pass != null) passed += Number(pass[1])
    if (fail != null) failed += Number(fail[1])
  }
}

const child = spawn('npx', ['aegir', 'run', 'test', '--', '-t', 'node', ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'pipe'] })
child.stdout.on('data', (chunk) => { process.stdout.write(chunk); scan(chunk) })
child.stderr.on('data', (chunk) => { process.stderr.write(chunk); scan(chunk) })
child.on('close', (code) => {
  scan('\n')
  process.stdout.write(`\ntests: ${passed} passed, ${failed} failed\n`)
  if (code !== 0 || failed > 0) {
    process.exit(code === 0 ? 1 : code)
  }
  if (passed === 0) {
    process.stderr.write('no tests ran\n')
    process.exit(1)
  }
})
