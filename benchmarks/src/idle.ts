/**
 * npm run bench:idle — what a formed, quiet overlay costs per node: N nodes of one stack in
 * this one process (no worker processes, so nothing else shares the measurement), a settle
 * period after formation, then an idle window measured by process CPU, per-thread CPU from
 * /proc (Linux), frames and frame bytes sent by type (plumtree's stack; frame bytes are the
 * protocol's own, before any transport framing), wire bytes sent (net/wire.ts: what TCP or
 * QUIC carried, for either stack), and connections open before and after.
 *
 * Options: --protocol plumtree|gossipsub --nodes N --transport tcp|quic --settle S --seconds S
 * --seed S --stack-options JSON --plumtree-config JSON (net/stack-options.ts). Progress lines,
 * then the JSON summary as the last line. Compare configurations back to back on a quiet
 * machine: single runs of the same configuration differ by up to ±25% (benchmarks/README.md).
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { multiaddr } from '@multiformats/multiaddr'
import { CliArgs } from './net/cli-args.ts'
import { stackOptions } from './net/stack-options.ts'
import { createStackNode, listenAddr, peerIdFor } from './net/stack.ts'
import { WireCounter } from './net/wire.ts'
import type { ProtocolName, TransportName } from './net/messages.ts'
import type { StackNode } from './net/stack.ts'

const cli = new CliArgs(process.argv, {
  bench: 'bench:idle',
  usage: `  --protocol plumtree|gossipsub --nodes N --transport tcp|quic --settle S --seconds S --seed S
  --stack-options JSON --plumtree-config JSON (net/stack-options.ts)`,
  values: ['protocol', 'nodes', 'transport', 'settle', 'seconds', 'seed', 'stack-options', 'plumtree-config']
})
const protocol = cli.choice<ProtocolName>('protocol', 'plumtree', ['plumtree', 'gossipsub'])
const transport = cli.choice<TransportName>('transport', 'tcp', ['tcp', 'quic'])
const nodes = cli.number('nodes', 20, { integer: true, min: 2 })
const settle = cli.number('settle', 15)
const seconds = cli.number('seconds', 20)
const seed = cli.number('seed', 1, { integer: true, min: 0 })
const options = stackOptions(process.argv, 'bench:idle') ?? {}
const topic = 'saorsa/idle'
const log = (line: string): void => { process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`) }
const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
const r3 = (x: number): number => Math.round(x * 1000) / 1000
const wire = new WireCounter()

/** utime and stime of every thread of this process, ms, by thread name (the main thread as `main`); empty off Linux */
function threadCpu (): Record<string, { user: number, system: number }> {
  const out: Record<string, { user: number, system: number }> = {}
  try {
    const tick = 10 // ms per clock tick (USER_HZ 100 on Linux)
    for (const tid of fs.readdirSync('/proc/self/task')) {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
      const name = tid === String(process.pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const t = out[name] ?? { user: 0, system: 0 }
      t.user += Number(fields[11]) * tick
      t.system += Number(fields[12]) * tick
      out[name] = t
    }
  } catch {
    // no /proc: process CPU only
  }
  return out
}

/** Frames sent so far by all nodes, by service and type, and connections open */
function counters (all: StackNode[]): Record<string, number> {
  const out: Record<string, number> = { connections: 0, peers: 0 }
  const add = (k: string, v: number): void => { out[k] = (out[k] ?? 0) + v }
  for (const node of all) {
    out.connections += node.getConnections().length
    // more connections than peers: both ends dialled each other at once (libp2p keeps both)
    out.peers += new Set(node.getConnections().map(c => c.remotePeer.toString())).size
    if (protocol !== 'plumtree') {
      continue
    }
    for (const [type, n] of Object.entries(node.services.membership.stats.messagesOut as Record<string, number>)) {
      add(`membership.${type}`, n)
    }
    for (const [type, n] of Object.entries(node.services.membership.stats.bytesOut as Record<string, number>)) {
      add(`bytes:membership.${type}`, n)
    }
    for (const [type, n] of Object.entries(node.services.pubsub.stats.framesOut as Record<string, number>)) {
      add(`plumtree.${type}`, n)
    }
    for (const [type, n] of Object.entries(node.services.pubsub.stats.bytesOut as Record<string, number>)) {
      add(`bytes:plumtree.${type}`, n)
    }
  }
  out.wireSent = wire.read().sent
  return out
}

const seeds = Array.from({ length: nodes }, (_, i) => createHash('sha256').update(`saorsa-idle/${seed}/${i}`).digest('hex'))
const ids = await Promise.all(seeds.map(async s => peerIdFor(s)))
// below the ephemeral range (32768+ on Linux), so no outgoing socket holds a listen port
const basePort = 10_000 + Math.floor(Math.random() * 20_000)
const addrs = ids.map((id, i) => `${listenAddr(transport, basePort + i)}/p2p/${id}`)
const started: StackNode[] = []
try {
  log(`idle: ${nodes} ${protocol} nodes over ${transport} in one process; settle ${settle} s after formation, measure ${seconds} s`)
  for (let i = 0; i < nodes; i++) {
    // up to 6 contacts among the nodes started before, spread deterministically
    const contacts = [...new Set(Array.from({ length: Math.min(6, i) }, (_, k) => addrs[(i * 7 + k * 13) % i]))]
    const node = await createStackNode(protocol, transport, { index: i, seed: seeds[i], port: basePort + i, contacts }, options)
    wire.attach(node)
    await node.start()
    started.push(node)
    node.services.pubsub.subscribe(topic)
    if (protocol === 'gossipsub') {
      for (const contact of contacts) {
        node.dial(multiaddr(contact)).catch(() => {})
      }
    }
  }
  const formStart = Date.now()
  let ready = 0
  while (Date.now() - formStart < 60_000) {
    ready = started.filter(n => n.services.pubsub.getMeshPeers(topic).length >= 2).length
    if (ready === nodes) {
      break
    }
    await sleep(250)
  }
  const formationMs = Date.now() - formStart
  log(`idle: ${ready}/${nodes} nodes have ≥ 2 topic neighbours after ${(formationMs / 1000).toFixed(1)} s; settling ${settle} s`)
  await sleep(settle * 1000)

  const before = { cpu: process.cpuUsage(), threads: threadCpu(), counters: counters(started), at: Date.now() }
  await sleep(seconds * 1000)
  const cpu = process.cpuUsage(before.cpu)
  const threadsAfter = threadCpu()
  const after = counters(started)
  const wall = (Date.now() - before.at) / 1000
  const perNode = (x: number): number => r3(x / nodes / wall)
  const threads: Record<string, { user: number, system: number }> = {}
  for (const [name, t] of Object.entries(threadsAfter)) {
    const b = before.threads[name] ?? { user: 0, system: 0 }
    if (t.user + t.system > b.user + b.system) {
      threads[name] = { user: perNode(t.user - b.user), system: perNode(t.system - b.system) }
    }
  }
  const frames: Record<string, number> = {}
  const frameBytes: Record<string, number> = {}
  for (const [k, v] of Object.entries(after)) {
    if (k !== 'connections' && k !== 'peers' && k !== 'wireSent' && v > (before.counters[k] ?? 0)) {
      if (k.startsWith('bytes:')) {
        frameBytes[k.slice('bytes:'.length)] = perNode(v - (before.counters[k] ?? 0))
      } else {
        frames[k] = perNode(v - (before.counters[k] ?? 0))
      }
    }
  }
  const summary = {
    bench: 'idle',
    protocol,
    transport,
    nodes,
    formed: ready === nodes,
    formationMs,
    seconds: r3(wall),
    cpuMsPerNodePerSecond: perNode((cpu.user + cpu.system) / 1000),
    threadCpuMsPerNodePerSecond: threads,
    framesPerNodePerSecond: frames,
    framesSentPerNodePerSecond: r3(Object.values(frames).reduce((a, b) => a + b, 0)),
    frameBytesPerNodePerSecond: frameBytes,
    wireBytesSentPerNodePerSecond: perNode(after.wireSent - before.counters.wireSent),
    connectionsPerNode: { before: r3(before.counters.connections / nodes), after: r3(after.connections / nodes) },
    connectedPeersPerNode: { before: r3(before.counters.peers / nodes), after: r3(after.peers / nodes) },
    options
  }
  log(`idle: ${summary.cpuMsPerNodePerSecond} ms CPU per node per second (main thread ${threads.main?.user ?? '?'} user + ${threads.main?.system ?? '?'} system), ${summary.framesSentPerNodePerSecond} frames and ${summary.wireBytesSentPerNodePerSecond} wire bytes sent per node per second, connections per node ${summary.connectionsPerNode.before} → ${summary.connectionsPerNode.after}`)
  process.stdout.write(`${JSON.stringify(summary)}\n`)
} finally {
  await Promise.all(started.map(async n => { await n.stop() }))
}
