import { expect } from 'aegir/chai'
import { FakeGroupNet } from './fixtures/fake-group-net.ts'
import type { FakeMember } from './fixtures/fake-group-net.ts'

const enc = new TextEncoder()

function snapshot (m: FakeMember): unknown {
  return { epoch: m.core.epoch, head: m.core.head, members: m.core.members, status: m.core.status }
}

/** A group of `n` members p0..p(n-1), all added by p0 in one commit */
function group (n: number): FakeGroupNet {
  const net = new FakeGroupNet()
  net.create('p0')
  net.add('p0', ...Array.from({ length: n - 1 }, (_, i) => `p${i + 1}`))
  net.settle()
  return net
}

function heads (net: FakeGroupNet): Set<string> {
  return new Set([...net.members.values()].filter(m => m.core.status === 'member').map(m => `${m.core.epoch}/${m.core.head}`))
}

function announceHeads (net: FakeGroupNet): void {
  for (const id of net.members.keys()) {
    net.input(id, { type: 'timer-expired', key: 'head', timer: { type: 'head' } })
  }
  net.settle()
}

describe('group core (pure, fake MLS)', () => {
  it('create, add, send: every other member reads the message once, at the same epoch', () => {
    const net = group(4)
    for (const m of net.members.values()) {
      expect(m.core.epoch).to.equal(1)
      expect(m.core.members).to.have.members(['p0', 'p1', 'p2', 'p3'])
    }
    const op = net.send('p2', 'hello')
    net.settle()
    expect(net.members.get('p2')?.done.get(op)).to.include({ ok: true, epoch: 1 })
    for (const [id, m] of net.members) {
      expect(m.received).to.deep.equal(id === 'p2' ? [] : ['hello'])
    }
    expect(net.members.get('p0')?.events.find(e => e.type === 'members-changed')).to.deep.include({ added: ['p1', 'p2', 'p3'] })
  })

  it('a removed member learns it was removed and opens nothing sent afterwards', () => {
    const net = group(4)
    net.commit('p0', { remove: ['p3'] })
    net.settle()
    const removed = net.members.get('p3') as FakeMember
    expect(removed.core.status).to.equal('removed')
    expect(removed.events.some(e => e.type === 'removed')).to.equal(true)
    net.send('p1', 'after removal')
    net.settle()
    expect(removed.received).to.deep.equal([])
    expect(removed.core.refusals['not-in-group']).to.equal(1)
    expect(net.members.get('p2')?.received).to.deep.equal(['after removal'])
    // and what it still sends is refused by the others as from a removed member
    net.input('p1', { type: 'received', from: 'p3', message: { kind: 'application', epoch: 2, parent: net.members.get('p1')?.core.head as string, mls: new Uint8Array(3) } })
    expect(net.members.get('p1')?.core.refusals['removed-member']).to.equal(1)
  })

  it('refuses bad input by name, counts it, and leaves the group state unchanged', () => {
    const net = group(3)
    const p1 = net.members.get('p1') as FakeMember
    const before = snapshot(p1)
    const head = p1.core.head
    const real = net.published.find(p => p.message.kind === 'commit')?.message
    const cases: Array<[string, () => void, string]> = [
      ['commit from a non-member', () => { net.input('p1', { type: 'received', from: 'stranger', message: { kind: 'commit', epoch: 1, parent: head, mls: enc.encode('{}') } }) }, 'not-a-member'],
      ['forged commit (not made from our state)', () => { net.input('p1', { type: 'received', from: 'p2', message: { kind: 'commit', epoch: 1, parent: head, mls: enc.encode(JSON.stringify({ t: 'commit', key: 'nope', from: 'p2', roster: ['p2'] })) } }) }, 'forged'],
      ['commit whose MLS sender is not the origin', () => { net.input('p1', { type: 'received', from: 'p2', message: { kind: 'commit', epoch: 1, parent: head, mls: enc.encode(JSON.stringify({ t: 'commit', key: head, from: 'p0', roster: ['p0'] })) } }) }, 'wrong-sender'],
      ['replayed commit', () => { if (real != null) { net.input('p1', { type: 'received', from: 'p0', message: real }) } }, 'replayed'],
      ['commit for an epoch older than every state kept', () => { net.input('p1', { type: 'received', from: 'p2', message: { kind: 'commit', epoch: 0, parent: head, mls: enc.encode('x') } }) }, 'stale-epoch'],
      ['commit claiming the wrong epoch for its parent', () => { net.input('p1', { type: 'received', from: 'p2', message: { kind: 'commit', epoch: 5, parent: head, mls: enc.encode('y') } }) }, 'malformed'],
      ['application message from a non-member', () => { net.input('p1', { type: 'received', from: 'stranger', message: { kind: 'application', epoch: 1, parent: head, mls: enc.encode('z') } }) }, 'not-a-member'],
      ['undecodable application message', () => { net.input('p1', { type: 'received', from: 'p2', message: { kind: 'application', epoch: 1, parent: head, mls: enc.encode('{') } }) }, 'malformed']
    ]
    for (const [what, act, reason] of cases) {
      const count = p1.core.refusals[reason as keyof typeof p1.core.refusals]
      act()
      net.settle()
      expect(p1.core.refusals[reason as keyof typeof p1.core.refusals], what).to.equal(count + 1)
      expect(snapshot(p1), what).to.deep.equal(before)
    }
    // an application generation opens once: the same message again is a replay
    net.send('p2', 'once')
    const app = net.queue.find(i => i.to === 'p1')?.input
    net.settle()
    if (app != null) {
      net.input('p1', app)
    }
    expect(p1.received).to.deep.equal(['once'])
    expect(p1.core.refusals.replayed).to.equal(2)
  })

  it('buffers a message for an epoch it has not reached, fetches the missing commit from the sender, then reads it', () => {
    const net = group(3)
    net.commit('p0', { update: true })
    const [held] = net.queue.splice(net.queue.findIndex(i => i.to === 'p2'), 1)
    net.settle()
    const p2 = net.members.get('p2') as FakeMember
    expect(p2.core.epoch).to.equal(1)
    net.send('p1', 'epoch 2')
    net.settle()
    expect(p2.core.stats.chainRequests).to.equal(1)
    expect(p2.core.epoch).to.equal(2)
    expect(p2.received).to.deep.equal(['epoch 2'])
    // the commit arriving late through the topic is a replay now
    net.queue.push(held)
    net.settle()
    expect(p2.core.refusals.replayed).to.equal(1)
    expect(p2.core.epoch).to.equal(2)
  })

  it('without anyone to fetch from, a future-epoch message waits, then expires after futureTtl', () => {
    const net = group(3)
    net.commit('p0', { update: true })
    const [held] = net.queue.splice(net.queue.findIndex(i => i.to === 'p2'), 1)
    net.settle()
    net.side.set('p1', 1)
    net.side.set('p0', 1)
    net.send('p1', 'epoch 2')
    const app = net.published.at(-1)?.message
    if (app != null) {
      net.input('p2', { type: 'received', from: 'p1', message: app })
    }
    const p2 = net.members.get('p2') as FakeMember
    expect(p2.received).to.deep.equal([])
    // the commit arrives: the waiting message opens
    net.queue.push(held)
    net.settle()
    expect(p2.received).to.deep.equal(['epoch 2'])
    // another future message with nobody to ask expires
    net.input('p2', { type: 'received', from: 'p1', message: { kind: 'application', epoch: 9, parent: 'ab'.repeat(32), mls: new Uint8Array(1) } })
    net.tick(p2.core.config.futureTtl + 1)
    net.input('p2', { type: 'received', from: 'p1', message: { kind: 'application', epoch: 9, parent: 'cd'.repeat(32), mls: new Uint8Array(1) } })
    expect(p2.core.refusals.expired).to.equal(1)
  })

  it('concurrent commits for one epoch: the lowest id wins everywhere and the loser re-proposes', () => {
    const net = group(6)
    net.add('p1', 'x1')
    net.add('p4', 'x2')
    net.settle()
    expect(heads(net).size).to.equal(1)
    const members = [...net.members.values()].filter(m => m.core.status === 'member')
    expect(members.map(m => m.id)).to.include.members(['x1', 'x2'])
    for (const m of members) {
      expect(m.core.members).to.include.members(['x1', 'x2'])
    }
    const switched = members.filter(m => m.core.stats.forkSwitches > 0).length
    expect(switched).to.be.greaterThan(0)
    expect([...net.members.values()].some(m => m.events.some(e => e.type === 're-propose'))).to.equal(true)
  })

  it('a leave request is committed by one remaining member', () => {
    const net = group(4)
    const p2 = net.members.get('p2') as FakeMember
    net.input('p0', { type: 'received', from: 'p2', message: { kind: 'leave', epoch: 1, parent: p2.core.head } })
    net.input('p1', { type: 'received', from: 'p2', message: { kind: 'leave', epoch: 1, parent: p2.core.head } })
    net.input('p3', { type: 'received', from: 'p2', message: { kind: 'leave', epoch: 1, parent: p2.core.head } })
    net.settle()
    expect(heads(net).size).to.equal(1)
    expect(net.members.get('p0')?.core.epoch).to.equal(2)
    expect(net.members.get('p0')?.core.members).to.not.include('p2')
    expect(p2.core.status).to.equal('removed')
  })

  for (const n of [8, 40, 120]) {
    it(`partition of ${n} members: commits on both sides converge to one chain after the heal, nobody left on a fork`, () => {
      const net = group(n)
      const ids = [...net.members.keys()]
      ids.forEach((id, i) => net.side.set(id, i < n / 2 ? 1 : 2))
      net.side.set('a1', 1)
      net.side.set('b1', 2)
      // side 1 makes three commits, side 2 one (plus messages on both sides)
      net.add('p0', 'a1')
      net.settle()
      net.commit('p1', { update: true })
      net.settle()
      net.commit('p2', { remove: [ids[n - 1]] })
      net.settle()
      net.add(ids[n - 2], 'b1')
      net.send(ids[n - 3], 'from side 2')
      net.settle()
      expect(heads(net).size).to.equal(2)
      net.side.clear()
      announceHeads(net)
      announceHeads(net)
      expect(heads(net).size).to.equal(1)
      const winner = net.members.get('p0') as FakeMember
      // the longer chain (side 1) won; side 2's add of b1 was re-proposed on it, p(n-1)'s removal stands
      expect(winner.core.members).to.include('b1')
      expect(winner.core.members).to.not.include(ids[n - 1])
      for (const m of net.members.values()) {
        if (m.id === ids[n - 1]) {
          continue
        }
        expect(m.core.status, m.id).to.equal('member')
        expect(m.core.head, m.id).to.equal(winner.core.head)
      }
      // and the group works on the merged chain
      net.send('b1', 'merged')
      net.settle()
      expect([...net.members.values()].filter(m => m.core.status === 'member' && m.id !== 'b1').every(m => m.received.includes('merged'))).to.equal(true)
    })
  }
})
