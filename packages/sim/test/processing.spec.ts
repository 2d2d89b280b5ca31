/**
 * The processing-cost model: cores as FIFO servers that make messages and
 * timers late under load. Virtual time only; integer costs keep times exact.
 */
import { emit, scheduleTimer, send } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { runBroadcastScenario } from '../src/broadcast/run-broadcast.ts'
import { validateBroadcastScenario } from '../src/broadcast/scenario.ts'
import { Network } from '../src/network.ts'
import { DEFAULT_PROCESSING, LagHistogram, resolveProcessing } from '../src/processing.ts'
import { runMembershipScenario } from '../src/run-membership.ts'
import { validateScenario } from '../src/scenario.ts'
import type { BroadcastScenario } from '../src/broadcast/scenario.ts'
import type { CoreInput, NetworkInit, SimCore } from '../src/network.ts'
import type { Processing } from '../src/processing.ts'
import type { MembershipScenario } from '../src/scenario.ts'
import type { Effect } from '@saorsa-gossip/core'

type Msg = { n: number, reply?: boolean }
type Timer = { name: string }
type Ev = { what: string }
type Out = Array<Effect<number, Msg, Timer, Ev>>

/** Records when it handles each input; `onStart` / `onInput` script what it does */
class Probe implements SimCore<Msg, Timer, Ev> {
  readonly handled: Array<{ at: number, what: string }> = []
  constructor (private readonly onStart: (now: number) => Out = () => [], private readonly onInput: (input: CoreInput<Msg, Timer>, now: number) => Out = () => []) {}
  start (now: number): Out {
    return this.onStart(now)
  }

  handle (input: CoreInput<Msg, Timer>, now: number): Out {
    this.handled.push({ at: now, what: input.type === 'message' ? `m${input.message.n}` : `t:${input.timer.name}` })
    return this.onInput(input, now)
  }
}

/** A flooder: sends `count` messages to each target at start */
function flooder (targets: Array<[to: number, count: number]>): Probe {
  return new Probe(() => targets.flatMap(([to, count]) => Array.from({ length: count }, (_, n) => send(to, { n }))))
}

function network (cores: Map<number, Probe>, processing: Processing<Msg> | undefined, extra: Partial<NetworkInit<Msg, Timer, Ev>> = {}): Network<Msg, Timer, Ev> {
  return new Network<Msg, Timer, Ev>({
    seed: 1,
    latency: { min: 10, max: 10 },
    createCore: (id) => cores.get(id) as Probe,
    messageType: () => 'msg',
    messageBytes: () => 100,
    processing,
    ...extra
  })
}

/** 1 ms per message, nothing else */
const oneMs: Processing<Msg> = { cost: () => 1 }

describe('processing model', () => {
  it('a flooded node handles its messages one cost apart, and lag grows with the load', () => {
    const maxLag = (count: number): number | null => {
      const receiver = new Probe()
      const net = network(new Map([[0, flooder([[1, count]])], [1, receiver]]), oneMs)
      net.spawn(1, [])
      net.spawn(0, [])
      net.runUntil(10_000)
      // all arrive at 10; the k-th starts when the k − 1 before it are done, and `handle` sees that time
      expect(receiver.handled.map(h => h.at)).to.deep.equal(Array.from({ length: count }, (_, k) => 10 + k))
      const lag = net.lagStats()
      expect(lag?.messages.count).to.equal(count)
      expect(lag?.cores.busiest?.maxBacklog).to.equal(count - 1)
      return lag?.messages.max ?? null
    }
    expect(maxLag(10)).to.equal(9)
    expect(maxLag(100)).to.equal(99)
  })

  it('fractional costs: cores still read whole milliseconds, as from Date.now()', () => {
    const receiver = new Probe()
    const net = network(new Map([[0, flooder([[1, 10]])], [1, receiver]]), { cost: () => 0.3 })
    net.spawn(1, [])
    net.spawn(0, [])
    net.runUntil(1000)
    // starts at 10, 10.3, 10.6, 10.9, 11.2, ...
    expect(receiver.handled.map(h => h.at)).to.deep.equal([10, 10, 10, 10, 11, 11, 11, 12, 12, 12])
    expect(net.lagStats()?.messages.max).to.equal(2.7)
  })

  it('timers fire late behind a busy core', () => {
    const receiver = new Probe(() => [scheduleTimer('deadline', 20, { name: 'deadline' })])
    const net = network(new Map([[0, flooder([[1, 50]])], [1, receiver]]), { cost: () => 1, timerCost: 2 })
    net.spawn(1, [])
    net.spawn(0, [])
    net.runUntil(1000)
    // 50 messages due at 10 hold the core until 60; the timer due at 20 runs then
    expect(receiver.handled.find(h => h.what === 't:deadline')?.at).to.equal(60)
    const lag = net.lagStats()
    expect(lag?.timers).to.include({ count: 1, max: 40 })
    expect(net.coreLoads().find(l => l.core === 1)).to.include({ busyMs: 52, inputs: 51 })
  })

  it('nodes on the same core delay each other; a node on another core does not wait', () => {
    const cores = new Map([[0, new Probe()], [1, new Probe()], [2, new Probe()], [10, flooder([[0, 50], [1, 1], [2, 1]])]])
    const net = network(cores, { ...oneMs, nodesPerCore: 2 })
    for (const id of [0, 1, 2, 10]) {
      net.spawn(id, [])
    }
    net.runUntil(1000)
    // nodes 0 and 1 share core 0: node 1's message, due at 10 after node 0's fifty, starts at 60
    expect(cores.get(1)?.handled).to.deep.equal([{ at: 60, what: 'm0' }])
    // node 2 is on core 1
    expect(cores.get(2)?.handled).to.deep.equal([{ at: 10, what: 'm0' }])
    expect(net.nodeLoad(1)).to.deep.equal({ inputs: 1, lagSum: 50, lagMax: 50, cpuMs: 1 })
    expect(net.nodeLoad(2)).to.include({ lagMax: 0 })
    const loads = net.coreLoads()
    expect(loads.map(l => [l.core, l.busyMs])).to.deep.equal([[0, 51], [1, 1], [5, 0]])
  })

  it('sends leave after the handler cost plus their encoding cost; emits happen when the handler is done', () => {
    const emitted: Array<[number, string]> = []
    const echo = new Probe(() => [], (input) => input.type === 'message' && input.message.reply !== true ? [send(0, { n: input.message.n, reply: true }), send(0, { n: 100 + input.message.n, reply: true }), emit({ what: 'got' })] : [])
    const origin = new Probe(() => [send(1, { n: 1 })])
    const net = network(new Map([[0, origin], [1, echo]]), { cost: (m) => m.reply === true ? 0 : 5, sendCost: () => 1 }, { onEmit: (_node, e, now) => { emitted.push([now, e.what]) } })
    net.spawn(1, [])
    net.spawn(0, [])
    net.runUntil(1000)
    // origin: encoded by 1, arrives at 11; echo: handled 11..16, replies encoded by 17 and 18, +10 latency
    expect(echo.handled).to.deep.equal([{ at: 11, what: 'm1' }])
    expect(origin.handled).to.deep.equal([{ at: 27, what: 'm1' }, { at: 28, what: 'm101' }])
    expect(emitted).to.deep.equal([[16, 'got']])
  })

  it('an application call waits for a busy core and pays its cost before its sends', () => {
    const receiver = new Probe()
    const publisher = new Probe()
    const net = network(new Map([[0, flooder([[1, 20]])], [1, publisher], [2, receiver]]), oneMs)
    for (const id of [1, 2, 0]) {
      net.spawn(id, [])
    }
    let ranAt = -1
    net.at(15, () => {
      expect(net.inject(1, (_core, now) => { ranAt = now; return [send(2, { n: 7 })] }, 3)).to.be.true()
    })
    net.runUntil(1000)
    // the 20 messages due at 10 hold the core until 30; then 3 ms of signing, then 10 ms of latency
    expect(ranAt).to.equal(30)
    expect(receiver.handled).to.deep.equal([{ at: 43, what: 'm7' }])
  })

  it("a crashed node's queued input costs nothing: its core-mate goes next", () => {
    const cores = new Map([[0, new Probe()], [1, new Probe()], [10, flooder([[0, 50], [1, 1]])]])
    const net = network(cores, { ...oneMs, nodesPerCore: 2 })
    for (const id of [0, 1, 10]) {
      net.spawn(id, [])
    }
    net.at(15, () => { net.crash(0) })
    net.runUntil(1000)
    expect(cores.get(0)?.handled).to.have.length(5)
    expect(cores.get(1)?.handled).to.deep.equal([{ at: 15, what: 'm0' }])
  })

  it('after a stall, overdue timers then queued messages go through the core, one cost apart', () => {
    const node = new Probe(() => [scheduleTimer('deadline', 150, { name: 'deadline' })])
    const net = network(new Map([[0, flooder([[1, 3]])], [1, node]]), { cost: () => 2, timerCost: 1 })
    net.spawn(1, [])
    net.at(5, () => { net.stall(1, 500) })
    net.at(6, () => { net.spawn(0, []) })
    net.runUntil(1000)
    expect(node.handled).to.deep.equal([{ at: 505, what: 't:deadline' }, { at: 506, what: 'm0' }, { at: 508, what: 'm1' }, { at: 510, what: 'm2' }])
  })

  it('without processing nothing is measured, and zero costs reproduce the unloaded run exactly', () => {
    const scenario: MembershipScenario = {
      name: 'zero',
      seed: 4,
      nodes: 60,
      latency: { min: 10, max: 50 },
      duration: 40_000,
      join: { interval: 20 },
      timeline: [{ at: 25_000, action: 'crash', fraction: 0.1 }]
    }
    const plain = runMembershipScenario(scenario)
    expect(plain).to.not.have.property('processing')
    const zero = { preset: 'default', receiveMs: 0, receivePerKiBMs: 0, sendMs: 0, sendPerKiBMs: 0, timerMs: 0, connectMs: 0, nodesPerCore: 60 }
    const { processing, ...rest } = runMembershipScenario({ ...scenario, processing: zero })
    expect(processing?.messages.max).to.equal(0)
    expect(processing?.timers.max).to.equal(0)
    expect(rest).to.deep.equal(plain)
    expect(network(new Map(), undefined).lagStats()).to.equal(undefined)
  })

  it('loaded membership formation: deterministic for a seed, late timers, still converges', function () {
    this.timeout(60_000)
    const scenario: MembershipScenario = {
      name: 'loaded',
      seed: 1,
      nodes: 100,
      latency: { min: 10, max: 50 },
      duration: 30_000,
      join: { interval: 10 },
      processing: { nodesPerCore: 50 }
    }
    const a = runMembershipScenario(scenario)
    const b = runMembershipScenario(scenario)
    expect(a).to.deep.equal(b)
    const lag = a.processing
    expect(lag?.cores.count).to.equal(2)
    // joins at 100 per second each cost a connection set-up at both ends: the loop falls far behind
    expect(lag?.timers.max as number).to.be.greaterThan(100)
    expect(lag?.messages.p99 as number).to.be.greaterThan(100)
    expect(a.final.components).to.equal(1)
    const other = runMembershipScenario({ ...scenario, seed: 2 })
    expect(other.processing).to.not.deep.equal(lag)
  })

  it('broadcast: payload verify and publish signing make deliveries later than on idle CPUs', function () {
    this.timeout(60_000)
    const scenario: BroadcastScenario = {
      name: 'b',
      seed: 1,
      nodes: 40,
      latency: { min: 10, max: 50 },
      join: { interval: 20 },
      subscribeAt: 5_000,
      payloadSize: 1024,
      traffic: [{ label: 'burst', at: 10_000, count: 40, interval: 0, sender: 'all' }],
      duration: 20_000
    }
    const idle = runBroadcastScenario(scenario, 'plumtree')
    const loaded = runBroadcastScenario({ ...scenario, processing: { nodesPerCore: 40, verifyMs: 2 } }, 'plumtree')
    expect(idle).to.not.have.property('processing')
    expect(loaded.traffic[0].deliveryRatio).to.equal(1)
    // 40 publishes at once on one core: each of the 40 × 39 first copies costs a 2 ms verify
    expect(loaded.processing?.cores.busiest?.busyMs as number).to.be.greaterThan(40 * 39 * 2)
    expect(loaded.traffic[0].latency.p50 as number).to.be.greaterThan((idle.traffic[0].latency.p50 as number) + 500)
    // the real codecs encode times the cores derive from their clock: they must stay integers
    const coded = runBroadcastScenario({ ...scenario, codec: true, processing: { nodesPerCore: 40, scale: 1.37 } }, 'plumtree')
    expect(coded.traffic[0].deliveryRatio).to.equal(1)
  })
})

describe('processing parameters', () => {
  it('presets, overrides and scale resolve to plain numbers', () => {
    const p = resolveProcessing({ preset: 'noble', nodesPerCore: 50, scale: 2, perType: { 'hpv:join': 1 } })
    expect(p.nodesPerCore).to.equal(50)
    expect(p.verifyMs).to.equal(1.9)
    expect(p.receiveMs).to.equal(DEFAULT_PROCESSING.receiveMs * 2)
    expect(p.perType).to.deep.equal({ 'hpv:join': 2 })
    expect(p.scale).to.equal(1)
  })

  it('transport presets keep bench:frame-cost\'s order: patched TCP < QUIC < stock TCP per frame, the same crypto', () => {
    const frame = (preset: string): number => { const p = resolveProcessing({ preset }); return p.receiveMs + p.sendMs }
    expect(frame('default')).to.be.below(frame('quic'))
    expect(frame('quic')).to.be.below(frame('stock'))
    // the stack patches (SPEC.md §7.12) halved the cost of a TCP frame
    expect(frame('stock') / frame('default')).to.be.within(1.7, 2.3)
    for (const preset of ['quic', 'stock']) {
      expect(resolveProcessing({ preset }).verifyMs).to.equal(DEFAULT_PROCESSING.verifyMs)
    }
  })

  it('scenario validation names a bad processing field', () => {
    const good = { name: 's', seed: 1, nodes: 10, latency: { min: 1, max: 2 }, duration: 1000, join: { interval: 10 } }
    expect(validateScenario({ ...good, processing: { nodesPerCore: 5 } }).processing).to.deep.equal({ nodesPerCore: 5 })
    for (const processing of [5, { preset: 'fast' }, { nodesPerCore: 0 }, { nodesPerCore: 1.5 }, { receiveMs: -1 }, { perType: { x: 'a' } }]) {
      expect(() => validateScenario({ ...good, processing })).to.throw(/processing/).that.includes({ name: 'InvalidConfigError', code: 'ERR_INVALID_CONFIG' })
    }
    const broadcast = { ...good, subscribeAt: 0, payloadSize: 10, traffic: [] }
    expect(() => validateBroadcastScenario({ ...broadcast, processing: { timerMs: Number.NaN } })).to.throw(/processing.timerMs/).with.property('code', 'ERR_INVALID_CONFIG')
  })

  it('the lag histogram keeps percentiles within 2% without keeping samples', () => {
    const h = new LagHistogram()
    for (let i = 0; i < 1000; i++) {
      h.add(i < 500 ? 0 : i)
    }
    const d = h.distribution()
    expect(d.count).to.equal(1000)
    expect(d.p50).to.equal(0)
    expect(d.p90 as number).to.be.within(899, 899 * 1.02)
    expect(d.p99 as number).to.be.within(989, 989 * 1.02)
    expect(d.max).to.equal(999)
    expect(new LagHistogram().distribution()).to.deep.equal({ count: 0, mean: null, p50: null, p90: null, p99: null, max: null })
  })
})
