import { expect } from 'aegir/chai'
import { T, digest, line, publish } from './harness-helpers.ts'
import { Harness } from './harness.ts'
import type { AeDigestMessage } from '../src/core/messages.ts'

/** Topic-link liveness (src/core/liveness.ts, SPEC.md §7.13) */

/** A hub linked to a, b and c on topic T (a and b also to each other), 2 s after subscribing */
function hubWithThree (): Harness {
  const h = new Harness()
  h.now = 100_000
  for (const n of ['hub', 'a', 'b', 'c']) {
    h.add(n)
  }
  for (const n of ['a', 'b', 'c']) {
    h.neighbours('hub', n)
  }
  h.neighbours('a', 'b')
  for (const n of ['hub', 'a', 'b', 'c']) {
    h.input(n, { type: 'subscribe', topic: T })
  }
  h.advance(h.now + 2000)
  expect(h.core('hub').topicPeers(T).sort()).to.deep.equal(['a', 'b', 'c'])
  return h
}

describe('topic-link liveness', () => {
  it('anti-entropy traffic from a topic neighbour counts as liveness', () => {
    const h = new Harness()
    h.now = 100_000
    h.add('a', { config: { aePeriod: 1000 } })
    h.input('a', { type: 'subscribe', topic: T })
    // b (simulated by hand) joins a and from then on only answers and starts anti-entropy sessions
    h.input('a', { type: 'message', from: 'b', message: { type: 'topic-join', topic: T, urgent: true } })
    expect(h.core('a').topicPeers(T)).to.deep.equal(['b'])
    // a session needs something in a's window (an empty window starts none)
    publish(h, 'a')
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
  })

  it('a lost connection drops the topic link but keeps the peer as a candidate; a dead verdict forgets it', () => {
    const h = new Harness()
    line(h, ['a', 'b'])
    expect(h.core('a').topicPeers(T)).to.deep.equal(['b'])
    // no longer a membership neighbour: the link stays on its own
    h.input('a', { type: 'neighbor-down', peer: 'b' })
    h.input('a', { type: 'connection-lost', peer: 'b' })
    expect(h.core('a').topicPeers(T), 'links after connection-lost').to.deep.equal([])
    expect(h.core('a').knownSubscribers(T), 'candidates after connection-lost').to.deep.equal(['b'])
    h.input('a', { type: 'peer-down', peer: 'b' })
    expect(h.core('a').knownSubscribers(T), 'candidates after peer-down').to.deep.equal([])
  })

  it('on a busy topic a silent neighbour is pinged early and dropped when its ping goes unanswered through the traffic; live neighbours stay, and a quiet topic waits for linkTimeout', () => {
    const run = (traffic: boolean): { peers: string[], busyDrops: number } => {
      const h = hubWithThree()
      // c crashes silently: no lost connection, no verdict, nothing comes back
      h.cut.add('hub|c')
      h.cut.add('a|c')
      h.cut.add('b|c')
      for (let i = 0; i < 60; i++) {
        if (traffic) {
          publish(h, i % 2 === 0 ? 'a' : 'b')
        }
        h.advance(h.now + 100)
      }
      return { peers: h.core('hub').topicPeers(T).sort(), busyDrops: h.core('hub').stats.linkTimeoutsBusy }
    }
    const busy = run(true)
    expect(busy.peers, '6 s of 10 msg/s after c fell silent').to.deep.equal(['a', 'b'])
    expect(busy.busyDrops).to.equal(1)
    const quiet = run(false)
    expect(quiet.peers, '6 s of a quiet topic: linkTimeout (15 s) still holds').to.deep.equal(['a', 'b', 'c'])
    expect(quiet.busyDrops).to.equal(0)
  })

  it('on a busy topic a neighbour whose ping goes unanswered is replaced before it is dropped; a live neighbour that is only ever pushed to is not', () => {
    const run = (crash: boolean): { joinWhileLinked: boolean, joinsToD: number, peers: string[] } => {
      const h = new Harness()
      h.now = 100_000
      h.add('hub', { config: { topicActiveTarget: 3 } })
      for (const n of ['a', 'b', 'c', 'd', 'e']) {
        // d and e are each other's only link and want no more: d is a candidate the hub may ask
        h.add(n, { config: n === 'd' || n === 'e' ? { topicActiveTarget: 1 } : {} })
      }
      for (const n of ['a', 'b', 'c']) {
        h.neighbours('hub', n)
      }
      h.neighbours('a', 'b')
      h.neighbours('d', 'e')
      for (const n of ['hub', 'a', 'b', 'c', 'd', 'e']) {
        h.input(n, { type: 'subscribe', topic: T })
      }
      h.advance(h.now + 2000)
      expect(h.core('hub').topicPeers(T).sort()).to.deep.equal(['a', 'b', 'c'])
      // d becomes a membership neighbour of the full hub: no reason to join it yet
      h.neighbours('hub', 'd')
      h.advance(h.now + 2000)
      expect(h.sentOfType('topic-join', 'hub').filter(s => s.to === 'd'), 'joins to d before any silence').to.have.length(0)
      if (crash) {
        // c (a leaf the hub only pushes to) crashes silently
        h.cut.add('hub|c')
      }
      let joinWhileLinked = false
      for (let i = 0; i < 60; i++) {
        publish(h, i % 2 === 0 ? 'a' : 'b')
        h.advance(h.now + 100)
        const joined = h.sentOfType('topic-join', 'hub').some(s => s.to === 'd')
        joinWhileLinked ||= joined && h.core('hub').topicPeers(T).includes('c')
      }
      expect(h.core('hub').stats.joinsForSuspects, 'joins counted as replacements').to.equal(joinWhileLinked ? 1 : 0)
      return {
        joinWhileLinked,
        joinsToD: h.sentOfType('topic-join', 'hub').filter(s => s.to === 'd').length,
        peers: h.core('hub').topicPeers(T).sort()
      }
    }
    const crashed = run(true)
    expect(crashed.joinWhileLinked, 'the replacement was asked while the dead link was still held').to.equal(true)
    expect(crashed.peers, '6 s after c fell silent').to.deep.equal(['a', 'b', 'd'])
    const alive = run(false)
    expect(alive.joinsToD, 'c answers its pings: nobody replaces it').to.equal(0)
    expect(alive.peers).to.deep.equal(['a', 'b', 'c'])
  })

  it('an idle topic link with a membership neighbour (SWIM watches it) goes unpinged and stays; one known only from a connection is pinged and, silent, dropped at linkTimeout', () => {
    const run = (monitored: boolean): { peers: string[], pingsToC: number, pingsToA: number } => {
      const h = hubWithThree()
      if (!monitored) {
        // membership dropped c while a plumtree connection to it stays (the service's sources)
        h.input('hub', { type: 'neighbor-up', peer: 'c', monitored: false })
      }
      // c falls silent on a quiet topic; in this harness no SWIM runs, so no verdict comes
      h.cut.add('hub|c')
      const sent = (to: string): number => h.sentOfType('topic-ping', 'hub').filter(s => s.to === to).length
      const [c0, a0] = [sent('c'), sent('a')]
      for (let i = 0; i < 20; i++) {
        h.advance(h.now + 1000)
      }
      return { peers: h.core('hub').topicPeers(T).sort(), pingsToC: sent('c') - c0, pingsToA: sent('a') - a0 }
    }
    const watched = run(true)
    expect(watched.pingsToC, 'keepalive pings to a watched neighbour in 20 s').to.equal(0)
    expect(watched.pingsToA).to.equal(0)
    expect(watched.peers, '20 s of silence: SWIM, not the topic layer, judges it').to.deep.equal(['a', 'b', 'c'])
    const unwatched = run(false)
    expect(unwatched.pingsToC, 'keepalive pings to an unwatched neighbour').to.be.at.least(1)
    expect(unwatched.pingsToA, 'a is still watched').to.equal(0)
    expect(unwatched.peers, 'dropped at linkTimeout (15 s)').to.deep.equal(['a', 'b'])
  })

  it('membership dropping a peer whose connection stays makes it unwatched, but does not bring back one a dead verdict removed', () => {
    const h = hubWithThree()
    const subscriptionsTo = (to: string): number => h.sentOfType('subscriptions', 'hub').filter(s => s.to === to).length
    h.input('hub', { type: 'peer-down', peer: 'c' })
    const before = subscriptionsTo('c')
    h.input('hub', { type: 'neighbor-unwatched', peer: 'c' })
    expect(subscriptionsTo('c') - before, 'no SUBSCRIPTIONS to a peer the verdict removed').to.equal(0)
    // a held neighbour does become unwatched: its silent link is pinged again after keepaliveIdle
    h.input('hub', { type: 'neighbor-unwatched', peer: 'a' })
    h.cut.add('hub|a')
    const pings = h.sentOfType('topic-ping', 'hub').filter(s => s.to === 'a').length
    for (let i = 0; i < 8; i++) {
      h.advance(h.now + 1000)
    }
    expect(h.sentOfType('topic-ping', 'hub').filter(s => s.to === 'a').length - pings, 'keepalive pings to a after 8 silent seconds').to.be.at.least(1)
  })

  it('a topic neighbour that leaves the membership view is pinged at once and, silent, dropped after one busy timeout even on a quiet topic; one that answers keeps its link', () => {
    const run = (crash: boolean): { peers: string[], pingsToC: number, doubtedDrops: number } => {
      const h = hubWithThree()
      if (crash) {
        // c crashes silently, and nothing is published: the hub hears nothing on any link
        h.cut.add('hub|c')
      }
      // membership drops c (a failed SWIM probe, or a swap): the topic link is not membership's
      const pingsBefore = h.sentOfType('topic-ping', 'hub').filter(s => s.to === 'c').length
      h.input('hub', { type: 'neighbor-down', peer: 'c' })
      const pingsToC = h.sentOfType('topic-ping', 'hub').filter(s => s.to === 'c').length - pingsBefore
      h.advance(h.now + 4000)
      return { peers: h.core('hub').topicPeers(T).sort(), pingsToC, doubtedDrops: h.core('hub').stats.linkTimeoutsDoubted }
    }
    const dead = run(true)
    expect(dead.pingsToC, 'pings sent to c when it left the membership view').to.equal(1)
    expect(dead.peers, '4 s after a silent c left the membership view (linkTimeout is 15 s)').to.deep.equal(['a', 'b'])
    expect(dead.doubtedDrops).to.equal(1)
    const alive = run(false)
    expect(alive.peers, 'c answers the ping: its link stays').to.deep.equal(['a', 'b', 'c'])
    expect(alive.doubtedDrops).to.equal(0)
  })

  it('on a busy topic a likely-dead eager neighbour gets announcements instead of copies until its link is dropped; a live one gets every copy', () => {
    const run = (crash: boolean): { withheld: number, copiesWhileSuspect: number, peers: string[], deliveredAtC: number } => {
      const h = hubWithThree()
      if (crash) {
        // c, a leaf only the hub pushes to, crashes silently
        h.cut.add('hub|c')
        h.cut.add('a|c')
        h.cut.add('b|c')
      }
      const copiesToC = (): number => h.sent.filter(s => s.from === 'hub' && s.to === 'c' && s.message.type === 'gossip').length
      let copiesWhileSuspect = 0
      let suspect = false
      for (let i = 0; i < 60; i++) {
        const before = copiesToC()
        publish(h, i % 2 === 0 ? 'a' : 'b')
        h.advance(h.now + 100)
        if (suspect && h.core('hub').topicPeers(T).includes('c')) {
          copiesWhileSuspect += copiesToC() - before
        }
        suspect ||= h.core('hub').stats.pushesWithheld > 0
      }
      return { withheld: h.core('hub').stats.pushesWithheld, copiesWhileSuspect, peers: h.core('hub').topicPeers(T).sort(), deliveredAtC: h.delivered('c').length }
    }
    const dead = run(true)
    expect(dead.withheld, 'copies replaced by IHAVE for the crashed c').to.be.at.least(3)
    expect(dead.copiesWhileSuspect, 'copies pushed to c once it was likely dead').to.equal(0)
    expect(dead.peers, 'its link still goes by the busy rule').to.deep.equal(['a', 'b'])
    const alive = run(false)
    expect(alive.withheld).to.equal(0)
    expect(alive.deliveredAtC, 'messages c received').to.equal(60)
  })
})
