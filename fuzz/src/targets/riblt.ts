import { toHex } from '@saorsa-gossip/core'
import { RIBLT_KEY_BYTES, RibltDecoder, RibltEncoder } from '@saorsa-gossip/pubsub'
import fc from 'fast-check'
import { invariant } from '../engine.ts'
import type { Target } from '../engine.ts'
import type { CodedSymbol } from '@saorsa-gossip/pubsub'

interface Input {
  local: number[]
  remote: number[]
  /** symbols sent per round */
  batch: number
  /** attacker's edits to the honest symbols: [index, field, value] */
  edits: Array<[number, number, number]>
  /** symbols the attacker appends, any values */
  junk: CodedSymbol[]
}

/** Keys from a small universe so the two sets overlap */
const key = (n: number): Uint8Array => new Uint8Array(RIBLT_KEY_BYTES).map((_, i) => (n * 131 + i * 7) & 0xff)
const u32 = fc.nat({ max: 0xffffffff })
const symbol = fc.record({ count: fc.oneof(fc.integer({ min: -4, max: 4 }), fc.integer(), fc.double()), hi: u32, lo: u32, check: u32 })

/**
 * The IBLT (rateless) decoder: honest symbols decode to exactly the set difference;
 * tampered or junk symbols never throw, never invent more keys than symbols can
 * carry, and any key reported was in neither set only if symbols were tampered with.
 */
export const riblt: Target<Input> = {
  name: 'riblt',
  seeds: async () => [],
  arbitrary: () => fc.record({
    local: fc.uniqueArray(fc.nat(200), { maxLength: 40 }),
    remote: fc.uniqueArray(fc.nat(200), { maxLength: 40 }),
    batch: fc.integer({ min: 1, max: 32 }),
    edits: fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.integer()), { maxLength: 3 }),
    junk: fc.array(symbol, { maxLength: 8 })
  }),
  run ({ local, remote, batch, edits, junk }) {
    const decoder = new RibltDecoder(local.map(key))
    const symbols = new RibltEncoder(remote.map(key)).produce(4 * (local.length + remote.length) + 64)
    for (const [i, field, value] of edits) {
      const s = symbols[i % symbols.length]
      const name = (['count', 'hi', 'lo', 'check'] as const)[field]
      s[name] = field === 0 ? value : value >>> 0
    }
    symbols.push(...junk)
    for (let at = 0; at < symbols.length && !decoder.decoded; at += batch) {
      decoder.add(symbols.slice(at, at + batch))
    }
    const found = decoder.remoteOnly.length + decoder.localOnly.length
    invariant(found <= decoder.symbolsUsed + local.length, () => `${found} keys from ${decoder.symbolsUsed} symbols`)
    if (edits.length === 0 && junk.length === 0 && decoder.decoded) {
      const l = new Set(local)
      const r = new Set(remote)
      const want = (xs: number[], without: Set<number>): string => xs.filter(x => !without.has(x)).map(x => toHex(key(x))).sort().join()
      const got = (keys: Uint8Array[]): string => keys.map(toHex).sort().join()
      invariant(got(decoder.remoteOnly) === want(remote, l), () => 'remoteOnly is not remote − local')
      invariant(got(decoder.localOnly) === want(local, r), () => 'localOnly is not local − remote')
    }
  }
}
