import { expect } from 'aegir/chai'
import { chainFromWire, chainToWire, decodeGroupMessage, decodeReply, decodeRequest, encodeGroupMessage } from '../src/codec.ts'
import { InvalidGroupFrameError } from '../src/errors.ts'
import { GroupMessage, GroupReply, GroupRequest, SavedGroup } from '../src/pb/groups.ts'
import type { PeerIdCodec } from '@saorsa-gossip/kit'

/**
 * Regression for protons-runtime's bigint uint64 writer (fuzz/known-bugs/protons-uint64):
 * a low word with bit 31 set was sized as one byte, so epochs in [2^31, 2^32) did not
 * round-trip. Epochs are declared jstype = JS_NUMBER, which takes the writer's other path.
 */

/** Reference varint, written here so the expected bytes do not come from the code under test */
function varint (value: bigint): number[] {
  const out: number[] = []
  while (value >= 0x80n) {
    out.push(Number(value & 0x7fn) | 0x80)
    value >>= 7n
  }
  out.push(Number(value))
  return out
}

const hex = (b: Uint8Array | number[]): string => Buffer.from(b).toString('hex')
const codec = { toBytes: (p: string) => new TextEncoder().encode(p), fromBytes: (b: Uint8Array) => new TextDecoder().decode(b) } as unknown as PeerIdCodec
const GROUP = new Uint8Array(32).fill(5)
const PARENT = 'ab'.repeat(32)
const VALUES = [2 ** 31, 0x8FFFFFFF, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER]

describe('epochs (uint64, jstype = JS_NUMBER)', () => {
  for (const v of VALUES) {
    it(`epoch ${v} encodes as the reference varint and round-trips in every message`, () => {
      const ref = varint(BigInt(v))
      const message = { kind: 'head' as const, epoch: v, parent: PARENT }
      const bytes = encodeGroupMessage(GROUP, message)
      expect(hex(bytes)).to.equal(hex([0x08, 0x02 /* HEAD */, 0x12, 0x20, ...GROUP, 0x18, ...ref, 0x22, 0x20, ...new Uint8Array(32).fill(0xab)]))
      expect(decodeGroupMessage(bytes).message).to.deep.equal(message)

      const commits = [{ epoch: v, parent: PARENT, from: 'peer', mls: Uint8Array.of(1, 2) }]
      const reply = GroupReply.encode({ refused: false, keyPackage: new Uint8Array(0), commits: chainToWire(commits, codec) })
      expect(chainFromWire(decodeReply(reply).commits, codec)).to.deep.equal(commits)

      const request = GroupRequest.encode({ type: GroupRequest.Type.CHAIN, groupId: GROUP, name: '', epoch: v, parent: new Uint8Array(0), mls: new Uint8Array(0), suite: 0 })
      expect(decodeRequest(request).epoch).to.equal(v)

      const saved = SavedGroup.encode({ groupId: GROUP, name: 'g', mlsState: Uint8Array.of(1), head: Uint8Array.of(2), epoch: v, suite: 1 })
      expect(SavedGroup.decode(saved).epoch).to.equal(v)
    })
  }

  it('refuses epochs above 2^53 - 1 with InvalidGroupFrameError, also where a number would round', () => {
    const head = [...GroupMessage.encode({ kind: GroupMessage.Kind.HEAD, groupId: GROUP, epoch: 0, parent: new Uint8Array(32), mls: new Uint8Array(0) })]
    const request = [...GroupRequest.encode({ type: GroupRequest.Type.CHAIN, groupId: GROUP, name: '', epoch: 0, parent: new Uint8Array(0), mls: new Uint8Array(0), suite: 0 })]
    for (const v of [2n ** 53n, 2n ** 53n + 1n, 2n ** 55n + 3n, 2n ** 60n, 2n ** 64n - 1n]) {
      expect(() => decodeGroupMessage(Uint8Array.from([...head, 0x18, ...varint(v)])), `message ${v}`).to.throw(InvalidGroupFrameError)
      expect(() => decodeRequest(Uint8Array.from([...request, 0x20, ...varint(v)])), `request ${v}`).to.throw(InvalidGroupFrameError)
      const commit = [0x08, ...varint(v), 0x12, 0x20, ...new Uint8Array(32), 0x1a, 0x01, 0x70, 0x22, 0x01, 0x01]
      const reply = Uint8Array.from([0x1a, commit.length, ...commit])
      expect(() => chainFromWire(decodeReply(reply).commits, codec), `chain ${v}`).to.throw(InvalidGroupFrameError)
    }
  })
})
