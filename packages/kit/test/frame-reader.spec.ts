import { streamPair } from '@libp2p/utils'
import { expect } from 'aegir/chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { MalformedFrameError } from '../src/errors.ts'
import { isOversizeError, prefixDecoder, readFrames } from '../src/frame-reader.ts'
import { concatFrames, varintLength } from '../src/outbound-streams.ts'

describe('readFrames', () => {
  it('delivers each length-prefixed frame in order and ends when the remote closes', async () => {
    const [outbound, inbound] = await streamPair()
    const got: string[] = []
    const reading = readFrames(inbound, { maxDataLength: 100, onFrame: (bytes) => { got.push(new TextDecoder().decode(bytes)); return true } })
    outbound.send(concatFrames([new TextEncoder().encode('one'), new TextEncoder().encode('two')]))
    outbound.send(concatFrames([new TextEncoder().encode('three')]))
    await outbound.close()
    expect(await reading).to.equal('ended')
    expect(got).to.deep.equal(['one', 'two', 'three'])
  })

  it('a frame over the limit aborts the stream and reports oversize; frames before it are delivered', async () => {
    const [outbound, inbound] = await streamPair()
    const got: number[] = []
    const reading = readFrames(inbound, { maxDataLength: 10, onFrame: (bytes) => { got.push(bytes.byteLength); return true } })
    outbound.send(concatFrames([new Uint8Array(10), new Uint8Array(11)]))
    expect(await reading).to.equal('oversize')
    expect(got).to.deep.equal([10])
    expect(inbound.status).to.not.equal('open')
  })

  it('a frame the service cannot decode aborts the stream (onFrame returns false) with a MalformedFrameError', async () => {
    const [outbound, inbound] = await streamPair()
    let calls = 0
    let reason: Error | undefined
    inbound.addEventListener('close', (evt) => { reason = evt.error }, { once: true })
    const reading = readFrames(inbound, { maxDataLength: 10, onFrame: () => { calls++; return false } })
    outbound.send(concatFrames([new Uint8Array(3), new Uint8Array(3)]))
    expect(await reading).to.equal('ended')
    expect(calls).to.equal(1)
    expect(inbound.status).to.not.equal('open')
    expect(reason).to.be.instanceOf(MalformedFrameError)
    expect(reason).to.include({ name: 'MalformedFrameError', code: 'ERR_MALFORMED_FRAME' })
  })

  it('classifies errors by name, not by message text', () => {
    expect(isOversizeError(Object.assign(new Error('anything'), { name: 'InvalidDataLengthError' }))).to.equal(true)
    expect(isOversizeError(new Error('InvalidDataLengthError'))).to.equal(false)
    expect(isOversizeError(undefined)).to.equal(false)
  })

  it('frames with one- to three-byte prefixes arrive whole, split across chunks anywhere', async () => {
    const [outbound, inbound] = await streamPair()
    const sizes = [0, 1, 127, 128, 300, 16_383, 16_384, 70_000]
    const got: number[] = []
    const reading = readFrames(inbound, { maxDataLength: 100_000, onFrame: (bytes) => { got.push(bytes.byteLength); return bytes.every(b => b === bytes.byteLength % 251) } })
    const all = concatFrames(sizes.map(n => new Uint8Array(n).fill(n % 251)))
    for (let at = 0; at < all.byteLength; at += 997) {
      outbound.send(all.subarray(at, at + 997))
    }
    await outbound.close()
    expect(await reading).to.equal('ended')
    expect(got).to.deep.equal(sizes)
  })

  it('an endless length prefix ends the stream as oversize once it is longer than the limit allows', async () => {
    const [outbound, inbound] = await streamPair()
    const reading = readFrames(inbound, { maxDataLength: 1000, onFrame: () => true })
    outbound.send(new Uint8Array(64).fill(0x80))
    expect(await reading).to.equal('oversize')
    expect(inbound.status).to.not.equal('open')
  })

  it('the prefix decoder decodes unsigned varints, answers "not yet" with one shared RangeError, and refuses long prefixes by name', () => {
    const decode = prefixDecoder(5)
    for (const n of [0, 1, 127, 128, 300, 16_384, 2 ** 31 + 5, 2 ** 35 - 1]) {
      expect(decode(new Uint8ArrayList(varintLength(n)))).to.equal(n)
    }
    const errors = new Set<unknown>()
    for (const partial of [[0x80], [0xff, 0x80], [0x80, 0x80, 0x80]]) {
      try {
        decode(new Uint8ArrayList(Uint8Array.from(partial)))
      } catch (err) {
        errors.add(err)
      }
    }
    expect(errors.size).to.equal(1)
    expect([...errors][0]).to.be.instanceOf(RangeError)
    expect(() => decode(new Uint8ArrayList(new Uint8Array(6).fill(0x80)))).to.throw().with.property('name', 'InvalidDataLengthLengthError')
  })

  it('varint length prefixes match the unsigned varint encoding', () => {
    expect([...varintLength(0)]).to.deep.equal([0])
    expect([...varintLength(127)]).to.deep.equal([127])
    expect([...varintLength(128)]).to.deep.equal([0x80, 0x01])
    expect([...varintLength(300)]).to.deep.equal([0xac, 0x02])
  })
})
