import { expect } from 'aegir/chai'
import { LruTtlCache } from '../src/lru-ttl-cache.ts'

describe('LruTtlCache', () => {
  it('evicts the least recently used entry beyond maxEntries', () => {
    const cache = new LruTtlCache<string, number>({ maxEntries: 3, ttl: Infinity })
    cache.set('a', 1, 0)
    cache.set('b', 2, 0)
    cache.set('c', 3, 0)
    expect(cache.get('a', 0)).to.equal(1) // a becomes most recent
    cache.set('d', 4, 0)
    expect(cache.has('b', 0)).to.be.false()
    expect([...cache.entries(0)].map(([k]) => k)).to.deep.equal(['c', 'a', 'd'])
    expect(cache.stats.evicted).to.equal(1)
    expect(cache.size).to.equal(3)
  })

  it('peek does not change recency', () => {
    const cache = new LruTtlCache<string, number>({ maxEntries: 2, ttl: Infinity })
    cache.set('a', 1, 0)
    cache.set('b', 2, 0)
    expect(cache.peek('a', 0)).to.equal(1)
    cache.set('c', 3, 0)
    expect(cache.has('a', 0)).to.be.false()
    expect(cache.has('b', 0)).to.be.true()
  })

  it('expires entries ttl ms after they were set, by the caller-supplied clock', () => {
    const cache = new LruTtlCache<string, number>({ maxEntries: 10, ttl: 1000 })
    cache.set('a', 1, 0)
    cache.set('b', 2, 500)
    expect(cache.get('a', 999)).to.equal(1)
    expect(cache.get('a', 1000)).to.equal(undefined)
    expect(cache.get('b', 1499)).to.equal(2)
    expect(cache.prune(1500)).to.equal(1)
    expect(cache.size).to.equal(0)
    expect(cache.stats.expired).to.equal(2)
  })

  it('re-setting a key restarts its ttl', () => {
    const cache = new LruTtlCache<string, number>({ maxEntries: 10, ttl: 100 })
    cache.set('a', 1, 0)
    cache.set('a', 2, 90)
    expect(cache.get('a', 150)).to.equal(2)
    expect(cache.get('a', 190)).to.equal(undefined)
  })

  it('drops expired entries from the front on set, so a FIFO cache stays small under steady load', () => {
    const cache = new LruTtlCache<number, number>({ maxEntries: 1_000_000, ttl: 100, refreshOnGet: false })
    for (let now = 0; now < 10_000; now++) {
      cache.set(now, now, now)
    }
    // only the last ttl ms of entries are held
    expect(cache.size).to.equal(100)
    expect(cache.stats.evicted).to.equal(0)
  })

  it('refreshOnGet: false keeps insertion order on get', () => {
    const cache = new LruTtlCache<string, number>({ maxEntries: 2, ttl: Infinity, refreshOnGet: false })
    cache.set('a', 1, 0)
    cache.set('b', 2, 0)
    cache.get('a', 0)
    cache.set('c', 3, 0)
    expect(cache.has('a', 0)).to.be.false()
  })

  it('delete and clear', () => {
    const cache = new LruTtlCache<string, number>({ maxEntries: 2, ttl: 10 })
    cache.set('a', 1, 0)
    expect(cache.delete('a')).to.be.true()
    expect(cache.delete('a')).to.be.false()
    cache.set('b', 1, 0)
    cache.clear()
    expect(cache.size).to.equal(0)
  })

  it('rejects invalid configuration with InvalidConfigError', () => {
    for (const init of [{ maxEntries: 0, ttl: 1 }, { maxEntries: 1.5, ttl: 1 }, { maxEntries: 1, ttl: 0 }, { maxEntries: 1, ttl: Number.NaN }]) {
      expect(() => new LruTtlCache(init)).to.throw().with.property('name', 'InvalidConfigError')
    }
  })
})
