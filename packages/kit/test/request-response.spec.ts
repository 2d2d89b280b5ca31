import { lpStream, streamPair } from '@libp2p/utils'
import { expect } from 'aegir/chai'
import { isOversizeError } from '../src/frame-reader.ts'
import { concatFrames } from '../src/outbound-streams.ts'
import { requestFrame, respondFrame } from '../src/request-response.ts'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const str = (b: Uint8Array): string => new TextDecoder().decode(b)

describe('requestFrame / respondFrame', () => {
  it('one frame each way, then both sides close', async () => {
    const [outbound, inbound] = await streamPair()
    const answering = respondFrame(inbound, { maxDataLength: 100, onRequest: (bytes) => text(`re: ${str(bytes)}`) })
    const reply = await requestFrame(outbound, text('hello'), { maxDataLength: 100, onReply: str })
    await answering
    expect(reply).to.equal('re: hello')
    expect(outbound.status).to.not.equal('aborted')
    expect(inbound.status).to.not.equal('aborted')
  })

  it('writes the frame length-prefixed (unsigned varint), as lpStream reads it', async () => {
    const [outbound, inbound] = await streamPair()
    const asking = requestFrame(outbound, text('ping'), { maxDataLength: 100, onReply: str })
    const lp = lpStream(inbound)
    expect(str((await lp.read()).subarray())).to.equal('ping')
    await lp.write(text('pong'))
    expect(await asking).to.equal('pong')
  })

  it('a reply the caller refuses aborts the stream and the refusal is rethrown', async () => {
    const [outbound, inbound] = await streamPair()
    void respondFrame(inbound, { maxDataLength: 100, onRequest: () => text('bad') }).catch(() => {})
    const refusal = Object.assign(new Error('refused'), { name: 'RefusedError' })
    await expect(requestFrame(outbound, text('q'), { maxDataLength: 100, onReply: () => { throw refusal } }))
      .to.eventually.be.rejected().with.property('name', 'RefusedError')
    expect(outbound.status).to.equal('aborted')
  })

  it('a request over the limit aborts the answering stream with an error isOversizeError recognises; nothing is answered', async () => {
    const [outbound, inbound] = await streamPair()
    let asked = false
    const answering = respondFrame(inbound, { maxDataLength: 10, onRequest: () => { asked = true; return text('no') } })
    outbound.send(concatFrames([new Uint8Array(11)]))
    const err = await answering.then(() => undefined, (err: Error) => err)
    expect(isOversizeError(err)).to.equal(true)
    expect(asked).to.equal(false)
    expect(inbound.status).to.equal('aborted')
  })

  it('a request handler that throws aborts the stream without writing', async () => {
    const [outbound, inbound] = await streamPair()
    const answering = respondFrame(inbound, { maxDataLength: 100, onRequest: () => { throw Object.assign(new Error('x'), { name: 'UndecodableError' }) } })
    const asking = requestFrame(outbound, text('q'), { maxDataLength: 100, onReply: str })
    await expect(answering).to.eventually.be.rejected().with.property('name', 'UndecodableError')
    await expect(asking).to.eventually.be.rejected()
  })

  it('a silent peer is given up on when the signal fires', async () => {
    const [outbound, inbound] = await streamPair()
    const started = Date.now()
    await expect(requestFrame(outbound, text('q'), { maxDataLength: 100, signal: AbortSignal.timeout(100), onReply: str }))
      .to.eventually.be.rejected()
    expect(Date.now() - started).to.be.below(2000)
    expect(outbound.status).to.equal('aborted')
    inbound.abort(new Error('test over'))
  })
})
