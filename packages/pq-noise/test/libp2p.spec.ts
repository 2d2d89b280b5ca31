import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'aegir/chai'
import { PQ_PIN_METADATA_KEY, PROTOCOL } from '../src/index.ts'
import { createPqIdentityNode, createPqNode, createVanillaNode, echoOnce, strippingRelay, tcpPort, waitFor } from './fixtures/nodes.ts'
import type { DowngradeEventDetail } from '../src/index.ts'
import type { Libp2p } from '@libp2p/interface'

const payload = new Uint8Array(100_000).map((_, i) => i % 253)

describe('pqNoise in real libp2p nodes over TCP', function () {
  this.timeout(30_000)
  const nodes: Libp2p[] = []
  const cleanups: Array<() => Promise<void>> = []

  afterEach(async () => {
    await Promise.all(nodes.splice(0).map(async n => n.stop()))
    await Promise.all(cleanups.splice(0).map(async c => c()))
  })

  it('negotiates the PQ protocol between two pqNoise nodes, and streams work', async () => {
    const a = await createPqNode()
    const b = await createPqNode()
    nodes.push(a, b)
    const connection = await a.dial(b.getMultiaddrs())
    expect(connection.encryption).to.equal(PROTOCOL)
    expect(await echoOnce(a, b, payload)).to.equalBytes(payload)
    await waitFor(() => b.getConnections(a.peerId)[0]?.encryption === PROTOCOL, 5000, 'inbound connection')
    expect(a.services.pqNoise.stats.handshakesOk).to.equal(1)
    expect(b.services.pqNoise.stats.bindingsVerified).to.equal(1)
    expect(await a.services.pqNoise.isPqCapable(b.peerId)).to.be.true()
    // the pin is in the peer store too, so it outlives this process's memory
    expect((await a.peerStore.get(b.peerId)).metadata.has(PQ_PIN_METADATA_KEY)).to.be.true()
    expect(a.services.pqNoise.stats.downgrades).to.equal(0)
  })

  it('hands handshake-verified bindings to pqIdentity(), so no identity exchange runs', async () => {
    const a = await createPqIdentityNode()
    const b = await createPqIdentityNode()
    nodes.push(a, b)
    await a.dial(b.getMultiaddrs())
    await waitFor(() => a.services.pqIdentity.getCachedBinding(b.peerId) != null && b.services.pqIdentity.getCachedBinding(a.peerId) != null, 5000, 'bindings cached')
    expect(a.services.pqIdentity.getCachedBinding(b.peerId)?.mlDsaPublicKey).to.equalBytes(b.services.pqIdentity.identity.publicKey)
    expect(await a.services.pqIdentity.getPublicKey(b.peerId)).to.equalBytes(b.services.pqIdentity.identity.publicKey)
    expect(a.services.pqIdentity.stats.exchangesOk + b.services.pqIdentity.stats.exchangesOk).to.equal(0)
    expect(a.services.pqIdentity.stats.carriedOk).to.equal(1)
  })

  it('falls back to /noise with a vanilla js-libp2p node, both directions, without a downgrade alarm', async () => {
    const a = await createPqNode()
    const vanilla = await createVanillaNode()
    nodes.push(a, vanilla)
    const out = await a.dial(vanilla.getMultiaddrs())
    expect(out.encryption).to.equal('/noise')
    expect(await echoOnce(a, vanilla, payload)).to.equalBytes(payload)
    await a.hangUp(vanilla.peerId)
    await waitFor(() => vanilla.getConnections(a.peerId).length === 0, 5000, 'old connection gone')
    const inbound = await vanilla.dial(a.getMultiaddrs())
    expect(inbound.encryption).to.equal('/noise')
    expect(await echoOnce(vanilla, a, payload)).to.equalBytes(payload)
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(a.services.pqNoise.stats.downgrades).to.equal(0)
    expect(a.services.pqNoise.stats.handshakesFailed).to.equal(0)
  })

  it('detects a relay that strips the PQ offer from a peer whose verified binding came over PQ Noise', async () => {
    const a = await createPqNode()
    const b = await createPqNode()
    nodes.push(a, b)
    expect((await a.dial(b.getMultiaddrs())).encryption).to.equal(PROTOCOL)
    await a.hangUp(b.peerId)

    const relay = await strippingRelay(tcpPort(b))
    cleanups.push(relay.close)
    const events: DowngradeEventDetail[] = []
    a.services.pqNoise.addEventListener('downgrade', (evt) => events.push(evt.detail))
    const viaRelay = await a.dial(multiaddr(`/ip4/127.0.0.1/tcp/${relay.port}/p2p/${b.peerId.toString()}`))
    expect(relay.stripped()).to.be.greaterThan(0)
    expect(viaRelay.encryption).to.equal('/noise')
    await waitFor(() => events.length === 1, 5000, 'downgrade event')
    expect(events[0].remotePeer.equals(b.peerId)).to.be.true()
    expect(events[0].closed).to.be.false()
    expect(a.services.pqNoise.stats.downgrades).to.equal(1)
    await waitFor(() => b.services.pqNoise.stats.downgrades === 1, 5000, 'downgrade seen by b')
  })

  it('detects a stripped PQ offer on first contact: the binding verified over classic Noise advertises PQ Noise', async () => {
    const a = await createPqIdentityNode({ exchangeOnConnect: true, secureChannels: [PROTOCOL] })
    const b = await createPqIdentityNode({ exchangeOnConnect: true, secureChannels: [PROTOCOL] })
    nodes.push(a, b)
    const relay = await strippingRelay(tcpPort(b))
    cleanups.push(relay.close)
    const events: DowngradeEventDetail[] = []
    a.services.pqNoise.addEventListener('downgrade', (evt) => events.push(evt.detail))
    // never connected before: nothing is pinned
    expect(await a.services.pqNoise.isPqCapable(b.peerId)).to.be.false()
    const viaRelay = await a.dial(multiaddr(`/ip4/127.0.0.1/tcp/${relay.port}/p2p/${b.peerId.toString()}`))
    expect(relay.stripped()).to.be.greaterThan(0)
    expect(viaRelay.encryption).to.equal('/noise')
    await waitFor(() => events.length === 1, 10_000, 'downgrade event from the advertised binding')
    expect(events[0]).to.deep.include({ reason: 'advertised', encryption: '/noise', closed: false })
    expect(events[0].remotePeer.equals(b.peerId)).to.be.true()
    expect(a.services.pqIdentity.getCachedBinding(b.peerId)?.record.secureChannels).to.deep.equal([PROTOCOL])
  })

  it('raises no alarm for a classic connection to a peer whose binding advertises no PQ channel', async () => {
    const a = await createPqIdentityNode({ exchangeOnConnect: true, secureChannels: [PROTOCOL] })
    const b = await createPqIdentityNode({ exchangeOnConnect: true })
    nodes.push(a, b)
    const relay = await strippingRelay(tcpPort(b))
    cleanups.push(relay.close)
    await a.dial(multiaddr(`/ip4/127.0.0.1/tcp/${relay.port}/p2p/${b.peerId.toString()}`))
    await waitFor(() => a.services.pqIdentity.getCachedBinding(b.peerId) != null, 10_000, 'binding exchanged')
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(a.services.pqNoise.stats.downgrades).to.equal(0)
  })

  it('closes a downgraded connection under requirePq', async () => {
    const a = await createPqNode()
    const b = await createPqNode({ requirePq: true })
    nodes.push(a, b)
    await a.dial(b.getMultiaddrs())
    await a.hangUp(b.peerId)
    const relay = await strippingRelay(tcpPort(b))
    cleanups.push(relay.close)
    const viaRelay = await a.dial(multiaddr(`/ip4/127.0.0.1/tcp/${relay.port}/p2p/${b.peerId.toString()}`))
    expect(viaRelay.encryption).to.equal('/noise')
    await waitFor(() => viaRelay.status !== 'open', 5000, 'downgraded connection closed')
    expect(b.services.pqNoise.stats.downgradesClosed).to.equal(1)
  })
})
