import { InvalidConfigError, createRng } from '@saorsa-gossip/core'
import { EventQueue } from './event-queue.ts'
import { LagHistogram, coreLoad, summariseLag } from './processing.ts'
import type { CoreCounters, CoreLoad, LagStats, Processing } from './processing.ts'
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
  /**
   * When set, inputs cost CPU and nodes share cores (src/processing.ts): each
   * core is one FIFO server, so a busy core makes its nodes' messages and
   * timers late, and `handle` sees the time processing starts (in whole ms,
   * like Date.now()). Sends leave once the handler's cost and their own
   * encoding are paid; emits are reported when the handler is done. Unset: every
   * input is handled the instant it is due, as before.
   */
  processing?: Processing<M>
}

interface Host<M, T, E> {
  core: SimCore<M, T, E>
  up: boolean
  generation: number
  stalledUntil: number
  timers: Map<string, number>
  deferredTimers: Array<{ input: TimerExpiredEvent<T>, token: number }>
  deferredMessages: Array<{ from: NodeId, message: M, bytes: number }>
  /** virtual time of the node's last stall (for classifying false positives) */
  lastStallEnd: number
  /** processing model only: inputs handled, their summed and largest lag, CPU ms used */
  load: NodeLoad
}

export interface NodeLoad {
  inputs: number
  lagSum: number
  lagMax: number
  cpuMs: number
}

type DeliverEvent<M> = { time: number, seq: number, kind: 'deliver', to: NodeId, from: NodeId, generation: number, message: M, bytes: number }
type TimerEvent<T> = { time: number, seq: number, kind: 'timer', node: NodeId, key: string, token: number, generation: number, timer: T }
/** an application call that found its core busy: it waits in the core's queue like any input */
type InjectEvent<M, T, E> = { time: number, seq: number, kind: 'inject', node: NodeId, generation: number, cost: number, run(core: SimCore<M, T, E>, now: number): Array<Effect<NodeId, M, T, E>> }
/** an input waiting for its core */
type CpuInput<M, T, E> = DeliverEvent<M> | TimerEvent<T> | InjectEvent<M, T, E>

/** One CPU of the processing model: a single FIFO server shared by `nodesPerCore` nodes */
interface Cpu<M, T, E> extends CoreCounters {
  busyUntil: number
  /** inputs due while the core was busy, in due order; `head` is the next (dequeue without shift()) */
  queue: Array<CpuInput<M, T, E>>
  head: number
  /** the one event that restarts the core when it becomes free, reused: no allocation per input */
  wake: { time: number, seq: number, kind: 'wake', cpu: number }
  wakePending: boolean
}

type SimEvent<M, T> =
  | DeliverEvent<M>
  | TimerEvent<T>
  | { time: number, seq: number, kind: 'action', run(): void }
  | { time: number, seq: number, kind: 'wake', cpu: number }

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
 * restarts and stalls, and optionally the CPU cost of every input on cores
 * shared by several nodes. Same seed and inputs → byte-identical results.
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
  private readonly processing: Processing<M> | undefined
  /** processing model only: the CPUs, indexed by floor(node / nodesPerCore), created when first used */
  private readonly cpus: Array<Cpu<M, T, E>> = []
  private readonly nodesPerCore: number
  private readonly timerCost: number
  private readonly messageLag = new LagHistogram()
  private readonly timerLag = new LagHistogram()
  /**
   * Processing model only, while one input's effects are applied: when its
   * handler finished (its emits happen then), and the CPU clock that each
   * send advances by its encoding cost (the send leaves when it is encoded)
   */
  private handledAt = 0
  private cpuClock = 0

  constructor (init: NetworkInit<M, T, E>) {
    this.init = init
    this.rng = createRng(init.seed)
    this.netRng = this.rng.fork('network')
    this.loss = init.loss ?? 0
    this.processing = init.processing
    this.nodesPerCore = init.processing?.nodesPerCore ?? 1
    this.timerCost = init.processing?.timerCost ?? 0
    if (!Number.isInteger(this.nodesPerCore) || this.nodesPerCore < 1) {
      throw new InvalidConfigError('processing.nodesPerCore must be an integer >= 1')
    }
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
   * With the processing model the call waits for a busy core like any input
   * (and is lost if the node crashes or stalls meanwhile), and costs `cost` ms
   * of CPU before its sends (e.g. signing a publish).
   */
  inject (id: NodeId, run: (core: SimCore<M, T, E>, now: number) => Array<Effect<NodeId, M, T, E>>, cost = 0): boolean {
    const host = this.hosts.get(id)
    if (host == null || !host.up || host.stalledUntil > this.now) {
      return false
    }
    if (this.processing !== undefined) {
      this.enqueue(this.cpuOf(id), { time: this.now, seq: 0, kind: 'inject', node: id, generation: host.generation, cost, run })
      return true
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
      lastStallEnd: previous?.lastStallEnd ?? -Infinity,
      load: previous?.load ?? { inputs: 0, lagSum: 0, lagMax: 0, cpuMs: 0 }
    }
    this.hosts.set(id, host)
    if (this.processing === undefined) {
      this.apply(id, host, host.core.start(this.now, contacts))
      return
    }
    // start runs at once (the node must exist now), but its sends are encoded behind the core's backlog
    const cpu = this.cpuOf(id)
    const from = Math.max(this.now, cpu.busyUntil)
    this.handledAt = this.now
    this.cpuClock = from
    this.apply(id, host, host.core.start(Math.floor(this.now), contacts))
    this.charge(cpu, host, from)
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
    if (event.kind === 'wake') {
      this.drain(this.cpus[event.cpu])
      return
    }
    if (this.processing !== undefined) {
      this.arrive(event)
      return
    }
    if (event.kind === 'deliver') {
      const host = this.hosts.get(event.to)
      if (host == null || !host.up || host.generation !== event.generation) {
        this.traffic.droppedDown++
        return
      }
      if (host.stalledUntil > this.now) {
        host.deferredMessages.push({ from: event.from, message: event.message, bytes: event.bytes })
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
    if (this.processing !== undefined) {
      // through the core like any input, in the same order: overdue timers, then messages
      for (const { input, token } of timers) {
        this.queue.push({ time: this.now, kind: 'timer', node: id, key: input.key, token, generation, timer: input.timer })
      }
      for (const { from, message, bytes } of messages) {
        this.queue.push({ time: this.now, kind: 'deliver', to: id, from, generation, message, bytes })
      }
      return
    }
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
          // with the processing model, the handler's outcome exists once its cost is paid
          this.init.onEmit?.(id, effect.event, this.processing === undefined ? this.now : this.handledAt)
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
    let departs = this.now
    if (this.processing !== undefined) {
      // the sender encodes even what the network then drops
      this.cpuClock += this.processing.sendCost?.(original, bytes, from) ?? 0
      departs = this.cpuClock
    }
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
    const time = Math.max(departs + latency, this.linkClock.get(link) ?? 0)
    this.linkClock.set(link, time)
    this.queue.push({ time, kind: 'deliver', to, from, generation: target?.generation ?? 0, message, bytes })
  }

  // --- processing model ---------------------------------------------------

  /** Lag distributions and CPU utilisation so far; undefined without the processing model */
  lagStats (): LagStats | undefined {
    if (this.processing === undefined) {
      return undefined
    }
    return summariseLag(this.nodesPerCore, this.messageLag, this.timerLag, this.coreLoads())
  }

  /** Per core (those with a node so far): utilisation = busy ms / virtual ms elapsed */
  coreLoads (): CoreLoad[] {
    const out: CoreLoad[] = []
    this.cpus.forEach((cpu, core) => { out.push(coreLoad(core, cpu, this.now)) })
    return out
  }

  /** One node's inputs handled, their lag and the CPU it used, over all its runs (processing model only) */
  nodeLoad (id: NodeId): NodeLoad | undefined {
    const load = this.hosts.get(id)?.load
    return load == null || this.processing === undefined ? undefined : { ...load }
  }

  private cpuOf (id: NodeId): Cpu<M, T, E> {
    const index = Math.floor(id / this.nodesPerCore)
    let cpu = this.cpus[index]
    if (cpu === undefined) {
      cpu = { busyUntil: 0, queue: [], head: 0, wake: { time: 0, seq: 0, kind: 'wake', cpu: index }, wakePending: false, busyMs: 0, inputs: 0, lagSum: 0, lagMax: 0, maxBacklog: 0 }
      this.cpus[index] = cpu
    }
    return cpu
  }

  /** An input became due: dropped if its node or timer is gone, else handed to the node's core */
  private arrive (event: DeliverEvent<M> | TimerEvent<T>): void {
    const id = event.kind === 'deliver' ? event.to : event.node
    const host = this.hosts.get(id)
    if (host == null || !host.up || host.generation !== event.generation) {
      if (event.kind === 'deliver') {
        this.traffic.droppedDown++
      }
      return
    }
    if (event.kind === 'timer' && host.timers.get(event.key) !== event.token) {
      return
    }
    this.enqueue(this.cpuOf(id), event)
  }

  /** Starts the input now if its core is free and nothing waits before it, else queues it (FIFO) */
  private enqueue (cpu: Cpu<M, T, E>, input: CpuInput<M, T, E>): void {
    if (cpu.busyUntil <= this.now && cpu.head === cpu.queue.length) {
      this.execute(cpu, input)
      return
    }
    cpu.queue.push(input)
    cpu.maxBacklog = Math.max(cpu.maxBacklog, cpu.queue.length - cpu.head)
    this.wakeAt(cpu)
  }

  private wakeAt (cpu: Cpu<M, T, E>): void {
    if (!cpu.wakePending) {
      cpu.wakePending = true
      cpu.wake.time = Math.max(this.now, cpu.busyUntil)
      this.queue.push(cpu.wake)
    }
  }

  /** The core may be free: runs waiting inputs until one keeps it busy, then sleeps until it is free again */
  private drain (cpu: Cpu<M, T, E>): void {
    cpu.wakePending = false
    const queue = cpu.queue
    while (cpu.head < queue.length && cpu.busyUntil <= this.now) {
      this.execute(cpu, queue[cpu.head++])
    }
    if (cpu.head === queue.length) {
      queue.length = 0
      cpu.head = 0
      return
    }
    if (cpu.head > 1024 && cpu.head * 2 > queue.length) {
      // a core that never empties its queue would otherwise keep every handled input alive
      queue.splice(0, cpu.head)
      cpu.head = 0
    }
    this.wakeAt(cpu)
  }

  /** Handles one input starting now on its free core; stale inputs (crashed node, cancelled timer) cost nothing */
  private execute (cpu: Cpu<M, T, E>, event: CpuInput<M, T, E>): void {
    const id = event.kind === 'deliver' ? event.to : event.node
    const host = this.hosts.get(id)
    if (host == null || !host.up || host.generation !== event.generation) {
      return
    }
    const stalled = host.stalledUntil > this.now
    const lag = this.now - event.time
    let cost: number
    let input: CoreInput<M, T> | undefined
    if (event.kind === 'timer') {
      if (host.timers.get(event.key) !== event.token) {
        return
      }
      input = { type: 'timer-expired', key: event.key, timer: event.timer }
      if (stalled) {
        host.deferredTimers.push({ input, token: event.token })
        return
      }
      host.timers.delete(event.key)
      cost = this.timerCost
      this.timerLag.add(lag)
    } else if (event.kind === 'deliver') {
      if (stalled) {
        host.deferredMessages.push({ from: event.from, message: event.message, bytes: event.bytes })
        return
      }
      this.init.onReceive?.(id, event.from, event.message, this.now)
      cost = (this.processing as Processing<M>).cost(event.message, event.bytes, id)
      input = { type: 'message', from: event.from, message: event.message }
      this.messageLag.add(lag)
    } else if (stalled) {
      // as inject() refuses a stalled node's calls
      return
    } else {
      cost = event.cost
    }
    cpu.inputs++
    cpu.lagSum += lag
    cpu.lagMax = Math.max(cpu.lagMax, lag)
    host.load.inputs++
    host.load.lagSum += lag
    host.load.lagMax = Math.max(host.load.lagMax, lag)
    const start = this.now
    this.handledAt = start + cost
    this.cpuClock = this.handledAt
    // costs make virtual time fractional; cores read a millisecond clock, as Date.now() is in a service
    // (and encode times derived from it as integers)
    const clock = Math.floor(start)
    this.apply(id, host, input === undefined ? (event as InjectEvent<M, T, E>).run(host.core, clock) : host.core.handle(input, clock))
    this.charge(cpu, host, start)
    this.init.onProcessed?.(id, start)
  }

  /** The core is busy from `from` until the CPU clock the input's handler and sends advanced */
  private charge (cpu: Cpu<M, T, E>, host: Host<M, T, E>, from: number): void {
    const used = this.cpuClock - from
    cpu.busyUntil = this.cpuClock
    cpu.busyMs += used
    host.load.cpuMs += used
  }
}
