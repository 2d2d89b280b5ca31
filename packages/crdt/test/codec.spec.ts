import { expect } from 'aegir/chai'
import { decodeFrame, encodeFrame, frameToState, stateToFrame, wellFormed } from '../src/codec.ts'
import { HlcClock } from '../src/core/hlc.ts'
import { LwwMap } from '../src/core/lww-map.ts'
import { OrSet } from '../src/core/orset.ts'
import { DEFAULT_REPLICA_CONFIG } from '../src/core/replica.ts'
import { OrSetDocument } from '../src/documents.ts'
import { MalformedDeltaError } from '../src/errors.ts'
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
    // the JS_NUMBER decoder refuses it already (its RangeError is wrapped: one named error)
    const huge = new Uint8Array([0x1a, 15, 0x0a, 1, 0x61, 0x10, 1, 0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10])
    expect(() => decodeFrame(huge)).to.throw(MalformedDeltaError).with.property('cause').that.is.instanceOf(RangeError)
    // so is 2^53 + 2
    expect(() => decodeFrame(new Uint8Array([0x1a, 14, 0x0a, 1, 0x61, 0x10, 1, 0x18, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]))).to.throw(MalformedDeltaError)
    expect(() => decodeFrame(new Uint8Array([0xff, 0xff, 0xff]))).to.throw(MalformedDeltaError)
  })

  it('refuses strings that would not re-encode to themselves (fuzz finding, crdt-frame)', () => {
    // the fuzzer's input: a context run whose replica is invalid UTF-8 (ff 00 ff …), which the
    // protobuf reader turns into lone surrogates that no encoder writes back; such a writer
    // would sit in every digest and be a digest reason at every member for ever
    const found = Buffer.from('10011a090a3dff00ff0003626f62100118012a130a0110011a090a03626f62100118012a130a016b1081d8c1a28c3418032203626f6228013a090a03626f6210021802', 'hex')
    expect(() => decodeFrame(found)).to.throw(MalformedDeltaError, 'replica name')
    const bad: Frame[] = [
      { ...empty(), context: [{ replica: 'a b', from: 1, to: 1 }] },
      { ...empty(), context: [{ replica: 'x'.repeat(257), from: 1, to: 1 }] },
      { ...empty(), ops: { replica: '', from: 1, to: 1 } },
      { ...empty(), orset: [{ element: 'lone \ud800', replica: 'a', seqs: [1] }], context: [{ replica: 'a', from: 1, to: 1 }] },
      { ...empty(), type: Frame.Type.LWW, lww: [{ key: '\udc00', wall: 1, counter: 0, node: 'a', seq: 1 }], context: [{ replica: 'a', from: 1, to: 1 }] }
    ]
    for (const frame of bad) {
      expect(() => decodeFrame(encodeFrame(frame))).to.throw(MalformedDeltaError)
    }
    // a well-formed pair is fine, as are non-ASCII elements
    const good: Frame = { ...empty(), orset: [{ element: 'ok 🙂 ü', replica: 'a', seqs: [1] }], context: [{ replica: 'a', from: 1, to: 1 }] }
    expect(decodeFrame(encodeFrame(good)).orset[0].element).to.equal('ok 🙂 ü')
    // the application's own edits: refused before they are applied or published
    const published: Frame[] = []
    const doc = new OrSetDocument('d', 'me', DEFAULT_REPLICA_CONFIG, (f) => { published.push(f) })
    expect(() => { doc.add('\ud800') }).to.throw(MalformedDeltaError)
    expect(doc.values()).to.deep.equal([])
    expect(() => wellFormed('pair \ud83d\ude42')).to.not.throw()
    expect(() => wellFormed('\ud83d')).to.throw(MalformedDeltaError)
  })
})
