import { expect } from 'aegir/chai'
import { bytesEqual, concatBytes, fromHex, toHex, u64be } from '../src/bytes.ts'
import { cancelTimer, disconnect, emit, scheduleTimer, send } from '../src/effects.ts'

describe('bytes', () => {
  it('round-trips hex and rejects malformed hex', () => {
    const bytes = new Uint8Array([0, 1, 0xab, 0xff])
    expect(toHex(bytes)).to.equal('0001abff')
    expect(fromHex('0001ABff')).to.equalBytes(bytes)
    expect(fromHex('abc')).to.equal(undefined)
    expect(fromHex('zz')).to.equal(undefined)
  })

  it('compares, concatenates and encodes u64 big-endian', () => {
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).to.be.true()
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).to.be.false()
    expect(bytesEqual(new Uint8Array([1]), new Uint8Array([1, 2]))).to.be.false()
    expect(concatBytes(new Uint8Array([1]), new Uint8Array(0), new Uint8Array([2, 3]))).to.equalBytes(new Uint8Array([1, 2, 3]))
    expect(toHex(u64be(0x0102030405060708n))).to.equal('0102030405060708')
  })
})

describe('effects', () => {
  it('builds tagged effect objects the drivers switch on', () => {
    expect(send('p1', { kind: 'join' })).to.deep.equal({ type: 'send', to: 'p1', message: { kind: 'join' } })
    expect(scheduleTimer('shuffle', 30_000, { kind: 'shuffle' })).to.deep.equal({ type: 'schedule-timer', key: 'shuffle', at: 30_000, timer: { kind: 'shuffle' } })
    expect(cancelTimer('shuffle')).to.deep.equal({ type: 'cancel-timer', key: 'shuffle' })
    expect(disconnect(3, 'evicted')).to.deep.equal({ type: 'disconnect', peer: 3, reason: 'evicted' })
    expect(emit({ type: 'neighbor-up' })).to.deep.equal({ type: 'emit', event: { type: 'neighbor-up' } })
  })
})
