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
