import { expect } from 'aegir/chai'
import { percentile } from '../src/stats.ts'

describe('percentile', () => {
  it('is the nearest rank over ascending samples', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    expect(percentile(sorted, 50)).to.equal(5)
    expect(percentile(sorted, 90)).to.equal(9)
    expect(percentile(sorted, 99)).to.equal(10)
    expect(percentile(sorted, 0)).to.equal(1)
    expect(percentile(sorted, 100)).to.equal(10)
    expect(percentile([7], 50)).to.equal(7)
  })

  it('is NaN without samples, which JSON writes as null', () => {
    expect(percentile([], 50)).to.be.NaN()
    expect(JSON.stringify({ p50: percentile([], 50) })).to.equal('{"p50":null}')
  })
})
