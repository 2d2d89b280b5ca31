import { createRng } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { PresenceCore } from '../src/core/index.ts'
import { NOW, beacon, query } from './helpers.ts'
import type { PresenceConfig, PresenceEffect } from '../src/core/index.ts'

function core (config: Partial<PresenceConfig> = {}, neighbors = ['a', 'b', 'c', 'd', 'e']): PresenceCore<string> {
  const c = new PresenceCore('self', createRng(1), config)
  c.handle({ type: 'neighbors', peers: neighbors }, NOW)
  return c
}

function sends (effects: Array<PresenceEffect<string>>): Array<{ to: string, type: string, ttl?: number }> {
  return effects.flatMap(e => e.type === 'send' ? [{ to: e.to, type: e.message.type, ttl: e.message.type === 'query' ? e.message.ttl : undefined }] : [])
}

function events (effects: Array<PresenceEffect<string>>): string[] {
  return effects.flatMap(e => e.type === 'emit' ? [e.event.type] : [])
}

describe('presence core: beacons', () => {
  it('accepts a fresh signed beacon and emits peer-found', () => {
    const c = core()
    const effects = c.handle({ type: 'beacon', from: 'a', beacon: beacon('x'), signatureValid: true }, NOW)
    expect(events(effects)).to.deep.equal(['peer-found'])
    expect(c.lookup('x', NOW)).to.have.property('peer', 'x')
  })

  it('refuses and counts an unsigned or forged beacon', () => {
    const c = core()
    expect(c.handle({ type: 'beacon', from: 'a', beacon: beacon('x'), signatureValid: false }, NOW)).to.deep.equal([])
    expect(c.drops['bad-signature']).to.equal(1)
    expect(c.lookup('x', NOW)).to.equal(undefined)
  })

  it('refuses a replayed or older seq, accepts a newer one', () => {
    const c = core()
    c.handle({ type: 'beacon', from: 'a', beacon: beacon('x', { seq: 10 }), signatureValid: true }, NOW)
    c.handle({ type: 'beacon', from: 'b', beacon: beacon('x', { seq: 10 }), signatureValid: true }, NOW)
    c.handle({ type: 'beacon', from: 'b', beacon: beacon('x', { seq: 9 }), signatureValid: true }, NOW)
    expect(c.drops.replayed).to.equal(2)
    c.handle({ type: 'beacon', from: 'b', beacon: beacon('x', { seq: 11, addrs: [] }), signatureValid: true }, NOW)
    expect(c.lookup('x', NOW)?.seq).to.equal(11)
  })

  it('refuses beacons from the future beyond the skew, accepts within it', () => {
    const c = core()
    c.handle({ type: 'beacon', from: 'a', beacon: beacon('x', { issuedAtMs: NOW + 121_000, expiresAtMs: NOW + 900_000 }), signatureValid: true }, NOW)
    expect(c.drops['from-future']).to.equal(1)
    c.handle({ type: 'beacon', from: 'a', beacon: beacon('y', { issuedAtMs: NOW + 119_000, expiresAtMs: NOW + 900_000 }), signatureValid: true }, NOW)
    expect(c.lookup('y', NOW)).to.not.equal(undefined)
  })

  it('refuses expired beacons and lifetimes longer than the TTL', () => {
    const c = core()
    c.handle({ type: 'beacon', from: 'a', beacon: beacon('x', { issuedAtMs: NOW - 2_000_000, expiresAtMs: NOW - 200_000 }), signatureValid: true }, NOW)
    c.handle({ type: 'beacon', from: 'a', beacon: beacon('y', { expiresAtMs: NOW + 86_400_000 }), signatureValid: true }, NOW)
    expect(c.drops.expired).to.equal(1)
    expect(c.drops['ttl-too-long']).to.equal(1)
  })

  it('forgets records once they expire', () => {
    const c = core()
    c.handle({ type: 'beacon', from: 'a', beacon: beacon('x'), signatureValid: true }, NOW)
    expect(c.lookup('x', NOW + 899_999)).to.not.equal(undefined)
    expect(c.lookup('x', NOW + 900_000)).to.equal(undefined)
    c.handle({ type: 'timer-expired', key: 'prune', timer: { type: 'prune' } }, NOW + 900_000)
    expect(c.recordCount).to.equal(0)
  })

  it('bounds the record cache, evicting the record that expires first', () => {
    const c = core({ maxRecords: 2 })
    c.handle({ type: 'beacon', from: 'a', beacon: beacon('x', { expiresAtMs: NOW + 100_000 }), signatureValid: true }, NOW)
    c.handle({ type: 'beacon', from: 'a', beacon: beacon('y'), signatureValid: true }, NOW)
    c.handle({ type: 'beacon', from: 'a', beacon: beacon('z'), signatureValid: true }, NOW)
    expect(c.recordCount).to.equal(2)
    expect(c.lookup('x', NOW)).to.equal(undefined)
  })

  it('rate limits beacons per neighbour', () => {
    const c = core({ beaconBurst: 3, beaconRatePerSec: 1 })
    for (let i = 0; i < 5; i++) {
      c.handle({ type: 'beacon', from: 'a', beacon: beacon(`p${i}`), signatureValid: true }, NOW)
    }
    expect(c.drops['rate-limited']).to.equal(2)
    c.handle({ type: 'beacon', from: 'b', beacon: beacon('q'), signatureValid: true }, NOW)
    expect(c.lookup('q', NOW)).to.not.equal(undefined)
  })

  it('asks for a beacon with a seq that grows across restarts', () => {
    const c = new PresenceCore('self', createRng(1), {}, NOW + 5)
    const effects = c.handle({ type: 'timer-expired', key: 'beacon', timer: { type: 'beacon-due' } }, NOW)
    const due = effects.find(e => e.type === 'emit')
    expect(due).to.deep.include({ event: { type: 'beacon-due', seq: NOW + 6 } })
  })
})

describe('presence core: FOAF queries', () => {
  it('answers the origin directly when it holds the target, and does not forward', () => {
    const c = core()
    c.handle({ type: 'beacon', from: 'a', beacon: beacon('t'), signatureValid: true }, NOW)
    const effects = c.handle({ type: 'query', from: 'b', query: query('o', 't'), signatureValid: true }, NOW)
    expect(sends(effects)).to.deep.equal([{ to: 'o', type: 'reply', ttl: undefined }])
  })

  it('forwards to `fanout` neighbours other than the sender and the origin, with ttl - 1', () => {
    const c = core({ fanout: 3 }, ['a', 'b', 'c', 'd', 'o'])
    const out = sends(c.handle({ type: 'query', from: 'a', query: query('o', 't', { ttl: 3 }), signatureValid: true }, NOW))
    expect(out).to.have.length(3)
    expect(out.map(s => s.to)).to.not.include.members(['a', 'o'])
    expect(out.every(s => s.ttl === 2)).to.equal(true)
  })

  it('stops forwarding at ttl 1', () => {
    const c = core()
    expect(sends(c.handle({ type: 'query', from: 'a', query: query('o', 't', { ttl: 1 }), signatureValid: true }, NOW))).to.deep.equal([])
  })

  it('drops duplicates of a query id', () => {
    const c = core()
    const q = query('o', 't')
    c.handle({ type: 'query', from: 'a', query: q, signatureValid: true }, NOW)
    expect(c.handle({ type: 'query', from: 'b', query: { ...q, ttl: 2 }, signatureValid: true }, NOW)).to.deep.equal([])
    expect(c.drops['duplicate-query']).to.equal(1)
  })

  it('drops forged, over-long, inflated-ttl and stale queries', () => {
    const c = core()
    c.handle({ type: 'query', from: 'a', query: query('o', 't'), signatureValid: false }, NOW)
    c.handle({ type: 'query', from: 'a', query: query('o', 't', { hopLimit: 9, ttl: 9 }), signatureValid: true }, NOW)
    c.handle({ type: 'query', from: 'a', query: query('o', 't', { hopLimit: 2, ttl: 3 }), signatureValid: true }, NOW)
    c.handle({ type: 'query', from: 'a', query: query('o', 't', { issuedAtMs: NOW - 61_000 }), signatureValid: true }, NOW)
    expect(c.drops['bad-signature']).to.equal(1)
    expect(c.drops['bad-ttl']).to.equal(2)
    expect(c.drops['stale-query']).to.equal(1)
  })

  it('rate limits queries per neighbour, refilling over time', () => {
    const c = core({ queryBurst: 4, queryRatePerSec: 2 })
    for (let i = 0; i < 6; i++) {
      c.handle({ type: 'query', from: 'a', query: query('o', 't', { ttl: 1 }), signatureValid: true }, NOW)
    }
    expect(c.drops['rate-limited']).to.equal(2)
    c.handle({ type: 'query', from: 'a', query: query('o', 't', { ttl: 1 }), signatureValid: true }, NOW + 500)
    expect(c.drops['rate-limited']).to.equal(2)
    c.handle({ type: 'query', from: 'a', query: query('o', 't', { ttl: 1 }), signatureValid: true }, NOW + 500)
    expect(c.drops['rate-limited']).to.equal(3)
  })
})

describe('presence core: admission before verification', () => {
  it('admit charges the same bucket as handle, and admitted frames are not charged twice', () => {
    const c = core({ queryBurst: 2, queryRatePerSec: 1 })
    expect(c.admit('query', 'a', NOW)).to.equal(true)
    c.handle({ type: 'query', from: 'a', query: query('o', 't', { ttl: 1 }), signatureValid: true, admitted: true }, NOW)
    expect(c.admit('query', 'a', NOW)).to.equal(true)
    expect(c.admit('query', 'a', NOW)).to.equal(false)
    expect(c.drops['rate-limited']).to.equal(1)
    expect(c.admit('beacon', 'a', NOW)).to.equal(true)
  })
})

describe('presence core: finding a peer', () => {
  it('answers from the cache without sending anything', () => {
    const c = core()
    c.handle({ type: 'beacon', from: 'a', beacon: beacon('t'), signatureValid: true }, NOW)
    const effects = c.handle({ type: 'find', id: 'q1', target: 't', query: query('self', 't', { id: 'q1' }) }, NOW)
    expect(events(effects)).to.deep.equal(['query-answered'])
    expect(sends(effects)).to.deep.equal([])
  })

  it('queries `originFanout` neighbours, accepts a signed reply and answers', () => {
    const c = core({ originFanout: 4 })
    const out = c.handle({ type: 'find', id: 'q1', target: 't', query: query('self', 't', { id: 'q1' }), ask: false }, NOW)
    expect(new Set(sends(out).map(s => s.to)).size).to.equal(4)
    expect(sends(out).every(s => ['a', 'b', 'c', 'd', 'e'].includes(s.to))).to.equal(true)
    const effects = c.handle({ type: 'reply', from: 'z', id: 'q1', beacons: [{ beacon: beacon('t'), signatureValid: true }] }, NOW + 10)
    expect(events(effects)).to.deep.equal(['peer-found', 'query-answered'])
  })

  it('asks its neighbours by name first; an asked neighbour\'s signed reply answers and no query is sent', () => {
    const c = core({ askFanout: 8 })
    const out = c.handle({ type: 'find', id: 'q1', target: 't', query: query('self', 't', { id: 'q1' }) }, NOW)
    expect(sends(out).map(s => s.type)).to.deep.equal(['ask', 'ask', 'ask', 'ask', 'ask'])
    expect(c.handle({ type: 'hint', from: 'a', id: 'q1' }, NOW + 5)).to.deep.equal([])
    const answered = c.handle({ type: 'reply', from: 'b', id: 'q1', beacons: [{ beacon: beacon('t'), signatureValid: true }] }, NOW + 6)
    expect(events(answered)).to.deep.equal(['peer-found', 'query-answered'])
    expect(sends(answered)).to.deep.equal([])
    // later answers change nothing
    expect(sends(c.handle({ type: 'hint', from: 'c', id: 'q1' }, NOW + 7))).to.deep.equal([])
    expect(c.drops['unsolicited-reply']).to.equal(1)
    expect(c.counters.asksReplied).to.equal(1)
  })

  it('sends the signed query once every asked neighbour said no (a forged reply counts as no), or at the ask deadline', () => {
    const c = core({ askFanout: 2, originFanout: 3, askTimeoutMs: 500 })
    const asked = sends(c.handle({ type: 'find', id: 'q1', target: 't', query: query('self', 't', { id: 'q1' }) }, NOW)).map(s => s.to)
    expect(asked).to.have.length(2)
    expect(sends(c.handle({ type: 'hint', from: asked[0], id: 'q1' }, NOW + 1))).to.deep.equal([])
    const queried = sends(c.handle({ type: 'reply', from: asked[1], id: 'q1', beacons: [{ beacon: beacon('t'), signatureValid: false }] }, NOW + 2))
    expect(queried.map(s => s.type)).to.deep.equal(['query', 'query', 'query'])
    expect(c.drops['bad-signature']).to.equal(1)
    // a hint from someone not asked is dropped
    expect(c.handle({ type: 'hint', from: 'zz', id: 'q1' }, NOW + 3)).to.deep.equal([])
    expect(c.drops['unsolicited-reply']).to.equal(1)

    const d = core({ askFanout: 2, originFanout: 3, askTimeoutMs: 500 })
    d.handle({ type: 'find', id: 'q2', target: 't', query: query('self', 't', { id: 'q2' }) }, NOW)
    const late = d.handle({ type: 'timer-expired', key: 'ask:q2', timer: { type: 'ask-deadline', id: 'q2' } }, NOW + 500)
    expect(sends(late).map(s => s.type)).to.deep.equal(['query', 'query', 'query'])
    // a group-mode lookup never names its target to anyone: straight to the signed query
    expect(sends(d.handle({ type: 'find', id: 'q3', target: 't', query: query('self', 't', { id: 'q3' }), ask: false }, NOW)).map(s => s.type)).to.deep.equal(['query', 'query', 'query'])
  })

  it('answers a neighbour\'s ask with the signed record, or a hint that it holds none; charges its query bucket', () => {
    const c = core({ queryBurst: 2, queryRatePerSec: 1 })
    c.handle({ type: 'beacon', from: 'a', beacon: beacon('x'), signatureValid: true }, NOW)
    const reply = c.handle({ type: 'ask', from: 'b', id: 'q1', target: 'x' }, NOW)
    expect(reply).to.have.length(1)
    expect(reply[0]).to.have.nested.property('message.type', 'reply')
    expect((reply[0] as any).message.beacons).to.have.length(1)
    expect((reply[0] as any).to).to.equal('b')
    const none = c.handle({ type: 'ask', from: 'b', id: 'q2', target: 'unknown' }, NOW)
    expect(none[0]).to.have.nested.property('message.type', 'hint')
    expect(c.handle({ type: 'ask', from: 'b', id: 'q3', target: 'x' }, NOW)).to.deep.equal([])
    expect(c.drops['rate-limited']).to.equal(1)
    // a record opened from a group seal is never given out
    c.handle({ type: 'beacon', from: 'a', beacon: { ...beacon('g'), fromGroup: true }, signatureValid: true }, NOW)
    expect(c.handle({ type: 'ask', from: 'c', id: 'q4', target: 'g' }, NOW)[0]).to.have.nested.property('message.type', 'hint')
  })

  it('refuses forged records in a reply', () => {
    const c = core()
    c.handle({ type: 'find', id: 'q1', target: 't', query: query('self', 't', { id: 'q1' }) }, NOW)
    const effects = c.handle({ type: 'reply', from: 'z', id: 'q1', beacons: [{ beacon: beacon('t'), signatureValid: false }] }, NOW)
    expect(events(effects)).to.deep.equal([])
    expect(c.drops['bad-signature']).to.equal(1)
  })

  it('drops replies nobody asked for', () => {
    const c = core()
    expect(c.handle({ type: 'reply', from: 'z', id: 'nope', beacons: [{ beacon: beacon('t'), signatureValid: true }] }, NOW)).to.deep.equal([])
    expect(c.drops['unsolicited-reply']).to.equal(1)
    expect(c.lookup('t', NOW)).to.equal(undefined)
  })

  it('enforces the reply budget per query', () => {
    const c = core({ replyBudget: 2 })
    c.handle({ type: 'find', id: 'q1', target: 't', query: query('self', 't', { id: 'q1' }) }, NOW)
    for (let i = 0; i < 4; i++) {
      c.handle({ type: 'reply', from: `r${i}`, id: 'q1', beacons: [{ beacon: beacon(`other${i}`), signatureValid: true }] }, NOW)
    }
    expect(c.counters.repliesAccepted).to.equal(2)
    expect(c.drops['over-budget']).to.equal(2)
  })

  it('fails the query at its deadline', () => {
    const c = core()
    c.handle({ type: 'find', id: 'q1', target: 't', query: query('self', 't', { id: 'q1' }) }, NOW)
    const effects = c.handle({ type: 'timer-expired', key: 'query:q1', timer: { type: 'query-deadline', id: 'q1' } }, NOW + 3000)
    expect(events(effects)).to.deep.equal(['query-failed'])
    c.handle({ type: 'reply', from: 'z', id: 'q1', beacons: [{ beacon: beacon('t'), signatureValid: true }] }, NOW + 3001)
    expect(c.drops['unsolicited-reply']).to.equal(1)
  })
})

describe('presence core: group beacons by tag', () => {
  it('stores a sealed beacon by tag and returns it to a query carrying that tag, without forwarding', () => {
    const c = core()
    c.handle({ type: 'sealed', from: 'a', tag: 'aa', wire: Uint8Array.of(7) }, NOW)
    const effects = c.handle({ type: 'query', from: 'b', query: query('o', undefined as unknown as string, { target: undefined, tags: ['ff', 'aa'] }), signatureValid: true }, NOW)
    expect(effects).to.deep.equal([{ type: 'send', to: 'o', message: { type: 'reply', id: effects[0].type === 'send' && effects[0].message.type === 'reply' ? effects[0].message.id : '', beacons: [], sealed: [Uint8Array.of(7)], origin: 'o' } }])
  })

  it('forgets sealed beacons after the beacon TTL', () => {
    const c = core()
    c.handle({ type: 'sealed', from: 'a', tag: 'aa', wire: Uint8Array.of(7) }, NOW)
    const effects = c.handle({ type: 'query', from: 'b', query: query('o', 't', { target: undefined, tags: ['aa'], ttl: 1, issuedAtMs: NOW + 900_000 }), signatureValid: true }, NOW + 900_000)
    expect(sends(effects)).to.deep.equal([])
  })

  it('never answers a public query with a record opened from a group seal', () => {
    const c = core()
    c.handle({ type: 'beacon', from: 'a', beacon: beacon('t', { fromGroup: true }), signatureValid: true }, NOW)
    const effects = c.handle({ type: 'query', from: 'b', query: query('o', 't', { ttl: 1 }), signatureValid: true }, NOW)
    expect(sends(effects)).to.deep.equal([])
    expect(c.lookup('t', NOW)).to.not.equal(undefined)
  })

  it('drops a query with more tags than allowed', () => {
    const c = core({ maxTags: 2 })
    c.handle({ type: 'query', from: 'b', query: query('o', 't', { tags: ['1', '2', '3'] }), signatureValid: true }, NOW)
    expect(c.drops['too-many-tags']).to.equal(1)
  })
})

describe('presence core: own beacon', () => {
  it('sends the current beacon to the active view and to each new neighbour once', () => {
    const c = core({}, ['a'])
    const announced = c.handle({ type: 'announce', frames: [Uint8Array.of(1)], to: ['a'] }, NOW)
    expect(sends(announced)).to.deep.equal([{ to: 'a', type: 'beacon', ttl: undefined }])
    expect(sends(c.handle({ type: 'neighbors', peers: ['a', 'b'] }, NOW)).map(s => s.to)).to.deep.equal(['b'])
    expect(sends(c.handle({ type: 'neighbors', peers: ['a', 'b'] }, NOW))).to.deep.equal([])
  })
})

describe('presence core: topic scopes (friends of a friend in the topics we share)', () => {
  const scoped = (config: Partial<PresenceConfig> = {}): PresenceCore<string> => {
    const c = core(config, ['m1', 'm2', 'm3'])
    c.handle({ type: 'announce', frames: [Uint8Array.of(7)], to: ['m1', 'm2', 'm3'] }, NOW)
    c.handle({ type: 'scope-neighbors', scope: 'S', peers: ['t1', 't2', 't3', 't4', 't5'] }, NOW)
    return c
  }

  it('a scoped lookup asks `originFanout` topic neighbours and `originOverlayFanout` membership neighbours', () => {
    const c = scoped({ originFanout: 4, originOverlayFanout: 2, askFanout: 0 })
    const to = sends(c.handle({ type: 'find', id: 'q1', target: 'x', query: query('self', 'x', { id: 'q1', scopes: ['S'] }) }, NOW)).map(s => s.to)
    expect(to.filter(p => p.startsWith('t'))).to.have.length(4)
    expect(to.filter(p => p.startsWith('m'))).to.have.length(2)
    // a lookup naming no topic we share walks the membership overlay only
    const plain = sends(c.handle({ type: 'find', id: 'q2', target: 'x', query: query('self', 'x', { id: 'q2', scopes: ['other'] }) }, NOW)).map(s => s.to)
    expect(plain.every(p => p.startsWith('m'))).to.equal(true)
  })

  it('a forwarder in the query\'s topic forwards to its neighbours there, one outside it to its membership neighbours', () => {
    const c = scoped({ fanout: 3 })
    const inside = sends(c.handle({ type: 'query', from: 't1', query: query('o', 'x', { scopes: ['S'] }), signatureValid: true }, NOW)).map(s => s.to)
    expect(inside).to.have.length(3)
    expect(inside.every(p => p.startsWith('t') && p !== 't1')).to.equal(true)
    const outside = sends(c.handle({ type: 'query', from: 'm1', query: query('o', 'x', { scopes: ['elsewhere'] }), signatureValid: true }, NOW)).map(s => s.to)
    expect(outside.every(p => p.startsWith('m') && p !== 'm1')).to.equal(true)
  })

  it('a new topic neighbour gets our beacon and our other topic neighbours\' records; they get its record', () => {
    const c = scoped({ beaconBurst: 10 })
    // t1 and t2 signed their own beacons to us: each goes on to the rest of the topic, once
    const relayed = sends(c.handle({ type: 'beacon', from: 't1', beacon: beacon('t1'), signatureValid: true }, NOW)).map(s => s.to)
    expect(relayed.sort()).to.deep.equal(['t2', 't3', 't4', 't5'])
    c.handle({ type: 'beacon', from: 't2', beacon: beacon('t2'), signatureValid: true }, NOW)
    // m1 (a membership neighbour, whose record we hold) joins the topic view
    c.handle({ type: 'beacon', from: 'm1', beacon: beacon('m1'), signatureValid: true }, NOW)
    const joined = sends(c.handle({ type: 'scope-neighbors', scope: 'S', peers: ['t1', 't2', 't3', 't4', 't5', 'm1'] }, NOW))
    const toM1 = joined.filter(s => s.to === 'm1')
    // m1 already had our beacon as a membership neighbour: it gets t1's and t2's records
    expect(toM1).to.have.length(2)
    // the old topic neighbours get m1's record
    expect(joined.filter(s => s.to !== 'm1').map(s => s.to).sort()).to.deep.equal(['t1', 't2', 't3', 't4', 't5'])
  })

  it('never relays a relayed beacon, nor a membership-only neighbour\'s', () => {
    const c = scoped()
    // t1 forwards x's beacon: accepted, not passed on
    expect(sends(c.handle({ type: 'beacon', from: 't1', beacon: beacon('x'), signatureValid: true }, NOW))).to.deep.equal([])
    expect(c.lookup('x', NOW)).to.not.equal(undefined)
    // m2 shares no topic with us: its beacon stays here
    expect(sends(c.handle({ type: 'beacon', from: 'm2', beacon: beacon('m2'), signatureValid: true }, NOW))).to.deep.equal([])
  })

  it('introductions stay within the receiver\'s beacon burst', () => {
    const c = core({ beaconBurst: 3 }, [])
    c.handle({ type: 'scope-neighbors', scope: 'S', peers: ['a', 'b', 'c', 'd', 'e'] }, NOW)
    for (const p of ['a', 'b', 'c', 'd', 'e']) {
      c.handle({ type: 'beacon', from: p, beacon: beacon(p), signatureValid: true }, NOW + 1000 * ['a', 'b', 'c', 'd', 'e'].indexOf(p))
    }
    const out = sends(c.handle({ type: 'scope-neighbors', scope: 'S', peers: ['a', 'b', 'c', 'd', 'e', 'n'] }, NOW + 10_000))
    expect(out.filter(s => s.to === 'n')).to.have.length(2)
  })

  it('drops a query naming more scopes than allowed, and forgets a scope given an empty view', () => {
    const c = scoped({ maxScopes: 2 })
    c.handle({ type: 'query', from: 't1', query: query('o', 'x', { scopes: ['S', 'S2', 'S3'] }), signatureValid: true }, NOW)
    expect(c.drops['too-many-scopes']).to.equal(1)
    c.handle({ type: 'scope-neighbors', scope: 'S', peers: [] }, NOW)
    const to = sends(c.handle({ type: 'query', from: 'm1', query: query('o', 'x', { scopes: ['S'] }), signatureValid: true }, NOW)).map(s => s.to)
    expect(to.every(p => p.startsWith('m'))).to.equal(true)
  })
})
