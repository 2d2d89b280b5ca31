/**
 * One soak node in its own process, so the parent can SIGKILL or SIGSTOP exactly one node.
 * The node is the 100-node benchmark's plumtree stack (net/stack.ts: identify, pqIdentity,
 * membership, plumtree over TCP); this file only adds what the soak measures.
 */
import { createHook } from 'node:async_hooks'
import { readFileSync } from 'node:fs'
import { PqIdentity } from '@saorsa-gossip/identity'
import { createStackNode, hexBytes, topicPeers } from '../net/stack.ts'
import type { FromNode, NodeSample, ToNode } from './messages.ts'
import type { StackNode } from '../net/stack.ts'

const MAGIC = 0x534f414b // "SOAK": a payload of this run, not some other topic's

let node: StackNode | undefined
let topic = ''
let size = 256
const received = new Set<number>()
let duplicates = 0

function send (message: FromNode): void {
  process.send?.(message)
}

/**
 * With `traceTimers`, where every live timer was made: after stop, the referenced ones say
 * which code left work scheduled (costly: a stack per timer, so off by default)
 */
const timers = new Map<number, { timer: { hasRef?(): boolean, _idleTimeout?: number }, stack: string }>()
function traceTimers (): void {
  createHook({
    init (id, type, _trigger, resource) {
      if (type === 'Timeout') {
        const stack = (new Error().stack ?? '').split('\n').slice(4, 12).map(l => l.trim()).filter(l => !l.includes('node:internal')).join(' < ')
        timers.set(id, { timer: resource as { hasRef?(): boolean, _idleTimeout?: number }, stack })
      }
    },
    destroy (id) { timers.delete(id) }
  }).enable()
}

/** run with --expose-gc: heap after a full collection is what the node keeps, not garbage */
const gc = (globalThis as { gc?(): void }).gc

/** RssAnon and RssFile of this process in bytes, from /proc; zeros where there is no /proc */
function residentSplit (): { rssAnon: number, rssFile: number } {
  try {
    const status = readFileSync('/proc/self/status', 'utf8')
    const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024
    return { rssAnon: kb('RssAnon'), rssFile: kb('RssFile') }
  } catch {
    return { rssAnon: 0, rssFile: 0 }
  }
}

function sample (): NodeSample {
  gc?.()
  const mem = process.memoryUsage()
  const started = node?.status === 'started'
  const connections = node?.getConnections() ?? []
  return {
    rss: mem.rss,
    heap: mem.heapUsed,
    external: mem.external,
    heapTotal: mem.heapTotal,
    ...residentSplit(),
    connections: connections.length,
    connectedPeers: new Set(connections.map(c => c.remotePeer.toString())).size,
    streams: connections.reduce((n, c) => n + c.streams.length, 0),
    topicPeers: started && node != null ? topicPeers(node, topic) : 0,
    members: started ? node?.services.membership.activeView().length ?? 0 : 0
  }
}

async function init (message: Extract<ToNode, { type: 'init' }>): Promise<void> {
  topic = message.topic
  size = Math.max(8, message.size)
  if (message.traceTimers === true) {
    traceTimers()
  }
  const identity = PqIdentity.fromSeed(hexBytes(message.identitySeed))
  node = await createStackNode('plumtree', 'tcp', message.spec, { identity: { identity } })
  node.services.pubsub.addEventListener('message', (evt: CustomEvent<{ topic: string, data: Uint8Array }>) => {
    const data = evt.detail.data
    if (evt.detail.topic !== topic || data.length < 8) {
      return
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
    if (view.getUint32(4) !== MAGIC) {
      return
    }
    const msg = view.getUint32(0)
    if (received.has(msg)) {
      duplicates++
    } else {
      received.add(msg)
    }
  })
  await node.start()
  node.services.pubsub.subscribe(topic)
  send({ type: 'started', at: Date.now() })
}

async function publish (msg: number): Promise<void> {
  const data = new Uint8Array(size)
  const view = new DataView(data.buffer)
  view.setUint32(0, msg)
  view.setUint32(4, MAGIC)
  try {
    if (node == null) {
      throw new Error('not started')
    }
    await node.services.pubsub.publish(topic, data)
    send({ type: 'published', msg, at: Date.now() })
  } catch (err: any) {
    send({ type: 'published', msg, at: Date.now(), error: String(err?.message ?? err) })
  }
}

async function stop (): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  await Promise.race([node?.stop(), new Promise(resolve => { timer = setTimeout(resolve, 10_000) })])
  clearTimeout(timer)
  // what a stopped node leaves behind: timers and handles here are leaks
  // libp2p debounces some work by up to 1 s: what is still scheduled after 3 s is not that
  await new Promise(resolve => setTimeout(resolve, 3_000))
  // one turn more, so the timer that just woke us is gone from the list
  await new Promise(resolve => setImmediate(resolve))
  const resources: Record<string, number> = {}
  for (const type of process.getActiveResourcesInfo()) {
    resources[type] = (resources[type] ?? 0) + 1
  }
  // the IPC channel to the parent is a pipe this process needs to answer at all
  resources.PipeWrap = Math.max(0, (resources.PipeWrap ?? 0) - 1)
  if (resources.PipeWrap === 0) {
    delete resources.PipeWrap
  }
  const pending = [...timers.values()].filter(t => t.timer.hasRef?.() === true && (t.timer as { _destroyed?: boolean })._destroyed !== true).map(t => `${String(t.timer._idleTimeout)} ms: ${t.stack}`)
  send({ type: 'stopped', resources, ...(pending.length > 0 ? { timers: pending } : {}) })
}

process.on('message', (message: ToNode) => {
  void (async () => {
    try {
      switch (message.type) {
        case 'init': await init(message); break
        case 'publish': await publish(message.msg); break
        case 'sample': send({ type: 'sample', sample: sample() }); break
        case 'report': send({ type: 'report', received: [...received], duplicates, sample: sample() }); break
        case 'stop': await stop(); break
        default: break
      }
    } catch (err: any) {
      send({ type: 'error', message: `${message.type}: ${String(err?.stack ?? err)}` })
    }
  })()
})

// the parent going away must not leave a node running
process.on('disconnect', () => { process.exit(0) })
