import { expect } from 'aegir/chai'
import { LwwMap } from '../src/core/lww-map.ts'
import { OrSet } from '../src/core/orset.ts'
import { Replica } from '../src/core/replica.ts'
import { canon } from './helpers/histories.ts'

const one = (replica: string): { replica: string, from: number, to: number } => ({ replica, from: 1, to: 1 })
const config = { maxClockSkewMs: 1000, maxLoggedDeltas: 2, tombstoneHorizonMs: 0 }

describe('replica: author check and delta-intervals', () => {
  it('refuses an OR-Set delta whose dots claim another author, state unchanged', () => {
    const r = new Replica('me', 'orset', config)
    const forged = new OrSet().add('alice', 'x')
    expect(r.receive('mallory', forged, { replica: 'mallory', from: 1, to: 1 }, 0)).to.equal('forged-author')
    expect(r.receive('mallory', forged, { replica: 'alice', from: 1, to: 1 }, 0)).to.equal('forged-author')
    expect((r.state as OrSet).size).to.equal(0)
    expect(r.receive('alice', forged, one('alice'), 0)).to.equal('applied')
    expect(r.receive('alice', forged, one('alice'), 0)).to.equal('duplicate')
  })

  it('refuses LWW writes claiming another writer or stamped beyond the skew bound', () => {
    const r = new Replica('me', 'lww', config)
    const forged = new LwwMap().set('k', new Uint8Array([1]), { wall: 10, counter: 0, node: 'alice' })
    expect(r.receive('mallory', forged, one('mallory'), 10)).to.equal('forged-author')
    const future = new LwwMap().set('k', new Uint8Array([1]), { wall: 5000, counter: 0, node: 'alice' })
    expect(r.receive('alice', future, one('alice'), 10)).to.equal('future-clock')
    expect((r.state as LwwMap).entries.size).to.equal(0)
    expect(r.receive('alice', new OrSet().add('alice', 'x'), one('alice'), 10)).to.equal('wrong-type')
  })

  it('ships the delta-interval a peer lacks, from the compacted base when the log has moved on', () => {
    const a = new Replica('a', 'orset', config)
    const b = new Replica('b', 'orset', config)
    for (const e of ['x', 'y', 'z', 'w']) {
      a.recordLocal((a.state as OrSet).add('a', e))
    }
    a.recordLocal((a.state as OrSet).remove('a', 'y'))
    expect(a.intervalFor(b.digest())).to.not.equal(undefined)
    const first = a.intervalFor(b.digest())
    expect(first?.ops).to.deep.equal({ replica: 'a', from: 1, to: 5 })
    b.receive('a', first?.delta as OrSet, first?.ops ?? one('a'), 0)
    expect(canon(b.state)).to.equal(canon(a.state))
    expect(a.intervalFor(b.digest())).to.equal(undefined)
    a.recordLocal((a.state as OrSet).add('a', 'v'))
    const interval = a.intervalFor(b.digest())
    expect([...(interval?.delta as OrSet).storeDots()].map(d => d.seq)).to.deep.equal([6])
    expect(interval?.ops).to.deep.equal({ replica: 'a', from: 6, to: 6 })
    b.receive('a', interval?.delta as OrSet, interval?.ops ?? one('a'), 0)
    expect((b.state as OrSet).values()).to.deep.equal(['v', 'w', 'x', 'z'])
  })
})

describe('replica: a remove claiming dots its author has not shown it saw (SPEC.md §9.8)', () => {
  it('the victim\'s counter jumps past the claimed dots: its adds after it joined the claim survive everywhere, and no digest keeps a gap', () => {
    const y = new Replica('y', 'orset', config)
    const r = new Replica('r', 'orset', config)
    const ship = (from: Replica, to: Replica, delta: OrSet, ops: { replica: string, from: number, to: number }): void => {
      expect(to.receive(from.self, delta, ops, 0)).to.equal('applied')
    }
    for (const e of ['a', 'b']) {
      const delta = (y.state as OrSet).add('y', e)
      const seq = y.recordLocal(delta)
      ship(y, r, delta as OrSet, { replica: 'y', from: seq, to: seq })
    }
    // m removes 'a', and its context also claims y's dots 3..1000, which y has not authored
    const lie = new OrSet()
    lie.context.add({ replica: 'm', seq: 1 })
    lie.context.addRange({ replica: 'y', from: 1, to: 1000 })
    ship({ self: 'm' } as Replica, r, lie, { replica: 'm', from: 1, to: 1 })
    ship({ self: 'm' } as Replica, y, lie, { replica: 'm', from: 1, to: 1 })
    expect((r.state as OrSet).values()).to.deep.equal([])

    // y adds 'c' after joining the claim: its dot is 1001, unseen by every context
    const from = y.nextOwn()
    const delta = (y.state as OrSet).add('y', 'c')
    const seq = y.recordLocal(delta)
    expect(seq).to.equal(1001)
    ship(y, r, delta as OrSet, { replica: 'y', from, to: seq })
    expect((r.state as OrSet).values()).to.deep.equal(['c'])
    // the burned dots 3..1000 travel in the ops range: both digests name y's operations as one run
    expect(y.digest().filter(d => d.replica === 'y')).to.deep.equal([{ replica: 'y', from: 1, to: 1001 }])
    expect(r.digest().filter(d => d.replica === 'y')).to.deep.equal([{ replica: 'y', from: 1, to: 1001 }])
    expect(y.intervalFor(r.digest())).to.equal(undefined)
  })
})
