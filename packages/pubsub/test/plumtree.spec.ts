import { expect } from 'aegir/chai'
import { DEFAULT_PUBSUB_CONFIG, resolvePubsubConfig } from '../src/core/config.ts'
import { Harness, newId } from './harness.ts'
import type { GossipMessage } from '../src/core/messages.ts'

const T = 'topic'
const payload = new Uint8Array([1, 2, 3])

/** `names` in a line a–b–c…, every one subscribed, topic links formed */
function line (h: Harness, names: string[], init = {}): void {
  for (const name of names) {
    h.add(name, init)
  }
  for (let i = 1; i < names.length; i++) {
    h.neighbours(names[i - 1], names[i])
  }
  for (const name of names) {
    h.input(name, { type: 'subscribe', topic: T })
  }
  h.flush()
}

function publish (h: Harness, from: string, id = newId()): Uint8Array {
  h.input(from, { type: 'publish', topic: T, id, payload, publishedAt: h.now })
  return id
}

describe('Plumtree core', () => {
  it('forms topic links with subscribed membership neighbours, all eager at first', () => {
    const h = new Harness()
    line(h, ['a', 'b', 'c'])
    expect(h.core('b').topicPeers(T).sort()).to.deep.equal(['a', 'c'])
    expect(h.core('b').eagerPeers(T).sort()).to.deep.equal(['a', 'c'])
    // a also learns c from b's join reply (a passive candidate) and links to it: topic views are not the membership view
    expect(h.core('a').topicPeers(T)).to.include('b')
  })

  it('delivers a publication once everywhere, eager copies carry the hop count', () => {
    const h = new Harness()
    line(h, ['a', 'b', 'c', 'd'])
    const id = publish(h, 'a')
    h.advance(1000)
    for (const name of ['a', 'b', 'c', 'd']) {
      const got = h.delivered(name)
      expect(got, name).to.have.length(1)
      expect(got[0].id).to.deep.equal(id)
      expect(got[0].hops, name).to.be.within(name === 'a' ? 0 : 1, name === 'a' ? 0 : 3)
    }
    // hop counts grow by one along every eager copy
    for (const sent of h.sentOfType('gossip')) {
      const sender = h.delivered(sent.from)[0]
      expect((sent.message as GossipMessage).round).to.equal(sender.hops + 1)
    }
  })

  it('a duplicate on an eager link prunes it; the next message goes lazily (IHAVE) on that link', () => {
    const h = new Harness()
    // triangle: a–b, b–c, a–c
    line(h, ['a', 'b', 'c'])
    h.neighbours('a', 'c')
    h.advance(1500)
    expect(h.core('a').topicPeers(T).sort()).to.deep.equal(['b', 'c'])
    publish(h, 'a')
    h.advance(2000)
    expect(h.sentOfType('prune')).to.have.length.at.least(1)
    const lazyPairs = ['a', 'b', 'c'].flatMap(n => h.core(n).lazyPeers(T).map(p => `${n}>${p}`))
    expect(lazyPairs.length).to.be.at.least(2)
    const before = h.sentOfType('gossip').length
    publish(h, 'a')
    h.advance(3000)
    // a spanning tree over 3 nodes: exactly 2 payload copies, IHAVE elsewhere
    expect(h.sentOfType('gossip').length - before).to.equal(2)
    expect(h.sentOfType('ihave').length).to.be.at.least(1)
    for (const n of ['a', 'b', 'c']) {
      expect(h.delivered(n)).to.have.length(2)
    }
  })

  it('IHAVE for a missing message: after timeout₁ the announcer is grafted and asked; timeout₂ moves to the next announcer', () => {
    const h = new Harness()
    line(h, ['x', 'y', 'z'])
    h.neighbours('x', 'z')
    h.advance(1500)
    const id = newId()
    // z hears of the message from x and y but never gets it
    h.cut.add('x|z')
    h.cut.add('y|z')
    h.input('z', { type: 'message', from: 'x', message: { type: 'ihave', topic: T, entries: [{ id, round: 1 }] } })
    h.input('z', { type: 'message', from: 'y', message: { type: 'ihave', topic: T, entries: [{ id, round: 2 }] } })
    h.advance(h.now + DEFAULT_PUBSUB_CONFIG.graftTimeout1 - 1)
    expect(h.sentOfType('graft', 'z')).to.have.length(0)
    h.advance(h.now + 1)
    const first = h.sentOfType('graft', 'z')
    expect(first).to.have.length(1)
    expect(first[0].to).to.equal('x')
    expect(first[0].message).to.include({ type: 'graft' })
    h.advance(h.now + DEFAULT_PUBSUB_CONFIG.graftTimeout2)
    const second = h.sentOfType('graft', 'z')
    expect(second.map(s => s.to)).to.deep.equal(['x', 'y'])
  })

  it('timeout₁ adapts to a slow tree, and the tree\'s late copy of a grafted message keeps its eager link', () => {
    const h = new Harness()
    line(h, ['x', 'y', 'z'])
    h.neighbours('x', 'z')
    h.advance(1500)
    h.cut.add('x|z')
    h.cut.add('y|z')
    const gossip = (id: Uint8Array): GossipMessage => ({ type: 'gossip', topic: T, id, round: 2, publishedAt: h.now, payload })
    expect(h.core('z').eagerPeers(T)).to.include('y')
    // id1: announced by x, the tree copy from y arrives 250 ms later, unrequested: a lag sample
    const id1 = newId()
    h.input('z', { type: 'message', from: 'x', message: { type: 'ihave', topic: T, entries: [{ id: id1, round: 1 }] } })
    h.advance(h.now + 250)
    h.input('z', { type: 'message', from: 'y', message: gossip(id1) })
    // id2: timeout₁ is now 2 × 250 = 500 ms, not 300
    const id2 = newId()
    h.input('z', { type: 'message', from: 'x', message: { type: 'ihave', topic: T, entries: [{ id: id2, round: 1 }] } })
    const grafts = (): number => h.sentOfType('graft', 'z').length
    h.advance(h.now + DEFAULT_PUBSUB_CONFIG.graftTimeout1)
    expect(grafts()).to.equal(0)
    h.advance(h.now + 200)
    expect(grafts()).to.equal(1)
    // x answers the GRAFT; then y's tree copy arrives: a duplicate, but no PRUNE and y stays eager
    h.input('z', { type: 'message', from: 'x', message: gossip(id2) })
    const prunes = h.sentOfType('prune', 'z').length
    h.input('z', { type: 'message', from: 'y', message: gossip(id2) })
    expect(h.sentOfType('prune', 'z').length).to.equal(prunes)
    expect(h.core('z').eagerPeers(T)).to.include('y')
    // ordinary tree duplicates from y still prune the link (Plumtree §3.5) once the credit y
    // earned with its first copy of id1 is spent (SPEC.md §7.3): the first is spared, the second prunes
    const id3 = newId()
    h.input('z', { type: 'message', from: 'x', message: gossip(id3) })
    h.input('z', { type: 'message', from: 'y', message: gossip(id3) })
    expect(h.sentOfType('prune', 'z').length).to.equal(prunes)
    const id4 = newId()
    h.input('z', { type: 'message', from: 'x', message: gossip(id4) })
    h.input('z', { type: 'message', from: 'y', message: gossip(id4) })
    expect(h.sentOfType('prune', 'z').length).to.equal(prunes + 1)
    expect(h.core('z').eagerPeers(T)).to.not.include('y')
  })

  it('GRAFT with an id is answered from the cache and makes the link eager', () => {
    const h = new Harness()
    line(h, ['a', 'b'])
    const id = publish(h, 'a')
    h.advance(500)
    h.input('a', { type: 'message', from: 'b', message: { type: 'prune', topic: T } })
    expect(h.core('a').lazyPeers(T)).to.deep.equal(['b'])
    const before = h.sentOfType('gossip', 'a').length
    h.input('a', { type: 'message', from: 'b', message: { type: 'graft', topic: T, id, round: 1 } })
    const answers = h.sentOfType('gossip', 'a').slice(before)
    expect(answers).to.have.length(1)
    expect((answers[0].message as GossipMessage).id).to.deep.equal(id)
    expect(h.core('a').eagerPeers(T)).to.deep.equal(['b'])
  })

  it('IHAVE batches hold at most maxIHaveIds ids', () => {
    const h = new Harness()
    line(h, ['a', 'b'], { config: { maxIHaveIds: 3 } })
    h.input('a', { type: 'message', from: 'b', message: { type: 'prune', topic: T } })
    for (let i = 0; i < 7; i++) {
      publish(h, 'a')
    }
    h.cut.add('a|b')
    h.advance(100)
    const ihaves = h.sentOfType('ihave', 'a')
    expect(ihaves.map(s => (s.message as { entries: unknown[] }).entries.length)).to.deep.equal([3, 3, 1])
  })

  it('a node that does not subscribe gets no payloads: it answers one with TOPIC_LEAVE and drops it', () => {
    const h = new Harness()
    h.add('s')
    h.add('n')
    h.neighbours('s', 'n')
    h.input('s', { type: 'subscribe', topic: T })
    h.flush()
    h.input('n', { type: 'message', from: 's', message: { type: 'gossip', topic: T, id: newId(), round: 1, publishedAt: 0, payload } })
    expect(h.delivered('n')).to.have.length(0)
    expect(h.core('n').stats.dropped.notSubscribed).to.equal(1)
    expect(h.sentOfType('topic-leave', 'n')).to.have.length(1)
  })

  it('a non-subscriber publishes through a subscribed neighbour without joining the tree', () => {
    const h = new Harness()
    line(h, ['a', 'b'])
    h.add('p')
    h.neighbours('p', 'a')
    h.flush()
    const id = publish(h, 'p')
    h.advance(1000)
    expect(h.delivered('p')).to.have.length(0)
    expect(h.delivered('a').map(e => e.id)).to.deep.equal([id])
    expect(h.delivered('b').map(e => e.id)).to.deep.equal([id])
    expect(h.core('p').topicPeers(T)).to.have.length(0)
  })

  it('a non-subscriber with no subscriber in sight finds one by a random walk, then hands its queued message over', () => {
    const h = new Harness()
    for (const n of ['p', 'r1', 'r2', 's']) {
      h.add(n)
    }
    h.neighbours('p', 'r1')
    h.neighbours('r1', 'r2')
    h.neighbours('r2', 's')
    h.input('s', { type: 'subscribe', topic: T })
    h.flush()
    const id = publish(h, 'p')
    expect(h.delivered('s')).to.have.length(0)
    h.advance(3000)
    expect(h.sentOfType('find').length).to.be.at.least(1)
    expect(h.sentOfType('found')).to.have.length.at.least(1)
    expect(h.delivered('s').map(e => e.id)).to.deep.equal([id])
    // the relays carried the walk, never the payload
    expect(h.sentOfType('gossip', 'r1').concat(h.sentOfType('gossip', 'r2'))).to.have.length(0)
  })

  it('oversize messages: refused on publish with an event, dropped and penalised on receipt', () => {
    const h = new Harness()
    line(h, ['a', 'b'], { config: { maxMessageSize: 4 } })
    h.input('a', { type: 'publish', topic: T, id: newId(), payload: new Uint8Array(5), publishedAt: 0 })
    expect(h.events.get('a')?.some(e => e.type === 'publish-failed' && e.reason === 'oversize')).to.equal(true)
    h.input('b', { type: 'message', from: 'a', message: { type: 'gossip', topic: T, id: newId(), round: 1, publishedAt: 0, payload: new Uint8Array(5) } })
    expect(h.delivered('b')).to.have.length(0)
    expect(h.core('b').stats.dropped.oversize).to.equal(2 - 1)
    expect(h.events.get('b')?.some(e => e.type === 'penalty' && e.reason === 'oversize')).to.equal(true)
  })

  it('malformed messages never throw: each is dropped and counted', () => {
    const h = new Harness()
    line(h, ['a', 'b'])
    const junk: unknown[] = [
      null, 7, 'x', {}, { type: 'nope' },
      { type: 'gossip', topic: T, id: new Uint8Array(3), round: 1, publishedAt: 0, payload },
      { type: 'gossip', topic: T, id: newId(), round: -1, publishedAt: 0, payload },
      { type: 'gossip', topic: T, id: newId(), round: 1, publishedAt: 0, payload: 'text' },
      { type: 'ihave', topic: T, entries: 'no' },
      { type: 'ihave', topic: T, entries: [{ id: 5, round: 1 }] },
      { type: 'subscriptions', subscribe: [1], unsubscribe: [] },
      { type: 'find', topic: T, origin: 'q', ttl: 'x', walk: 1 },
      { type: 'found', topic: T, walk: 1, others: 'x' },
      { type: 'topic-join-reply', topic: T, accepted: true, others: null },
      { type: 'ae-digest', topic: T, session: 1, from: 10, to: 5, count: 0, digest: new Uint8Array(32) },
      { type: 'ae-symbols', topic: T, session: 99, from: 0, to: 1, offset: 0, symbols: [] },
      { type: 'ae-more', topic: T, session: 99, offset: 0, count: 5 },
      { type: 'ae-want', topic: T, session: 99, shortIds: [new Uint8Array(8)] }
    ]
    for (const message of junk) {
      expect(() => h.input('b', { type: 'message', from: 'a', message: message as any })).to.not.throw()
    }
    const d = h.core('b').stats.dropped
    // the junk GOSSIPs take a below the gossip threshold: its junk IHAVE is then dropped for its score
    expect(d.invalid + d.unexpected + d.lowScore).to.be.at.least(junk.length - 1)
    expect(h.delivered('b')).to.have.length(0)
  })

  it('a message failing the origin check is never delivered or relayed, and penalises the sender', () => {
    const h = new Harness()
    const verify = (m: GossipMessage): boolean => m.payload[0] !== 0xff
    line(h, ['a', 'b', 'c'], { verify })
    h.input('b', { type: 'message', from: 'a', message: { type: 'gossip', topic: T, id: newId(), round: 1, publishedAt: 0, payload: new Uint8Array([0xff]) } })
    h.advance(1000)
    expect(h.delivered('b')).to.have.length(0)
    expect(h.delivered('c')).to.have.length(0)
    expect(h.sentOfType('gossip', 'b')).to.have.length(0)
    expect(h.events.get('b')?.some(e => e.type === 'penalty' && e.peer === 'a')).to.equal(true)
  })

  it('deferred validation: accept delivers and relays, reject penalises and relays nothing', () => {
    const h = new Harness()
    line(h, ['a', 'b', 'c'], { deferValidation: true })
    const good = newId()
    const bad = newId()
    for (const id of [good, bad]) {
      h.input('b', { type: 'message', from: 'a', message: { type: 'gossip', topic: T, id, round: 1, publishedAt: 0, payload } })
    }
    expect(h.events.get('b')?.filter(e => e.type === 'validate')).to.have.length(2)
    expect(h.delivered('b')).to.have.length(0)
    h.input('b', { type: 'validation-result', topic: T, id: good, result: 'accept' })
    h.input('b', { type: 'validation-result', topic: T, id: bad, result: 'reject' })
    expect(h.delivered('b').map(e => e.id)).to.deep.equal([good])
    const relayed = h.sentOfType('gossip', 'b').map(s => (s.message as GossipMessage).id)
    expect(relayed).to.deep.equal([good])
    expect(h.events.get('b')?.some(e => e.type === 'penalty' && e.reason === 'rejected')).to.equal(true)
  })

  it('topic views respect capacity; an urgent join (requester has no topic neighbour) is always accepted', () => {
    const h = new Harness()
    const config = { topicActiveTarget: 1, topicActiveCapacity: 2 }
    h.add('hub', { config })
    h.input('hub', { type: 'subscribe', topic: T })
    for (const n of ['p1', 'p2']) {
      h.add(n, { config })
      h.input(n, { type: 'subscribe', topic: T })
      h.input('hub', { type: 'message', from: n, message: { type: 'topic-join', topic: T, urgent: false } })
    }
    expect(h.core('hub').topicPeers(T)).to.have.length(2)
    h.input('hub', { type: 'message', from: 'p3', message: { type: 'topic-join', topic: T, urgent: false } })
    expect(h.core('hub').topicPeers(T)).to.not.include('p3')
    h.input('hub', { type: 'message', from: 'p3', message: { type: 'topic-join', topic: T, urgent: true } })
    expect(h.core('hub').topicPeers(T)).to.include('p3')
    expect(h.core('hub').topicPeers(T)).to.have.length(2)
  })

  it('an urgent join evicts a link that came to us before one we made: sybils repeating "urgent" never take every link', () => {
    const h = new Harness()
    h.add('hub', { config: { topicActiveTarget: 2, topicActiveCapacity: 4 } })
    h.input('hub', { type: 'subscribe', topic: T })
    // c1 and c2: membership neighbours that announced the topic, joined by the hub itself
    for (const c of ['c1', 'c2']) {
      h.input('hub', { type: 'neighbor-up', peer: c })
      h.input('hub', { type: 'message', from: c, message: { type: 'subscriptions', subscribe: [T], unsubscribe: [] } })
    }
    h.advance(h.now + 3 * DEFAULT_PUBSUB_CONFIG.maintenanceInterval)
    expect([...new Set(h.sentOfType('topic-join', 'hub').map(s => s.to))].sort()).to.deep.equal(['c1', 'c2'])
    for (const c of ['c1', 'c2']) {
      h.input('hub', { type: 'message', from: c, message: { type: 'topic-join-reply', topic: T, accepted: true, others: [] } })
    }
    for (const i of ['i1', 'i2']) {
      h.input('hub', { type: 'message', from: i, message: { type: 'topic-join', topic: T, urgent: false } })
    }
    expect([...h.core('hub').topicPeers(T)].sort()).to.deep.equal(['c1', 'c2', 'i1', 'i2'])
    for (let k = 0; k < 20; k++) {
      const sybil = `sybil${k}`
      h.input('hub', { type: 'message', from: sybil, message: { type: 'topic-join', topic: T, urgent: true } })
      const peers = h.core('hub').topicPeers(T)
      expect(peers, sybil).to.include.members([sybil, 'c1', 'c2'])
      expect(peers).to.have.length(4)
    }
  })

  it('a silent topic link is pinged, then dropped after linkTimeout', () => {
    const h = new Harness()
    line(h, ['a', 'b'])
    // not (or no longer) a membership neighbour: the base timers apply (SPEC.md §7.13)
    h.input('a', { type: 'neighbor-down', peer: 'b' })
    // the ping that departure sends is answered: b is alive, the link stands on its own
    h.flush()
    h.cut.add('a|b')
    h.advance(DEFAULT_PUBSUB_CONFIG.keepaliveIdle + 2 * DEFAULT_PUBSUB_CONFIG.maintenanceInterval)
    expect(h.sentOfType('topic-ping', 'a').length).to.be.at.least(1)
    expect(h.core('a').topicPeers(T)).to.deep.equal(['b'])
    h.advance(DEFAULT_PUBSUB_CONFIG.linkTimeout + 3 * DEFAULT_PUBSUB_CONFIG.maintenanceInterval)
    expect(h.core('a').topicPeers(T)).to.have.length(0)
  })

  it('invalid configuration throws InvalidConfigError naming the field', () => {
    // the message names the bad field
    expect(() => resolvePubsubConfig({ graftTimeout1: -1 })).to.throw(/graftTimeout1/).that.includes({ name: 'InvalidConfigError', code: 'ERR_INVALID_CONFIG' })
    expect(() => resolvePubsubConfig({ topicActiveTarget: 9, topicActiveCapacity: 3 })).to.throw(/topicActiveCapacity/).with.property('code', 'ERR_INVALID_CONFIG')
    expect(() => resolvePubsubConfig({ cacheRetention: 1000 })).to.throw(/cacheRetention/).with.property('code', 'ERR_INVALID_CONFIG')
    expect(() => resolvePubsubConfig({ maxIHaveIds: 0 })).to.throw(/maxIHaveIds/).with.property('code', 'ERR_INVALID_CONFIG')
    expect(() => resolvePubsubConfig({ floodRounds: 1.5 })).to.throw(/floodRounds/).with.property('code', 'ERR_INVALID_CONFIG')
    expect(() => resolvePubsubConfig({ floodRounds: 5 })).to.throw(/floodRounds/).with.property('code', 'ERR_INVALID_CONFIG')
    expect(() => resolvePubsubConfig({ floodRounds: 2, floodDepth: 2 })).to.throw(/floodDepth/).with.property('code', 'ERR_INVALID_CONFIG')
  })

  it('anti-entropy: a digest settles equal sets in one message; after a cut, coded symbols find the differences both ways and the messages move', () => {
    const h = new Harness()
    const config = { aePeriod: 5000, aeGuard: 1000, aeAlign: 1000 }
    line(h, ['a', 'b'], { config })
    h.now = 10_000
    // the link is cut while each side publishes its own messages
    h.cut.add('a|b')
    const fromA = [publish(h, 'a'), publish(h, 'a'), publish(h, 'a')]
    const fromB = [publish(h, 'b'), publish(h, 'b')]
    h.flush()
    h.cut.delete('a|b')
    // 3 s later the messages are older than the guard: the next sessions reconcile them
    h.advance(23_000)
    const ids = (n: string): string[] => h.delivered(n).map(e => Buffer.from(e.id).toString('hex')).sort()
    const all = [...fromA, ...fromB].map(id => Buffer.from(id).toString('hex')).sort()
    expect(ids('a')).to.deep.equal(all)
    expect(ids('b')).to.deep.equal(all)
    expect(h.sentOfType('ae-symbols').length).to.be.at.least(1)
    const done = h.events.get('a')?.concat(h.events.get('b') ?? []).filter(e => e.type === 'anti-entropy') ?? []
    expect(done.some(e => e.type === 'anti-entropy' && e.missingHere + e.missingThere === 5)).to.equal(true)
    // sets are equal now: further sessions are a digest and nothing else
    const symbolsBefore = h.sentOfType('ae-symbols').length
    const digestsBefore = h.sentOfType('ae-digest').length
    h.advance(60_000)
    expect(h.sentOfType('ae-digest').length).to.be.greaterThan(digestsBefore)
    expect(h.sentOfType('ae-symbols').length).to.equal(symbolsBefore)
    expect(h.delivered('a')).to.have.length(5)
  })

  it('a topic with fewer subscribers than the target does not walk in a loop: walks back off when they find nobody new', () => {
    const h = new Harness()
    line(h, ['a', 'b'])
    h.advance(60_000)
    // each walk's answer names only b, already a topic neighbour: the pause doubles up to 60 s
    expect(h.sentOfType('find').length).to.be.at.most(2 * 12)
    expect(h.sent.length).to.be.below(2000)
    expect(h.core('a').topicPeers(T)).to.deep.equal(['b'])
  })
})
