import { PqIdentity } from '@saorsa-gossip/identity'
import { expect } from 'aegir/chai'
import { PQ_PIN_METADATA_KEY, PROTOCOL } from '../src/index.ts'
import { encrypter, pipePair, readBytes, testPeer } from './fixtures/components.ts'
import { framedRelay } from './fixtures/relay.ts'
import type { PqSecuredConnection } from '../src/index.ts'

describe('PqNoise encrypter (in memory)', function () {
  this.timeout(20_000)

  it('authenticates both PeerIds and both ML-DSA-65 bindings, and pins the peer', async () => {
    const a = await testPeer()
    const b = await testPeer()
    const idA = PqIdentity.generate()
    const idB = PqIdentity.generate()
    const [out, inb] = pipePair()
    const [ia, rb] = await Promise.all([
      encrypter(a, { identity: idA }).secureOutbound(out, { remotePeer: b.peerId }),
      encrypter(b, { identity: idB }).secureInbound(inb)
    ]) as PqSecuredConnection[]
    expect(ia.remotePeer.equals(b.peerId)).to.be.true()
    expect(rb.remotePeer.equals(a.peerId)).to.be.true()
    expect(ia.binding?.mlDsaPublicKey).to.equalBytes(idB.publicKey)
    expect(rb.binding?.mlDsaPublicKey).to.equalBytes(idA.publicKey)
    expect(ia.handshakeHash).to.equalBytes(rb.handshakeHash)
    expect(a.pinned.get(b.peerId.toString())?.[PQ_PIN_METADATA_KEY]).to.have.length(8)
    const enc = encrypter(a)
    expect(enc.protocol).to.equal(PROTOCOL)
    expect(enc.monitor.stats.handshakesOk).to.equal(1)
    expect(enc.monitor.stats.bindingsVerified).to.equal(1)
  })

  it('carries data both ways, cutting large writes into Noise messages of at most 65535 bytes', async () => {
    const a = await testPeer()
    const b = await testPeer()
    const sizes: number[] = []
    const relay = framedRelay((index, message) => { if (index >= 3) { sizes.push(message.length) } return message })
    const [ia, rb] = await Promise.all([
      encrypter(a).secureOutbound(relay.initiatorEnd),
      encrypter(b).secureInbound(relay.responderEnd)
    ])
    const big = new Uint8Array(200_000).map((_, i) => i % 251)
    const received = readBytes(rb.connection, big.length)
    ia.connection.send(big)
    expect(await received).to.equalBytes(big)
    expect(Math.max(...sizes)).to.equal(65535)
    expect(sizes.reduce((n, s) => n + s - 16, 0)).to.equal(big.length)
    const back = readBytes(ia.connection, 5)
    rb.connection.send(Uint8Array.of(1, 2, 3, 4, 5))
    expect(await back).to.equalBytes(Uint8Array.of(1, 2, 3, 4, 5))
  })

  it('aborts the connection and counts it when a transport message is altered', async () => {
    const a = await testPeer()
    const b = await testPeer()
    const relay = framedRelay((index, message) => {
      if (index === 3) {
        const copy = message.slice()
        copy[0] ^= 1
        return copy
      }
      return message
    })
    const enc = encrypter(b)
    const [ia, rb] = await Promise.all([encrypter(a).secureOutbound(relay.initiatorEnd), enc.secureInbound(relay.responderEnd)])
    const closed = new Promise<Error | undefined>(resolve => rb.connection.addEventListener('close', (evt) => { resolve(evt.error) }))
    ia.connection.send(Uint8Array.of(1, 2, 3))
    expect((await closed)?.name).to.equal('DecryptionError')
    expect(enc.monitor.stats.decryptErrors).to.equal(1)
  })
})
