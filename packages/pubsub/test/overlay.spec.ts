import { expect } from 'aegir/chai'
import { DEFAULT_PUBSUB_CONFIG } from '../src/core/config.ts'
import { T, chain, gossip, line, publish, sendsOf } from './harness-helpers.ts'
import { Harness, newId } from './harness.ts'
import type { FindMessage } from '../src/core/messages.ts'

/** Topic overlays (src/core/overlay.ts, SPEC.md §7.4, §7.13) */

const { joinTimeout } = DEFAULT_PUBSUB_CONFIG

/** Distinct walks started by `origin` (FIND messages carrying it), in order */
function walksOf (h: Harness, origin: string): number[] {
  const walks: number[] = []
  for (const s of h.sentOfType('find')) {
    const find = s.message as FindMessage<string>
    if (find.origin === origin && !walks.includes(find.walk)) {
      walks.push(find.walk)
    }
  }
  return walks
}

/** Distinct peers named `sybil…` that `from` sent anything to */
function sybilsContacted (h: Harness, from: string): string[] {
  return [...new Set(h.sent.filter(s => s.from === from && s.to.startsWith('sybil')).map(s => s.to))]
}

const sybils = Array.from({ length: 16 }, (_, i) => `sybil${i}`)

describe('topic overlay: unreachable join candidates', () => {
  /** a with membership neighbours b and c, both subscribed; a wants one topic neighbour */
  function setup (): Harness {
    const h = new Harness()
    const init = { config: { topicActiveTarget: 1, topicActiveCapacity: 2 } }
    for (const name of ['a', 'b', 'c']) {
      h.add(name, init)
    }
    h.neighbours('a', 'b')
    h.neighbours('a', 'c')
    h.input('b', { type: 'subscribe', topic: T })
    h.input('c', { type: 'subscribe', topic: T })
    h.flush()
    // a's joins vanish, as they do when the driver cannot dial the candidate
    h.cut.add('a|b')
    h.cut.add('a|c')
    h.input('a', { type: 'subscribe', topic: T })
    return h
  }

  it('a join the driver could not deliver is given up at once and the next candidate asked', () => {
    const h = setup()
    const first = h.sentOfType('topic-join', 'a').map(s => s.to)
    expect(first).to.have.length(1)
    const other = first[0] === 'b' ? 'c' : 'b'
    h.cut.clear()
    h.input('a', { type: 'unreachable', peer: first[0] })
    // asked at once, not after joinTimeout
    expect(h.sentOfType('topic-join', 'a').map(s => s.to)).to.deep.equal([first[0], other])
    h.flush()
    expect(h.core('a').topicPeers(T)).to.deep.equal([other])
  })

  it('without the report, the next candidate waits for the join timeout', () => {
    const h = setup()
    expect(h.sentOfType('topic-join', 'a')).to.have.length(1)
    h.advance(h.now + joinTimeout / 2)
    expect(h.sentOfType('topic-join', 'a')).to.have.length(1)
  })

  it('an unreachable peer that is no join candidate changes nothing', () => {
    const h = setup()
    h.input('a', { type: 'unreachable', peer: 'z' })
    expect(h.sentOfType('topic-join', 'a')).to.have.length(1)
  })
})

describe('topic overlay: walks, passive views and join replies', () => {
  it('a peer below the gossip threshold cannot join the topic view, not even urgently, until its score recovers', () => {
    const h = new Harness()
    line(h, ['a', 'b'], { verify: (m) => m.payload[0] !== 0xff })
    h.add('evil', { verify: (m) => m.payload[0] !== 0xff })
    h.advance(1500)
    expect(h.core('a').topicPeers(T)).to.not.include('evil')
    // one forged message: −20, below the gossip threshold (−10) but far from the graylist (−80)
    h.input('a', { type: 'message', from: 'evil', message: gossip(h, newId(), { payload: new Uint8Array([0xff]) }) })
    const reply = sendsOf(h.input('a', { type: 'message', from: 'evil', message: { type: 'topic-join', topic: T, urgent: true } }), 'topic-join-reply')
    expect(reply.map(r => (r as { accepted: boolean }).accepted), 'reply to its urgent join').to.deep.equal([false])
    expect(h.core('a').topicPeers(T)).to.not.include('evil')
  })

  it('walks that expire unanswered back off: a lone subscriber and a non-subscriber with queued publishes walk rarely', () => {
    const lone = new Harness()
    const names = ['s', ...Array.from({ length: 10 }, (_, i) => `n${i}`)]
    chain(lone, names)
    lone.input('s', { type: 'subscribe', topic: T })
    lone.advance(120_000)
    const walks = walksOf(lone, 's')
    expect(walks.length, 'walks by a lone subscriber').to.be.within(1, 15)

    const h = new Harness()
    chain(h, ['p', ...Array.from({ length: 10 }, (_, i) => `n${i}`)])
    for (let t = 0; t < 120_000; t += 8000) {
      h.advance(t)
      publish(h, 'p')
    }
    h.advance(120_000)
    expect(walksOf(h, 'p').length, 'walks by a non-subscriber with queued publishes').to.be.within(1, 15)
  })

  it('walk numbers are random', () => {
    const w = new Harness()
    chain(w, ['s', 'n'])
    w.input('s', { type: 'subscribe', topic: T })
    w.advance(30_000)
    const walks = walksOf(w, 's')
    expect(walks.length, 'walks').to.be.at.least(2)
    expect(Math.abs(walks[1] - walks[0]), 'difference between consecutive walk numbers').to.be.greaterThan(1000)
  })

  it('passive hygiene: unsubscribed peers leave the passive view; a TOPIC_JOIN to a non-subscriber is answered with TOPIC_LEAVE and not repeated', () => {
    const h = new Harness()
    line(h, ['a', 'b'])
    h.advance(2000)
    // a publishes as a non-subscriber through the subscribers it knows
    h.input('a', { type: 'unsubscribe', topic: T })
    h.flush()
    h.input('b', { type: 'unsubscribe', topic: T })
    h.flush()
    h.add('c')
    h.neighbours('b', 'c')
    h.input('c', { type: 'subscribe', topic: T })
    h.flush()
    h.advance(h.now + 5000)
    const mark = h.sent.length
    for (let i = 0; i < 3; i++) {
      publish(h, 'a')
      h.advance(h.now + 12_000)
    }
    const toB = h.sent.slice(mark).filter(s => s.from === 'a' && s.to === 'b' && s.message.type === 'gossip')
    expect(toB, '(a) payloads forwarded to the ex-subscriber').to.have.length(0)
    expect(h.delivered('c').length, '(a) publications reaching the remaining subscriber').to.be.at.least(1)

    const g = new Harness()
    chain(g, ['a', 'c', 'b'])
    g.input('a', { type: 'subscribe', topic: T })
    g.input('b', { type: 'subscribe', topic: T })
    g.advance(10_000)
    expect(g.core('a').topicPeers(T), 'a and b linked through a walk').to.include('b')
    const answer = g.core('c').handle({ type: 'message', from: 'a', message: { type: 'topic-join', topic: T, urgent: true } }, g.now)
    expect(sendsOf(answer).map(m => m.type), '(b) a non-subscriber answers TOPIC_JOIN').to.deep.equal(['topic-leave'])
    g.input('b', { type: 'unsubscribe', topic: T })
    g.flush()
    const joinsBefore = g.sentOfType('topic-join', 'a').filter(s => s.to === 'b').length
    g.advance(g.now + 60_000)
    const joins = g.sentOfType('topic-join', 'a').filter(s => s.to === 'b').length - joinsBefore
    expect(joins, '(b) TOPIC_JOINs to the ex-subscriber over 60 s').to.be.at.most(2)
  })

  it('TOPIC_JOIN_REPLY and FOUND: unsolicited replies add nothing, answers add at most 4 others', () => {
    const h = new Harness()
    h.add('a')
    h.input('a', { type: 'subscribe', topic: T })
    for (const accepted of [false, true]) {
      h.input('a', { type: 'message', from: 'evil', message: { type: 'topic-join-reply', topic: T, accepted, others: sybils } })
    }
    h.advance(20_000)
    expect(sybilsContacted(h, 'a'), 'peers named in an unsolicited reply').to.have.length(0)

    const asked = new Harness()
    asked.add('a')
    asked.add('b')
    asked.neighbours('a', 'b')
    asked.input('b', { type: 'subscribe', topic: T })
    asked.flush()
    asked.cut.add('a|b')
    asked.input('a', { type: 'subscribe', topic: T })
    expect(asked.sentOfType('topic-join', 'a').map(s => s.to)).to.deep.equal(['b'])
    asked.input('a', { type: 'message', from: 'b', message: { type: 'topic-join-reply', topic: T, accepted: false, others: sybils } })
    asked.advance(20_000)
    expect(sybilsContacted(asked, 'a').length, 'peers taken from an asked reply').to.be.at.most(4)

    const found = new Harness()
    chain(found, ['a', 'n'])
    found.input('a', { type: 'subscribe', topic: T })
    const walk = walksOf(found, 'a')[0]
    expect(walk).to.be.a('number')
    found.input('a', { type: 'message', from: 'x', message: { type: 'found', topic: T, walk, others: sybils } })
    found.advance(20_000)
    expect(sybilsContacted(found, 'a').length, 'peers taken from FOUND').to.be.at.most(4)
  })
})

describe('topic overlay: a clique of subscribers finds the rest of its topic', () => {
  it('a walk passes the origin\'s topic neighbours by, and relays steer away from them, until it finds a subscriber that is new', () => {
    // a, b, c subscribe and are each other's membership neighbours, with one non-subscriber r1
    // beside them all; the rest of the topic (d … h, each other's neighbours, views full at the
    // target of 4) is two hops further: r1 — r2 — d. The clique's views are short by two; every
    // walk from it starts at a clique member or at r1, which prefers subscribers: only a walk
    // that passes the clique by reaches d
    const h = new Harness()
    const init = { config: { topicActiveTarget: 4, topicActiveCapacity: 5 } }
    const clique = ['a', 'b', 'c']
    const rest = ['d', 'e', 'f', 'g', 'h']
    for (const n of [...clique, 'r1', 'r2', ...rest]) {
      h.add(n, init)
    }
    const pairs = (group: string[]): string[][] => group.flatMap((x, i) => group.slice(i + 1).map(y => [x, y]))
    for (const [x, y] of [...pairs(clique), ...pairs(rest), ['r1', 'a'], ['r1', 'b'], ['r1', 'c'], ['r1', 'r2'], ['r2', 'd']]) {
      h.neighbours(x, y)
    }
    for (const n of [...clique, ...rest]) {
      h.input(n, { type: 'subscribe', topic: T })
    }
    h.flush()
    h.advance(h.now + 60_000)
    const bridged = clique.some(n => h.core(n).topicPeers(T).some(p => rest.includes(p)))
    expect(bridged, `views: ${[...clique, ...rest].map(n => `${n}: ${h.core(n).topicPeers(T).join(',')}`).join('; ')}`).to.equal(true)
  })

  it('a FIND names the origin\'s topic neighbours, and one of them does not answer it', () => {
    const h = new Harness()
    for (const n of ['a', 'b', 'c']) {
      h.add(n, { config: { topicActiveTarget: 4, topicActiveCapacity: 5 } })
    }
    h.neighbours('a', 'b')
    h.neighbours('b', 'c')
    for (const n of ['a', 'b']) {
      h.input(n, { type: 'subscribe', topic: T })
    }
    h.flush()
    h.advance(h.now + 5_000)
    const finds = h.sentOfType('find', 'a').map(s => s.message as FindMessage<string>)
    expect(finds.some(f => f.exclude?.includes('b') === true)).to.equal(true)
    // b is a's topic neighbour: it passed those walks on instead of answering them
    expect(h.sentOfType('found', 'b').filter(s => s.to === 'a')).to.have.length.at.most(1)
  })
})

describe('topic overlay: formation (issue 12, SPEC.md §7.4)', () => {
  it('a node with one topic link joins urgently, and a subscriber at capacity takes it by evicting a link that came to it', () => {
    const h = new Harness()
    for (const name of ['a', 'b', 'c', 'd']) {
      h.add(name, { config: { topicActiveTarget: name === 'c' ? 1 : 2, topicActiveCapacity: name === 'c' ? 1 : 4 } })
    }
    h.neighbours('a', 'b')
    h.neighbours('c', 'd')
    for (const name of ['b', 'c', 'd']) {
      h.input(name, { type: 'subscribe', topic: T })
    }
    h.input('a', { type: 'subscribe', topic: T })
    h.flush()
    expect(h.core('a').topicPeers(T)).to.deep.equal(['b'])
    // d joined c first: c is full
    expect(h.core('c').topicPeers(T)).to.deep.equal(['d'])
    h.neighbours('a', 'c')
    h.flush()
    const joins = h.sentOfType('topic-join', 'a').filter(s => s.to === 'c')
    expect(joins.map(s => (s.message as { urgent: boolean }).urgent)).to.deep.equal([true])
    expect(h.core('a').topicPeers(T).sort()).to.deep.equal(['b', 'c'])
    expect(h.core('c').topicPeers(T)).to.deep.equal(['a'])
  })

  it('while its neighbours keep arriving, a node with two links dials no passive candidate and starts no walk; once they stop, it does', () => {
    const h = new Harness()
    // only a wants more links (the others neither join nor walk once they have one)
    for (const name of ['a', 'b', 'c', 'p']) {
      h.add(name, { config: { topicActiveTarget: name === 'a' ? 6 : 1 } })
    }
    h.neighbours('b', 'p')
    for (const name of ['b', 'c', 'p']) {
      h.input(name, { type: 'subscribe', topic: T })
    }
    h.advance(h.now + 1_500)
    expect(h.core('b').topicPeers(T)).to.deep.equal(['p'])
    h.neighbours('a', 'b')
    h.neighbours('a', 'c')
    h.input('a', { type: 'subscribe', topic: T })
    h.flush()
    expect(h.core('a').topicPeers(T).sort()).to.deep.equal(['b', 'c'])
    // b's reply named p, a subscriber a has no connection to: a candidate, not yet asked
    const dialled = (): string[] => h.sentOfType('topic-join', 'a').map(s => s.to).filter(to => to === 'p')
    // (a walked once on subscribing, before b and c had announced the topic: below the minimum)
    const walks = walksOf(h, 'a').length
    h.advance(h.now + 2_000)
    expect(dialled(), 'joins to p while the overlay grows').to.deep.equal([])
    expect(walksOf(h, 'a'), 'walks while the overlay grows').to.have.length(walks)
    h.advance(h.now + 3_000)
    expect(dialled(), 'joins to p once it stopped growing').to.deep.equal(['p'])
  })
})
