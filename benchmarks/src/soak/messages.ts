/** IPC between the soak's parent and its node processes (one libp2p node per process) */
import type { NodeSpec } from '../net/messages.ts'

export type ToNode =
  /** build and start the node; `identitySeed` keeps its ML-DSA-65 key across restarts, as a keystore would */
  | { type: 'init', spec: NodeSpec, topic: string, identitySeed: string, size: number, traceTimers?: boolean }
  | { type: 'publish', msg: number }
  | { type: 'sample' }
  /** the message numbers received so far */
  | { type: 'report' }
  /** stop the node, then list what is still scheduled or open in the process */
  | { type: 'stop' }

export interface NodeSample {
  /** process RSS and V8 heap used after a full GC, bytes */
  rss: number
  heap: number
  /**
   * memory of JS objects bound outside the V8 heap (`process.memoryUsage().external`, Buffers
   * and ArrayBuffers included): with `rss − heap − external` it tells where RSS growth lives
   */
  external: number
  /** V8 heap reserved (all spaces), bytes: RSS may follow it while `heap` stays flat */
  heapTotal: number
  /**
   * anonymous and file-backed resident memory (/proc/self/status RssAnon, RssFile; 0 off
   * Linux): growth in RssAnon outside heapTotal and external is the allocator's or native code's
   */
  rssAnon: number
  rssFile: number
  connections: number
  /** distinct peers those connections go to: more connections than peers are duplicates */
  connectedPeers: number
  /** streams open on all connections */
  streams: number
  topicPeers: number
  members: number
}

export type FromNode =
  | { type: 'started', at: number }
  | { type: 'published', msg: number, at: number, error?: string }
  | { type: 'sample', sample: NodeSample }
  | { type: 'report', received: number[], duplicates: number, sample: NodeSample }
  /** after node.stop(): active resources by type (process.getActiveResourcesInfo), the IPC channel excluded */
  | { type: 'stopped', resources: Record<string, number>, timers?: string[] }
  | { type: 'error', message: string }
