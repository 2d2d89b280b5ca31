/**
 * MLS groups in the simulator (issue 15, SPEC.md §11.4): every node runs membership and the
 * Plumtree core (as in the broadcast scenarios) and the groups pure core, `GroupCore`, with
 * the deterministic stand-in for MLS (`fakeMls`), so hundreds of members run cheaply. Group
 * messages (commits, application messages, heads, leaves) travel as Plumtree messages on the
 * group's topic, with the origin in the header as the service's signed origin; chain requests
 * and welcomes are direct messages, as the service's stream protocol (§11.5) carries them.
 *
 * The scenario: one member creates the group and adds every node in one commit; the network
 * splits in two halves; each half commits (and sends) on its own branch; the network heals;
 * the run measures how long until every member is on one head (the ordering rule of §11.4
 * picks the branch, the losing side switches and re-proposes), that no member is left on a
 * fork, and that messages sent after the merge reach every member once.
 */
import { InvalidConfigError, createRng, toHex, fromHex } from '@saorsa-gossip/core'
import { GroupCore, fakeMls, rootId, commitId } from '@saorsa-gossip/groups'
import { appMessageId, broadcastEvents, originHeader, originOf } from '../broadcast/app-messages.ts'
import { BroadcastNode } from '../broadcast/node.ts'
import { plumtreeProtocol } from '../broadcast/plumtree.ts'
import { Network } from '../network.ts'
import type { NodeEvent, NodeMessage, NodeTimer } from '../broadcast/node.ts'
import type { DeliverEvent } from '../broadcast/types.ts'
import type { CoreInput, NodeId, SimCore } from '../network.ts'
import type { OverlayScenario } from '../overlay-scenario.ts'
import type { Effect, Rng } from '@saorsa-gossip/core'
import type { ChainCommit, CommitId, FakeMlsState, GroupEffect, GroupEvent, GroupInput, GroupTimer, GroupWire } from '@saorsa-gossip/groups'
import type { MembershipConfig } from '@saorsa-gossip/membership'
import type { PubsubConfig, PubsubMessage, PubsubTimer } from '@saorsa-gossip/pubsub'

export const GROUP_TOPIC = 'saorsa-groups/sim'

/** The overlay (node i joins through node 0) and the group's story */
export interface GroupsScenario extends OverlayScenario {
  name: string
  /** every node subscribes to the group's topic; node 0 creates the group */
  subscribeAt: number
  /** node 0 adds every other node in one commit */
  addAllAt: number
  partitionAt: number
  /** commits made on each half during the partition, by distinct members, spread over [partitionAt, healAt) */
  commits: [number, number]
  /** application messages sent on each half during the partition */
  messages: number
  healAt: number
  /** after convergence (or at healAt + this, ms): members that each send one message */
  afterMergeSenders: number
  /** virtual end, ms */
  duration: number
  /** GroupCore's headInterval, ms */
  headInterval: number
  membership?: MembershipConfig
  pubsub?: Partial<PubsubConfig>
}

export interface GroupsResult {
  scenario: string
  nodes: number
  /** members at the end (status member) */
  members: number
  /** distinct heads among members just before the heal: the branches */
  headsBeforeHeal: number
  /** distinct (epoch, head) among members at the end: 1 = no fork left */
  headsAtEnd: number
  /** ms from the heal until every member was on one head (null: not within the run) */
  mergedAfterHealMs: number | null
  /** epoch of the merged chain */
  epoch: number
  /** fork switches made by members (stats.forkSwitches, summed) */
  forkSwitches: number
  /** `re-propose` events: a losing branch's own commits, to be made again on the winner */
  reproposals: number
  /** messages sent after the merge × the other members, and how many of those deliveries happened */
  afterMerge: { expected: number, delivered: number, duplicates: number }
  /** inputs each member's core refused, by reason */
  refused: Record<string, number>
  virtualMs: number
  eventsProcessed: number
}

/** Direct messages: the service's stream protocol (§11.5) */
type Direct =
  | { type: 'chain-request', fromEpoch: number }
  | { type: 'chain-reply', commits: Array<ChainCommit<string>> }
  | { type: 'welcome', epoch: number, parent: CommitId, mls: Uint8Array }
type Msg = NodeMessage<PubsubMessage<number>> | { layer: 'groups', message: Direct }
type Timer = NodeTimer<PubsubTimer> | { layer: 'groups', timer: GroupTimer }
type Eff = Effect<NodeId, Msg, Timer, NodeEvent>

const enc = new TextEncoder()
const dec = new TextDecoder()

/** A group message as a topic payload (the service's protobuf is not needed to test ordering) */
function encodeWire (m: GroupWire): Uint8Array {
  return enc.encode(JSON.stringify({ ...m, mls: 'mls' in m ? toHex(m.mls) : undefined }))
}

function decodeWire (bytes: Uint8Array): GroupWire {
  const m = JSON.parse(dec.decode(bytes))
  return m.mls == null ? m : { ...m, mls: fromHex(m.mls) ?? new Uint8Array(0) }
}

const decoded = new WeakMap<Uint8Array, { wire: GroupWire, origin: NodeId }>()

export interface GroupsHooks {
  /** a member delivered an application message */
  message(node: NodeId, text: string): void
  /** a member's core emitted an event */
  event(node: NodeId, event: GroupEvent<string>): void
}

/** A simulated node: membership + Plumtree (BroadcastNode) and, once welcomed, a group member */
export class GroupSimNode implements SimCore<Msg, Timer, NodeEvent> {
  readonly inner: BroadcastNode<PubsubMessage<number>, PubsubTimer>
  readonly self: string
  core?: GroupCore<string>
  /** MLS states by the commit that made them (the fake's; ts-mls keeps ClientState objects) */
  readonly states = new Map<CommitId, FakeMlsState>()
  private published = 0
  /** commits made here: the fake MLS's nonce, so a rebuilt state never repeats a commit */
  private commits = 0
  private readonly header: Uint8Array

  constructor (readonly id: NodeId, private readonly rng: Rng, private readonly scenario: GroupsScenario, private readonly hooks: GroupsHooks) {
    this.inner = new BroadcastNode(id, rng, plumtreeProtocol(scenario.pubsub).create(id, rng.fork('broadcast')), scenario.membership)
    this.self = String(id)
    this.header = originHeader(id)
  }

  start (now: number, contacts: NodeId[]): Eff[] {
    return this.after(this.inner.start(now, contacts) as Eff[], now)
  }

  subscribe (now: number): Eff[] {
    return this.after(this.inner.application({ type: 'subscribe', topic: GROUP_TOPIC }, now) as Eff[], now)
  }

  /** Node 0: the group at epoch 0 with itself alone */
  create (now: number): Eff[] {
    const root = rootId(enc.encode(GROUP_TOPIC))
    return this.join(root, 0, [this.self], { epoch: 0, roster: [this.self], secret: root, opened: new Set(), sent: 0 }, now)
  }

  /** The application asks the core for something (commit, send) */
  local (input: GroupInput<string>, now: number): Eff[] {
    return this.core == null ? [] : this.run(this.core.handle(input, now), now)
  }

  handle (input: CoreInput<Msg, Timer>, now: number): Eff[] {
    if (input.type === 'timer-expired' && input.timer.layer === 'groups') {
      return this.local({ type: 'timer-expired', key: input.key.slice(2), timer: input.timer.timer }, now)
    }
    if (input.type === 'message' && input.message.layer === 'groups') {
      return this.direct(input.from, input.message.message, now)
    }
    return this.after(this.inner.handle(input as CoreInput<NodeMessage<PubsubMessage<number>>, NodeTimer<PubsubTimer>>, now) as Eff[], now)
  }

  private join (root: CommitId, epoch: number, roster: string[], state: FakeMlsState, now: number): Eff[] {
    this.core = new GroupCore<string>({ self: this.self, root, epoch, roster, config: { headInterval: this.scenario.headInterval } })
    this.states.clear()
    this.states.set(root, state)
    return this.run(this.core.start(now), now)
  }

  private direct (from: NodeId, m: Direct, now: number): Eff[] {
    switch (m.type) {
      case 'chain-request': {
        const commits = this.core?.answerChain(String(from), m.fromEpoch)
        return commits == null ? [] : [{ type: 'send', to: from, message: { layer: 'groups', message: { type: 'chain-reply', commits } } }]
      }
      case 'chain-reply': return this.local({ type: 'chain-reply', from: String(from), commits: m.commits }, now)
      default: {
        if (this.core != null && this.core.status === 'member' && this.core.epoch >= m.epoch) {
          return []
        }
        const w = JSON.parse(dec.decode(m.mls)) as { secret: string, roster: string[], epoch: number }
        return this.join(m.parent, m.epoch, w.roster, { epoch: w.epoch, roster: w.roster, secret: w.secret, opened: new Set(), sent: 0 }, now)
      }
    }
  }

  /** Runs the core's effects: MLS at once (the fake is synchronous), the rest to the network */
  private run (effects: Array<GroupEffect<string>>, now: number): Eff[] {
    const out: Eff[] = []
    const work = [...effects]
    while (work.length > 0) {
      const e = work.shift() as GroupEffect<string>
      switch (e.type) {
        case 'mls': {
          const base = this.states.get(e.base)
          if (base == null || this.core == null) {
            break
          }
          const r = fakeMls(this.self, base, e.op, e.op.kind === 'commit' ? ++this.commits : undefined)
          if (r.replaceBase != null) {
            this.states.set(e.base, r.replaceBase)
          }
          if (r.state != null && r.result.ok && (r.result.kind === 'committed' || r.result.kind === 'opened-commit')) {
            this.states.set(r.result.kind === 'committed' ? commitId(r.result.mls) : commitId((e.op as { mls: Uint8Array }).mls), r.state)
          }
          work.push(...this.core.handle({ type: 'mls-done', ticket: e.ticket, result: r.result }, now))
          break
        }
        case 'publish': out.push(...this.publish(e.message, now)); break
        case 'request-chain': out.push({ type: 'send', to: Number(e.to), message: { layer: 'groups', message: { type: 'chain-request', fromEpoch: e.fromEpoch } } }); break
        case 'welcome': out.push({ type: 'send', to: Number(e.to), message: { layer: 'groups', message: { type: 'welcome', epoch: e.epoch, parent: e.parent, mls: e.mls } } }); break
        case 'forget-state': this.states.delete(e.id); break
        case 'emit':
          this.hooks.event(this.id, e.event)
          if (e.event.type === 'message') {
            this.hooks.message(this.id, dec.decode(e.event.data))
          }
          break
        case 'schedule-timer': out.push({ type: 'schedule-timer', key: `g:${e.key}`, at: e.at, timer: { layer: 'groups', timer: e.timer } }); break
        default: break
      }
    }
    return out
  }

  private publish (message: GroupWire, now: number): Eff[] {
    const id = appMessageId(this.id, ++this.published, this.rng)
    return this.after(this.inner.application({ type: 'publish', topic: GROUP_TOPIC, id, payload: encodeWire(message), header: this.header, publishedAt: now } as any, now) as Eff[], now)
  }

  /** Feeds the core the group messages Plumtree delivered */
  private after (effects: Eff[], now: number): Eff[] {
    const extra: Eff[] = []
    for (const broadcast of broadcastEvents(effects)) {
      const event = broadcast as DeliverEvent & { header?: Uint8Array }
      const origin = originOf(event.header)
      if (event.type !== 'message' || event.topic !== GROUP_TOPIC || origin == null) {
        continue
      }
      let d = decoded.get(event.payload)
      if (d == null) {
        d = { wire: decodeWire(event.payload), origin }
        decoded.set(event.payload, d)
      }
      if (d.origin !== this.id && this.core != null) {
        extra.push(...this.run(this.core.handle({ type: 'received', from: String(d.origin), message: d.wire }, now), now))
      }
    }
    effects.push(...extra)
    return effects
  }
}

export function validateGroupsScenario (s: GroupsScenario): GroupsScenario {
  const ok = Number.isInteger(s.nodes) && s.nodes >= 4 && s.subscribeAt < s.addAllAt && s.addAllAt < s.partitionAt && s.partitionAt < s.healAt &&
    s.healAt < s.duration && s.headInterval > 0 && s.commits.every(c => Number.isInteger(c) && c >= 0 && c < s.nodes / 2) && Number.isInteger(s.messages) && s.messages >= 0 &&
    Number.isInteger(s.afterMergeSenders) && s.afterMergeSenders >= 0
  if (!ok) {
    throw new InvalidConfigError('groups scenario: needs nodes >= 4, subscribeAt < addAllAt < partitionAt < healAt < duration, headInterval > 0, 0 <= commits per half < nodes / 2, whole numbers of messages and senders')
  }
  return s
}

function messageType (m: Msg): string {
  switch (m.layer) {
    case 'membership': return `membership:${String(m.message.type)}`
    case 'groups': return `groups:${m.message.type}`
    default: return m.message.type
  }
}

function headsOf (nodes: Map<NodeId, GroupSimNode>, live: NodeId[]): Set<string> {
  return new Set(live.map(id => nodes.get(id)?.core).filter(c => c?.status === 'member').map(c => `${String(c?.epoch)}/${String(c?.head)}`))
}

/** Runs the scenario: forms the group, partitions, commits on both halves, heals, measures the merge */
export function runGroupsScenario (scenario: GroupsScenario, progress?: (virtualMs: number) => void): GroupsResult {
  validateGroupsScenario(scenario)
  const nodes = new Map<NodeId, GroupSimNode>()
  const ids = Array.from({ length: scenario.nodes }, (_, i) => i)
  const refused: Record<string, number> = {}
  let reproposals = 0
  const afterMergeSeen = new Map<string, number>()
  const hooks: GroupsHooks = {
    message: (node, text) => {
      if (text.startsWith('after-merge ')) {
        const key = `${node}/${text}`
        afterMergeSeen.set(key, (afterMergeSeen.get(key) ?? 0) + 1)
      }
    },
    event: (_node, event) => {
      if (event.type === 'refused') {
        refused[event.reason] = (refused[event.reason] ?? 0) + 1
      } else if (event.type === 're-propose') {
        reproposals++
      }
    }
  }
  const net = new Network<Msg, Timer, NodeEvent>({
    seed: scenario.seed,
    latency: scenario.latency,
    loss: scenario.loss ?? 0,
    createCore: (id, rng) => {
      const node = new GroupSimNode(id, rng, scenario, hooks)
      nodes.set(id, node)
      return node
    },
    messageType,
    messageBytes: (m) => m.layer === 'broadcast' ? plumtreeProtocol().messageBytes(m.message) : 0
  })
  net.at(0, () => { net.spawn(0, []) })
  for (let i = 1; i < scenario.nodes; i++) {
    net.at(i * scenario.joinInterval, () => { net.spawn(i, [0]) })
  }
  const rng = createRng(scenario.seed).fork('groups-schedule')
  net.at(scenario.subscribeAt, () => {
    for (const id of ids) {
      net.inject(id, (_core, now) => nodes.get(id)?.subscribe(now) ?? [])
    }
    net.inject(0, (_core, now) => nodes.get(0)?.create(now) ?? [])
  })
  let lastOp = 0
  const nextOp = (): number => ++lastOp
  net.at(scenario.addAllAt, () => {
    net.inject(0, (_core, now) => nodes.get(0)?.local({ type: 'commit', op: nextOp(), changes: { add: ids.slice(1).map(id => ({ peer: String(id), keyPackage: new Uint8Array(1) })), remove: [], update: false } }, now) ?? [])
  })
  const shuffled = rng.shuffle(ids.slice())
  const halves = [shuffled.slice(0, Math.ceil(ids.length / 2)), shuffled.slice(Math.ceil(ids.length / 2))]
  net.at(scenario.partitionAt, () => { net.partition(halves) })
  const span = scenario.healAt - scenario.partitionAt
  halves.forEach((half, h) => {
    // distinct committers; the first half's last commit removes a member of the other half
    for (let k = 0; k < scenario.commits[h]; k++) {
      const by = half[k]
      const remove = h === 0 && k === scenario.commits[h] - 1 ? [String(halves[1][halves[1].length - 1])] : []
      net.at(scenario.partitionAt + Math.round(span * (k + 1) / (scenario.commits[h] + 2)), () => {
        net.inject(by, (_core, now) => nodes.get(by)?.local({ type: 'commit', op: nextOp(), changes: { add: [], remove, update: remove.length === 0 } }, now) ?? [])
      })
    }
    for (let k = 0; k < scenario.messages; k++) {
      const by = half[rng.int(half.length)]
      net.at(scenario.partitionAt + rng.int(span), () => {
        net.inject(by, (_core, now) => nodes.get(by)?.local({ type: 'send', op: nextOp(), plaintext: enc.encode(`partition ${h}/${k}`) }, now) ?? [])
      })
    }
  })
  for (let t = 10_000; t < scenario.healAt; t += 10_000) {
    net.at(t, () => { progress?.(t) })
  }
  net.runUntil(scenario.healAt - 1)
  const headsBeforeHeal = headsOf(nodes, ids.filter(id => net.isUp(id))).size
  net.at(scenario.healAt, () => { net.heal() })
  let mergedAt: number | null = null
  let senders: string[] = []
  for (let t = scenario.healAt; t < scenario.duration;) {
    t = Math.min(t + 100, scenario.duration)
    net.runUntil(t)
    if (mergedAt == null && headsOf(nodes, ids).size === 1) {
      mergedAt = t
      // the group works on the merged chain: a few members send, every other member must read each once
      const members = ids.filter(id => nodes.get(id)?.core?.status === 'member')
      senders = rng.sample(members, Math.min(scenario.afterMergeSenders, members.length)).map(String)
      for (const by of senders) {
        net.inject(Number(by), (_core, now) => nodes.get(Number(by))?.local({ type: 'send', op: nextOp(), plaintext: enc.encode(`after-merge ${by}`) }, now) ?? [])
      }
    }
    if (t % 10_000 === 0) {
      progress?.(t)
    }
  }
  const members = ids.filter(id => nodes.get(id)?.core?.status === 'member')
  const expected = senders.length * (members.length - 1)
  let delivered = 0
  let duplicates = 0
  for (const id of members) {
    for (const by of senders) {
      if (String(id) === by) {
        continue
      }
      const n = afterMergeSeen.get(`${id}/after-merge ${by}`) ?? 0
      delivered += Math.min(n, 1)
      duplicates += Math.max(0, n - 1)
    }
  }
  const anyMember = nodes.get(members[0])?.core
  return {
    scenario: scenario.name,
    nodes: scenario.nodes,
    members: members.length,
    headsBeforeHeal,
    headsAtEnd: headsOf(nodes, ids).size,
    mergedAfterHealMs: mergedAt == null ? null : mergedAt - scenario.healAt,
    epoch: anyMember?.epoch ?? 0,
    forkSwitches: [...nodes.values()].reduce((n, node) => n + (node.core?.stats.forkSwitches ?? 0), 0),
    reproposals,
    afterMerge: { expected, delivered, duplicates },
    refused,
    virtualMs: scenario.duration,
    eventsProcessed: net.eventsProcessed
  }
}
