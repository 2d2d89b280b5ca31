#!/usr/bin/env node
/**
 * `npm test -w interop`: runs this workspace's tests through aegir (arguments are passed on,
 * so the root's `-t node` works), passes the output through, and ends with one JSON line
 * for CI tooling: pairs of implementations, suites, passed / failed / pending, and the
 * bridge test's deliveries and duplicates (its `BRIDGE_RESULT` lines, one per transport, added
 * up; null if it did not run).
 */
import { spawn } from 'node:child_process'

const ANSI = /\u001b\[[0-9;]*m/g
const counts = { passed: 0, failed: 0, pending: 0 }
let bridge = { bridgeDelivered: null, bridgeDuplicates: null }
let pending = ''

function scan (chunk) {
  pending += chunk.toString()
  const lines = pending.split('\n')
  pending = lines.pop()
  for (const raw of lines) {
    const line = raw.replace(ANSI, '')
    const result = line.match(/^BRIDGE_RESULT (\{.*\})$/)
    if (result != null) {
      try {
        // one line per transport: the counts add up
        const parsed = JSON.parse(result[1])
        bridge = { bridgeDelivered: (bridge.bridgeDelivered ?? 0) + parsed.bridgeDelivered, bridgeDuplicates: (bridge.bridgeDuplicates ?? 0) + parsed.bridgeDuplicates }
      } catch {
        // a garbled line leaves the counts null: the test's own assertions decide pass or fail
      }
    }
    for (const [key, word] of [['passed', 'passing'], ['failed', 'failing'], ['pending', 'pending']]) {
      const m = line.match(new RegExp(`^\\s*(\\d+) ${word}`))
      if (m != null) counts[key] += Number(m[1])
    }
  }
}

const args = process.argv.slice(2)
// the stack our users run is noise + yamux; the stream suite's whole matrix (3 key types ×
// noise/tls/plaintext × yamux/mplex) runs with INTEROP_FULL=1: ~5 min here against ~1.5,
// mostly the suite's 1 s pause after each connect
const matrix = process.env.INTEROP_FULL === '1' ? [] : ['--', '--grep', '/(tls|plaintext|mplex) ', '--invert']
const child = spawn('npx', ['aegir', 'test', ...(args.length > 0 ? args : ['-t', 'node']), ...matrix], { stdio: ['ignore', 'pipe', 'pipe'] })
child.stdout.on('data', chunk => { process.stdout.write(chunk); scan(chunk) })
child.stderr.on('data', chunk => { process.stderr.write(chunk); scan(chunk) })
child.on('close', code => {
  scan('\n')
  const summary = {
    // saorsa, js-libp2p 3, js-libp2p 2: every ordered pair
    pairs: 9,
    suites: ['connect', 'stream', 'gossipsub', 'quic', 'wire-vectors', 'wire-capture', 'bridge'],
    ...counts,
    ...bridge
  }
  process.stdout.write(`${JSON.stringify(summary)}\n`)
  process.exit(code !== 0 ? (code ?? 1) : counts.failed > 0 || counts.passed === 0 ? 1 : 0)
})
