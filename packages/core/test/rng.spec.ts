import { expect } from 'aegir/chai'
import { createRng, rngFromRawState } from '../src/rng.ts'

function draws (rng: { nextU32(): number }, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextU32())
}

describe('Rng', () => {
  it('matches the xoshiro128** reference output for state {1, 2, 3, 4}', () => {
    const state = new Uint8Array(16)
    const view = new DataView(state.buffer)
    for (let i = 0; i < 4; i++) {
      view.setUint32(i * 4, i + 1, true)
    }
    expect(draws(rngFromRawState(state), 10)).to.deep.equal([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804
    ])
  })

  it('gives the same sequence for the same seed (SPEC.md §2.3 vector)', () => {
    expect(draws(createRng(42), 3)).to.deep.equal([1160000957, 2498787595, 2158222219])
    expect(draws(createRng(42), 100)).to.deep.equal(draws(createRng(42), 100))
    expect(draws(createRng('seed'), 10)).to.deep.equal(draws(createRng('seed'), 10))
  })

  it('separates seeds of different types and values', () => {
    const seqs = [createRng(1), createRng('1'), createRng(1n + 1n), createRng(new Uint8Array([1]))].map(r => draws(r, 4).join(','))
    expect(new Set(seqs).size).to.equal(4)
    // 1n and 1 are the same integer and so the same seed
    expect(draws(createRng(1n), 4)).to.deep.equal(draws(createRng(1), 4))
  })

  it('forks children from the seed, not from the parent position', () => {
    const a = createRng(7)
    const b = createRng(7)
    draws(b, 1000)
    expect(draws(a.fork('swim'), 5)).to.deep.equal(draws(b.fork('swim'), 5))
    expect(draws(a.fork('swim'), 5)).to.not.deep.equal(draws(a.fork('hyparview'), 5))
    expect(draws(a.fork('swim'), 5)).to.not.deep.equal(draws(a, 5))
    expect(draws(a.fork('x').fork('y'), 3)).to.deep.equal(draws(createRng(7).fork('x').fork('y'), 3))
  })

  it('draws integers in range with roughly uniform frequency', () => {
    const rng = createRng('uniform')
    const buckets = new Array(10).fill(0)
    const n = 100_000
    for (let i = 0; i < n; i++) {
      buckets[rng.int(10)]++
    }
    // chi-square with 9 degrees of freedom: 27.9 is the p = 0.001 critical value
    const expected = n / 10
    const chi2 = buckets.reduce((acc, b) => acc + (b - expected) ** 2 / expected, 0)
    expect(chi2).to.be.below(27.9)
    for (let i = 0; i < 1000; i++) {
      const v = rng.intBetween(-3, 3)
      expect(v).to.be.within(-3, 3)
      const f = rng.float()
      expect(f).to.be.at.least(0).and.below(1)
    }
    expect(rng.int(1)).to.equal(0)
    expect(rng.int(2 ** 32)).to.be.within(0, 2 ** 32 - 1)
  })

  it('samples distinct elements and shuffles to a permutation', () => {
    const rng = createRng(3)
    const items = Array.from({ length: 50 }, (_, i) => i)
    const sample = rng.sample(items, 10)
    expect(sample).to.have.lengthOf(10)
    expect(new Set(sample).size).to.equal(10)
    expect(items).to.deep.equal(Array.from({ length: 50 }, (_, i) => i))
    expect(rng.sample(items, 100)).to.have.lengthOf(50)
    expect(rng.sample([], 3)).to.deep.equal([])
    const shuffled = rng.shuffle(items.slice())
    expect(shuffled.slice().sort((x, y) => x - y)).to.deep.equal(items)
    expect(shuffled).to.not.deep.equal(items)
    expect(rng.pick([])).to.equal(undefined)
    expect(items).to.include(rng.pick(items))
  })

  it('bool(p) hits p within sampling error', () => {
    const rng = createRng(11)
    let hits = 0
    for (let i = 0; i < 20_000; i++) {
      if (rng.bool(0.25)) {
        hits++
      }
    }
    expect(hits / 20_000).to.be.closeTo(0.25, 0.02)
    expect(rng.bool(0)).to.be.false()
    expect(rng.bool(1)).to.be.true()
  })

  it('rejects invalid seeds and arguments with named errors', () => {
    expect(() => createRng(1.5)).to.throw().with.property('name', 'InvalidSeedError')
    expect(() => createRng(new Uint8Array(0))).to.throw().with.property('name', 'InvalidSeedError')
    expect(() => createRng({} as any)).to.throw().with.property('name', 'InvalidSeedError')
    const rng = createRng(1)
    expect(() => rng.int(0)).to.throw().with.property('name', 'InvalidConfigError')
    expect(() => rng.int(2.5)).to.throw().with.property('name', 'InvalidConfigError')
    expect(() => rng.int(2 ** 32 + 1)).to.throw().with.property('name', 'InvalidConfigError')
    expect(() => rng.intBetween(3, 2)).to.throw().with.property('name', 'InvalidConfigError')
    expect(() => rng.bool(1.5)).to.throw().with.property('name', 'InvalidConfigError')
    expect(() => rng.sample([1], -1)).to.throw().with.property('name', 'InvalidConfigError')
  })
})
