import { expect } from 'aegir/chai'
import { DEFAULT_PUBSUB_CONFIG } from '../src/core/config.ts'
import { Harness, newId } from './harness.ts'
import type { AeDigestMessage, AeSymbolsMessage, FindMessage, GossipMessage, GraftMessage, PubsubMessage } from '../src/core/messages.ts'
import type { PubsubCoreInit } from '../src/core/pubsub.ts'
import type { PubsubEffect } from '../src/core/types.ts'

/**
 * Regression tests for the findings of the review of src/core: each asserts
 * the intended behaviour through what a core sends, emits and counts, with
 * bounds rather than exact counts where the mechanism is a design choice.
 */

const T = 'topic'
const T2 = 'topic-2'
const payload = new Uint8Array([1, 2, 3])
const verify = (m: GossipMessage): boolean => m.payload[0] !== 0xff

type Effects = Array<PubsubEffect<string>>

/** `names` in a line a–b–c…, every one subscribed to `topics`, topic links formed */
function line (h: Harness, names: string[], init: PubsubCoreInit = {}, topics: string[] = [T]): void {
  for (const name of names) {
    h.add(name, init)
  }
  for (let i = 1; i < names.length; i++) {
    h.neighbours(names[i - 1], names[i])
  }
  for (const name of names) {
    for (const topic of topics) {
      h.input(name, { type: 'subscribe', topic })
    }
  }
  h.flush()
}

/** `names` in a line, nobody subscribed */
function chain (h: Harness, names: string[]): void {
  for (const name of names) {
    h.add(name)
  }
  for (let i = 1; i < names.length; i++) {
    h.neighbours(names[i - 1], names[i])
  }
  h.flush()
}

function publish (h: Harness, from: string, topic = T, id = newId()): Uint8Array {
  h.input(from, { type: 'publish', topic, id, payload, publishedAt: h.now })
  return id
}

function gossip (h: Harness, id: Uint8Array, extra: Partial<GossipMessage> = {}): GossipMessage {
  return { type: 'gossip', topic: T, id, round: 1, publishedAt: h.now, payload, ...extra }
}

function sendsOf (effects: Effects, type?: PubsubMessage<string>['type']): Array<PubsubMessage<string>> {
  const messages: Array<PubsubMessage<string>> = []
  for (const effect of effects) {
    if (effect.type === 'send' && (type == null || effect.message.type === type)) {
      messages.push(effect.message)
    }
  }
  return messages
}

function symbolCount (effects: Effects): number {
  return sendsOf(effects, 'ae-symbols').reduce((n, m) => n + (m as AeSymbolsMessage).symbols.length, 0)
}

function sameId (a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a != null && Buffer.from(a).equals(Buffer.from(b))
}

function deliveredId (h: Harness, name: string, id: Uint8Array): number {
  return h.delivered(name).filter(e => sameId(e.id, id)).length
}

/** The anti-entropy window a core uses at `now` (default config) */
function aeWindow (now: number): { from: number, to: number } {
  const { aeGuard, aeWindow, aeAlign } = DEFAULT_PUBSUB_CONFIG
  const to = Math.floor((now - aeGuard) / aeAlign) * aeAlign
  return { from: to - aeWindow, to }
}

function digest (now: number, session: number, count: number): AeDigestMessage {
  return { type: 'ae-digest', topic: T, session, ...aeWindow(now), count, digest: new Uint8Array(32) }
}

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

/** a and b subscribed and linked at t = 100 s; a holds `n` messages published then; now = 110 s */
function aeResponder (n = 10): { h: Harness, ids: Uint8Array[] } {
  const h = new Harness()
  h.now = 100_000
  line(h, ['a', 'b'])
  const ids = Array.from({ length: n }, () => publish(h, 'a'))
  h.flush()
  h.now = 110_000
  return { h, ids }
}

function aeStranger (): void {
  const { h } = aeResponder()
  const effects = h.input('a', { type: 'message', from: 'stranger', message: digest(h.now, 1, 0) })
  expect(sendsOf(effects), '(a) reply to a digest from a stranger').to.have.length(0)
}

function aeHugeCount (): void {
  const { h } = aeResponder(10)
  const effects = h.input('a', { type: 'message', from: 'b', message: digest(h.now, 2, 2 ** 40) })
  const bound = Math.max(16, Math.ceil(1.5 * (10 + 64)))
  expect(symbolCount(effects), '(b) first batch for a claimed count of 2^40').to.be.at.most(bound)
}

function aeSessionReuse (): void {
  const { h } = aeResponder()
  const first = h.input('a', { type: 'message', from: 'b', message: digest(h.now, 5, 0) })
  expect(symbolCount(first), '(c) first digest is answered').to.be.greaterThan(0)
  const again = h.input('a', { type: 'message', from: 'b', message: digest(h.now, 5, 0) })
  expect(sendsOf(again), '(c) reply to a digest reusing an open session').to.have.length(0)
}

function aeHugeMore (): void {
  const { h } = aeResponder()
  const first = h.input('a', { type: 'message', from: 'b', message: digest(h.now, 9, 0) })
  const sent = symbolCount(first)
  expect(sent, '(d) first digest is answered').to.be.greaterThan(0)
  const more = h.input('a', { type: 'message', from: 'b', message: { type: 'ae-more', topic: T, session: 9, offset: sent, count: 2 ** 32 - 1 } })
  expect(symbolCount(more), '(d) symbols for AE_MORE count 2^32−1').to.be.at.most(Math.max(16, sent))
}

function aeWantOncePerWindow (): void {
  const { h, ids } = aeResponder()
  // published after the window's end (inside the guard)
  h.now = 109_500
  const fresh = publish(h, 'a')
  h.flush()
  h.now = 110_000
  expect(fresh.length).to.equal(32)
  const opened = h.input('a', { type: 'message', from: 'b', message: digest(h.now, 3, 0) })
  expect(symbolCount(opened), '(e) digest is answered').to.be.greaterThan(0)
  const want = h.input('a', { type: 'message', from: 'b', message: { type: 'ae-want', topic: T, session: 3, shortIds: [ids[0].slice(0, 8), fresh.slice(0, 8)] } })
  const served = sendsOf(want, 'gossip') as GossipMessage[]
  expect(served.map(m => Buffer.from(m.id).toString('hex')), '(e) ids served: only the one inside the window').to.deep.equal([Buffer.from(ids[0]).toString('hex')])
  const again = h.input('a', { type: 'message', from: 'b', message: { type: 'ae-want', topic: T, session: 3, shortIds: [ids[1].slice(0, 8)] } })
  expect(sendsOf(again, 'gossip'), '(e) second AE_WANT in one session').to.have.length(0)
}

function graftTopicAndRepeat (): void {
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
}

describe('review regressions', () => {
  it('anti-entropy budget: strangers get nothing, claims and requests are bounded by our own set, sessions and grafts are answered once', () => {
    aeStranger()
    aeHugeCount()
    aeSessionReuse()
    aeHugeMore()
    aeWantOncePerWindow()
    graftTopicAndRepeat()
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

  it('messages evicted from the cache by the count cap are not pulled again by anti-entropy', () => {
    const h = new Harness()
    h.add('a', { config: { cacheMaxMessages: 4 } })
    h.add('b')
    h.neighbours('a', 'b')
    for (const n of ['a', 'b']) {
      h.input(n, { type: 'subscribe', topic: T })
    }
    h.flush()
    h.now = 10_000
    for (let i = 0; i < 10; i++) {
      publish(h, 'b')
    }
    h.flush()
    expect(h.delivered('a')).to.have.length(10)
    h.advance(70_000)
    expect(h.sentOfType('ae-digest').length, 'sessions ran').to.be.at.least(10)
    expect(h.core('a').stats.duplicates, 'duplicates at a').to.be.at.most(5)
    const copies = h.sent.filter(s => s.message.type === 'gossip').length
    expect(copies, 'payload copies between a and b').to.be.below(3 * 10)
    expect(h.delivered('a')).to.have.length(10)
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

  it('deferred validation is bounded: beyond maxPendingValidation messages are dropped, entries older than validationTimeout are forgotten', () => {
    const h = new Harness()
    h.now = 100_000
    line(h, ['a', 'b'], { deferValidation: true, config: { maxPendingValidation: 8 } })
    const ids = Array.from({ length: 9 }, () => newId())
    for (const id of ids) {
      h.input('b', { type: 'message', from: 'a', message: gossip(h, id) })
    }
    const validating = (): Uint8Array[] => (h.events.get('b') ?? []).flatMap(e => e.type === 'validate' ? [e.id] : [])
    expect(validating().length, 'validate events').to.be.at.most(8)
    expect(validating().some(id => sameId(id, ids[8])), 'the 9th is validated').to.equal(false)
    // validationTimeout (30 s) passes, then a maintenance tick
    h.advance(h.now + 30_000 + 2 * DEFAULT_PUBSUB_CONFIG.maintenanceInterval)
    for (const id of ids) {
      h.input('b', { type: 'validation-result', topic: T, id, result: 'accept' })
    }
    h.flush()
    expect(h.delivered('b'), 'delivered after late accepts').to.have.length(0)
    // the slots are free again
    const next = newId()
    h.input('b', { type: 'message', from: 'a', message: gossip(h, next) })
    expect(validating().some(id => sameId(id, next)), 'a new message is validated').to.equal(true)
    h.input('b', { type: 'validation-result', topic: T, id: next, result: 'accept' })
    expect(deliveredId(h, 'b', next)).to.equal(1)
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

  it('malformed AE_SYMBOLS (null, non-object, non-integer symbols) never throw and are counted invalid', () => {
    const h = new Harness()
    line(h, ['a', 'b'])
    h.advance(6000)
    const cases: unknown[][] = [
      [null],
      [7],
      ['x'],
      [{ count: 1.5, hi: 0, lo: 0, check: 0 }],
      [{ count: 1, hi: 0.5, lo: 0, check: 0 }],
      [{ count: 1, hi: 0, lo: 0 }],
      [{ count: BigInt(1), hi: 0, lo: 0, check: 0 }],
      [{ count: 1, hi: 0, lo: 0, check: 0 }, undefined]
    ]
    const invalid = h.core('a').stats.dropped.invalid
    for (const symbols of cases) {
      h.advance(h.now + DEFAULT_PUBSUB_CONFIG.aePeriod)
      const sent = h.sentOfType('ae-digest', 'a').at(-1)
      expect(sent).to.not.equal(undefined)
      const session = (sent?.message as AeDigestMessage).session
      const message = { type: 'ae-symbols', topic: T, session, from: 0, to: 1, offset: 0, symbols } as unknown as AeSymbolsMessage
      expect(() => h.input('a', { type: 'message', from: 'b', message }), JSON.stringify(symbols, (_k, v) => typeof v === 'bigint' ? `${v}n` : v)).to.not.throw()
    }
    expect(h.core('a').stats.dropped.invalid - invalid, 'counted invalid').to.be.at.least(cases.length)
  })

  it('anti-entropy traffic from a topic neighbour counts as liveness; walk numbers are random', () => {
    const h = new Harness()
    h.now = 100_000
    h.add('a', { config: { aePeriod: 1000 } })
    h.input('a', { type: 'subscribe', topic: T })
    // b (simulated by hand) joins a and from then on only answers and starts anti-entropy sessions
    h.input('a', { type: 'message', from: 'b', message: { type: 'topic-join', topic: T, urgent: true } })
    expect(h.core('a').topicPeers(T)).to.deep.equal(['b'])
    let answered = 0
    for (let i = 0; i < 12; i++) {
      h.advance(h.now + 1000)
      const digests = h.sentOfType('ae-digest', 'a').filter(s => s.to === 'b')
      for (const d of digests.slice(answered)) {
        const { session, from, to } = d.message as AeDigestMessage
        h.input('a', { type: 'message', from: 'b', message: { type: 'ae-symbols', topic: T, session, from, to, offset: 0, symbols: [{ count: 0, hi: 0, lo: 0, check: 0 }] } })
      }
      answered = digests.length
      h.input('a', { type: 'message', from: 'b', message: digest(h.now, 1000 + i, 0) })
    }
    expect(answered, 'sessions a started with b').to.be.at.least(5)
    expect(h.core('a').topicPeers(T), 'a link carrying only anti-entropy').to.deep.equal(['b'])

    const w = new Harness()
    chain(w, ['s', 'n'])
    w.input('s', { type: 'subscribe', topic: T })
    w.advance(30_000)
    const walks = walksOf(w, 's')
    expect(walks.length, 'walks').to.be.at.least(2)
    expect(Math.abs(walks[1] - walks[0]), 'difference between consecutive walk numbers').to.be.greaterThan(1000)
  })
})
