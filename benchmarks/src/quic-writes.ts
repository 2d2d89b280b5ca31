/**
 * npm run bench:quic-writes — the minimal reproduction of @chainsafe/libp2p-quic 2.1.1
 * accepting one chunk per event-loop turn (SPEC.md §7.12; for the upstream report).
 *
 * Two libp2p nodes in one process, one stream, `chunks` small writes made back to back with
 * `stream.send()`; counts how many sends returned false (the stream asks the writer to wait
 * for 'drain'), how many event-loop turns (setImmediate ticks) and ms pass until the reader
 * has every byte, then the same with all chunks concatenated into one send. The same over
 * TCP + noise + yamux for comparison. Also the bytes both sides put on the wire (QUIC: UDP
 * payload, so packet headers, AEAD tags and ACKs; TCP: noise and yamux framing) per byte
 * written: what a transport adds to a message (SPEC.md §7.12). A table, then the JSON summary
 * as the last line.
 *
 * With `--chunks 2000` the single 200 KB write also shows the read side: 2.1.1 reads a stream
 * 4,096 bytes per event-loop turn (SPEC.md §7.12, "Reads over QUIC"; this repository patches it
 * to 65,536 at install, so the figure here is the patched one; `npx patch-package --reverse`
 * restores the stock reads, `npx patch-package` the patched ones).
 */
import { bareNode } from './net/bare-node.ts'
import { WireCounter } from './net/wire.ts'
import type { Stream } from '@libp2p/interface'

const PROTOCOL = '/saorsa-gossip/bench/quic-writes/1.0.0'
const chunks = Number(process.argv[process.argv.indexOf('--chunks') + 1] ?? 100) || 100
const size = 100

/** Resolves once `total` bytes were read; counts event-loop turns meanwhile */
function receiver (total: number): { handler(stream: Stream): void, done: Promise<{ ms: number, turns: number }>, start(): void } {
  let resolve: (v: { ms: number, turns: number }) => void = () => {}
  const done = new Promise<{ ms: number, turns: number }>(_resolve => { resolve = _resolve })
  let got = 0
  let turns = 0
  let began = 0
  let counting = false
  const tick = (): void => {
    if (!counting) {
      return
    }
    turns++
    setImmediate(tick)
  }
  return {
    start: () => { began = performance.now(); counting = true; setImmediate(tick) },
    done,
    handler: (stream) => {
      stream.addEventListener('message', (evt) => {
        got += evt.data.byteLength
        if (got >= total) {
          counting = false
          resolve({ ms: performance.now() - began, turns })
        }
      })
    }
  }
}

async function measure (transport: 'tcp' | 'quic', batched: boolean): Promise<{ transport: string, batched: boolean, sends: number, refused: number, ms: number, turns: number, wirePerByte: number }> {
  const a = await bareNode(transport)
  const b = await bareNode(transport)
  const wire = new WireCounter()
  wire.attach(a)
  wire.attach(b)
  const r = receiver(chunks * size)
  await b.handle(PROTOCOL, (stream) => { r.handler(stream) })
  const stream = await a.dialProtocol(b.getMultiaddrs()[0], PROTOCOL)
  // one warm-up byte so the stream is open on both sides before timing
  const payload = new Uint8Array(size).fill(7)
  let refused = 0
  const wireBefore = wire.read().sent
  r.start()
  if (batched) {
    const all = new Uint8Array(chunks * size).fill(7)
    if (!stream.send(all)) {
      refused++
    }
  } else {
    for (let i = 0; i < chunks; i++) {
      if (!stream.send(payload)) {
        refused++
      }
    }
  }
  const { ms, turns } = await r.done
  // the receiver's acknowledgements follow the last read by up to QUIC's ack delay (25 ms)
  await new Promise(resolve => setTimeout(resolve, 200))
  const wirePerByte = Math.round((wire.read().sent - wireBefore) / (chunks * size) * 1000) / 1000
  await a.stop()
  await b.stop()
  return { transport, batched, sends: batched ? 1 : chunks, refused, ms: Math.round(ms * 100) / 100, turns, wirePerByte }
}

const results = []
for (const transport of ['quic', 'tcp'] as const) {
  for (const batched of [false, true]) {
    results.push(await measure(transport, batched))
  }
}
process.stdout.write(`${chunks} writes of ${size} B on one stream, back to back, vs one write of ${chunks * size} B\n`)
process.stdout.write('transport  writes  send() returned false  event-loop turns until all read  ms  wire bytes per byte written\n')
for (const r of results) {
  process.stdout.write(`${r.transport.padEnd(10)} ${String(r.sends).padStart(6)}  ${String(r.refused).padStart(21)}  ${String(r.turns).padStart(31)}  ${r.ms}  ${r.wirePerByte}\n`)
}
process.stdout.write(`${JSON.stringify({ bench: 'quic-writes', chunks, size, results })}\n`)
process.exit(0)
