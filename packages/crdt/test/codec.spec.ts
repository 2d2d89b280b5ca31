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
      { ...empty(), context: [{ replica: 'a', from: 0, to: 3 }] },
      { ...empty(), context: [{ replica: 'a', from: 5, to: 3 }] },
      { ...empty(), context: [{ replica: 'a', from: 2, to: 1_000_000 }] },
      { ...empty(), orset: [{ element: 'x', replica: 'a', seqs: [7] }], context: [{ replica: 'a', from: 1, to: 3 }] },
      { ...empty(), type: Frame.Type.YJS }
    ]
    for (const frame of cases) {
      expect(() => frameToState(decodeFrame(encodeFrame(frame)))).to.throw().with.property('name', 'MalformedDeltaError')
    }
    // a run ending at 2^60: the encoder refuses such a number, so the bytes are written by hand
    // (Frame.context = field 3, DotRange { replica 'a', from 1, to 2^60 as a 9-byte varint });
    // the JS_NUMBER decoder refuses it already (the service counts it as malformed)
    const huge = new Uint8Array([0x1a, 15, 0x0a, 1, 0x61, 0x10, 1, 0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10])
    expect(() => decodeFrame(huge)).to.throw(RangeError)
    // so is 2^53 + 2
    expect(() => decodeFrame(new Uint8Array([0x1a, 14, 0x0a, 1, 0x61, 0x10, 1, 0x18, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]))).to.throw(RangeError)
    expect(() => decodeFrame(new Uint8Array([0xff, 0xff, 0xff]))).to.throw()
  })
})
