import { expect } from 'aegir/chai'
import fc from 'fast-check'
import { OrSet } from '../src/core/orset.ts'
import { canon, runOrSet, stepArb } from './helpers/histories.ts'

function joinAll (parts: OrSet[]): OrSet {
  const out = new OrSet()
  for (const p of parts) {
    out.join(p)
  }
  return out
}

describe('OR-Set (delta-state, add-wins)', () => {
  it('add-wins: an add concurrent with a remove survives', () => {
    const a = new OrSet()
    const b = new OrSet()
    b.join(a.add('a', 'x'))
    const rm = b.remove('b', 'x')
    const add = a.add('a', 'x')
    a.join(rm)
    b.join(add)
    expect(a.values()).to.deep.equal(['x'])
    expect(canon(a)).to.equal(canon(b))
  })

  it('a remove deletes only the adds it observed, and the context compacts into a version vector', () => {
    const a = new OrSet()
    a.add('a', 'x')
    a.add('a', 'y')
    a.remove('a', 'x')
    expect(a.values()).to.deep.equal(['y'])
    expect(a.context.vv.get('a')).to.equal(3)
    expect(a.context.cloud.size).to.equal(0)
  })

  it('join is commutative, associative and idempotent', () => {
    fc.assert(fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
      const [a, b, c] = runOrSet(steps).states
      expect(canon(joinAll([a, b]))).to.equal(canon(joinAll([b, a])))
      expect(canon(joinAll([joinAll([a, b]), c]))).to.equal(canon(joinAll([a, joinAll([b, c])])))
      expect(canon(joinAll([a, a]))).to.equal(canon(a))
    }), { numRuns: 300 })
  })

  it('the deltas, in any order and duplicated, equal the join of the full states', () => {
    fc.assert(fc.property(fc.array(stepArb, { maxLength: 40 }), fc.infiniteStream(fc.nat()), (steps, picks) => {
      const { states, deltas } = runOrSet(steps)
      const full = joinAll(states)
      const shuffled = [...deltas, ...deltas.filter((_, i) => i % 3 === 0)]
      const it = picks[Symbol.iterator]()
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = it.next().value % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]]
      }
      expect(canon(joinAll(shuffled))).to.equal(canon(full))
      expect(joinAll(shuffled).values()).to.deep.equal(full.values())
    }), { numRuns: 300 })
  })
})
