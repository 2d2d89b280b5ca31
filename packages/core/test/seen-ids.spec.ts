import { expect } from 'aegir/chai'
import { SeenIds } from '../src/seen-ids.ts'

const id = (n: number): Uint8Array => new Uint8Array(32).fill(n)

describe('SeenIds', () => {
  it('reports first sight once per id', () => {
    const seen = new SeenIds({ maxEntries: 10, ttl: 1000 })
    expect(seen.add(id(1), 0)).to.be.true()
    expect(seen.add(id(1), 10)).to.be.false()
    expect(seen.add(id(2), 10)).to.be.true()
    expect(seen.has(id(1), 20)).to.be.true()
  })

  it('forgets ids ttl ms after first sight, even if seen again meanwhile', () => {
    const seen = new SeenIds({ maxEntries: 10, ttl: 1000 })
    seen.add(id(1), 0)
    seen.add(id(1), 900)
    expect(seen.has(id(1), 999)).to.be.true()
    expect(seen.has(id(1), 1000)).to.be.false()
    expect(seen.add(id(1), 1000)).to.be.true()
  })

  it('is bounded: the oldest id is forgotten first', () => {
    const seen = new SeenIds({ maxEntries: 100, ttl: Infinity })
    for (let i = 0; i < 150; i++) {
      seen.add(id(i), i)
    }
    expect(seen.size).to.equal(100)
    expect(seen.has(id(0), 200)).to.be.false()
    expect(seen.has(id(149), 200)).to.be.true()
    expect(seen.stats.evicted).to.equal(50)
  })
})
