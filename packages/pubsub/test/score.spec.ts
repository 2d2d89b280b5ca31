import { expect } from 'aegir/chai'
import { DEFAULT_SCORE_CONFIG, PeerScores, resolveScoreConfig } from '../src/core/score.ts'
import { Harness, newId } from './harness.ts'
import type { GossipMessage } from '../src/core/messages.ts'

describe('peer scores', () => {
  it('one invalid message stops gossip to the peer, three stop accepting from it, five graylist it', () => {
    const s = new PeerScores<string>()
    s.record('p', 'invalid', 0)
    expect(s.mayGossip('p', 0)).to.equal(false)
    expect(s.mayAccept('p', 0)).to.equal(true)
    s.record('p', 'invalid', 0)
    s.record('p', 'invalid', 0)
    expect(s.mayAccept('p', 0)).to.equal(false)
    expect(s.isGraylisted('p', 0)).to.equal(false)
    s.record('p', 'invalid', 0)
    s.record('p', 'invalid', 0)
    expect(s.isGraylisted('p', 0)).to.equal(true)
    expect(s.score('other', 0)).to.equal(0)
  })

  it('decays: a single mistake is forgiven within half a minute', () => {
    const s = new PeerScores<string>()
    s.record('p', 'invalid', 0)
    expect(s.score('p', 0)).to.equal(-20)
    expect(s.score('p', 1000)).to.be.closeTo(-18, 1e-9)
    expect(s.mayGossip('p', 30_000)).to.equal(true)
    expect(s.score('p', 30_000)).to.be.closeTo(-20 * 0.9 ** 30, 1e-9)
  })

  it('credit is capped; duplicates count only beyond the tolerance; unanswered grafts cost', () => {
    const s = new PeerScores<string>()
    for (let i = 0; i < 100; i++) {
      s.record('good', 'first-delivery', 0)
    }
    expect(s.score('good', 0)).to.equal(10)
    for (let i = 0; i < 200; i++) {
      s.record('dup', 'duplicate', 0)
    }
    expect(s.score('dup', 0)).to.equal(0)
    for (let i = 0; i < 100; i++) {
      s.record('dup', 'duplicate', 0)
    }
    expect(s.score('dup', 0)).to.be.closeTo(-10, 1e-9)
    s.record('slow', 'graft-unanswered', 0)
    expect(s.score('slow', 0)).to.equal(-2)
    // answered after all: the charge is taken back, but never turned into credit
    s.record('slow', 'graft-late', 0)
    expect(s.score('slow', 0)).to.equal(0)
    s.record('slow', 'graft-late', 0)
    expect(s.score('slow', 0)).to.equal(0)
  })

  it('unanswered grafts alone stop gossip with the peer, never its payloads: they stop at graftMissFloor', () => {
    const s = new PeerScores<string>()
    for (let i = 0; i < 100; i++) {
      s.record('slow', 'graft-unanswered', 0)
    }
    expect(s.score('slow', 0)).to.equal(DEFAULT_SCORE_CONFIG.graftMissFloor)
    expect(s.mayGossip('slow', 0)).to.equal(false)
    expect(s.mayAccept('slow', 0)).to.equal(true)
    expect(s.isGraylisted('slow', 0)).to.equal(false)
    // other faults still add to it
    s.record('slow', 'invalid', 0)
    expect(s.mayAccept('slow', 0)).to.equal(false)
  })

  it('invalid configuration throws InvalidConfigError', () => {
    expect(() => resolveScoreConfig({ decay: 1.5 })).to.throw().that.includes({ name: 'InvalidConfigError', code: 'ERR_INVALID_CONFIG' })
    // the message names the bad field
    expect(() => resolveScoreConfig({ graylistThreshold: 0, acceptThreshold: -50 })).to.throw(/graylistThreshold/).with.property('code', 'ERR_INVALID_CONFIG')
    expect(() => resolveScoreConfig({ invalidWeight: Number.NaN })).to.throw(/invalidWeight/).with.property('code', 'ERR_INVALID_CONFIG')
    expect(() => resolveScoreConfig({ graftMissFloor: 5 })).to.throw(/graftMissFloor/).with.property('code', 'ERR_INVALID_CONFIG')
  })

  it('enforced in the core: a peer sending forged messages is graylisted and cut from the topic, honest delivery continues', () => {
    const h = new Harness()
    const verify = (m: GossipMessage): boolean => m.payload[0] !== 0xff
    for (const n of ['evil', 'b', 'c']) {
      h.add(n, { verify })
    }
    h.neighbours('evil', 'b')
    h.neighbours('b', 'c')
    for (const n of ['evil', 'b', 'c']) {
      h.input(n, { type: 'subscribe', topic: 'T' })
    }
    h.flush()
    expect(h.core('b').topicPeers('T')).to.include('evil')
    for (let i = 0; i < 5; i++) {
      h.input('b', { type: 'message', from: 'evil', message: { type: 'gossip', topic: 'T', id: newId(), round: 1, publishedAt: 0, payload: new Uint8Array([0xff]) } })
    }
    expect(h.events.get('b')?.some(e => e.type === 'graylisted' && e.peer === 'evil')).to.equal(true)
    expect(h.core('b').topicPeers('T')).to.not.include('evil')
    expect(h.sentOfType('topic-leave', 'b').some(s => s.to === 'evil')).to.equal(true)
    // even a valid message from it is dropped now
    h.input('b', { type: 'message', from: 'evil', message: { type: 'gossip', topic: 'T', id: newId(), round: 1, publishedAt: 0, payload: new Uint8Array([1]) } })
    expect(h.delivered('b')).to.have.length(0)
    expect(h.core('b').stats.dropped.lowScore).to.be.greaterThan(0)
    // nothing it forged was relayed; honest traffic flows
    expect(h.sentOfType('gossip', 'b')).to.have.length(0)
    h.input('c', { type: 'publish', topic: 'T', id: newId(), payload: new Uint8Array([2]), publishedAt: 0 })
    h.flush()
    expect(h.delivered('b')).to.have.length(1)
  })
})
