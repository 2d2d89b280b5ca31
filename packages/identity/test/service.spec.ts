import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { expect } from 'aegir/chai'
import { createIdentityNode, createPlainNode, waitFor } from './fixtures/nodes.ts'
import type { IdentityNode, TransportKind } from './fixtures/nodes.ts'
import type { Libp2p } from '@libp2p/interface'

const data = new TextEncoder().encode('signed by the overlay')

async function stopAll (nodes: Array<Libp2p | undefined>): Promise<void> {
  await Promise.all(nodes.map(async n => n?.stop()))
}

for (const kind of ['tcp', 'quic', 'memory'] as TransportKind[]) {
  describe(`pqIdentity over ${kind}`, function () {
    this.timeout(30_000)
    let a: IdentityNode
    let b: IdentityNode

    beforeEach(async () => {
      a = await createIdentityNode(kind)
      b = await createIdentityNode(kind)
    })

    afterEach(async () => {
      await stopAll([a, b])
    })

    it('exchanges and verifies binding records on connect, both ways', async () => {
      await a.dial(b.getMultiaddrs())
      await waitFor(() => a.services.pqIdentity.getCachedBinding(b.peerId) != null && b.services.pqIdentity.getCachedBinding(a.peerId) != null, 10_000, 'bindings')
      expect(a.services.pqIdentity.getCachedBinding(b.peerId)?.mlDsaPublicKey).to.equalBytes(b.services.pqIdentity.identity.publicKey)
      expect(b.services.pqIdentity.getCachedBinding(a.peerId)?.mlDsaPublicKey).to.equalBytes(a.services.pqIdentity.identity.publicKey)
      expect(a.services.pqIdentity.stats.exchangesOk).to.equal(1)
      expect(b.services.pqIdentity.stats.exchangesOk).to.equal(1)
    })

    it('verifies a peer\'s ML-DSA-65 signatures and rejects tampered ones', async () => {
      await a.dial(b.getMultiaddrs())
      const signature = await b.services.pqIdentity.sign(data)
      expect(await a.services.pqIdentity.verify(b.peerId, data, signature)).to.be.true()
      const tampered = new Uint8Array(data)
      tampered[0] ^= 1
      expect(await a.services.pqIdentity.verify(b.peerId, tampered, signature)).to.be.false()
      expect(await a.services.pqIdentity.verify(b.peerId, data, signature.subarray(1))).to.be.false()
      // a's own signature is not b's
      expect(await a.services.pqIdentity.verify(b.peerId, data, await a.services.pqIdentity.sign(data))).to.be.false()
      expect(a.services.pqIdentity.stats.verificationFailures).to.equal(3)
    })
  })
}

describe('pqIdentity service behaviour', function () {
  this.timeout(30_000)
  const nodes: Array<Libp2p | undefined> = []

  afterEach(async () => {
    await stopAll(nodes.splice(0))
  })

  it('fetches a binding on demand when automatic exchange is off, and emits a binding event', async () => {
    const a = await createIdentityNode('tcp', { exchangeOnConnect: false })
    const b = await createIdentityNode('tcp', { exchangeOnConnect: false })
    nodes.push(a, b)
    const events: string[] = []
    b.services.pqIdentity.addEventListener('binding', (evt) => events.push(evt.detail.peerId.toString()))
    await a.dial(b.getMultiaddrs())
    await new Promise(resolve => setTimeout(resolve, 200))
    expect(a.services.pqIdentity.getCachedBinding(b.peerId)).to.equal(undefined)
    const key = await a.services.pqIdentity.getPublicKey(b.peerId)
    expect(key).to.equalBytes(b.services.pqIdentity.identity.publicKey)
    await waitFor(() => events.length === 1, 5000, 'binding event')
    expect(events).to.deep.equal([a.peerId.toString()])
  })

  it('counts peers without the protocol and reports UnknownPeerKeyError for them', async () => {
    const a = await createIdentityNode('tcp')
    const plain = await createPlainNode('tcp')
    nodes.push(a, plain)
    await a.dial(plain.getMultiaddrs())
    await waitFor(() => a.services.pqIdentity.stats.unsupportedPeers === 1, 10_000, 'unsupported peer counted')
    await expect(a.services.pqIdentity.getPublicKey(plain.peerId)).to.eventually.be.rejected().with.property('name', 'UnknownPeerKeyError')
  })

  it('keeps its identity across restarts through the keystore, and refuses a wrong passphrase', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sg-identity-svc-'))
    try {
      const keystore = { path: path.join(dir, 'node.key'), passphrase: 'pw', scrypt: { log2N: 10, r: 8, p: 1 } }
      const first = await createIdentityNode('memory', { keystore })
      const publicKey = first.services.pqIdentity.identity.publicKey
      await first.stop()
      const second = await createIdentityNode('memory', { keystore })
      nodes.push(second)
      expect(second.services.pqIdentity.identity.publicKey).to.equalBytes(publicKey)
      await expect(createIdentityNode('memory', { keystore: { ...keystore, passphrase: 'wrong' } })).to.eventually.be.rejected().with.property('name', 'WrongPassphraseError')
      await expect(createIdentityNode('memory', { keystore: { ...keystore, path: path.join(dir, 'absent.key'), create: false } })).to.eventually.be.rejected().with.property('code', 'ENOENT')
    } finally {
      await fs.rm(dir, { recursive: true, force: true })
    }
  })

  it('rejects invalid configuration with InvalidIdentityConfigError', async () => {
    for (const init of [{ exchangeTimeout: -1 }, { maxCachedBindings: 0 }, { backend: 'rsa' as any }, { maxClockSkew: Number.NaN }]) {
      await expect(createIdentityNode('memory', init)).to.eventually.be.rejected().with.property('name', 'InvalidIdentityConfigError')
    }
  })
})
