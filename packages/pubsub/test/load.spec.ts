import { expect } from 'aegir/chai'
import { DEFAULT_PUBSUB_CONFIG } from '../src/core/config.ts'
import { Harness } from './harness.ts'

/** SPEC.md §7.13: topic links under load */

const T = 'topic'
const T2 = 'topic-2'
const { linkTimeout, keepaliveIdle, maintenanceInterval, joinTimeout } = DEFAULT_PUBSUB_CONFIG

/** a and b membership neighbours, both subscribed to `topics`, the topic link formed */
function pair (topics: string[] = [T], member = false): Harness {
  const h = new Harness()
  h.add('a')
  h.add('b')
  h.neighbours('a', 'b')
  for (const topic of topics) {
    h.input('a', { type: 'subscribe', topic })
    h.input('b', { type: 'subscribe', topic })
  }
  h.flush()
  expect(h.core('a').topicPeers(T)).to.deep.equal(['b'])
  if (!member) {
    // the topic link stays; it is no longer a membership link, so it gets the base timers
    h.input('a', { type: 'neighbor-down', peer: 'b' })
    h.input('b', { type: 'neighbor-down', peer: 'a' })
    // each side pings the other once when it leaves the membership view; both answer
    h.flush()
    expect(h.core('a').topicPeers(T)).to.deep.equal(['b'])
  }
  return h
}

/** `name`'s maintenance timer fires `lateBy` ms after it was due: what a loaded event loop does */
function lateTimer (h: Harness, name: string, lateBy: number): void {
  h.input(name, { type: 'timer-expired', key: 'maintain', timer: { kind: 'maintain', due: h.now - lateBy } })
}

describe('Plumtree topic links under load', () => {
  it('a link that times out is dropped on both sides: TOPIC_LEAVE goes first', () => {
    const h = pair()
    h.cut.add('a|b')
    h.advance(linkTimeout + keepaliveIdle + 3 * maintenanceInterval)
    expect(h.core('a').topicPeers(T)).to.have.length(0)
    expect(h.sent.filter(s => s.from === 'a' && s.to === 'b' && s.message.type === 'topic-leave')).to.have.length(1)
    expect(h.core('a').stats.linkTimeouts).to.equal(1)
    // delivered, the leave drops b's half too
    h.cut.clear()
    h.input('b', { type: 'message', from: 'a', message: { type: 'topic-leave', topic: T } })
    expect(h.core('b').topicPeers(T)).to.not.include('a')
  })

  it('a node whose timers fire seconds late keeps a silent link longer than an idle node', () => {
    const idle = pair()
    const loaded = pair()
    for (const h of [idle, loaded]) {
      h.cut.add('a|b')
    }
    const at = linkTimeout + 2 * maintenanceInterval
    idle.advance(at)
    // the loaded node's timers keep firing 4 s late
    for (let t = 0; t <= at; t += maintenanceInterval) {
      loaded.advance(t)
      lateTimer(loaded, 'a', 4000)
    }
    expect(idle.core('a').topicPeers(T)).to.have.length(0)
    expect(loaded.core('a').topicPeers(T)).to.deep.equal(['b'])
    expect(loaded.core('a').loadEstimate(loaded.now).lag).to.be.above(1000)
    // the lag decays and a dead link still goes, only later
    loaded.advance(at + 60_000)
    expect(loaded.core('a').topicPeers(T)).to.have.length(0)
  })

  it('membership frames from the peer (peer-heard) stand in for topic pings; without them the link is pinged', () => {
    const quiet = pair()
    const heard = pair()
    // not counting the ping each sent when the other left its membership view (pair)
    const setup = quiet.sentOfType('topic-ping', 'a').filter(s => s.to === 'b').length
    for (let t = 1000; t <= 3 * linkTimeout; t += 1000) {
      quiet.advance(t)
      heard.advance(t)
      if (t % 3000 === 0) {
        // a SWIM ping or ack from b every 3 s, as the membership service reports them
        heard.input('a', { type: 'peer-heard', peer: 'b' })
      }
    }
    const pings = (h: Harness): number => h.sentOfType('topic-ping', 'a').filter(s => s.to === 'b').length - setup
    expect(pings(quiet), 'a quiet link is pinged').to.be.at.least(3)
    expect(pings(heard), 'a link whose peer SWIM keeps hearing is not').to.equal(0)
    expect(heard.core('a').topicPeers(T)).to.deep.equal(['b'])
    // and peer-heard says nothing about a peer we hold no link with: no state appears for it
    heard.input('a', { type: 'peer-heard', peer: 'stranger' })
    expect(heard.core('a').topicPeers(T)).to.deep.equal(['b'])
  })

  it('anything from a peer keeps every topic link with it alive, whatever the topic', () => {
    const h = pair([T, T2])
    h.cut.add('a|b')
    for (let t = 2000; t <= 3 * linkTimeout; t += 2000) {
      h.advance(t)
      // b's traffic on the other topic only
      h.input('a', { type: 'message', from: 'b', message: { type: 'topic-ping', topic: T2, nonce: 1 } })
    }
    expect(h.core('a').topicPeers(T)).to.deep.equal(['b'])
  })

  it('a pong is a round-trip sample only when it echoes the ping we sent', () => {
    const h = pair()
    const setup = h.sent.length
    h.cut.add('a|b')
    h.advance(keepaliveIdle + 2 * maintenanceInterval)
    const ping = h.sent.slice(setup).find(s => s.from === 'a' && s.message.type === 'topic-ping')
    expect(ping).to.not.equal(undefined)
    const nonce = (ping?.message as { nonce: number }).nonce
    h.input('a', { type: 'message', from: 'b', message: { type: 'topic-pong', topic: T, nonce: nonce - 5000 } })
    expect(h.core('a').loadEstimate(h.now).rto).to.equal(0)
    h.advance(h.now + keepaliveIdle + 2 * maintenanceInterval)
    const second = h.sent.filter(s => s.from === 'a' && s.message.type === 'topic-ping').at(-1)
    const echoed = (second?.message as { nonce: number }).nonce
    h.now = echoed + 800
    h.input('a', { type: 'message', from: 'b', message: { type: 'topic-pong', topic: T, nonce: echoed } })
    // first RFC 6298 sample R = 800: RTO = R + 4 · R/2
    expect(h.core('a').loadEstimate(h.now).rto).to.equal(800 + 4 * 400)
  })

  it('an acceptance that arrives after the join stopped counting as pending still makes the link', () => {
    const h = new Harness()
    h.add('a')
    h.add('b')
    h.neighbours('a', 'b')
    h.input('b', { type: 'subscribe', topic: T })
    h.flush()
    h.cut.add('a|b')
    h.input('a', { type: 'subscribe', topic: T })
    expect(h.sentOfType('topic-join', 'a').map(s => s.to)).to.deep.equal(['b'])
    h.advance(joinTimeout + 2 * maintenanceInterval)
    // no new join to the same peer while the first may still be answered
    expect(h.sentOfType('topic-join', 'a')).to.have.length(1)
    h.cut.clear()
    h.input('a', { type: 'message', from: 'b', message: { type: 'topic-join-reply', topic: T, accepted: true, others: [] } })
    expect(h.core('a').topicPeers(T)).to.deep.equal(['b'])
    expect(h.sent.filter(s => s.from === 'a' && s.message.type === 'topic-leave')).to.have.length(0)
  })

  it('an unsolicited acceptance is still refused', () => {
    const h = new Harness()
    h.add('a')
    h.input('a', { type: 'subscribe', topic: T })
    h.input('a', { type: 'message', from: 'z', message: { type: 'topic-join-reply', topic: T, accepted: true, others: ['y'] } })
    expect(h.core('a').topicPeers(T)).to.have.length(0)
    expect(h.sent.filter(s => s.from === 'a' && s.to === 'z' && s.message.type === 'topic-leave')).to.have.length(1)
  })
})
