/** IPC between the benchmark's parent process and the worker processes hosting nodes */

export type ProtocolName = 'plumtree' | 'gossipsub'
export type TransportName = 'tcp' | 'quic'

export interface NodeSpec {
  index: number
  /** 32-byte Ed25519 seed, hex: the same PeerId in every run */
  seed: string
  port: number
  /** multiaddrs (with /p2p/) of earlier nodes to join through or dial */
  contacts: string[]
  /** PeerIds this node must never connect to (to force a topology) */
  deny?: string[]
}

export type ToWorker =
  | { type: 'init', protocol: ProtocolName, transport: TransportName, topic: string, nodes: NodeSpec[], messages: number, options?: Record<string, unknown> }
  | { type: 'start', indices: number[] }
  | { type: 'status' }
  | { type: 'schedule', startAt: number, size: number, items: Array<{ at: number, node: number, msg: number }> }
  /** publish `rate` messages/s from `node` for `duration` s, numbered from `firstMsg` */
  | { type: 'flood', node: number, rate: number, duration: number, size: number, firstMsg: number }
  | { type: 'measure-begin' }
  /** cumulative CPU and wire bytes, and the event-loop delay since the last snapshot (then reset) */
  | { type: 'snapshot' }
  | { type: 'report', perMessage?: boolean }
  | { type: 'crash', indices: number[] }
  | { type: 'stop' }

export interface NodeStatus {
  index: number
  topicPeers: number
  connections: number
  /** peers known to subscribe to the topic, and peers on the pubsub protocol */
  subscribers: number
  pubsubPeers: number
  /** membership active view size (plumtree runs) */
  members: number
}

export interface WorkerReport {
  /** per hosted node: deliveries per message number */
  counts: Array<{ index: number, counts: number[] }>
  /** publish → first delivery, ms, every first delivery */
  latencies: number[]
  /**
   * with `perMessage`: per hosted node, the first-delivery latency of each message and when it
   * was delivered (wall clock, ms; NaN: none)
   */
  perMessage?: Array<{ index: number, latency: number[], deliveredAt: number[] }>
  bytesSent: number
  bytesReceived: number
  unsupportedConnections: number
  cpuSeconds: number
  rssBytes: number
  nodes: number
  /** pubsub-specific counters summed over hosted nodes (payload frames, grafts, …) */
  counters: Record<string, number>
  publishErrors: number
  /** event-loop delay of this process since measure-begin (perf_hooks.monitorEventLoopDelay), ms */
  loopDelayMs: { p50: number, p99: number, max: number }
  /** CPU of this process from its start to measure-begin (formation included), s */
  setupCpuSeconds: number
}

/** What a worker process has used so far (cumulative), for windows measured by difference */
export interface WorkerSnapshot {
  cpuSeconds: number
  bytesSent: number
  rssBytes: number
  nodes: number
  /** since the previous snapshot, ms */
  loopDelayMs: { p50: number, p99: number, max: number }
  /** protocol counters (frames sent by type, links, connections), cumulative */
  counters: Record<string, number>
}

export type FromWorker =
  | { type: 'snapshot', snapshot: WorkerSnapshot }
  | { type: 'ready' }
  | { type: 'started', indices: number[] }
  | { type: 'status', nodes: NodeStatus[] }
  | { type: 'progress', delivered: number }
  | { type: 'event', kind: 'peer-dead' | 'neighbor-down', observer: number, peer: string, at: number, reason?: string }
  | { type: 'report', report: WorkerReport }
  | { type: 'error', message: string }
