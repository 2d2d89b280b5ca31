import { expect } from 'aegir/chai'
import { decodeFrame, encodeFrame, frameToState, stateToFrame } from '../src/codec.ts'
import { HlcClock } from '../src/core/hlc.ts'
import { LwwMap } from '../src/core/lww-map.ts'
import { OrSet } from '../src/core/orset.ts'
import { Frame } from '../src/pb/crdt.ts'
import { canon } from './helpers/histories.ts'

const empty = (): Frame => ({ kind: Frame.Kind.DELTA, type: Frame.Type.ORSET, context: [], orset: [], lww: [], yjs: new Uint8Array(0) })

describe('codec', () => {
  it('round-trips OR-Set and LWW deltas and states', () => {
    const set = new OrSet()
    set.add('a', 'x')
    set.add('b', 'y')
    set.remove('a', 'x')
    expect(canon(frameToState(decodeFrame(encodeFrame(stateToFrame(set)))))).to.equal(canon(set))
    const map = new LwwMap()
    const clock = new HlcClock('a')
    map.set('k', new Uint8Array([1, 2]), clock.tick(5))
    map.set('gone', null, clock.tick(6))
    expect(canon(frameToState(decodeFrame(encodeFrame(stateToFrame(map)))))).to.equal(canon(map))
  })

  it('refuses malformed frames with MalformedDeltaError', () => {
    const cases: Frame[] = [
      { ...empty(), context: [{ replica: 'a', from: 0n, to: 3n }] },
      { ...empty(), context: [{ replica: 'a', from: 5n, to: 3n }] },
      { ...empty(), context: [{ replica: 'a', from: 2n, to: 1_000_000n }] },
      { ...empty(), context: [{ replica: 'a', from: 1n, to: 2n ** 60n }] },
      { ...empty(), orset: [{ element: 'x', replica: 'a', seqs: [7n] }], context: [{ replica: 'a', from: 1n, to: 3n }] },
      { ...empty(), type: Frame.Type.YJS }
    ]
    for (const frame of cases) {
      expect(() => frameToState(decodeFrame(encodeFrame(frame)))).to.throw().with.property('name', 'MalformedDeltaError')
    }
    expect(() => decodeFrame(new Uint8Array([0xff, 0xff, 0xff]))).to.throw()
  })
})
