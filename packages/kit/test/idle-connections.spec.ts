import { expect } from 'aegir/chai'
import { IdleConnections } from '../src/idle-connections.ts'
import type { Connection } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

const OURS = '/saorsa-gossip/membership/1.0.0'
const T = 120_000

interface FakeConnection {
  id: string
  remotePeer: { toString(): string }
  status: 'open' | 'closing' | 'closed'
  streams: Array<{ protocol?: string, status: 'open' | 'closed' }>
  close(): Promise<void>
  abort(): void
}

function fakeNode (): { cm: ConnectionManager, connect(peer: string, streams?: FakeConnection['streams']): FakeConnection } {
  const connections: FakeConnection[] = []
  const cm = { getConnections: () => connections.filter(c => c.status === 'open') } as unknown as ConnectionManager
  return {
    cm,
    connect (peer, streams = [{ protocol: OURS, status: 'open' }]) {
      const c: FakeConnection = {
        id: `${peer}/${connections.length}`,
        remotePeer: { toString: () => peer },
        status: 'open',
        streams,
        close: async () => { c.status = 'closed' },
        abort: () => { c.status = 'closed' }
      }
      connections.push(c)
      return c
    }
  }
}

/** A node whose membership service registered, with its own IdleConnections */
function started (): { idle: IdleConnections, connect(peer: string, streams?: FakeConnection['streams']): FakeConnection } {
  const { cm, connect } = fakeNode()
  const idle = new IdleConnections(cm, { idleTimeout: T })
  idle.register('membership', [OURS])
  return { idle, connect }
}

/** Sweeps at 0, T/2 and T: a connection idle all along is closed at the last one */
function sweepFor (idle: IdleConnections, start = 0): void {
  for (const at of [start, start + T / 2, start + T]) {
    idle.sweep(at)
  }
}

describe('IdleConnections', () => {
  it('closes a connection we dialled once nobody has held its peer for idleTimeout', () => {
    const { idle, connect } = started()
    const c = connect('a')
    idle.dialledByUs(c as unknown as Connection)
    idle.sweep(0)
    idle.sweep(T - 1)
    expect(c.status, 'before idleTimeout').to.equal('open')
    idle.sweep(T)
    expect(c.status).to.equal('closed')
    expect(idle.closedByUs(c as unknown as Connection)).to.equal(true)
    expect(idle.stats.closed).to.equal(1)
    idle.unregister('membership')
  })

  it('keeps connections it did not dial, to held peers, and those with another protocol\'s open stream', () => {
    const { idle, connect } = started()
    const notOurs = connect('a')
    const held = connect('b')
    const foreign = connect('c', [{ protocol: OURS, status: 'open' }, { protocol: '/meshsub/1.1.0', status: 'open' }])
    const negotiating = connect('d', [{ status: 'open' }])
    for (const c of [held, foreign, negotiating]) {
      idle.dialledByUs(c as unknown as Connection)
    }
    idle.hold('plumtree', 'b', true)
    sweepFor(idle)
    expect([notOurs, held, foreign, negotiating].map(c => c.status)).to.deep.equal(['open', 'open', 'open', 'open'])
    expect(idle.stats.closed).to.equal(0)
    idle.unregister('membership')
  })

  it('the idle clock restarts whenever the peer is held again, and a hold lasts until every holder lets go', () => {
    const { idle, connect } = started()
    const c = connect('a')
    idle.dialledByUs(c as unknown as Connection)
    idle.sweep(0)
    idle.hold('membership', 'a', true)
    idle.hold('plumtree', 'a', true)
    idle.sweep(T / 2)
    idle.hold('membership', 'a', false)
    idle.sweep(T)
    expect(c.status, 'plumtree still holds it').to.equal('open')
    idle.hold('plumtree', 'a', false)
    idle.sweep(T + 1)
    idle.sweep(2 * T)
    expect(c.status, 'idle for less than idleTimeout since the last hold').to.equal('open')
    idle.sweep(2 * T + 1)
    expect(c.status).to.equal('closed')
    idle.unregister('membership')
  })

  it('a service that stops lets go of its holds', () => {
    const { idle, connect } = started()
    idle.register('plumtree', ['/saorsa-gossip/plumtree/1.0.0'])
    const c = connect('a')
    idle.dialledByUs(c as unknown as Connection)
    idle.hold('plumtree', 'a', true)
    idle.unregister('plumtree')
    sweepFor(idle)
    expect(c.status).to.equal('closed')
    idle.unregister('membership')
  })

  it('one instance per node; an idleTimeout that is not a positive number is refused', () => {
    const { cm } = fakeNode()
    expect(IdleConnections.of(cm)).to.equal(IdleConnections.of(cm))
    expect(IdleConnections.of(fakeNode().cm)).to.not.equal(IdleConnections.of(cm))
    for (const idleTimeout of [0, -1, Number.NaN, Infinity]) {
      expect(() => new IdleConnections(cm, { idleTimeout }), String(idleTimeout)).to.throw(RangeError)
    }
  })
})
