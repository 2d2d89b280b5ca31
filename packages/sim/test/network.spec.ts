import { emit, scheduleTimer, send } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { EventQueue } from '../src/event-queue.ts'
import { Network } from '../src/network.ts'
import { validateScenario } from '../src/scenario.ts'
import type { CoreInput, SimCore } from '../src/network.ts'
import type { Effect } from '@saorsa-gossip/core'

type Msg = { n: number }
type Timer = { name: string }
type Ev = { what: string, n?: number }

/** A scripted core: records what it receives, and does what `onInput` says */
class Probe implements SimCore<Msg, Timer, Ev> {
  readonly received: Array<{ at: number, input: CoreInput<Msg, Timer> }> = []
  constructor (private readonly onStart: (now: number) => Array<Effect<number, Msg, Timer, Ev>> = () => []) {}
  start (now: number): Array<Effect<number, Msg, Timer, Ev>> {
    return this.onStart(now)
  }

  handle (input: CoreInput<Msg, Timer>, now: number): Array<Effect<number, Msg, Timer, Ev>> {
    this.received.push({ at: now, input })
    return []
  }
}

function network (cores: Map<number, Probe>, init: { loss?: number, latency?: { min: number, max: number }, emits?: Ev[] } = {}): Network<Msg, Timer, Ev> {
  return new Network<Msg, Timer, Ev>({
    seed: 1,
    latency: init.latency ?? { min: 10, max: 50 },
    loss: init.loss,
    createCore: (id) => cores.get(id) as Probe,
    messageType: () => 'msg',
    messageBytes: () => 10,
    onEmit: (_node, event) => { init.emits?.push(event) }
  })
}

describe('EventQueue', () => {
  it('pops by time, then by insertion order', () => {
    const q = new EventQueue<{ time: number, seq: number, id: string }>()
    for (const [time, id] of [[5, 'a'], [1, 'b'], [5, 'c'], [3, 'd'], [1, 'e']] as Array<[number, string]>) {
      q.push({ time, id })
    }
    const order: string[] = []
    for (let e = q.pop(); e != null; e = q.pop()) {
      order.push(e.id)
    }
    expect(order).to.deep.equal(['b', 'e', 'd', 'a', 'c'])
  })
})

describe('Network', () => {
  it('delivers with latency in range, and keeps each link FIFO', () => {
    const receiver = new Probe()
    const sender = new Probe(() => Array.from({ length: 50 }, (_, n) => send(1, { n })))
    const net = network(new Map([[0, sender], [1, receiver]]))
    net.spawn(1, [])
    net.spawn(0, [])
    net.runUntil(1000)
    const got = receiver.received.map(r => ({ at: r.at, n: (r.input as any).message.n }))
    expect(got).to.have.length(50)
    expect(got.map(g => g.n)).to.deep.equal(Array.from({ length: 50 }, (_, n) => n))
    expect(got.every(g => g.at >= 10 && g.at <= 50)).to.be.true()
  })

  it('drops about the configured fraction of messages', () => {
    const receiver = new Probe()
    const sender = new Probe(() => Array.from({ length: 10_000 }, (_, n) => send(1, { n })))
    const net = network(new Map([[0, sender], [1, receiver]]), { loss: 0.05 })
    net.spawn(1, [])
    net.spawn(0, [])
    net.runUntil(10_000)
    expect(net.traffic.droppedLoss / 10_000).to.be.closeTo(0.05, 0.01)
    expect(receiver.received.length + net.traffic.droppedLoss).to.equal(10_000)
  })

  it('fires timers at their time; rescheduling a key replaces it; emits reach onEmit', () => {
    const emits: Ev[] = []
    const core = new Probe(() => [scheduleTimer('t', 100, { name: 'first' }), scheduleTimer('t', 200, { name: 'second' }), scheduleTimer('u', 50, { name: 'u' }), emit({ what: 'hello' })])
    const net = network(new Map([[0, core]]), { emits })
    net.spawn(0, [])
    net.runUntil(1000)
    expect(core.received.map(r => [r.at, (r.input as any).timer.name])).to.deep.equal([[50, 'u'], [200, 'second']])
    expect(emits).to.deep.equal([{ what: 'hello' }])
  })

  it('partitions drop messages between groups until healed; a crashed node receives nothing', () => {
    const b = new Probe()
    const cores = new Map([[1, b], [3, new Probe(() => [send(1, { n: 3 })])], [4, new Probe(() => [send(1, { n: 4 })])], [5, new Probe(() => [send(2, { n: 5 })])], [2, new Probe()]])
    const net = network(cores)
    net.spawn(1, [])
    net.spawn(2, [])
    net.partition([[3], [1, 2, 4, 5]])
    net.spawn(3, []) // across the partition: dropped
    net.spawn(4, []) // same side: delivered
    net.runUntil(100)
    expect(b.received.map(r => (r.input as any).message.n)).to.deep.equal([4])
    expect(net.traffic.droppedPartition).to.equal(1)
    net.heal()
    expect(net.canReach(3, 1)).to.be.true()
    net.crash(2)
    net.spawn(5, []) // to a crashed node: dropped on arrival
    net.runUntil(200)
    expect(net.isUp(2)).to.be.false()
    expect(net.traffic.droppedDown).to.equal(1)
    expect((cores.get(2) as Probe).received).to.deep.equal([])
  })

  it('a stalled node runs its overdue timers before its queued messages when it resumes', () => {
    const order: string[] = []
    const core: SimCore<Msg, Timer, Ev> = {
      start: () => [scheduleTimer('deadline', 150, { name: 'deadline' })],
      handle: (input) => {
        order.push(input.type === 'message' ? `message@${input.message.n}` : `timer:${input.timer.name}`)
        return []
      }
    }
    const sender = new Probe(() => [send(1, { n: 1 })])
    const net = new Network<Msg, Timer, Ev>({ seed: 1, latency: { min: 20, max: 20 }, createCore: (id) => id === 1 ? core : sender, messageType: () => 'm', messageBytes: () => 1 })
    net.spawn(1, [])
    net.at(10, () => { net.stall(1, 500) })
    net.at(11, () => { net.spawn(0, []) })
    net.runUntil(1000)
    // the message arrived at 31 and the timer was due at 150, both during the stall
    expect(order).to.deep.equal(['timer:deadline', 'message@1'])
    expect(net.lastStallEnd(1)).to.equal(510)
  })
})

describe('scenario validation', () => {
  const good = { name: 's', seed: 1, nodes: 10, latency: { min: 1, max: 2 }, duration: 1000, join: { interval: 10 } }

  it('accepts a valid scenario', () => {
    expect(validateScenario(good).name).to.equal('s')
  })

  it('names the bad field with InvalidConfigError', () => {
    const bad: any[] = [
      null,
      { ...good, name: '' },
      { ...good, nodes: 1 },
      { ...good, latency: { min: 5, max: 1 } },
      { ...good, loss: 1 },
      { ...good, duration: 0 },
      { ...good, timeline: [{ at: 1, action: 'explode' }] },
      { ...good, timeline: [{ at: 1, action: 'crash', fraction: 1.5 }] },
      { ...good, timeline: [{ at: 1, action: 'partition', groups: 1 }] }
    ]
    for (const scenario of bad) {
      expect(() => validateScenario(scenario)).to.throw().that.includes({ name: 'InvalidConfigError', code: 'ERR_INVALID_CONFIG' })
    }
  })
})
