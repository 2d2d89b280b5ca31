import { expect } from 'aegir/chai'
import { FakeGroupNet } from './fixtures/fake-group-net.ts'
import type { FakeMember } from './fixtures/fake-group-net.ts'

const T = 1_000

function group (n: number): FakeGroupNet {
  const net = new FakeGroupNet()
  net.config = { dutyTimeout: T }
  net.create('p0')
  net.add('p0', ...Array.from({ length: n - 1 }, (_, i) => `p${i + 1}`))
  net.settle()
  return net
}

function member (net: FakeGroupNet, id: string): FakeMember {
  return net.members.get(id) as FakeMember
}

function announceHeads (net: FakeGroupNet): void {
  for (const id of net.members.keys()) {
    net.input(id, { type: 'timer-expired', key: 'head', timer: { type: 'head' } })
  }
  net.settle()
}

describe('group core: duties of the remaining members, taken in turn (SPEC.md §11.3, §11.4)', () => {
  it('a leave whose first remover is offline is committed by the next member after dutyTimeout, and only once', () => {
    const net = group(4)
    net.offline.add('p0')
    const leaver = member(net, 'p2')
    for (const to of ['p1', 'p3']) {
      net.input(to, { type: 'received', from: 'p2', message: { kind: 'leave', epoch: 1, parent: leaver.core.head } })
    }
    net.settle()
    // p0 sorts first and is down: nobody has committed yet
    expect(member(net, 'p1').core.epoch).to.equal(1)
    expect(member(net, 'p1').core.members).to.include('p2')
    net.tick(T / 2)
    net.fireTimers()
    expect(member(net, 'p1').core.epoch, 'before its turn, the second member waits').to.equal(1)
    net.tick(T / 2)
    net.fireTimers()
    for (const id of ['p1', 'p3']) {
      expect(member(net, id).core.epoch, id).to.equal(2)
      expect(member(net, id).core.members, id).to.not.include('p2')
    }
    expect(leaver.core.status).to.equal('removed')
    expect(member(net, 'p1').core.stats.dutiesDone).to.equal(1)
    // the third member's turn comes and finds the removal done
    net.tick(T)
    net.fireTimers()
    expect(member(net, 'p3').core.stats.dutiesDone).to.equal(0)
    expect(member(net, 'p3').core.epoch).to.equal(2)
    expect(member(net, 'p3').core.head).to.equal(member(net, 'p1').core.head)
  })

  it('with the first remover online, it commits at once and nobody else does', () => {
    const net = group(4)
    const leaver = member(net, 'p2')
    for (const to of ['p0', 'p1', 'p3']) {
      net.input(to, { type: 'received', from: 'p2', message: { kind: 'leave', epoch: 1, parent: leaver.core.head } })
    }
    net.settle()
    expect(member(net, 'p0').core.epoch).to.equal(2)
    net.tick(5 * T)
    net.fireTimers()
    expect(member(net, 'p0').core.epoch).to.equal(2)
    expect([...net.members.values()].reduce((n, m) => n + m.core.stats.dutiesDone, 0)).to.equal(1)
  })

  it('a member added on a losing branch is detected as stranded on the orphaned side and re-added when its adder is gone', () => {
    const n = 8
    const net = group(n)
    const ids = [...net.members.keys()]
    ids.forEach((id, i) => net.side.set(id, i < n / 2 ? 1 : 2))
    net.side.set('a1', 1)
    net.side.set('b1', 2)
    // side 1 makes three commits, side 2 one: p6 adds b1
    net.add('p0', 'a1')
    net.settle()
    net.commit('p1', { update: true })
    net.settle()
    net.commit('p2', { remove: ['p7'] })
    net.settle()
    net.add('p6', 'b1')
    net.settle()
    expect(member(net, 'b1').core.status).to.equal('member')
    // the adder goes down before the partition heals: nobody will re-propose its add
    net.offline.add('p6')
    net.side.clear()
    announceHeads(net)
    announceHeads(net)
    const winner = member(net, 'p0')
    expect(winner.core.members).to.not.include('b1')
    // the orphaned side (p4, p5 switched to side 1's chain) knows b1 was stranded, and by whom
    for (const id of ['p4', 'p5']) {
      expect(member(net, id).core.head, id).to.equal(winner.core.head)
      expect(member(net, id).events, id).to.deep.include({ type: 'stranded', peers: ['b1'], adder: 'p6' })
    }
    // side 1 never saw the add
    expect(winner.events.some(e => e.type === 'stranded')).to.equal(false)
    // turns: p6 (the adder, down), then p0..p5 in order; p4 is the first member of the orphaned side
    const reAdds = (): string[] => [...net.members.values()].filter(m => m.events.some(e => e.type === 're-add')).map(m => m.id)
    for (let k = 1; k < 5; k++) {
      net.tick(T)
      net.fireTimers()
      expect(reAdds(), `after ${k} turns`).to.deep.equal([])
    }
    net.tick(T)
    net.fireTimers()
    expect(reAdds()).to.deep.equal(['p4'])
    expect(member(net, 'p4').events).to.deep.include({ type: 're-add', peer: 'b1' })
    // the service answers `re-add` with a fresh invitation; here, an add
    net.add('p4', 'b1')
    net.settle()
    const b1 = member(net, 'b1')
    expect(winner.core.members).to.include('b1')
    expect(b1.core.head).to.equal(winner.core.head)
    // p5's turn comes and finds b1 back: no second re-add
    net.tick(T)
    net.fireTimers()
    expect(reAdds()).to.deep.equal(['p4'])
    net.send('b1', 'back')
    net.settle()
    expect(winner.received).to.include('back')
  })
})
