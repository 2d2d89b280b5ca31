import { expect } from 'aegir/chai'
import { readBytes } from './fixtures/components.ts'
import { createPqNode, waitFor } from './fixtures/nodes.ts'
import type { SecureChannel } from '../src/index.ts'
import type { Libp2p } from '@libp2p/interface'

describe('stream-level PQ channel', function () {
  this.timeout(30_000)
  const nodes: Libp2p[] = []

  afterEach(async () => {
    await Promise.all(nodes.splice(0).map(async n => n.stop()))
  })

  for (const transport of ['quic', 'tcp'] as const) {
    it(`runs the XXhfs handshake inside one ${transport} stream and carries data both ways`, async () => {
      const a = await createPqNode({ transport })
      const b = await createPqNode({ transport })
      nodes.push(a, b)
      const accepted: SecureChannel[] = []
      b.services.pqNoise.addEventListener('channel', (evt) => { accepted.push(evt.detail) })
      await a.dial(b.getMultiaddrs())

      const channel = await a.services.pqNoise.openSecureChannel(b.peerId)
      expect(channel.remotePeer.equals(b.peerId)).to.be.true()
      expect(channel.binding?.peerId.equals(b.peerId)).to.be.true()
      await waitFor(() => accepted.length === 1, 5000, 'accepted channel')
      expect(accepted[0].remotePeer.equals(a.peerId)).to.be.true()
      expect(accepted[0].handshakeHash).to.equalBytes(channel.handshakeHash)

      const big = new Uint8Array(150_000).map((_, i) => i % 241)
      const atB = readBytes(accepted[0].stream, big.length)
      channel.stream.send(big)
      expect(await atB).to.equalBytes(big)
      const atA = readBytes(channel.stream, 4)
      accepted[0].stream.send(Uint8Array.of(9, 8, 7, 6))
      expect(await atA).to.equalBytes(Uint8Array.of(9, 8, 7, 6))

      // what crosses the stream is ciphertext, not the plaintext
      const raw = readBytes(accepted[0].rawStream, 2 + 5 + 16)
      channel.stream.send(Uint8Array.of(1, 1, 1, 1, 1))
      const frame = await raw
      expect(frame.subarray(0, 2)).to.equalBytes(Uint8Array.of(0, 21))
      expect(frame.subarray(2, 7)).to.not.equalBytes(Uint8Array.of(1, 1, 1, 1, 1))

      expect(a.services.pqNoise.stats.channelsOpened).to.equal(1)
      expect(b.services.pqNoise.stats.channelsAccepted).to.equal(1)
      if (transport === 'quic') {
        // QUIC secures itself (TLS 1.3, X25519 only): no encrypter slot, so a new QUIC
        // connection to a pinned peer is not a downgrade
        expect(await a.services.pqNoise.isPqCapable(b.peerId)).to.be.true()
        await a.hangUp(b.peerId)
        await waitFor(() => b.getConnections(a.peerId).length === 0, 5000, 'old connection gone')
        await a.dial(b.getMultiaddrs())
        await new Promise(resolve => setTimeout(resolve, 200))
        expect(a.services.pqNoise.stats.downgrades).to.equal(0)
        expect(b.services.pqNoise.stats.downgrades).to.equal(0)
      }
    })
  }
})
