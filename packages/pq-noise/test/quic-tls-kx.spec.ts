import dgram from 'node:dgram'
import { quic } from '@chainsafe/libp2p-quic'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'aegir/chai'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from '@libp2p/interface'

/**
 * Why the stream-level channel exists (SPEC.md §10.6, §10.10): @chainsafe/libp2p-quic's TLS 1.3
 * key exchange is classical. A ClientHello offering the hybrid X25519MLKEM768 group carries a
 * 1,216-byte key share and cannot fit in one 1,200-byte QUIC Initial datagram; a classical one
 * (X25519 / P-256, 32–65 bytes) does. A UDP relay between two real nodes counts the client's
 * datagrams before the server's first answer, and whether the client had to send its
 * ClientHello twice (a HelloRetryRequest would show as a second client Initial before any
 * Handshake packet). If an upstream release starts offering a post-quantum group, this test
 * fails, and SPEC.md §10.10 must be revisited.
 */
describe('QUIC TLS key exchange (@chainsafe/libp2p-quic)', function () {
  this.timeout(30_000)
  const nodes: Libp2p[] = []
  const sockets: dgram.Socket[] = []

  afterEach(async () => {
    await Promise.all(nodes.splice(0).map(async n => n.stop()))
    for (const socket of sockets.splice(0)) {
      socket.close()
    }
  })

  it('the client\'s first flight is one 1,200-byte Initial datagram: no post-quantum key share fits', async () => {
    const server = await createLibp2p({ addresses: { listen: ['/ip4/127.0.0.1/udp/0/quic-v1'] }, transports: [quic()] })
    const client = await createLibp2p({ transports: [quic()] })
    nodes.push(server, client)
    const serverPort = Number(server.getMultiaddrs()[0].toString().split('/')[4])

    const log: Array<{ from: 'client' | 'server', bytes: number, longHeaderType?: number }> = []
    const facingClient = dgram.createSocket('udp4')
    const facingServer = dgram.createSocket('udp4')
    sockets.push(facingClient, facingServer)
    let clientAddress: dgram.RemoteInfo | undefined
    // QUIC v1 long header: bit 7 set, packet type in bits 4–5 (0 Initial, 2 Handshake)
    const typeOf = (first: number): number | undefined => (first & 0x80) !== 0 ? (first >> 4) & 0x03 : undefined
    facingClient.on('message', (msg, rinfo) => {
      clientAddress = rinfo
      log.push({ from: 'client', bytes: msg.length, longHeaderType: typeOf(msg[0]) })
      facingServer.send(msg, serverPort, '127.0.0.1')
    })
    facingServer.on('message', (msg) => {
      log.push({ from: 'server', bytes: msg.length, longHeaderType: typeOf(msg[0]) })
      if (clientAddress != null) {
        facingClient.send(msg, clientAddress.port, clientAddress.address)
      }
    })
    await new Promise<void>(resolve => { facingClient.bind(0, '127.0.0.1', resolve) })
    await new Promise<void>(resolve => { facingServer.bind(0, '127.0.0.1', resolve) })

    const relayed = multiaddr(`/ip4/127.0.0.1/udp/${facingClient.address().port}/quic-v1/p2p/${server.peerId.toString()}`)
    const connection = await client.dial(relayed, { signal: AbortSignal.timeout(10_000) })
    expect(connection.status).to.equal('open')

    const firstAnswer = log.findIndex(entry => entry.from === 'server')
    expect(firstAnswer).to.equal(1, 'one client datagram before the server answered')
    expect(log[0]).to.deep.include({ from: 'client', bytes: 1200, longHeaderType: 0 })
    // no HelloRetryRequest: the server's first answer already moves on to Handshake packets,
    // and the client's next Initial-type datagram (if any) comes after it
    const clientInitials = log.slice(0, firstAnswer + 1).filter(entry => entry.from === 'client' && entry.longHeaderType === 0)
    expect(clientInitials).to.have.length(1)
  })
})
