import { createRng } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { HyParView, MAX_SHUFFLE_PEERS } from '../src/core/hyparview.ts'
import { emitted, sent, sentTo, timers } from './helpers.ts'

function node (self: string, config = {}): HyParView<string> {
  return new HyParView(self, createRng(self), config)
}

/** Makes `a` and `b` neighbours: each accepts a high-priority NEIGHBOR from the other */
function link (a: HyParView<string>, b: HyParView<string>, now = 0): void {
  b.handleMessage(a.self, { proto: 'hpv', type: 'neighbor', priority: 'high' }, now)
  a.handleMessage(b.self, { proto: 'hpv', type: 'neighbor', priority: 'high' }, now)
}

/** Fills the passive view through an accepted SHUFFLE (ttl 0 ends the walk here) */
function seedPassive (n: HyParView<string>, peers: string[]): void {
  n.handleMessage('seeder', { proto: 'hpv', type: 'shuffle', origin: 'origin', ttl: 0, peers }, 0)
}

/** A started node with one neighbour, active view target 2 (one request per refill) and 20 passive candidates it has no connection to */
function belowTarget (self: string): HyParView<string> {
  const n = node(self, { activeViewTarget: 2 })
  n.start(0, [])
  link(n, node('a'))
  seedPassive(n, Array.from({ length: 20 }, (_, i) => `p${i}`))
  return n
}

/** Whom a repair round asked to be a neighbour */
function asked (n: HyParView<string>, now: number): string[] {
  return sent(n.handleTimer({ kind: 'hpv-repair' }, now)).filter(([, type]) => type === 'neighbor').map(([to]) => to)
}

describe('HyParView core', () => {
  it('start schedules shuffle, repair and reconnect timers and sends JOIN to a contact', () => {
    const n = node('n')
    const effects = n.start(0, ['c'])
    expect(sentTo(effects, 'c', 'join')).to.have.length(1)
    expect(timers(effects).map(t => t.key).sort()).to.deep.equal(['hpv:join', 'hpv:reconnect', 'hpv:repair', 'hpv:shuffle'])
    const shuffle = timers(effects).find(t => t.key === 'hpv:shuffle')
    expect(shuffle?.at).to.be.within(27_000, 33_000) // 30 s ± 10% jitter
  })

  it('a peer that connects outside the overlay is joined through when the active view is empty, a passive candidate otherwise', () => {
    const lonely = node('a')
    lonely.start(0, [])
    const out = lonely.addContact('b', 10)
    expect(sent(out)).to.deep.equal([['b', 'join']])
    // a second contact while that join is in flight: a candidate, not a second JOIN
    expect(sent(lonely.addContact('c', 20))).to.deep.equal([])
    expect(lonely.passiveView()).to.include('c')
    const linked = node('x')
    linked.start(0, [])
    link(linked, node('y'))
    expect(sent(linked.addContact('z', 30))).to.deep.equal([])
    expect(linked.passiveView()).to.include('z')
    // ourselves and bad keys are dropped and counted
    expect(sent(linked.addContact('x', 40))).to.deep.equal([])
    expect(sent(linked.addContact('' as string, 40))).to.deep.equal([])
    expect(linked.drops.invalid).to.equal(2)
  })

  it('a contact that refuses the protocol is dropped: the JOIN goes to another contact at once, and it is never asked again', () => {
    const n = node('a')
    const first = sent(n.start(0, ['v', 'c'])).filter(([, type]) => type === 'join').map(([to]) => to)
    expect(first).to.have.length(1)
    const other = first[0] === 'v' ? 'c' : 'v'
    const next = n.unsupported(first[0], 10)
    expect(sent(next)).to.deep.include([other, 'join'])
    // the retry after joinRetryInterval only ever goes to the remaining contact
    n.unsupported(other, 20)
    const retry = n.handleTimer({ kind: 'hpv-join-retry' }, 10_000)
    expect(sent(retry).filter(([, type]) => type === 'join')).to.deep.equal([])
    expect(n.passiveView()).to.not.include(first[0])
  })

  it('a request whose frame could not be written fails at once: the next candidate is asked now, a late acceptance is still taken', () => {
    const a = node('a')
    a.start(0, [])
    seedPassive(a, ['p1', 'p2', 'p3'])
    const first = sent(a.handleTimer({ kind: 'hpv-repair', due: 1000 }, 1000)).filter(([, type]) => type === 'neighbor').map(([to]) => to)
    expect(first).to.have.length(3)
    // the dial to p1 fails: no waiting for neighborRequestTimeout, p1 is no candidate any more
    seedPassive(a, ['p4'])
    const next = a.unreachable(first[0], 1100)
    expect(timers(next).length).to.equal(1)
    expect(sent(next)).to.deep.equal([['p4', 'neighbor']])
    expect(a.passiveView()).to.not.include(first[0])
    // an unknown or active peer changes nothing (SWIM judges neighbours)
    expect(a.unreachable('stranger', 1200)).to.deep.equal([])
    // the frame had left after all: its acceptance still makes a symmetric link
    a.handleMessage(first[0], { proto: 'hpv', type: 'neighbor-reply', accepted: true }, 1300)
    expect(a.isActive(first[0])).to.be.true()
    expect(a.drops.unexpected).to.equal(0)
  })

  it('a JOIN whose frame could not be written goes to another contact at once', () => {
    const n = node('a')
    const first = sent(n.start(0, ['c1', 'c2'])).filter(([, type]) => type === 'join').map(([to]) => to)
    const other = first[0] === 'c1' ? 'c2' : 'c1'
    expect(sent(n.unreachable(first[0], 10))).to.deep.include([other, 'join'])
  })

  it('an active neighbour that refuses the protocol leaves the view with reason unsupported', () => {
    const a = node('a')
    const b = node('b')
    link(a, b)
    const out = a.unsupported('b', 5)
    expect(emitted(out, 'neighbor-down')).to.deep.equal([{ type: 'neighbor-down', peer: 'b', reason: 'unsupported' }])
    expect(a.activeView()).to.deep.equal([])
  })

  it('JOIN: the contact adds the joiner, replies, and starts ARWL random walks through its other neighbours', () => {
    const c = node('c')
    for (const p of ['p1', 'p2', 'p3']) {
      link(c, node(p))
    }
    const effects = c.handleMessage('j', { proto: 'hpv', type: 'join' }, 0)
    expect(c.isActive('j')).to.be.true()
    expect(sentTo(effects, 'j', 'neighbor-reply')).to.deep.equal([{ proto: 'hpv', type: 'neighbor-reply', accepted: true }])
    const walks = effects.flatMap(e => e.type === 'send' && e.message.type === 'forward-join' ? [e] : [])
    expect(walks.map(w => w.to).sort()).to.deep.equal(['p1', 'p2', 'p3'])
    expect(walks.every(w => (w as any).message.ttl === 6 && (w as any).message.joiner === 'j')).to.be.true()
    expect(emitted(effects, 'neighbor-up')).to.deep.equal([{ type: 'neighbor-up', peer: 'j' }])
  })

  it('the joiner adds its contact when the reply arrives', () => {
    const j = node('j')
    j.start(0, ['c'])
    const effects = j.handleMessage('c', { proto: 'hpv', type: 'neighbor-reply', accepted: true }, 10)
    expect(j.activeView()).to.deep.equal(['c'])
    expect(effects.some(e => e.type === 'cancel-timer' && e.key === 'hpv:join')).to.be.true()
  })

  it('FORWARD_JOIN: forwards with ttl-1, adds to passive at PRWL, and ends the walk with a high-priority NEIGHBOR', () => {
    const n = node('n')
    link(n, node('a'))
    link(n, node('b'))
    const forward = n.handleMessage('a', { proto: 'hpv', type: 'forward-join', joiner: 'j', ttl: 3 }, 0)
    expect(sent(forward)).to.deep.equal([['b', 'forward-join']])
    expect(n.passiveView()).to.include('j') // ttl == PRWL (3)
    const end = n.handleMessage('a', { proto: 'hpv', type: 'forward-join', joiner: 'k', ttl: 0 }, 0)
    expect(sentTo(end, 'k', 'neighbor')).to.deep.equal([{ proto: 'hpv', type: 'neighbor', priority: 'high' }])
  })

  it('NEIGHBOR: high priority is accepted even when full (evicting with DISCONNECT), low is refused when full', () => {
    const n = node('n', { activeViewTarget: 2, activeViewCapacity: 2 })
    link(n, node('a'))
    link(n, node('b'))
    const low = n.handleMessage('x', { proto: 'hpv', type: 'neighbor', priority: 'low' }, 0)
    expect(sentTo(low, 'x', 'neighbor-reply')).to.deep.equal([{ proto: 'hpv', type: 'neighbor-reply', accepted: false }])
    expect(n.isActive('x')).to.be.false()
    expect(n.passiveView()).to.include('x')
    const high = n.handleMessage('y', { proto: 'hpv', type: 'neighbor', priority: 'high' }, 0)
    expect(n.isActive('y')).to.be.true()
    expect(n.activeView()).to.have.length(2)
    const evicted = high.flatMap(e => e.type === 'send' && e.message.type === 'disconnect' ? [e.to] : [])
    expect(evicted).to.have.length(1)
    expect(['a', 'b']).to.include(evicted[0])
    expect(n.passiveView()).to.include(evicted[0])
    expect(emitted(high, 'neighbor-down')[0]).to.deep.include({ reason: 'evicted' })
  })

  it('a full node takes a low-priority request by a swap: a neighbour that came to it, with a view at least two above target, gives up its link', () => {
    for (let seed = 0; seed < 8; seed++) {
      const n = node(`n${seed}`, { activeViewTarget: 2, activeViewCapacity: 3 })
      n.start(0, [])
      link(n, node('a'))
      link(n, node('b'))
      link(n, node('c'))
      // a one above target (it would be left at target), b two above, c's size unknown: only b gives way
      n.neighbourViewSize('a', 3)
      n.neighbourViewSize('b', 4)
      const out = n.handleMessage('x', { proto: 'hpv', type: 'neighbor', priority: 'low' }, 0)
      expect(sentTo(out, 'x', 'neighbor-reply')).to.deep.equal([{ proto: 'hpv', type: 'neighbor-reply', accepted: true }])
      expect(sentTo(out, 'b', 'disconnect')).to.deep.equal([{ proto: 'hpv', type: 'disconnect', alive: true }])
      expect(emitted(out, 'neighbor-down')).to.deep.equal([{ type: 'neighbor-down', peer: 'b', reason: 'evicted' }])
      expect([...n.activeView()].sort()).to.deep.equal(['a', 'c', 'x'])
      expect(n.passiveView()).to.include('b')
      // nobody left above target: refused, as in the paper
      const refused = n.handleMessage('y', { proto: 'hpv', type: 'neighbor', priority: 'low' }, 10)
      expect(sentTo(refused, 'y', 'neighbor-reply')).to.deep.equal([{ proto: 'hpv', type: 'neighbor-reply', accepted: false }])
      expect(sent(refused).filter(([, type]) => type === 'disconnect')).to.deep.equal([])
    }
  })

  it('a neighbour SWIM suspects cannot give way in a swap until it reports its view again', () => {
    const n = node('n', { activeViewTarget: 2, activeViewCapacity: 3 })
    n.start(0, [])
    link(n, node('a'))
    link(n, node('b'))
    link(n, node('c'))
    n.neighbourViewSize('b', 6)
    n.doubt('b')
    const refused = n.handleMessage('x', { proto: 'hpv', type: 'neighbor', priority: 'low' }, 0)
    expect(sentTo(refused, 'x', 'neighbor-reply')).to.deep.equal([{ proto: 'hpv', type: 'neighbor-reply', accepted: false }])
    expect(n.isActive('b')).to.be.true()
    n.neighbourViewSize('b', 6)
    const taken = n.handleMessage('y', { proto: 'hpv', type: 'neighbor', priority: 'low' }, 10)
    expect(emitted(taken, 'neighbor-down')).to.deep.equal([{ type: 'neighbor-down', peer: 'b', reason: 'evicted' }])
  })

  it('a swap takes the largest view above target, and never a neighbour we chose; sizes of non-neighbours are ignored', () => {
    const n = node('n', { activeViewTarget: 2, activeViewCapacity: 3 })
    n.start(0, [])
    seedPassive(n, ['c1'])
    const [[asked]] = sent(n.handleTimer({ kind: 'hpv-repair', due: 1000 }, 1000)).filter(([, type]) => type === 'neighbor')
    n.handleMessage(asked, { proto: 'hpv', type: 'neighbor-reply', accepted: true }, 1100)
    link(n, node('a'))
    link(n, node('b'))
    n.neighbourViewSize('c1', 9) // chosen by us: kept
    n.neighbourViewSize('a', 4)
    n.neighbourViewSize('b', 5)
    n.neighbourViewSize('stranger', 9)
    const out = n.handleMessage('x', { proto: 'hpv', type: 'neighbor', priority: 'low' }, 1200)
    expect(emitted(out, 'neighbor-down')).to.deep.equal([{ type: 'neighbor-down', peer: 'b', reason: 'evicted' }])
    const next = n.handleMessage('y', { proto: 'hpv', type: 'neighbor', priority: 'low' }, 1300)
    expect(emitted(next, 'neighbor-down')).to.deep.equal([{ type: 'neighbor-down', peer: 'a', reason: 'evicted' }])
    const last = n.handleMessage('z', { proto: 'hpv', type: 'neighbor', priority: 'low' }, 1400)
    expect(sentTo(last, 'z', 'neighbor-reply')).to.deep.equal([{ proto: 'hpv', type: 'neighbor-reply', accepted: false }])
    expect(n.isActive('c1')).to.be.true()
  })

  it('JOINs and high-priority requests evict neighbours that came to us before the ones we chose, so sybils cannot take every slot', () => {
    const n = node('n', { activeViewTarget: 4, activeViewCapacity: 4 })
    n.start(0, [])
    seedPassive(n, ['c1', 'c2'])
    const asked = sent(n.handleTimer({ kind: 'hpv-repair', due: 1000 }, 1000)).filter(([, type]) => type === 'neighbor').map(([to]) => to)
    expect(asked.sort()).to.deep.equal(['c1', 'c2'])
    for (const peer of asked) {
      n.handleMessage(peer, { proto: 'hpv', type: 'neighbor-reply', accepted: true }, 1100)
    }
    link(n, node('i1'))
    link(n, node('i2'))
    expect([...n.activeView()].sort()).to.deep.equal(['c1', 'c2', 'i1', 'i2'])
    // 40 sybils JOIN and ask with high priority: every one is taken in, none displaces c1 or c2
    for (let i = 0; i < 40; i++) {
      const sybil = `s${i}`
      n.handleMessage(sybil, { proto: 'hpv', type: i % 2 === 0 ? 'join' : 'neighbor', priority: 'high' } as any, 2000 + i)
      expect(n.isActive(sybil), sybil).to.be.true()
      expect(n.isActive('c1') && n.isActive('c2'), `after ${sybil}`).to.be.true()
    }
    expect(n.activeView()).to.have.length(4)
    // a chosen neighbour evicted on purpose (all four chosen) is still possible: a JOIN always gets in
    const m = node('m', { activeViewTarget: 2, activeViewCapacity: 2 })
    m.start(0, [])
    seedPassive(m, ['d1', 'd2'])
    for (const [peer] of sent(m.handleTimer({ kind: 'hpv-repair', due: 1000 }, 1000)).filter(([, type]) => type === 'neighbor')) {
      m.handleMessage(peer, { proto: 'hpv', type: 'neighbor-reply', accepted: true }, 1100)
    }
    m.handleMessage('j', { proto: 'hpv', type: 'join' }, 1200)
    expect(m.isActive('j')).to.be.true()
    expect(m.activeView()).to.have.length(2)
  })

  it('DISCONNECT(alive) moves the peer to the passive view and refills from it', () => {
    const n = node('n')
    link(n, node('a'))
    n.handleMessage('p', { proto: 'hpv', type: 'neighbor', priority: 'low' }, 0)
    n.handleMessage('p', { proto: 'hpv', type: 'disconnect', alive: true }, 0)
    expect(n.isActive('p')).to.be.false()
    expect(n.passiveView()).to.include('p')
  })

  it('a failed peer leaves both views; an empty active view promotes with high priority', () => {
    const n = node('n')
    link(n, node('a'))
    seedPassive(n, ['p1', 'p2'])
    const effects = n.peerDown('a', 'dead', 5)
    expect(n.activeView()).to.deep.equal([])
    expect(emitted(effects, 'neighbor-down')).to.deep.equal([{ type: 'neighbor-down', peer: 'a', reason: 'dead' }])
    const requests = effects.flatMap(e => e.type === 'send' && e.message.type === 'neighbor' ? [e] : [])
    expect(requests.length).to.equal(2) // both passive peers asked at once (fill up to the target)
    expect(requests.every(r => (r as any).message.priority === 'high')).to.be.true()
  })

  it('a refill asks passive peers we hold a connection to before any it would have to dial', () => {
    // active view target 3 with one neighbour: two requests per refill
    const n = node('n', { activeViewTarget: 3 })
    n.start(0, [])
    link(n, node('a'))
    seedPassive(n, Array.from({ length: 20 }, (_, i) => `p${i}`))
    n.addContact('c1', 0)
    n.addContact('c2', 0)
    const first = n.handleTimer({ kind: 'hpv-repair' }, 1000)
    expect(sent(first).filter(([, type]) => type === 'neighbor').map(([to]) => to).sort()).to.deep.equal(['c1', 'c2'])
    // a connection that closed makes its peer an ordinary candidate again: with c1's gone, the
    // one connected candidate left is asked (under 8 seeds, so chance cannot pass it)
    for (let seed = 0; seed < 8; seed++) {
      const m = belowTarget(`m${seed}`)
      m.addContact('c1', 0)
      m.addContact('c2', 0)
      m.disconnected('c1')
      expect(asked(m, 1000)).to.deep.equal(['c2'])
    }
  })

  it('a connected peer that refused us is not asked first again: a node below target moves on to peers with room', () => {
    for (let seed = 0; seed < 8; seed++) {
      const n = belowTarget(`r${seed}`)
      n.addContact('full', 0)
      expect(asked(n, 1000)).to.deep.equal(['full'])
      n.handleMessage('full', { proto: 'hpv', type: 'neighbor-reply', accepted: false }, 1100)
      // a later round, once the view has stopped growing by itself (it may then dial): someone
      // else (1 in 21 would be `full` again by chance; 8 seeds rule that out)
      const next = asked(n, 4000)
      expect(next).to.have.length(1)
      expect(next[0]).to.not.equal('full')
    }
  })

  it('a refill dials a passive peer to grow the view only once the view has stopped growing by itself; a lost neighbour is replaced at once', () => {
    const n = node('n', { activeViewTarget: 3 })
    n.start(0, [])
    link(n, node('a'), 0)
    link(n, node('b'), 500)
    seedPassive(n, ['p1', 'p2', 'p3'])
    // the view reached a new size 0.5 s and 2.9 s ago: joins and others' requests may still grow it
    expect(asked(n, 1000)).to.deep.equal([])
    expect(asked(n, 3400)).to.deep.equal([])
    // three repair rounds without growth: it dials for the missing neighbour
    expect(asked(n, 3600)).to.have.length(1)

    const m = node('m', { activeViewTarget: 3 })
    m.start(0, [])
    link(m, node('a'), 0)
    link(m, node('b'), 0)
    link(m, node('c'), 0)
    seedPassive(m, ['p1', 'p2'])
    // below the largest view it had: the replacement is asked at once, though the view just grew
    const effects = m.handleMessage('c', { proto: 'hpv', type: 'disconnect', alive: false }, 100)
    const replacement = sent(effects).filter(([, type]) => type === 'neighbor').map(([to]) => to)
    expect(replacement).to.have.length(1)
    expect(['p1', 'p2']).to.include(replacement[0])
  })

  it('an unanswered NEIGHBOR request drops the candidate from the passive view', () => {
    const n = node('n')
    seedPassive(n, ['p1'])
    const effects = n.handleTimer({ kind: 'hpv-repair' }, 1000)
    expect(sentTo(effects, 'p1', 'neighbor')).to.have.length(1)
    n.handleTimer({ kind: 'hpv-neighbor-timeout', peer: 'p1' }, 3000)
    expect(n.passiveView()).to.not.include('p1')
  })

  it('SHUFFLE: forwards while ttl > 1, else replies with passive peers and integrates the sample', () => {
    const n = node('n')
    link(n, node('a'))
    link(n, node('b'))
    seedPassive(n, ['q1', 'q2', 'q3'])
    const forwarded = n.handleMessage('a', { proto: 'hpv', type: 'shuffle', origin: 'o', ttl: 3, peers: ['o', 's1'] }, 0)
    expect(sent(forwarded)).to.deep.equal([['b', 'shuffle']])
    const accepted = n.handleMessage('a', { proto: 'hpv', type: 'shuffle', origin: 'o', ttl: 1, peers: ['o', 's1'] }, 0)
    const [reply] = sentTo(accepted, 'o', 'shuffle-reply')
    expect(reply.peers).to.have.length(2)
    expect(n.passiveView()).to.include.members(['o', 's1'])
  })

  it('JOIN: FORWARD_JOIN walks start from activeViewTarget − 1 of the contact\'s neighbours, not all of them', () => {
    const contact = node('c', { activeViewTarget: 4, activeViewCapacity: 12 })
    for (let i = 0; i < 10; i++) {
      link(contact, node(`p${i}`))
    }
    const effects = contact.handleMessage('j', { proto: 'hpv', type: 'join' }, 0)
    const walks = effects.filter(e => e.type === 'send' && e.message.type === 'forward-join')
    expect(walks).to.have.length(3)
    expect(new Set(walks.map(e => (e as any).to)).size).to.equal(3)
    expect(walks.map(e => (e as any).to)).to.not.include('j')
    expect(sentTo(effects, 'j', 'neighbor-reply')).to.deep.equal([{ proto: 'hpv', type: 'neighbor-reply', accepted: true }])
  })

  it('SHUFFLE walks record their route and the answer goes back along it, never over a new connection', () => {
    // o → a → n → b (accepts): b answers n, n passes to a, a to o
    const n = node('n')
    link(n, node('a'))
    link(n, node('b'))
    const forwarded = n.handleMessage('a', { proto: 'hpv', type: 'shuffle', origin: 'o', ttl: 3, peers: ['o', 's1'], route: ['a'] }, 0)
    const [walk] = sentTo(forwarded, 'b', 'shuffle')
    expect(walk.route).to.deep.equal(['a', 'n'])

    const b = node('b')
    link(b, node('n'))
    seedPassive(b, ['q1', 'q2', 'q3'])
    const answered = b.handleMessage('n', walk, 0)
    expect(sentTo(answered, 'o', 'shuffle-reply')).to.have.length(0)
    const [reply] = sentTo(answered, 'n', 'shuffle-reply')
    expect(reply.route).to.deep.equal(['o', 'a'])
    expect(b.passiveView()).to.include.members(['o', 's1'])

    const passed = n.handleMessage('b', reply, 0)
    const [onward] = sentTo(passed, 'a', 'shuffle-reply')
    expect(onward).to.deep.include({ peers: reply.peers, route: ['o'] })
    // n integrated nothing: the answer was not for it
    expect(n.passiveView()).to.not.include.members(reply.peers)
  })

  it('a SHUFFLE_REPLY whose next hop is not an active neighbour is dropped and counted, not dialled', () => {
    const n = node('n')
    link(n, node('a'))
    expect(n.handleMessage('a', { proto: 'hpv', type: 'shuffle-reply', peers: ['x1'], route: ['o', 'gone'] }, 0)).to.deep.equal([])
    expect(n.handleMessage('a', { proto: 'hpv', type: 'shuffle-reply', peers: ['x1'], route: ['n'] }, 0)).to.deep.equal([])
    expect(n.drops.unroutable).to.equal(2)
    expect(n.passiveView()).to.not.include('x1')
  })

  it('a walk that arrives with a route as long as shuffleTtl ends where it is, whatever its TTL says', () => {
    const n = node('n', { shuffleTtl: 3 })
    link(n, node('a'))
    link(n, node('b'))
    const effects = n.handleMessage('a', { proto: 'hpv', type: 'shuffle', origin: 'o', ttl: 3, peers: ['o'], route: ['x', 'y', 'a'] }, 0)
    expect(sentTo(effects, 'b', 'shuffle')).to.have.length(0)
    expect(sentTo(effects, 'a', 'shuffle-reply')[0].route).to.deep.equal(['o', 'x', 'y'])
    const tooLong = n.handleMessage('a', { proto: 'hpv', type: 'shuffle', origin: 'o', ttl: 3, peers: ['o'], route: ['w', 'x', 'y', 'a'] }, 0)
    expect(tooLong).to.deep.equal([])
  })

  it('the passive view never exceeds its capacity', () => {
    const n = node('n', { passiveViewCapacity: 5 })
    seedPassive(n, Array.from({ length: 20 }, (_, i) => `p${i}`))
    expect(n.passiveView()).to.have.length(5)
  })

  it('relink: a one-sided link is dropped and asked for again', () => {
    const n = node('n')
    link(n, node('a'))
    const effects = n.relink('a', 10)
    expect(n.isActive('a')).to.be.false()
    expect(emitted(effects, 'neighbor-down')).to.deep.equal([{ type: 'neighbor-down', peer: 'a', reason: 'asymmetric' }])
    expect(sentTo(effects, 'a', 'neighbor')).to.have.length(1)
  })

  it('SHUFFLE_REPLY: integrates only an answer to our own shuffle, evicting what we sent first', () => {
    const n = node('n', { passiveViewCapacity: 4, shufflePassiveCount: 2, shuffleActiveCount: 0 })
    link(n, node('a'))
    seedPassive(n, ['p1', 'p2', 'p3', 'p4'])
    expect(n.handleMessage('z', { proto: 'hpv', type: 'shuffle-reply', peers: ['x1'] }, 0)).to.deep.equal([])
    expect(n.passiveView()).to.not.include('x1')
    const tick = n.handleTimer({ kind: 'hpv-shuffle' }, 30_000)
    const [shuffle] = sentTo(tick, 'a', 'shuffle')
    const sentPassive = shuffle.peers.slice(1) as string[]
    n.handleMessage('r', { proto: 'hpv', type: 'shuffle-reply', peers: ['r1', 'r2'] }, 30_100)
    expect(n.passiveView()).to.include.members(['r1', 'r2'])
    for (const evicted of sentPassive) {
      expect(n.passiveView()).to.not.include(evicted)
    }
  })

  it('an acceptance nobody asked for is refused; one after our own timeout is honoured', () => {
    const n = node('n')
    n.handleMessage('intruder', { proto: 'hpv', type: 'neighbor-reply', accepted: true }, 0)
    expect(n.isActive('intruder')).to.be.false()
    seedPassive(n, ['late'])
    n.handleTimer({ kind: 'hpv-repair' }, 1000)
    n.handleTimer({ kind: 'hpv-neighbor-timeout', peer: 'late' }, 3000)
    n.handleMessage('late', { proto: 'hpv', type: 'neighbor-reply', accepted: true }, 3100)
    expect(n.isActive('late')).to.be.true()
  })

  it('a lost JOIN answer does not leave the contact blocked once another neighbour arrives', () => {
    const n = node('n')
    n.start(0, ['c'])
    n.handleMessage('x', { proto: 'hpv', type: 'neighbor', priority: 'high' }, 100)
    n.handleTimer({ kind: 'hpv-join-retry' }, 5000)
    // with nothing to promote, the node goes back to its contact
    const effects = n.handleMessage('x', { proto: 'hpv', type: 'disconnect', alive: false }, 6000)
    expect(sentTo(effects, 'c', 'join')).to.have.length(1)
  })

  it('bad input is dropped and counted, never thrown', () => {
    const n = node('n')
    link(n, node('a'))
    const before = n.activeView().slice()
    const unexpectedBefore = n.drops.unexpected
    n.handleMessage('a', { proto: 'hpv', type: 'forward-join', joiner: 'j', ttl: 99 }, 0)
    n.handleMessage('a', { proto: 'hpv', type: 'forward-join', joiner: 'j', ttl: -1 }, 0)
    n.handleMessage('a', { proto: 'hpv', type: 'shuffle', origin: 'o', ttl: 1, peers: new Array(MAX_SHUFFLE_PEERS + 1).fill('z') }, 0)
    n.handleMessage('a', { proto: 'hpv', type: 'shuffle-reply', peers: 'nope' as any }, 0)
    n.handleMessage('a', { proto: 'hpv', type: 'neighbor', priority: 'urgent' as any }, 0)
    n.handleMessage('a', { proto: 'hpv', type: 'bogus' } as any, 0)
    n.handleMessage('n', { proto: 'hpv', type: 'join' }, 0)
    n.handleMessage('a', { proto: 'hpv', type: 'shuffle', origin: 'o', ttl: 0, peers: [null, 'x'] as any }, 0)
    n.handleMessage('a', { proto: 'hpv', type: 'forward-join', joiner: { toString: null } as any, ttl: 2 }, 0)
    n.handleMessage('a', { proto: 'hpv', type: 'neighbor-reply', accepted: 'yes' as any }, 0)
    n.handleMessage('a', { proto: 'hpv', type: 'disconnect', alive: 1 as any }, 0)
    expect(n.drops.invalid).to.equal(11)
    n.handleMessage('zz', { proto: 'hpv', type: 'disconnect', alive: true }, 0)
    expect(n.drops.unexpected).to.equal(unexpectedBefore + 1)
    expect(n.activeView()).to.deep.equal(before)
  })

  it('rejects invalid configuration with InvalidConfigError', () => {
    for (const config of [{ activeViewTarget: 0 }, { activeViewTarget: 13, activeViewCapacity: 12 }, { passiveViewCapacity: 0 }, { shuffleInterval: 0 }, { passiveRandomWalkLength: 7 }, { repairInterval: 1.5 }]) {
      expect(() => node('n', config)).to.throw().that.includes({ name: 'InvalidConfigError', code: 'ERR_INVALID_CONFIG' })
    }
  })

  it('a neighbour lost to a dead verdict is asked again (high priority) by the reconnect timer; one evicted or refused is not', () => {
    const n = node('n')
    n.start(0, ['c'])
    n.handleMessage('c', { proto: 'hpv', type: 'neighbor-reply', accepted: true }, 1)
    n.handleMessage('x', { proto: 'hpv', type: 'join' }, 2)
    expect([...n.activeView()].sort()).to.deep.equal(['c', 'x'])
    n.peerDown('x', 'dead', 3)
    n.peerDown('c', 'disconnected', 3)
    const effects = n.handleTimer({ kind: 'hpv-reconnect' }, 10_000)
    const asks = effects.filter(e => e.type === 'send' && e.message.type === 'neighbor')
    expect(asks.map(e => e.type === 'send' ? [e.to, (e.message as { priority?: string }).priority] : [])).to.deep.include(['x', 'high'])
    expect(asks.map(e => e.type === 'send' ? e.to : '')).to.not.include('c')
    // once it is a neighbour again it is forgotten as lost
    n.handleMessage('x', { proto: 'hpv', type: 'neighbor-reply', accepted: true }, 10_010)
    expect(n.activeView()).to.include('x')
    const later = n.handleTimer({ kind: 'hpv-reconnect' }, 20_000)
    expect(later.filter(e => e.type === 'send' && e.message.type === 'neighbor' && e.to === 'x')).to.have.length(0)
  })
})
