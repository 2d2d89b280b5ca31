import { expect } from 'aegir/chai'
import fc from 'fast-check'
import { compareHlc, HlcClock } from '../src/core/hlc.ts'
import { LwwMap } from '../src/core/lww-map.ts'
import { canon, runLww, stepArb } from './helpers/histories.ts'

function joinAll (parts: LwwMap[]): LwwMap {
  const out = new LwwMap()
  for (const p of parts) {
    out.join(p)
  }
  return out
}

describe('LWW map on a hybrid logical clock', () => {
  it('the HLC orders a write after one it observed even when the wall clock is behind', () => {
    const a = new HlcClock('a')
    const b = new HlcClock('b')
    const first = a.tick(5000)
    b.observe(first)
    const second = b.tick(1000)
    expect(compareHlc(second, first)).to.equal(1)
  })

  it('equal clocks break the tie on the PeerId string', () => {
    const m1 = new LwwMap()
    const m2 = new LwwMap()
    const d1 = m1.set('k', new Uint8Array([1]), { wall: 10, counter: 0, node: 'peer-a' })
    const d2 = m2.set('k', new Uint8Array([2]), { wall: 10, counter: 0, node: 'peer-b' })
    m1.join(d2)
    m2.join(d1)
    expect(m1.get('k')).to.deep.equal(new Uint8Array([2]))
    expect(canon(m1)).to.equal(canon(m2))
  })

  it('a delete is a tombstone: an older write arriving later does not resurrect the key', () => {
    const m = new LwwMap()
    const old = new LwwMap().set('k', new Uint8Array([1]), { wall: 1, counter: 0, node: 'b' })
    m.set('k', null, { wall: 2, counter: 0, node: 'a' })
    m.join(old)
    expect(m.has('k')).to.equal(false)
    expect(m.collect(3)).to.equal(1)
  })

  it('join is commutative, associative and idempotent', () => {
    fc.assert(fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
      const [a, b, c] = runLww(steps).states
      expect(canon(joinAll([a, b]))).to.equal(canon(joinAll([b, a])))
      expect(canon(joinAll([joinAll([a, b]), c]))).to.equal(canon(joinAll([a, joinAll([b, c])])))
      expect(canon(joinAll([a, a]))).to.equal(canon(a))
    }), { numRuns: 300 })
  })

  it('the deltas, in any order and duplicated, equal the join of the full states', () => {
    fc.assert(fc.property(fc.array(stepArb, { maxLength: 40 }), fc.infiniteStream(fc.nat()), (steps, picks) => {
      const { states, deltas } = runLww(steps)
      const shuffled = [...deltas, ...deltas.filter((_, i) => i % 2 === 0)]
      const it = picks[Symbol.iterator]()
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = it.next().value % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]]
      }
      expect(canon(joinAll(shuffled))).to.equal(canon(joinAll(states)))
    }), { numRuns: 300 })
  })
})
