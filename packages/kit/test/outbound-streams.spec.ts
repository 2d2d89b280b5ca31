import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { expect } from 'aegir/chai'
import { OutboundStreams } from '../src/outbound-streams.ts'
import type { PeerStore } from '@libp2p/interface'
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
})
