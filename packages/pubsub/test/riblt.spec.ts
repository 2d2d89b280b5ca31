import { expect } from 'aegir/chai'
import {
  RIBLT_KEY_BYTES, RibltDecoder, RibltEncoder, indexSequence, keyChecksum, keyFromBytes, symbolBytes, symbolToKey
} from '../src/core/riblt.ts'
import type { CodedSymbol } from '../src/core/riblt.ts'

/** xorshift32: a tiny seeded generator so every run sees the same sets */
function generator (seed: number): () => number {
  let s = seed >>> 0
  if (s === 0) {
    s = 1
  }
  return () => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s
  }
}

function randomKey (next: () => number): Uint8Array {
  return symbolToKey(next(), next())
}

function hex (key: Uint8Array): string {
  return Array.from(key, b => b.toString(16).padStart(2, '0')).join('')
}

function sortedHex (keys: Uint8Array[]): string[] {
  return keys.map(hex).sort()
}

interface Sets {
  local: Uint8Array[]
  remote: Uint8Array[]
  localOnly: Uint8Array[]
  remoteOnly: Uint8Array[]
}

/** Two sets of `size` keys (each side) with d differences split between them */
function makeSets (size: number, d: number, seed: number): Sets {
  const next = generator(seed)
  const common = Array.from({ length: size - Math.ceil(d / 2) }, () => randomKey(next))
  const localOnly = Array.from({ length: Math.floor(d / 2) }, () => randomKey(next))
  const remoteOnly = Array.from({ length: Math.ceil(d / 2) }, () => randomKey(next))
  return { local: [...common, ...localOnly], remote: [...common, ...remoteOnly], localOnly, remoteOnly }
}

/** Feeds remote symbols `batch` at a time until the decoder finishes or `limit` symbols were sent */
function reconcile (sets: Sets, batch: number, limit: number): RibltDecoder {
  const encoder = new RibltEncoder(sets.remote)
  const decoder = new RibltDecoder(sets.local)
  while (!decoder.decoded && decoder.symbolsUsed < limit) {
    decoder.add(encoder.produce(batch))
  }
  return decoder
}

/**
 * Independent reference for the index sequence: xorshift64 on a BigInt and a
 * bisection for the smallest k > i with (k+1)(k+2) > (i+1)(i+2)/u.
 */
function referenceSequence (key: Uint8Array, count: number): number[] {
  const { hi, lo } = keyFromBytes(key)
  const mask = (1n << 64n) - 1n
  let s = (BigInt((hi ^ 0x5bd1e995) >>> 0) << 32n) | BigInt((lo ^ 0x1b873593) >>> 0)
  if (s === 0n) {
    s = 1n
  }
  const out = [0]
  let i = 0
  while (out.length < count) {
    s ^= (s << 13n) & mask
    s ^= s >> 7n
    s ^= (s << 17n) & mask
    const u = (Number(s >> 32n) + 1) / 2 ** 32
    const t = ((i + 1) * (i + 2)) / u
    let low = i + 1
    let high = i + 1
    while ((high + 1) * (high + 2) <= t) {
      high *= 2
    }
    while (low < high) {
      const mid = Math.floor((low + high) / 2)
      if ((mid + 1) * (mid + 2) > t) {
        high = mid
      } else {
        low = mid + 1
      }
    }
    i = low
    out.push(i)
  }
  return out
}

describe('RIBLT', () => {
  describe('keys, checksum and sizes', () => {
    it('round-trips keys through big-endian halves', () => {
      const key = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])
      expect(keyFromBytes(key)).to.deep.equal({ hi: 0x01020304, lo: 0x05060708 })
      expect(symbolToKey(0x01020304, 0x05060708)).to.deep.equal(key)
      expect(keyFromBytes(symbolToKey(0xffffffff, 0x80000000))).to.deep.equal({ hi: 0xffffffff, lo: 0x80000000 })
      expect(RIBLT_KEY_BYTES).to.equal(8)
    })

    it('rejects keys that are not 8 bytes', () => {
      expect(() => keyFromBytes(new Uint8Array(7))).to.throw().with.property('code', 'ERR_INVALID_CONFIG')
      expect(() => keyFromBytes(new Uint8Array(9))).to.throw().with.property('code', 'ERR_INVALID_CONFIG')
      expect(() => new RibltEncoder([new Uint8Array(4)])).to.throw().with.property('name', 'InvalidConfigError')
      expect(() => new RibltEncoder([]).produce(-1)).to.throw().with.property('code', 'ERR_INVALID_CONFIG')
    })

    it('computes the specified checksum (SPEC.md vector)', () => {
      expect(keyChecksum(0x01020304, 0x05060708)).to.equal(2822861793)
      expect(keyChecksum(0, 0)).to.equal(0)
      expect(keyChecksum(0xffffffff, 0xffffffff)).to.be.within(0, 0xffffffff)
      expect(keyChecksum(0, 1)).to.not.equal(keyChecksum(1, 0))
    })

    it('estimates the wire size with a zigzag varint count', () => {
      const size = (count: number): number => symbolBytes({ count, hi: 0, lo: 0, check: 0 })
      expect(size(0)).to.equal(13)
      expect(size(-64)).to.equal(13)
      expect(size(63)).to.equal(13)
      expect(size(64)).to.equal(14)
      expect(size(-65)).to.equal(14)
      expect(size(2 ** 40)).to.equal(18)
    })
  })

  describe('index sequence', () => {
    it('matches the regression vector for key 0x0102030405060708', () => {
      expect(indexSequence(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 8)).to.deep.equal([0, 1, 2, 3, 4, 8, 28, 39])
    })

    it('matches an independent BigInt reference and is strictly increasing', () => {
      const next = generator(11)
      const keys = Array.from({ length: 200 }, () => randomKey(next))
      // the key whose xorshift seed would be zero
      keys.push(symbolToKey(0x5bd1e995, 0x1b873593))
      for (const key of keys) {
        const seq = indexSequence(key, 20)
        expect(seq).to.deep.equal(referenceSequence(key, 20))
        for (let i = 1; i < seq.length; i++) {
          expect(seq[i]).to.be.greaterThan(seq[i - 1])
        }
      }
    })

    it('puts a key in symbol j with probability 2/(j+2)', () => {
      const next = generator(7)
      const n = 20000
      const symbols = new RibltEncoder(Array.from({ length: n }, () => randomKey(next))).produce(51)
      expect(symbols[0].count).to.equal(n)
      for (const j of [1, 2, 5, 10, 50]) {
        expect(symbols[j].count / n).to.be.closeTo(2 / (j + 2), 0.02)
      }
    })

    it('agrees between the encoder and indexSequence', () => {
      const key = new Uint8Array([9, 8, 7, 6, 5, 4, 3, 2])
      const symbols = new RibltEncoder([key]).produce(2000)
      const hits = symbols.flatMap((s, j) => s.count === 1 ? [j] : [])
      expect(hits).to.deep.equal(indexSequence(key, hits.length))
      expect(indexSequence(key, hits.length + 1)[hits.length]).to.be.at.least(2000)
    })
  })

  describe('encoder', () => {
    it('produces all-zero symbols for an empty set', () => {
      const symbols = new RibltEncoder([]).produce(50)
      expect(symbols).to.have.lengthOf(50)
      for (const s of symbols) {
        expect(s).to.deep.equal({ count: 0, hi: 0, lo: 0, check: 0 })
      }
    })

    it('streams: successive calls continue where the last stopped', () => {
      const { remote } = makeSets(500, 0, 3)
      const whole = new RibltEncoder(remote).produce(100)
      const encoder = new RibltEncoder(remote)
      const parts: CodedSymbol[] = []
      for (const n of [1, 7, 0, 30, 62]) {
        parts.push(...encoder.produce(n))
      }
      expect(parts).to.deep.equal(whole)
      expect(whole[0]).to.have.property('count', 500)
    })

    it('treats the input as a set', () => {
      const { remote } = makeSets(100, 0, 4)
      expect(new RibltEncoder([...remote, ...remote]).produce(40)).to.deep.equal(new RibltEncoder(remote).produce(40))
    })
  })

  describe('decoder', () => {
    for (const size of [0, 1, 1000]) {
      it(`decodes identical sets of ${size} keys from one symbol`, () => {
        const sets = makeSets(size, 0, 100 + size)
        const decoder = new RibltDecoder(sets.local)
        expect(decoder.decoded).to.equal(false)
        decoder.add(new RibltEncoder(sets.remote).produce(1))
        expect(decoder.decoded).to.equal(true)
        expect(decoder.symbolsUsed).to.equal(1)
        expect(decoder.remoteOnly).to.deep.equal([])
        expect(decoder.localOnly).to.deep.equal([])
      })
    }

    for (const d of [1, 10, 100, 1000]) {
      it(`recovers exactly ${d} differences within 2d + 10 symbols`, function () {
        this.timeout(30_000)
        const sets = makeSets(1000, d, 1000 + d)
        const decoder = reconcile(sets, 1, 2 * d + 10)
        expect(decoder.decoded).to.equal(true)
        expect(sortedHex(decoder.remoteOnly)).to.deep.equal(sortedHex(sets.remoteOnly))
        expect(sortedHex(decoder.localOnly)).to.deep.equal(sortedHex(sets.localOnly))
        expect(decoder.symbolsUsed).to.be.at.most(2 * d + 10)
      })
    }

    it('averages under 1.8 symbols per difference at d = 50', function () {
      this.timeout(30_000)
      const d = 50
      const trials = 50
      let total = 0
      for (let t = 0; t < trials; t++) {
        const sets = makeSets(1000, d, 5000 + t)
        const decoder = reconcile(sets, 1, 20 * d)
        expect(decoder.decoded).to.equal(true)
        expect(decoder.remoteOnly.length + decoder.localOnly.length).to.equal(d)
        total += decoder.symbolsUsed
      }
      expect(total / trials / d).to.be.below(1.8)
    })

    it('gives the same result fed in batches of 7 as all at once', () => {
      const sets = makeSets(1000, 60, 77)
      const symbols = new RibltEncoder(sets.remote).produce(200)
      const whole = new RibltDecoder(sets.local)
      whole.add(symbols)
      const batched = new RibltDecoder(sets.local)
      for (let i = 0; i < symbols.length; i += 7) {
        batched.add(symbols.slice(i, i + 7))
      }
      expect(whole.decoded).to.equal(true)
      expect(batched.decoded).to.equal(true)
      expect(batched.symbolsUsed).to.equal(whole.symbolsUsed)
      expect(sortedHex(batched.remoteOnly)).to.deep.equal(sortedHex(whole.remoteOnly))
      expect(sortedHex(batched.localOnly)).to.deep.equal(sortedHex(whole.localOnly))
      expect(sortedHex(whole.remoteOnly)).to.deep.equal(sortedHex(sets.remoteOnly))
      expect(sortedHex(whole.localOnly)).to.deep.equal(sortedHex(sets.localOnly))
    })

    it('stays decoded when more symbols arrive after decoding', () => {
      const sets = makeSets(1000, 40, 88)
      const encoder = new RibltEncoder(sets.remote)
      const decoder = new RibltDecoder(sets.local)
      while (!decoder.decoded && decoder.symbolsUsed < 200) {
        decoder.add(encoder.produce(1))
      }
      expect(decoder.decoded).to.equal(true)
      // later symbols still contain the recovered keys; they must be taken out
      decoder.add(encoder.produce(300))
      expect(decoder.decoded).to.equal(true)
      expect(decoder.remoteOnly.length + decoder.localOnly.length).to.equal(40)
    })

    it('recovers the whole local set against an empty remote', () => {
      const sets = makeSets(30, 0, 9)
      const decoder = reconcile({ ...sets, remote: [] }, 1, 100)
      expect(decoder.decoded).to.equal(true)
      expect(sortedHex(decoder.localOnly)).to.deep.equal(sortedHex(sets.local))
      expect(decoder.remoteOnly).to.deep.equal([])
    })
  })

  describe('bad remote data', () => {
    it('never throws or hangs on random symbols', function () {
      this.timeout(30_000)
      const next = generator(1234)
      for (let trial = 0; trial < 20; trial++) {
        const sets = makeSets(200, 10, 2000 + trial)
        const decoder = new RibltDecoder(sets.local)
        for (let batch = 0; batch < 20; batch++) {
          const symbols: CodedSymbol[] = Array.from({ length: 25 }, () => {
            const hi = next()
            const lo = next()
            // mostly ±1 with a matching checksum, so they look pure and get peeled
            const pure = next() % 4 !== 0
            const sign = next() % 2 === 0 ? 1 : -1
            return {
              count: pure ? sign : (next() % 11) - 5,
              hi,
              lo,
              check: pure ? keyChecksum(hi, lo) : next()
            }
          })
          expect(() => { decoder.add(symbols) }).to.not.throw()
        }
        expect(decoder.decoded).to.equal(false)
        expect(decoder.symbolsUsed).to.equal(500)
      }
    })

    it('leaves a key offered again and again undecoded', () => {
      const hi = 0xdeadbeef
      const lo = 0x01234567
      const decoder = new RibltDecoder([])
      const symbol = { count: 1, hi, lo, check: keyChecksum(hi, lo) }
      decoder.add(Array.from({ length: 1000 }, () => ({ ...symbol })))
      expect(decoder.decoded).to.equal(false)
      expect(sortedHex(decoder.remoteOnly)).to.deep.equal([hex(symbolToKey(hi, lo))])
    })

    it('tolerates malformed numbers', () => {
      const decoder = new RibltDecoder(makeSets(50, 0, 5).local)
      const odd = [Number.NaN, Infinity, -Infinity, 1.5, 2 ** 60, -(2 ** 60), -1, 0x1_0000_0000]
      expect(() => {
        decoder.add(odd.map(v => ({ count: v, hi: v, lo: v, check: v })))
        decoder.add(odd.map(v => ({ count: 1, hi: v, lo: 0, check: keyChecksum(v >>> 0, 0) })))
      }).to.not.throw()
      expect(decoder.decoded).to.equal(false)
    })
  })
})
