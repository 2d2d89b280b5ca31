import { expect } from 'aegir/chai'
import { DEFAULT_PUBSUB_CONFIG } from '../src/core/config.ts'
import { DEFAULT_SCORE_CONFIG } from '../src/core/score.ts'
import { MAX_EAGER_CREDIT } from '../src/core/tree.ts'
import { T, deliveredId, gossip, line, publish, sameId, sendsOf } from './harness-helpers.ts'
import { Harness, newId } from './harness.ts'
import type { GossipMessage, GraftMessage } from '../src/core/messages.ts'
import type { PubsubCoreInit } from '../src/core/pubsub.ts'

/** The broadcast tree (src/core/tree.ts, SPEC.md §7.3): GRAFT, IHAVE, the origin check and the replay window */

const T2 = 'topic-2'
const verify = (m: GossipMessage): boolean => m.payload[0] !== 0xff

/** a hub linked to a and b (a and b not linked); everybody subscribed to T */
function twoSpokes (): Harness {
  const h = new Harness()
  for (const n of ['hub', 'a', 'b']) {
    h.add(n)
  }
  h.neighbours('hub', 'a')
  h.neighbours('hub', 'b')
  for (const n of ['hub', 'a', 'b']) {
    h.input(n, { type: 'subscribe', topic: T })
  }
  h.flush()
  return h
}

/** a hub linked to a, b and c, with b also linked to a; everybody subscribed to T */
function hub (init: PubsubCoreInit = {}): Harness {
  const h = new Harness()
  for (const n of ['hub', 'a', 'b', 'c']) {
    h.add(n, init)
  }
  for (const n of ['a', 'b', 'c']) {
    h.neighbours('hub', n)
  }
  h.neighbours('b', 'a')
  for (const n of ['hub', 'a', 'b', 'c']) {
    h.input(n, { type: 'subscribe', topic: T })
  }
  h.flush()
  return h
}

describe('broadcast tree', () => {
  it('GRAFT budget: a GRAFT naming another topic gets nothing, repeated GRAFTs for one id are answered once', () => {
    const h = new Harness()
    h.now = 100_000
    line(h, ['a', 'b'], {}, [T, T2])
    const id = publish(h, 'a', T2)
    h.flush()
    const wrongTopic = h.input('a', { type: 'message', from: 'b', message: { type: 'graft', topic: T, id, round: 1 } })
    expect(sendsOf(wrongTopic, 'gossip'), '(f) GRAFT in T1 for a message of T2').to.have.length(0)
    let answers = 0
    for (let i = 0; i < 5; i++) {
      h.now += 1000
      answers += sendsOf(h.input('a', { type: 'message', from: 'b', message: { type: 'graft', topic: T2, id, round: 1 } }), 'gossip').length
    }
    expect(answers, '(f) answers to 5 GRAFTs for one id within 10 s').to.equal(1)
  })

  it('graft bookkeeping: one id announced in two topics keeps both timers; missing ids are capped per topic', () => {
    const h = new Harness()
    for (const n of ['a', 'b', 'c']) {
      h.add(n)
    }
    h.neighbours('a', 'b')
    h.neighbours('a', 'c')
    h.input('a', { type: 'subscribe', topic: T })
    h.input('a', { type: 'subscribe', topic: T2 })
    h.input('b', { type: 'subscribe', topic: T })
    h.input('c', { type: 'subscribe', topic: T2 })
    h.advance(1500)
    expect(h.core('a').topicPeers(T)).to.include('b')
    expect(h.core('a').topicPeers(T2)).to.include('c')
    const id = newId()
    h.input('a', { type: 'message', from: 'b', message: { type: 'ihave', topic: T, entries: [{ id, round: 1 }] } })
    h.input('a', { type: 'message', from: 'c', message: { type: 'ihave', topic: T2, entries: [{ id, round: 1 }] } })
    h.advance(h.now + 60_000)
    const grafts = h.sentOfType('graft', 'a').filter(s => sameId((s.message as GraftMessage).id, id)).map(s => `${s.to}/${(s.message as GraftMessage).topic}`)
    expect(grafts, '(a) grafts for an id announced in two topics').to.include.members([`b/${T}`, `c/${T2}`])

    const g = new Harness()
    line(g, ['a', 'evil'])
    g.input('a', { type: 'message', from: 'evil', message: { type: 'prune', topic: T } })
    for (let m = 0; m < 5; m++) {
      const entries = Array.from({ length: 1024 }, () => ({ id: newId(), round: 1 }))
      g.input('a', { type: 'message', from: 'evil', message: { type: 'ihave', topic: T, entries } })
    }
    g.advance(g.now + 5000)
    expect(g.sentOfType('graft', 'a').length, '(b) grafts after 5 × 1,024 fresh ids from one peer').to.be.at.most(4096 + 64)
  })

  it('a lone announcer that never answers its GRAFTs loses score, and below the gossip threshold its IHAVEs are not acted on', () => {
    const g = new Harness()
    line(g, ['a', 'evil'])
    const graftsToEvil = (): number => g.sentOfType('graft', 'a').filter(s => s.to === 'evil' && (s.message as GraftMessage).id != null).length
    // fake ids: evil is always the only announcer, so no other announcer is ever tried
    for (let i = 0; i < 3; i++) {
      g.input('a', { type: 'message', from: 'evil', message: { type: 'ihave', topic: T, entries: [{ id: newId(), round: 1 }, { id: newId(), round: 1 }] } })
      g.advance(g.now + 1000)
    }
    expect(g.core('a').peerScore('evil', g.now), 'score after 6 unanswered GRAFTs as the only announcer').to.be.below(DEFAULT_SCORE_CONFIG.gossipThreshold)
    const before = graftsToEvil()
    expect(before, 'grafts while evil was trusted').to.equal(6)
    g.input('a', { type: 'message', from: 'evil', message: { type: 'ihave', topic: T, entries: [{ id: newId(), round: 1 }] } })
    g.advance(g.now + 1000)
    expect(graftsToEvil(), 'grafts for an announcement from a peer below the gossip threshold').to.equal(before)
  })

  it('optimisation: an announcer below the gossip threshold cannot take the eager link with a short round', () => {
    const h = new Harness()
    line(h, ['p', 'c', 'evil'], { verify: (m) => m.payload[0] !== 0xff })
    h.advance(1500)
    expect(h.core('c').topicPeers(T).sort()).to.include.members(['evil', 'p'])
    // one forgery: evil at −20, below the gossip threshold
    h.input('c', { type: 'message', from: 'evil', message: gossip(h, newId(), { payload: new Uint8Array([0xff]) }) })
    const id = newId()
    h.input('c', { type: 'message', from: 'evil', message: { type: 'ihave', topic: T, entries: [{ id, round: 1 }] } })
    h.input('c', { type: 'message', from: 'p', message: gossip(h, id, { round: 1 + DEFAULT_PUBSUB_CONFIG.optimizationThreshold + 4 }) })
    expect(h.core('c').stats.optimizations, 'optimisations toward a peer below the gossip threshold').to.equal(0)
    expect(h.core('c').eagerPeers(T), 'eager at c').to.include('p')
    expect(h.sentOfType('prune', 'c').filter(s => s.to === 'p'), 'prunes to the tree parent').to.have.length(0)
  })

  it('IHAVE withdrawn: a queued announcement is not sent to a lazy neighbour that announced or sent the message first; otherwise it is', () => {
    /** c gets a message from its eager neighbour a, then (before its IHAVE dispatch) `then` from its lazy neighbour b */
    const run = (then: 'ihave' | 'copy' | 'nothing'): { ihavesToB: number, withdrawn: number } => {
      const h = new Harness()
      h.now = 10_000
      line(h, ['a', 'c', 'b'])
      h.advance(11_500)
      h.input('c', { type: 'message', from: 'b', message: { type: 'prune', topic: T } })
      expect(h.core('c').lazyPeers(T), 'c holds b lazy').to.deep.equal(['b'])
      const id = newId()
      const sentBefore = h.sent.length
      h.input('c', { type: 'message', from: 'a', message: gossip(h, id) })
      if (then === 'ihave') {
        h.input('c', { type: 'message', from: 'b', message: { type: 'ihave', topic: T, entries: [{ id, round: 2 }] } })
      } else if (then === 'copy') {
        h.input('c', { type: 'message', from: 'b', message: gossip(h, id, { round: 2 }) })
      }
      h.advance(h.now + 1_000)
      const ihavesToB = h.sent.slice(sentBefore).filter(s => s.from === 'c' && s.to === 'b' && s.message.type === 'ihave' && s.message.entries.some(e => sameId(e.id, id))).length
      expect(deliveredId(h, 'c', id), `delivered once at c (${then})`).to.equal(1)
      return { ihavesToB, withdrawn: h.core('c').stats.ihavesWithdrawn }
    }
    expect(run('nothing'), 'b silent: c announces to b').to.deep.equal({ ihavesToB: 1, withdrawn: 0 })
    expect(run('ihave'), 'b announced it first').to.deep.equal({ ihavesToB: 0, withdrawn: 1 })
    expect(run('copy'), 'b sent a copy first').to.deep.equal({ ihavesToB: 0, withdrawn: 1 })
  })

  it('a forged copy arriving first does not poison the id or change eager/lazy sets', () => {
    const h = new Harness()
    h.now = 10_000
    line(h, ['a', 'b', 'c'], { verify })
    h.advance(11_500)
    expect(h.core('c').topicPeers(T)).to.include('b')
    h.input('c', { type: 'message', from: 'b', message: { type: 'prune', topic: T } })
    const before = { eager: h.core('c').eagerPeers(T).sort(), lazy: h.core('c').lazyPeers(T).sort() }
    expect(before.lazy).to.include('b')
    const id = newId()
    const forged = gossip(h, id, { payload: new Uint8Array([0xff]) })
    h.input('c', { type: 'message', from: 'b', message: forged })
    h.input('b', { type: 'message', from: 'evil', message: forged })
    expect({ eager: h.core('c').eagerPeers(T).sort(), lazy: h.core('c').lazyPeers(T).sort() }, 'c after a forged copy from b').to.deep.equal(before)
    publish(h, 'a', T, id)
    h.advance(h.now + 60_000)
    for (const n of ['a', 'b', 'c']) {
      expect(deliveredId(h, n, id), `genuine message delivered at ${n}`).to.equal(1)
    }
  })

  it('replay window: GOSSIP published too long ago or too far ahead is dropped as expired; a replay after seenTtl is not delivered again', () => {
    const h = new Harness()
    h.now = 200_000
    line(h, ['a', 'b'])
    const { seenTtl } = DEFAULT_PUBSUB_CONFIG
    const skew = 30_000
    const old = newId()
    const ahead = newId()
    h.input('b', { type: 'message', from: 'a', message: gossip(h, old, { publishedAt: h.now - (seenTtl - skew) - 10_000 }) })
    h.input('b', { type: 'message', from: 'a', message: gossip(h, ahead, { publishedAt: h.now + skew + 1000 }) })
    expect(deliveredId(h, 'b', old), 'too old').to.equal(0)
    expect(deliveredId(h, 'b', ahead), 'too far ahead').to.equal(0)
    expect(h.core('b').stats.dropped.expired, 'stats.dropped.expired').to.be.at.least(2)
    // inside the window: delivered
    const recent = newId()
    const early = newId()
    h.input('b', { type: 'message', from: 'a', message: gossip(h, recent, { publishedAt: h.now - 100_000 }) })
    h.input('b', { type: 'message', from: 'a', message: gossip(h, early, { publishedAt: h.now + 10_000 }) })
    expect(deliveredId(h, 'b', recent)).to.equal(1)
    expect(deliveredId(h, 'b', early)).to.equal(1)
    // the same message replayed after its seen entry expired
    const id = newId()
    const m = gossip(h, id)
    h.input('b', { type: 'message', from: 'a', message: m })
    h.advance(h.now + seenTtl + 1000)
    h.input('b', { type: 'message', from: 'a', message: m })
    expect(deliveredId(h, 'b', id), 'replayed after seenTtl').to.equal(1)
  })

  it('IHAVE: rounds outside 1…1024 are ignored and cannot steal the tree; one peer announcing an id many times is recorded once', () => {
    const h = new Harness()
    line(h, ['p', 'c', 'evil'])
    h.advance(1500)
    expect(h.core('c').topicPeers(T).sort()).to.include.members(['evil', 'p'])
    const invalid = h.core('c').stats.dropped.invalid
    const id = newId()
    h.input('c', { type: 'message', from: 'evil', message: { type: 'ihave', topic: T, entries: [{ id, round: -5 }, { id: newId(), round: 0 }, { id: newId(), round: 1025 }] } })
    expect(h.core('c').stats.dropped.invalid - invalid, 'entries counted invalid').to.be.at.least(3)
    h.input('c', { type: 'message', from: 'p', message: gossip(h, id, { round: 3 }) })
    expect(h.core('c').stats.optimizations, 'optimisations').to.equal(0)
    expect(h.core('c').eagerPeers(T), 'eager at c').to.include('p')
    expect(h.sentOfType('graft', 'c').filter(s => s.to === 'evil'), 'grafts to evil').to.have.length(0)

    const g = new Harness()
    line(g, ['a', 'b', 'c'])
    g.neighbours('a', 'c')
    g.advance(1500)
    expect(g.core('c').topicPeers(T).sort()).to.deep.equal(['a', 'b'])
    g.cut.add('a|c')
    g.cut.add('b|c')
    const wanted = newId()
    g.input('c', { type: 'message', from: 'b', message: { type: 'ihave', topic: T, entries: Array.from({ length: 12 }, () => ({ id: wanted, round: 1 })) } })
    g.input('c', { type: 'message', from: 'a', message: { type: 'ihave', topic: T, entries: [{ id: wanted, round: 1 }] } })
    g.advance(g.now + DEFAULT_PUBSUB_CONFIG.graftTimeout1 + DEFAULT_PUBSUB_CONFIG.graftTimeout2 + 1)
    const grafts = g.sentOfType('graft', 'c').filter(s => sameId((s.message as GraftMessage).id, wanted)).map(s => s.to)
    expect(grafts.length, 'grafts after timeout₁ + timeout₂').to.be.at.least(2)
    expect(grafts[1], 'second graft goes to another announcer').to.not.equal(grafts[0])
  })

  it('a duplicate prunes an eager link only once the link has no credit left from first copies (several publishers share one tree)', () => {
    const h = hub()
    expect(h.core('hub').topicPeers(T)).to.have.members(['a', 'b', 'c'])
    const prunes = (effects: ReturnType<Harness['input']>, to: string): number => effects.filter(e => e.type === 'send' && e.to === to && e.message.type === 'prune').length
    const copy = (from: string, id: Uint8Array): ReturnType<Harness['input']> => h.input('hub', { type: 'message', from, message: gossip(h, id) })

    const m1 = newId()
    copy('a', m1)
    expect(prunes(copy('b', m1), 'b'), 'duplicate from b, which never delivered a first copy').to.equal(1)
    const m2 = newId()
    copy('c', m2)
    expect(prunes(copy('a', m2), 'a'), 'duplicate from a, first path of m1').to.equal(0)
    const m3 = newId()
    copy('c', m3)
    expect(prunes(copy('a', m3), 'a'), 'second duplicate from a: its credit is spent').to.equal(1)
    expect(h.core('hub').stats.prunesSpared).to.equal(1)
    expect(h.core('hub').stats.prunes).to.equal(2)

    // credit is capped: a link that delivered many first copies still goes lazy at duplicate MAX_EAGER_CREDIT + 1
    for (let i = 0; i < 10; i++) {
      copy('c', newId())
    }
    let duplicates = 0
    let pruned = 0
    while (pruned === 0 && duplicates < 10) {
      const id = newId()
      copy('b', id)
      duplicates++
      pruned = prunes(copy('c', id), 'c')
    }
    expect(duplicates, 'duplicates c cost before it was pruned').to.equal(MAX_EAGER_CREDIT + 1)
  })

  it('a duplicate on a link we hold lazy repeats the PRUNE, at most once per exchange: a peer that missed our PRUNE does not push to us for ever', () => {
    const h = twoSpokes()
    const prunesTo = (effects: ReturnType<Harness['input']>): number => effects.filter(e => e.type === 'send' && e.to === 'a' && e.message.type === 'prune').length
    const copy = (from: string, id: Uint8Array): ReturnType<Harness['input']> => h.input('hub', { type: 'message', from, message: gossip(h, id) })
    const m1 = newId()
    copy('b', m1)
    expect(prunesTo(copy('a', m1)), 'the first duplicate from a prunes it').to.equal(1)
    expect(h.core('hub').eagerPeers(T)).to.not.include('a')
    // a keeps pushing (our PRUNE was lost, or crossed a copy that made the link eager again there)
    const m2 = newId()
    copy('b', m2)
    expect(prunesTo(copy('a', m2)), 'a copy right after our PRUNE was already on its way').to.equal(0)
    h.now += 1000
    const m3 = newId()
    copy('b', m3)
    expect(prunesTo(copy('a', m3)), 'a copy an exchange later: a still holds us eager').to.equal(1)
    expect(h.core('hub').stats.duplicatesOnLazy).to.equal(2)
    expect(h.core('hub').stats.prunesRepeated).to.equal(1)
    // taken, the PRUNE ends it: a pushes no more
    h.input('a', { type: 'message', from: 'hub', message: { type: 'prune', topic: T } })
    expect(h.core('a').eagerPeers(T)).to.not.include('hub')
  })

  it('a sender\'s tree copies after our PRUNE cost it no score until it has had an exchange to act on the PRUNE; after that they count', () => {
    const h = twoSpokes()
    const { duplicateTolerance } = DEFAULT_SCORE_CONFIG
    // b delivers first, a's copy is a duplicate: `count` times, a lagging a still pushing
    const race = (count: number): void => {
      for (let i = 0; i < count; i++) {
        const id = newId()
        h.input('hub', { type: 'message', from: 'b', message: gossip(h, id) })
        h.input('hub', { type: 'message', from: 'a', message: gossip(h, id) })
      }
    }
    race(1)
    expect(h.core('hub').eagerPeers(T), 'the first duplicate pruned a').to.not.include('a')
    // twice the tolerance within the PRUNE's grace (busyTimeout: 2 s on an idle node)
    race(2 * duplicateTolerance)
    expect(h.core('hub').peerScore('a', h.now), 'copies already on their way when we pruned').to.equal(0)
    // a still pushes long after: those copies are a fault
    h.now += 2_500
    race(2 * duplicateTolerance)
    expect(h.core('hub').peerScore('a', h.now), 'copies it kept pushing after the grace').to.be.below(DEFAULT_SCORE_CONFIG.gossipThreshold)
    expect(h.core('hub').peerScore('b', h.now), 'the first deliverer').to.be.above(0)
  })

  it('a GRAFT answered late takes back its charge: a slow announcer regains the gossip threshold, one that never answers does not', () => {
    const g = new Harness()
    line(g, ['slow', 'a', 'liar'])
    const charged: Array<{ from: string, id: Uint8Array }> = []
    for (let i = 0; i < 3; i++) {
      for (const from of ['slow', 'liar']) {
        const ids = [newId(), newId()]
        g.input('a', { type: 'message', from, message: { type: 'ihave', topic: T, entries: ids.map(id => ({ id, round: 1 })) } })
        charged.push(...ids.map(id => ({ from, id })))
      }
      g.advance(g.now + 1000)
    }
    for (const n of ['slow', 'liar']) {
      expect(g.core('a').peerScore(n, g.now), `${n} after 6 GRAFTs unanswered in time`).to.be.below(DEFAULT_SCORE_CONFIG.gossipThreshold)
    }
    // slow's answers arrive now, seconds late; liar's never do
    for (const { id } of charged.filter(c => c.from === 'slow')) {
      g.input('a', { type: 'message', from: 'slow', message: gossip(g, id) })
    }
    expect(g.core('a').peerScore('slow', g.now), 'slow after its late answers').to.be.at.least(0)
    expect(g.core('a').peerScore('liar', g.now), 'liar').to.be.below(DEFAULT_SCORE_CONFIG.gossipThreshold)
    // slow's announcements are acted on again
    const grafted = (): number => g.sentOfType('graft', 'a').filter(s => s.to === 'slow' && (s.message as GraftMessage).id != null).length
    const before = grafted()
    g.input('a', { type: 'message', from: 'slow', message: { type: 'ihave', topic: T, entries: [{ id: newId(), round: 1 }] } })
    g.advance(g.now + 1000)
    expect(grafted(), 'a GRAFT for slow\'s next announcement').to.equal(before + 1)
  })

  it('flood rounds: once first copies arrive deep, the origin floods its lazy links; a flooded message floods on for floodRounds hops, each flooding node drawing a new wave; shallow again, IHAVE as before', () => {
    const h = hub({ config: { floodRounds: 2, floodDepth: 4 } })
    // b and c prune their links: the hub holds them lazy
    for (const n of ['b', 'c']) {
      h.input('hub', { type: 'message', from: n, message: { type: 'prune', topic: T } })
    }
    expect(h.core('hub').lazyPeers(T)).to.have.members(['b', 'c'])
    const copies = (effects: ReturnType<Harness['input']>): GossipMessage[] => effects.flatMap(e => e.type === 'send' && e.message.type === 'gossip' ? [e.message] : [])
    const floodsFrom = (effects: ReturnType<Harness['input']>): string[] => effects.flatMap(e => e.type === 'send' && e.message.type === 'gossip' && e.message.flood === true ? [e.to] : [])
    const own = (): ReturnType<Harness['input']> => h.input('hub', { type: 'publish', topic: T, id: newId(), payload: new Uint8Array([1]), publishedAt: h.now })
    const shallow = own()
    expect(floodsFrom(shallow), 'shallow trees: lazy links get IHAVE').to.have.length(0)
    expect(copies(shallow).every(m => m.wave === undefined), 'and no wave').to.equal(true)
    // first copies from a that travelled 9 hops: the trees reaching the hub are deep
    for (let i = 0; i < 20; i++) {
      h.input('hub', { type: 'message', from: 'a', message: gossip(h, newId(), { round: 9 }) })
    }
    const deep = own()
    expect(floodsFrom(deep), 'deep trees: the origin floods its lazy links').to.have.members(['b', 'c'])
    expect(new Set(copies(deep).map(m => m.wave)).size, 'one wave of the origin').to.equal(1)
    expect(copies(deep)[0].wave).to.be.a('number')
    const hop1 = h.input('hub', { type: 'message', from: 'a', message: gossip(h, newId(), { round: 1, wave: 5 }) })
    expect(floodsFrom(hop1), 'round 2 of a flooded message is still flooded').to.have.members(['b', 'c'])
    expect(copies(hop1).every(m => m.wave !== 5 && m.wave !== undefined), 'a new wave').to.equal(true)
    expect(floodsFrom(h.input('hub', { type: 'message', from: 'a', message: gossip(h, newId(), { round: 1 }) })), 'a message its origin did not flood').to.have.length(0)
    const hop3 = h.input('hub', { type: 'message', from: 'a', message: gossip(h, newId(), { round: 3, wave: 5 }) })
    expect(floodsFrom(hop3), 'round 4 is not flooded').to.have.length(0)
    expect(copies(hop3).every(m => m.wave === 5), 'beyond floodRounds the wave is relayed unchanged').to.equal(true)

    // the receiving side: a flood copy from the hub does not make b's link eager, and b's
    // later tree copy of that message from its eager link a prunes nothing
    h.input('b', { type: 'message', from: 'hub', message: { type: 'prune', topic: T } })
    const id = newId()
    h.input('b', { type: 'message', from: 'hub', message: gossip(h, id, { flood: true, wave: 7 }) })
    expect(h.core('b').eagerPeers(T), 'a flood copy changes no link').to.not.include('hub')
    expect(h.core('b').eagerPeers(T)).to.include('a')
    const late = h.input('b', { type: 'message', from: 'a', message: gossip(h, id, { round: 4, wave: 8 }) })
    expect(sendsOf(late, 'prune'), 'the tree copy that lost to a flood copy').to.have.length(0)
    expect(h.core('b').eagerPeers(T)).to.include('a')
    const again = h.input('b', { type: 'message', from: 'hub', message: gossip(h, id, { flood: true, wave: 7 }) })
    expect(sendsOf(again, 'prune'), 'a duplicate flood copy').to.have.length(0)
    expect(h.core('b').stats.duplicatesFlood).to.equal(2)
    // two waves meeting on a tree link prove no cycle; the same wave twice does
    h.input('b', { type: 'message', from: 'hub', message: { type: 'graft', topic: T, round: 1 } })
    expect(h.core('b').eagerPeers(T)).to.include.members(['a', 'hub'])
    const m2 = newId()
    h.input('b', { type: 'message', from: 'a', message: gossip(h, m2, { round: 5, wave: 9 }) })
    expect(sendsOf(h.input('b', { type: 'message', from: 'hub', message: gossip(h, m2, { round: 5, wave: 10 }) }), 'prune'), 'another wave').to.have.length(0)
    expect(h.core('b').eagerPeers(T)).to.include('hub')
    const m3 = newId()
    h.input('b', { type: 'message', from: 'a', message: gossip(h, m3, { round: 5, wave: 11 }) })
    expect(sendsOf(h.input('b', { type: 'message', from: 'hub', message: gossip(h, m3, { round: 6, wave: 11 }) }), 'prune'), 'the same wave: a cycle').to.have.length(1)

    // our own timers late by more than graftTimeout1: an overloaded node floods nothing
    h.input('hub', { type: 'timer-expired', key: 'maintain', timer: { kind: 'maintain', due: h.now - 2000 } })
    const loaded = own()
    expect(floodsFrom(loaded), 'overloaded').to.have.length(0)
    expect(copies(loaded).every(m => m.wave === undefined), 'and sends a plain tree message (no wave)').to.equal(true)
    h.now += 60_000

    // shallow again (below floodDepth − floodRounds): back to IHAVE
    for (let i = 0; i < 60; i++) {
      h.input('hub', { type: 'message', from: 'a', message: gossip(h, newId(), { round: 1 }) })
    }
    expect(floodsFrom(own()), 'shallow again').to.have.length(0)
    expect(h.core('hub').stats.floodSent, 'counted').to.equal(4)
  })
})
