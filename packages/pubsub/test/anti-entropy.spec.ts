import { expect } from 'aegir/chai'
import { DEFAULT_PUBSUB_CONFIG } from '../src/core/config.ts'
import { T, digest, line, publish, sendsOf } from './harness-helpers.ts'
import { Harness } from './harness.ts'
import type { Effects } from './harness-helpers.ts'
import type { AeDigestMessage, AeSymbolsMessage, GossipMessage } from '../src/core/messages.ts'

/** Anti-entropy (src/core/anti-entropy.ts, SPEC.md §7.5): what it answers, and how much */

function symbolCount (effects: Effects): number {
  return sendsOf(effects, 'ae-symbols').reduce((n, m) => n + (m as AeSymbolsMessage).symbols.length, 0)
}

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

describe('anti-entropy', () => {
  it('budget: strangers get nothing, claims and requests are bounded by our own set, sessions are answered once', () => {
    aeStranger()
    aeHugeCount()
    aeSessionReuse()
    aeHugeMore()
    aeWantOncePerWindow()
  })

  it('a peer pulls each message from us once per window: repeated whole-window pulls get nothing', () => {
    const { h, ids } = aeResponder(10)
    const pull = (session: number): number => {
      h.now += DEFAULT_PUBSUB_CONFIG.aePeriod
      expect(symbolCount(h.input('a', { type: 'message', from: 'b', message: digest(h.now, session, 0) })), `digest of session ${session} answered`).to.be.greaterThan(0)
      const want = h.input('a', { type: 'message', from: 'b', message: { type: 'ae-want', topic: T, session, shortIds: ids.map(id => id.slice(0, 8)) } })
      return sendsOf(want, 'gossip').length
    }
    expect(pull(21), 'first pull of the window').to.equal(10)
    expect(pull(22), 'the same pull one period later').to.equal(0)
    expect(pull(23), 'and again').to.equal(0)
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

  it('a node whose window is empty starts no session; a peer holding a message it lacks starts one and repairs it', () => {
    const h = new Harness()
    h.now = 100_000
    line(h, ['a', 'b'])
    h.advance(130_000)
    expect(h.sentOfType('ae-digest'), 'digests on a quiet topic').to.have.length(0)
    expect(h.core('a').stats.aeSkippedEmpty, 'rounds a skipped').to.be.at.least(5)
    // b's eager copy to a is lost
    h.cut.add('a|b')
    publish(h, 'b')
    h.flush()
    h.cut.delete('a|b')
    expect(h.delivered('a')).to.have.length(0)
    h.advance(h.now + 4 * DEFAULT_PUBSUB_CONFIG.aePeriod)
    expect(h.delivered('a'), 'repaired at a').to.have.length(1)
    // (once repaired, a's window holds the message and a starts sessions too)
    expect(h.sentOfType('ae-digest')[0]?.from, 'the first session after the loss').to.equal('b')
  })

  it('malformed AE_SYMBOLS (null, non-object, non-integer symbols) never throw and are counted invalid', () => {
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
    let counted = 0
    for (const symbols of cases) {
      // a fresh pair per case: after a few violations b would (rightly) lose its topic link
      const h = new Harness()
      line(h, ['a', 'b'])
      // a session needs something in a's window (an empty window starts none)
      publish(h, 'a')
      h.advance(6000)
      const invalid = h.core('a').stats.dropped.invalid
      h.advance(h.now + DEFAULT_PUBSUB_CONFIG.aePeriod)
      const sent = h.sentOfType('ae-digest', 'a').at(-1)
      expect(sent).to.not.equal(undefined)
      const session = (sent?.message as AeDigestMessage).session
      const message = { type: 'ae-symbols', topic: T, session, from: 0, to: 1, offset: 0, symbols } as unknown as AeSymbolsMessage
      expect(() => h.input('a', { type: 'message', from: 'b', message }), JSON.stringify(symbols, (_k, v) => typeof v === 'bigint' ? `${v}n` : v)).to.not.throw()
      counted += Math.min(1, h.core('a').stats.dropped.invalid - invalid)
    }
    expect(counted, 'cases counted invalid').to.equal(cases.length)
  })
})
