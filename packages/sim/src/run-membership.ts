import { createRng } from '@saorsa-gossip/core'
import { InvalidFrameError, Membership, decodeFrame, encodeFrame, resolveHyParViewConfig } from '@saorsa-gossip/membership'
import { measureConnectivity } from './connectivity.ts'
import { membershipMessageBytes, membershipMessageType } from './membership-bytes.ts'
import { Network } from './network.ts'
import { frameCosts, resolveProcessing } from './processing.ts'
import { distribution } from './stats.ts'
import type { Connectivity } from './connectivity.ts'
import type { NodeId } from './network.ts'
import type { LagStats, Processing, ProcessingSpec } from './processing.ts'
import type { MembershipScenario, TimelineEvent } from './scenario.ts'
import type { Distribution } from './stats.ts'
import type { MembershipEvent, MembershipMessage, MembershipTimer, PeerCodec } from '@saorsa-gossip/membership'

/** Simulator node ids on the wire: 4 bytes big-endian */
export const nodeIdCodec: PeerCodec<NodeId> = {
  toBytes: (id) => {
    const out = new Uint8Array(4)
    new DataView(out.buffer).setUint32(0, id)
    return out
  },
  fromBytes: (bytes) => {
    if (bytes.length !== 4) {
      throw new InvalidFrameError('node id must be 4 bytes')
    }
    return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0)
  }
}

/** A dead verdict about a node that was not crashed counts as "stalled" if it stalled this recently, ms */
const STALL_GRACE = 10_000

export interface HealResult {
  label: string
  at: number
  fraction: number
  crashed: number
  survivors: number
  /** ms from the crash until all survivors formed one component with no isolated node (null: never) */
  healedAfterMs: number | null
  /** largest component (fraction of survivors) 10 s and 30 s after the crash */
  largestAfter10s: number | null
  largestAfter30s: number | null
  isolatedAfter10s: number | null
  /** (survivor, crashed node) pairs still in a survivor's active view 15 s after the crash (issue 12 target: 0) */
  deadNeighborsAfter15s: number | null
}

export interface MembershipResult {
  scenario: string
  seed: number
  nodes: number
  virtualMs: number
  eventsProcessed: number
  final: Connectivity
  snapshots: Array<{ label: string, at: number, connectivity: Connectivity }>
  heals: HealResult[]
  detection: {
    /** per (crashed node, monitor): crash → that monitor's dead verdict, ms */
    monitorLatency: Distribution
    /** per crashed node: crash → first dead verdict anywhere, ms */
    firstLatency: Distribution
    /** live monitors that still hold a crashed neighbour in their active view at the end, undeclared */
    missed: number
    /** monitors that dropped the crashed neighbour from their view for another reason before declaring it dead */
    droppedUndeclared: number
  }
  falsePositives: {
    /** distinct (node, incarnation) dead verdicts, classified where they were made (by the monitor whose timer expired), about nodes that were up and had not stalled in the last 10 s */
    healthy: number
    /** distinct dead verdicts about live nodes that stalled within the last 10 s */
    stalled: number
    /** verdicts heard late about a run that did crash (the node has restarted since): true news, not false positives */
    restarted: number
    /** suspicions raised (all nodes) */
    suspicions: number
    refutations: number
  }
  traffic: {
    messages: Record<string, number>
    bytes: Record<string, number>
    droppedLoss: number
    droppedPartition: number
    droppedDown: number
  }
  /** only with the scenario's `processing`: event-loop lag and CPU utilisation */
  processing?: LagStats
}

interface CrashRecord {
  at: number
  monitors: Set<NodeId>
  declared: Set<NodeId>
  first: number | null
}

type Core = Membership<NodeId>

/** The linear cost model for membership alone: JOIN and NEIGHBOR open a connection */
export function membershipProcessing (spec: ProcessingSpec): Processing<MembershipMessage<NodeId>> {
  const p = resolveProcessing(spec)
  const costs = frameCosts<MembershipMessage<NodeId>>(p, membershipMessageType, m => m.type === 'join' || m.type === 'neighbor')
  return { nodesPerCore: p.nodesPerCore, timerCost: p.timerMs, cost: costs.receive, sendCost: costs.send }
}

/** Runs one membership scenario to completion and returns its metrics */
export function runMembershipScenario (scenario: MembershipScenario): MembershipResult {
  const seed = scenario.seed
  const crashes = new Map<NodeId, CrashRecord>()
  const monitorLatencies: number[] = []
  const firstLatencies: number[] = []
  const fpHealthy = new Set<string>()
  const fpStalled = new Set<string>()
  const cores = new Map<NodeId, Core>()
  const ids = Array.from({ length: scenario.nodes }, (_, i) => i)
  /** each node's highest incarnation in a run that crashed */
  const crashedIncarnation = new Map<NodeId, number>()
  /** crashes a node, recording who monitored it, for detection latency */
  const crash = (id: NodeId): void => {
    if (!net.isUp(id)) {
      return
    }
    const incarnation = cores.get(id)?.swim.ownIncarnation
    if (incarnation != null) {
      crashedIncarnation.set(id, incarnation)
    }
    const monitors = new Set<NodeId>()
    for (const other of ids) {
      if (other !== id && net.isUp(other) && cores.get(other)?.hyparview.isActive(id) === true) {
        monitors.add(other)
      }
    }
    crashes.set(id, { at: net.now, monitors, declared: new Set(), first: null })
    net.crash(id)
  }
  const staleVerdicts = new Set<string>()

  const net: Network<MembershipMessage<NodeId>, MembershipTimer<NodeId>, MembershipEvent<NodeId>> = new Network({
    seed,
    latency: scenario.latency,
    loss: scenario.loss ?? 0,
    createCore: (id, rng) => {
      // as a real node would: incarnations start at the process start time (ms)
      const core = new Membership<NodeId>(id, rng, { ...scenario.membership, startIncarnation: net.now })
      cores.set(id, core)
      return core
    },
    messageType: membershipMessageType,
    messageBytes: membershipMessageBytes,
    processing: scenario.processing == null ? undefined : membershipProcessing(scenario.processing),
    wire: scenario.codec === true
      ? { encode: (m) => encodeFrame(m, nodeIdCodec), decode: (b) => decodeFrame(b, nodeIdCodec).message }
      : undefined,
    onEmit: (node, event, now) => {
      if (event.type !== 'peer-dead') {
        return
      }
      const target = event.peer
      if (!net.isUp(target)) {
        const record = crashes.get(target)
        if (record != null) {
          if (record.first == null) {
            record.first = now - record.at
            firstLatencies.push(record.first)
          }
          if (record.monitors.has(node) && !record.declared.has(node)) {
            record.declared.add(node)
            monitorLatencies.push(now - record.at)
          }
        }
        return
      }
      if (event.by !== node) {
        // an echo of someone else's verdict: classified where it was made
        return
      }
      const key = `${target}/${event.incarnation}`
      if (event.incarnation <= (crashedIncarnation.get(target) ?? -1)) {
        // a late verdict about a run that did crash (the node has restarted since): true news
        staleVerdicts.add(key)
      } else if (net.isStalled(target) || net.lastStallEnd(target) >= now - STALL_GRACE) {
        fpStalled.add(key)
      } else {
        fpHealthy.add(key)
      }
    }
  })

  const views = {
    activeView: (id: NodeId) => cores.get(id)?.hyparview.activeView() ?? [],
    passiveView: (id: NodeId) => cores.get(id)?.hyparview.passiveView() ?? [],
    isUp: (id: NodeId) => net.isUp(id)
  }
  const hyparview = resolveHyParViewConfig(scenario.membership?.hyparview)
  const bounds = { lower: hyparview.activeViewTarget, upper: hyparview.activeViewCapacity }
  const measure = (): Connectivity => measureConnectivity(net.nodeIds, views, bounds)

  net.at(0, () => { net.spawn(0, []) })
  for (let i = 1; i < scenario.nodes; i++) {
    net.at(i * scenario.join.interval, () => { net.spawn(i, [0]) })
  }

  // a separate stream from the network's, so timeline choices do not shift message latencies
  const timelineRng = createRng(seed).fork('timeline')
  const snapshots: MembershipResult['snapshots'] = []
  const heals: HealResult[] = []
  const crashed: NodeId[] = []

  const crashFraction = (event: Extract<TimelineEvent, { action: 'crash' }>): void => {
    const live = ids.filter(id => net.isUp(id))
    const victims = timelineRng.sample(live, Math.round(live.length * event.fraction))
    for (const victim of victims) {
      crash(victim)
      crashed.push(victim)
    }
    trackHeal(event.label ?? `crash ${Math.round(event.fraction * 100)}% @${event.at}`, event.fraction, victims.length)
  }

  const trackHeal = (label: string, fraction: number, count: number): void => {
    const start = net.now
    const result: HealResult = { label, at: start, fraction, crashed: count, survivors: ids.filter(id => net.isUp(id)).length, healedAfterMs: null, largestAfter10s: null, isolatedAfter10s: null, largestAfter30s: null, deadNeighborsAfter15s: null }
    heals.push(result)
    const interval = scenario.healSampleInterval ?? 250
    const sample = (): void => {
      const c = measure()
      if (c.components === 1 && c.isolated === 0) {
        result.healedAfterMs = net.now - start
        return
      }
      if (net.now - start < scenario.duration) {
        net.at(net.now + interval, sample)
      }
    }
    net.at(start + interval, sample)
    net.at(start + 10_000, () => {
      const c = measure()
      result.largestAfter10s = c.largestComponentFraction
      result.isolatedAfter10s = c.isolated
    })
    net.at(start + 15_000, () => {
      let pairs = 0
      for (const id of ids) {
        if (net.isUp(id)) {
          pairs += views.activeView(id).filter(peer => !net.isUp(peer)).length
        }
      }
      result.deadNeighborsAfter15s = pairs
    })
    net.at(start + 30_000, () => { result.largestAfter30s = measure().largestComponentFraction })
  }

  for (const event of scenario.timeline ?? []) {
    net.at(event.at, () => {
      switch (event.action) {
        case 'crash': crashFraction(event); break
        case 'restart-crashed':
          for (const id of crashed.splice(0)) {
            net.spawn(id, [0, ...timelineRng.sample(ids.filter(x => net.isUp(x)), 3)])
          }
          break
        case 'partition': {
          const shuffled = timelineRng.shuffle(ids.slice())
          const size = Math.ceil(shuffled.length / event.groups)
          net.partition(Array.from({ length: event.groups }, (_, g) => shuffled.slice(g * size, (g + 1) * size)))
          break
        }
        case 'heal': net.heal(); break
        case 'stalls': {
          const chosen = timelineRng.sample(ids.filter(id => net.isUp(id)), Math.round(ids.length * event.fraction))
          for (const id of chosen) {
            const when = event.at + timelineRng.int(Math.max(1, event.until - event.at))
            net.at(when, () => { net.stall(id, event.duration) })
          }
          break
        }
        case 'churn': {
          const period = 1000 / event.perSecond
          for (let t = event.at; t < event.until; t += period) {
            net.at(t, () => {
              const victim = timelineRng.pick(ids.filter(id => net.isUp(id) && id !== 0))
              if (victim == null) {
                return
              }
              crash(victim)
              net.at(net.now + event.downtime, () => { net.spawn(victim, [0]) })
            })
          }
          break
        }
        case 'snapshot': snapshots.push({ label: event.label, at: net.now, connectivity: measure() }); break
        default: break
      }
    })
  }

  net.runUntil(scenario.duration)

  let suspicions = 0
  let refutations = 0
  for (const core of cores.values()) {
    suspicions += core.swim.stats.suspicionsRaised
    refutations += core.swim.stats.refutations
  }
  let missed = 0
  let droppedUndeclared = 0
  for (const [victim, record] of crashes) {
    if (net.isUp(victim)) {
      // it has restarted: being in views again is right
      continue
    }
    for (const monitor of record.monitors) {
      if (record.declared.has(monitor) || !net.isUp(monitor)) {
        continue
      }
      if (cores.get(monitor)?.hyparview.isActive(victim) === true) {
        missed++
      } else {
        droppedUndeclared++
      }
    }
  }

  return {
    scenario: scenario.name,
    seed,
    nodes: scenario.nodes,
    virtualMs: scenario.duration,
    eventsProcessed: net.eventsProcessed,
    final: measure(),
    snapshots,
    heals,
    detection: { monitorLatency: distribution(monitorLatencies), firstLatency: distribution(firstLatencies), missed, droppedUndeclared },
    falsePositives: { healthy: fpHealthy.size, stalled: fpStalled.size, restarted: staleVerdicts.size, suspicions, refutations },
    traffic: net.traffic,
    // absent without the model, so that results recorded before it are unchanged
    ...(scenario.processing == null ? {} : { processing: net.lagStats() })
  }
}
