import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { expect } from 'aegir/chai'
import { OutboundStreams } from '../src/outbound-streams.ts'
import type { Connection, PeerStore } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

/** A connection manager with no connections whose dials fail, and a peer store that holds `addresses` for everybody (none: an unknown peer) */
function fixture (addresses: number): { outbound: OutboundStreams, dials: string[], errors: Error[] } {
  const dials: string[] = []
  const errors: Error[] = []
  const connectionManager = {
    getConnections: () => [],
    openConnection: async (peer: { toString(): string }) => {
      dials.push(peer.toString())
      throw Object.assign(new Error('dial failed'), { name: 'DialError' })
    }
  } as unknown as ConnectionManager
  const peerStore = {
    get: async () => {
      if (addresses === 0) {
        throw Object.assign(new Error('Not found'), { name: 'NotFoundError' })
      }
      return { addresses: Array.from({ length: addresses }, () => ({ multiaddr: {}, isCertified: false })) }
    }
  } as unknown as PeerStore
  const outbound = new OutboundStreams({
    connectionManager,
    peerStore,
    protocol: '/test/1.0.0',
    maxDataLength: 1024,
    dialTimeout: 1000,
    writeTimeout: 1000,
    onWriteError: (_peer, err) => { errors.push(err) }
  })
  return { outbound, dials, errors }
}

async function settle (errors: Error[]): Promise<void> {
  for (let i = 0; i < 100 && errors.length === 0; i++) {
    await new Promise(resolve => setTimeout(resolve, 1))
  }
}

describe('OutboundStreams', () => {
  it('does not dial a peer with no connection and no known address: NoKnownAddressesError at once', async () => {
    const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const { outbound, dials, errors } = fixture(0)
    expect(outbound.write(peer, Uint8Array.of(1, 2, 3))).to.equal(true)
    await settle(errors)
    expect(dials).to.deep.equal([])
    expect(errors.map(e => e.name)).to.deep.equal(['NoKnownAddressesError'])
    expect(outbound.has(peer), 'the failed stream is forgotten').to.equal(false)
  })

  it('dials a peer whose addresses the peer store holds (the dial\'s own error is reported)', async () => {
    const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const { outbound, dials, errors } = fixture(1)
    outbound.write(peer, Uint8Array.of(1))
    await settle(errors)
    expect(dials).to.deep.equal([peer])
    expect(errors.map(e => e.name)).to.deep.equal(['DialError'])
  })

  describe('crossing dials (SPEC.md §2.10)', () => {
    /** A dial that only ends when its signal aborts, an event bus, and the streams opened */
    function crossing (self: string): { outbound: OutboundStreams, events: EventTarget, signals: AbortSignal[], connections: Connection[], streamsOn: string[], dialledByUs: Connection[], errors: Error[] } {
      const signals: AbortSignal[] = []
      const connections: Connection[] = []
      const streamsOn: string[] = []
      const dialledByUs: Connection[] = []
      const errors: Error[] = []
      const events = new EventTarget()
      const connectionManager = {
        getConnections: () => connections,
        openConnection: async (_peer: unknown, options: { signal: AbortSignal }) => {
          signals.push(options.signal)
          return new Promise((_resolve, reject) => {
            options.signal.addEventListener('abort', () => { reject(options.signal.reason) })
          })
        }
      } as unknown as ConnectionManager
      const outbound = new OutboundStreams({
        connectionManager,
        events: events as any,
        self,
        idleConnections: { dialledByUs: (c: Connection) => { dialledByUs.push(c) } } as any,
        protocol: '/test/1.0.0',
        maxDataLength: 1024,
        dialTimeout: 60_000,
        writeTimeout: 1000,
        onWriteError: (_peer, err) => { errors.push(err) }
      })
      return { outbound, events, signals, connections, streamsOn, dialledByUs, errors }
    }

    function fakeConnection (id: string, peer: string, direction: 'inbound' | 'outbound', streamsOn: string[], limited = false): Connection {
      return {
        id,
        remotePeer: { toString: () => peer },
        direction,
        status: 'open',
        limits: limited ? { bytes: 1024n } : undefined,
        timeline: { open: Date.now() },
        newStream: async () => {
          streamsOn.push(id)
          return { send: () => true, addEventListener: () => {}, removeEventListener: () => {} }
        }
      } as unknown as Connection
    }

    const open = (events: EventTarget, connection: Connection): void => {
      events.dispatchEvent(new CustomEvent('connection:open', { detail: connection }))
    }

    async function until (what: () => boolean): Promise<void> {
      for (let i = 0; i < 200 && !what(); i++) {
        await new Promise(resolve => setTimeout(resolve, 1))
      }
    }

    it('abandons our dial when the peer\'s connection to us opens first, and writes over that one', async () => {
      const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
      const { outbound, events, signals, connections, streamsOn, dialledByUs, errors } = crossing('self')
      outbound.write(peer, Uint8Array.of(1))
      await until(() => signals.length === 1)
      expect(signals).to.have.length(1)
      // our own dial's connection opening is no reason to abandon anything
      open(events, fakeConnection('other-peer', 'someone-else', 'inbound', streamsOn))
      open(events, fakeConnection('ours', peer, 'outbound', streamsOn))
      // nor is a limited (relayed) connection from the peer a substitute for a direct one
      open(events, fakeConnection('relayed', peer, 'inbound', streamsOn, true))
      expect(signals[0].aborted).to.equal(false)
      const theirs = fakeConnection('theirs', peer, 'inbound', streamsOn)
      connections.push(theirs)
      open(events, theirs)
      expect(signals[0].aborted).to.equal(true)
      expect(signals[0].reason.name).to.equal('DialSupersededError')
      await until(() => streamsOn.length === 1)
      expect(streamsOn).to.deep.equal(['theirs'])
      expect(outbound.counters.dialsSuperseded).to.equal(1)
      expect(dialledByUs, 'not ours to close when idle').to.deep.equal([])
      expect(errors).to.deep.equal([])
    })

    it('reports how long each batch waited in the queue and the transport, not counting the dial', async () => {
      const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
      const sent: number[] = []
      let drain: () => void = () => {}
      let writing = false
      const stream = {
        send: () => { writing = true; return false },
        addEventListener: (type: string, listener: () => void) => { if (type === 'drain') { drain = listener } },
        removeEventListener: () => {}
      }
      let connect: (c: Connection) => void = () => {}
      const connection = { id: 'c', remotePeer: { toString: () => peer }, direction: 'outbound', status: 'open', limits: undefined, timeline: { open: 0 }, newStream: async () => stream } as unknown as Connection
      const connectionManager = {
        getConnections: () => [],
        openConnection: async () => new Promise<Connection>(resolve => { connect = resolve })
      } as unknown as ConnectionManager
      const outbound = new OutboundStreams({
        connectionManager,
        protocol: '/test/1.0.0',
        maxDataLength: 1024,
        dialTimeout: 60_000,
        writeTimeout: 60_000,
        onSent: (_peer, ms) => { sent.push(ms) },
        onWriteError: () => {}
      })
      outbound.write(peer, Uint8Array.of(1))
      // a slow dial: not the transport's backlog
      await new Promise(resolve => setTimeout(resolve, 400))
      connect(connection)
      await until(() => writing)
      // the write waits 60 ms for its drain: that is what counts
      await new Promise(resolve => setTimeout(resolve, 60))
      drain()
      await until(() => sent.length === 1)
      expect(sent).to.have.length(1)
      expect(sent[0]).to.be.at.least(50).and.below(400)
    })

    it('dials again when the connection that superseded the dial is already gone', async () => {
      const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
      const { outbound, events, signals, streamsOn } = crossing('self')
      outbound.write(peer, Uint8Array.of(1))
      await until(() => signals.length === 1)
      // opened and closed again before the write could use it: not in getConnections()
      open(events, fakeConnection('brief', peer, 'inbound', streamsOn))
      await until(() => signals.length === 2)
      expect(signals).to.have.length(2)
      expect(signals[1].aborted).to.equal(false)
      expect(outbound.counters.dialsSuperseded).to.equal(0)
    })
  })
})
