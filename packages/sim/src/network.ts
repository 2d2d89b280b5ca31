import { createRng } from '@saorsa-gossip/core'
import { EventQueue } from './event-queue.ts'
import type { Effect, Rng, TimerExpiredEvent } from '@saorsa-gossip/core'

/** Node ids in the simulator are small integers */
export type NodeId = number

export type CoreInput<M, T> =
  | { type: 'message', from: NodeId, message: M }
  | TimerExpiredEvent<T>

/** What the simulator needs from a protocol core: exactly what a libp2p service adapter also drives */
export interface SimCore<M, T, E> {
  start(now: number, contacts: NodeId[]): Array<Effect<NodeId, M, T, E>>
  handle(input: CoreInput<M, T>, now: number): Array<Effect<NodeId, M, T, E>>
}

export interface NetworkInit<M, T, E> {
  seed: number | string
  /** One-way latency per message, drawn uniformly from [min, max] ms */
  latency: { min: number, max: number }
  /** Probability that any message is lost */
  loss?: number
  createCore(id: NodeId, rng: Rng): SimCore<M, T, E>
  /** Label used in per-type message counts */
  messageType(message: M): string
  /** Estimated encoded size in bytes, for bytes-by-type metrics */
  messageBytes(message: M): number
  /** Every `emit` effect, with the emitting node and the virtual time */
  onEmit?(node: NodeId, event: E, now: number): void
  /** Every message sent (before loss and partitions apply), with the sender and the virtual time */
  onSend?(from: NodeId, to: NodeId, message: M, bytes: number, now: number): void
  /** Every message that reaches a live node, before the node processes it */
  onReceive?(to: NodeId, from: NodeId, message: M, now: number): void
  /** Called after a node processed an input (for metrics that watch state) */
  onProcessed?(node: NodeId, now: number): void
  /**
   * When set, every message is encoded at send and decoded at delivery with the
   * real wire codec (catching encoding bugs), and byte counts are the encoded sizes.
   */
  wire?: { encode(message: M): Uint8Array, decode(bytes: Uint8Array): M }
}

interface Host<M, T, E> {
  core: SimCore<M, T, E>
  up: boolean
  generation: number
  stalledUntil: number
  timers: Map<string, number>
  deferredTimers: Array<{ input: TimerExpiredEvent<T>, token: number }>
  deferredMessages: Array<{ from: NodeId, message: M }>
  /** virtual time of the node's last stall (for classifying false positives) */
  lastStallEnd: number
}

type SimEvent<M, T> =
  | { time: number, seq: number, kind: 'deliver', to: NodeId, from: NodeId, generation: number, message: M }
  | { time: number, seq: number, kind: 'timer', node: NodeId, key: string, token: number, generation: number, timer: T }
  | { time: number, seq: number, kind: 'action', run(): void }

export interface TrafficCounters {
  messages: Record<string, number>
  bytes: Record<string, number>
  droppedLoss: number
  droppedPartition: number
  droppedDown: number
}

/**
 * A deterministic discrete-event network. Protocol cores run unmodified: the
 * simulator turns their `send` effects into deliveries after a random
 * latency, their timers into events, and applies loss, partitions, crashes,
 * restarts and stalls. Same seed and inputs → byte-identical results.
 */
export class Network<M, T, E> {
  now = 0
  eventsProcessed = 0
  readonly traffic: TrafficCounters = { messages: {}, bytes: {}, droppedLoss: 0, droppedPartition: 0, droppedDown: 0 }
  private readonly init: NetworkInit<M, T, E>
  private readonly rng: Rng
  private readonly netRng: Rng
  private readonly queue = new EventQueue<SimEvent<M, T>>()
  private readonly hosts = new Map<NodeId, Host<M, T, E>>()
  private partitionOf: Map<NodeId, number> | undefined
  private tokenCounter = 0
  private readonly loss: number
  /** last scheduled delivery per directed link: streams are FIFO, so a message never overtakes an earlier one */
  private readonly linkClock = new Map<number, number>()

  constructor (init: NetworkInit<M, T, E>) {
    this.init = init
    this.rng = createRng(init.seed)
    this.netRng = this.rng.fork('network')
    this.loss = init.loss ?? 0
  }

  get nodeIds (): NodeId[] {
    return [...this.hosts.keys()]
  }

  isUp (id: NodeId): boolean {
    return this.hosts.get(id)?.up === true
  }

  isStalled (id: NodeId): boolean {
    return (this.hosts.get(id)?.stalledUntil ?? 0) > this.now
  }

  lastStallEnd (id: NodeId): number {
    return this.hosts.get(id)?.lastStallEnd ?? -Infinity
  }

  core (id: NodeId): SimCore<M, T, E> | undefined {
    return this.hosts.get(id)?.core
  }

  /**
   * Runs an application call (publish, subscribe) on a live, unstalled node
   * now and carries out the effects it returns; false when the node is down or stalled.
   */
  inject (id: NodeId, run: (core: SimCore<M, T, E>, now: number) => Array<Effect<NodeId, M, T, E>>): boolean {
    const host = this.hosts.get(id)
    if (host == null || !host.up || host.stalledUntil > this.now) {
      return false
    }
    this.apply(id, host, run(host.core, this.now))
    this.init.onProcessed?.(id, this.now)
    return true
  }

  /** Runs `fn` at virtual time `at` */
  at (at: number, fn: () => void): void {
    this.queue.push({ time: Math.max(at, this.now), kind: 'action', run: fn })
  }

  /** Creates and starts a node now, joining through `contacts` */
  spawn (id: NodeId, contacts: NodeId[]): void {
    const previous = this.hosts.get(id)
    const generation = (previous?.generation ?? 0) + 1
    const host: Host<M, T, E> = {
      core: this.init.createCore(id, this.rng.fork(`node/${id}/${generation}`)),
      up: true,
      generation,
      stalledUntil: 0,
      timers: new Map(),
      deferredTimers: [],
      deferredMessages: [],
      lastStallEnd: previous?.lastStallEnd ?? -Infinity
    }
    this.hosts.set(id, host)
    this.apply(id, host, host.core.start(this.now, contacts))
  }

  /** Stops a node abruptly: no goodbye, its timers and queued input vanish */
  crash (id: NodeId): void {
    const host = this.hosts.get(id)
    if (host == null || !host.up) {
      return
    }
    host.up = false
    host.generation++
    host.timers.clear()
    host.deferredMessages.length = 0
    host.deferredTimers.length = 0
  }

  /** The node stops processing for `duration` ms (GC pause, CPU stall), then resumes */
  stall (id: NodeId, duration: number): void {
    const host = this.hosts.get(id)
    if (host == null || !host.up || host.stalledUntil > this.now) {
      return
    }
    host.stalledUntil = this.now + duration
    const generation = host.generation
    this.at(host.stalledUntil, () => { this.resume(id, generation) })
  }

  /** Splits the network: messages between different groups are dropped until `heal()` */
  partition (groups: NodeId[][]): void {
    this.partitionOf = new Map()
    groups.forEach((group, index) => {
      for (const id of group) {
        this.partitionOf?.set(id, index)
      }
    })
  }

  heal (): void {
    this.partitionOf = undefined
  }

  canReach (a: NodeId, b: NodeId): boolean {
    return this.partitionOf == null || this.partitionOf.get(a) === this.partitionOf.get(b)
  }

  /** Processes events up to and including virtual time `until` */
  runUntil (until: number): void {
    for (;;) {
      const next = this.queue.peek()
      if (next == null || next.time > until) {
        break
      }
      this.queue.pop()
      this.now = next.time
      this.eventsProcessed++
      this.dispatch(next)
    }
    this.now = until
  }

  private dispatch (event: SimEvent<M, T>): void {
    if (event.kind === 'action') {
      event.run()
      return
    }
    if (event.kind === 'deliver') {
      const host = this.hosts.get(event.to)
      if (host == null || !host.up || host.generation !== event.generation) {
        this.traffic.droppedDown++
        return
      }
      if (host.stalledUntil > this.now) {
        host.deferredMessages.push({ from: event.from, message: event.message })
        return
      }
      this.init.onReceive?.(event.to, event.from, event.message, this.now)
      this.input(event.to, host, { type: 'message', from: event.from, message: event.message })
      return
    }
    const host = this.hosts.get(event.node)
    if (host == null || !host.up || host.generation !== event.generation || host.timers.get(event.key) !== event.token) {
      return
    }
    const input: TimerExpiredEvent<T> = { type: 'timer-expired', key: event.key, timer: event.timer }
    if (host.stalledUntil > this.now) {
      // keep the key registered: an earlier deferred input may still cancel or reschedule it
      host.deferredTimers.push({ input, token: event.token })
      return
    }
    host.timers.delete(event.key)
    this.input(event.node, host, input)
  }

  /**
   * After a stall, overdue timers run before queued messages, as in Node's
   * event loop (timers phase before the poll phase). This is what makes a
   * paused node wrongly suspect peers whose acks are already waiting.
   */
  private resume (id: NodeId, generation: number): void {
    const host = this.hosts.get(id)
    if (host == null || !host.up || host.generation !== generation) {
      return
    }
    host.stalledUntil = 0
    host.lastStallEnd = this.now
    const timers = host.deferredTimers.splice(0)
    const messages = host.deferredMessages.splice(0)
    for (const { input, token } of timers) {
      if (host.up && host.generation === generation && host.timers.get(input.key) === token) {
        host.timers.delete(input.key)
        this.input(id, host, input)
      }
    }
    for (const { from, message } of messages) {
      if (host.up && host.generation === generation) {
        this.init.onReceive?.(id, from, message, this.now)
        this.input(id, host, { type: 'message', from, message })
      }
    }
  }

  private input (id: NodeId, host: Host<M, T, E>, input: CoreInput<M, T>): void {
    this.apply(id, host, host.core.handle(input, this.now))
    this.init.onProcessed?.(id, this.now)
  }

  private apply (id: NodeId, host: Host<M, T, E>, effects: Array<Effect<NodeId, M, T, E>>): void {
    for (const effect of effects) {
      switch (effect.type) {
        case 'send':
          this.send(id, effect.to, effect.message)
          break
        case 'schedule-timer': {
          const token = ++this.tokenCounter
          host.timers.set(effect.key, token)
          this.queue.push({ time: Math.max(this.now, effect.at), kind: 'timer', node: id, key: effect.key, token, generation: host.generation, timer: effect.timer })
          break
        }
        case 'cancel-timer':
          host.timers.delete(effect.key)
          break
        case 'emit':
          this.init.onEmit?.(id, effect.event, this.now)
          break
        default:
          break
      }
    }
  }

  private send (from: NodeId, to: NodeId, original: M): void {
    const type = this.init.messageType(original)
    let message = original
    let bytes: number
    if (this.init.wire != null) {
      const encoded = this.init.wire.encode(original)
      bytes = encoded.length
      message = this.init.wire.decode(encoded)
    } else {
      bytes = this.init.messageBytes(original)
    }
    this.init.onSend?.(from, to, message, bytes, this.now)
    this.traffic.messages[type] = (this.traffic.messages[type] ?? 0) + 1
    this.traffic.bytes[type] = (this.traffic.bytes[type] ?? 0) + bytes
    if (!this.canReach(from, to)) {
      this.traffic.droppedPartition++
      return
    }
    if (this.loss > 0 && this.netRng.float() < this.loss) {
      this.traffic.droppedLoss++
      return
    }
    const { min, max } = this.init.latency
    const latency = min + (max > min ? this.netRng.int(max - min + 1) : 0)
    const target = this.hosts.get(to)
    const link = from * 1_048_576 + to
    const time = Math.max(this.now + latency, this.linkClock.get(link) ?? 0)
    this.linkClock.set(link, time)
    this.queue.push({ time, kind: 'deliver', to, from, generation: target?.generation ?? 0, message })
  }
}
