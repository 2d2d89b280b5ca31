import { expect } from 'aegir/chai'
import { PlainStreamRefusedError, SecureStreamsConfigError } from '../src/errors.ts'
import { SecureStreams } from '../src/secure-streams.ts'
import type { StreamSecurity } from '../src/secure-streams.ts'
import type { Connection, MessageStream, Stream } from '@libp2p/interface'

const P = '/test/proto/1.0.0'

/** A connection whose `encryption` says whether it needs the channel; newStream picks the remote's first supported offer */
function fakeConnection (encryption: string, remoteSupports: string[]): Connection & { opened: string[][] } {
  const opened: string[][] = []
  return {
    encryption,
    remotePeer: { toString: () => 'remote' },
    opened,
    newStream: async (offers: string[]) => {
      opened.push(offers)
      const protocol = offers.find(o => remoteSupports.includes(o))
      if (protocol == null) {
        throw Object.assign(new Error('protocol selection failed'), { name: 'UnsupportedProtocolError' })
      }
      return fakeStream(protocol)
    }
  } as any
}

function fakeStream (protocol: string): Stream & { aborted?: Error } {
  const stream: any = { protocol, abort: (err: Error) => { stream.aborted = err } }
  return stream
}

function fakeSecurity (fail = false): StreamSecurity & { calls: Array<[boolean, string]> } {
  const calls: Array<[boolean, string]> = []
  return {
    protocolSuffixes: ['/pq-resume', '/pq'],
    calls,
    needed: (connection) => connection.encryption !== '/pq-noise-connection',
    offer: async (connection) => (connection as any).resumable === true ? ['/pq-resume', '/pq'] : ['/pq'],
    secure: async (stream, _connection, initiator, suffix) => {
      calls.push([initiator, suffix])
      if (fail) {
        throw new Error('handshake failed')
      }
      return { secured: stream } as unknown as MessageStream
    }
  }
}

describe('SecureStreams', () => {
  it('refuses a mode that is not off, prefer or require with SecureStreamsConfigError', () => {
    for (const bad of ['on', true, 1, null, 'REQUIRE']) {
      expect(() => new SecureStreams('svc', P, bad), String(bad)).to.throw(SecureStreamsConfigError, 'svc({ secureStreams })')
    }
    expect(new SecureStreams('svc', P, undefined).mode).to.equal('off')
  })

  it('needs a provider at start unless off: SecureStreamsConfigError names the service and the key', () => {
    expect(() => { new SecureStreams('plumtree', P, 'prefer').resolve({}, 'pqNoise') }).to.throw(SecureStreamsConfigError, /plumtree.*'pqNoise'/)
    expect(() => { new SecureStreams('plumtree', P, 'require').resolve({ pqNoise: {} }, 'pqNoise') }).to.throw(SecureStreamsConfigError)
    expect(() => { new SecureStreams('plumtree', P, 'off').resolve({}, 'pqNoise') }).to.not.throw()
    const s = new SecureStreams('plumtree', P, 'prefer')
    s.resolve({ pqNoise: { streamSecurity: fakeSecurity() } }, 'pqNoise')
    expect(s.protocols).to.deep.equal([P + '/pq-resume', P + '/pq', P])
  })

  it('offers by mode where the connection needs the channel, and only the plain protocol where it does not', async () => {
    const needs = fakeConnection('/tls/1.0.0', [])
    const resumable = Object.assign(fakeConnection('/tls/1.0.0', []), { resumable: true })
    const pq = fakeConnection('/pq-noise-connection', [])
    const off = new SecureStreams('svc', P, 'off')
    off.use(fakeSecurity())
    expect(off.protocols).to.deep.equal([P])
    expect(await off.offers(needs)).to.deep.equal([P])
    const prefer = new SecureStreams('svc', P, 'prefer')
    prefer.use(fakeSecurity())
    expect(await prefer.offers(needs)).to.deep.equal([P + '/pq', P])
    expect(await prefer.offers(resumable)).to.deep.equal([P + '/pq-resume', P + '/pq', P])
    expect(await prefer.offers(pq)).to.deep.equal([P])
    const require = new SecureStreams('svc', P, 'require')
    require.use(fakeSecurity())
    expect(await require.offers(needs)).to.deep.equal([P + '/pq'])
    expect(await require.offers(resumable)).to.deep.equal([P + '/pq-resume', P + '/pq'])
    expect(await require.offers(pq)).to.deep.equal([P])
  })

  it('open: secures the secured variant as initiator, passes a plain fallback through, counts both', async () => {
    const security = fakeSecurity()
    const s = new SecureStreams('svc', P, 'prefer')
    s.use(security)
    const secured = await s.open(fakeConnection('/tls/1.0.0', [P + '/pq', P]))
    expect((secured as any).secured.protocol).to.equal(P + '/pq')
    const resumed = await s.open(Object.assign(fakeConnection('/tls/1.0.0', [P + '/pq-resume', P + '/pq', P]), { resumable: true }))
    expect((resumed as any).secured.protocol).to.equal(P + '/pq-resume')
    const plain = await s.open(fakeConnection('/tls/1.0.0', [P]))
    expect((plain as any).protocol).to.equal(P)
    expect(security.calls).to.deep.equal([[true, '/pq'], [true, '/pq-resume']])
    expect(s.counters).to.deep.equal({ secured: 2, plain: 1, refused: 0, failed: 0 })
  })

  it("accept under 'require': a plain stream on a connection that needs the channel is aborted with PlainStreamRefusedError and counted", async () => {
    const s = new SecureStreams('svc', P, 'require')
    s.use(fakeSecurity())
    const stream = fakeStream(P)
    await expect(s.accept(stream, fakeConnection('/tls/1.0.0', []))).to.eventually.be.rejectedWith(PlainStreamRefusedError)
    expect(stream.aborted?.name).to.equal('PlainStreamRefusedError')
    // on a PQ Noise connection the plain protocol is the right one
    expect(await s.accept(fakeStream(P), fakeConnection('/pq-noise-connection', []))).to.have.property('protocol', P)
    expect(s.counters).to.deep.equal({ secured: 0, plain: 1, refused: 1, failed: 0 })
  })

  it('a failed handshake aborts the stream and is counted, and the error reaches the caller', async () => {
    const s = new SecureStreams('svc', P, 'prefer')
    s.use(fakeSecurity(true))
    const stream = fakeStream(P + '/pq')
    await expect(s.accept(stream, fakeConnection('/tls/1.0.0', []))).to.eventually.be.rejectedWith('handshake failed')
    expect(stream.aborted?.message).to.equal('handshake failed')
    expect(s.counters.failed).to.equal(1)
  })
})
