import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { memory } from '@libp2p/memory'
import { noise } from '@libp2p/noise'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { yamux } from '@libp2p/yamux'
import { pqIdentity } from '@saorsa-gossip/identity'
import { expect } from 'aegir/chai'
import { createLibp2p } from 'libp2p'
import { plumtree } from '../src/index.ts'
import { createOverlay, createPlumtreeNode, topicFormed, waitFor } from './fixtures/nodes.ts'
import type { PlumtreeNode } from './fixtures/nodes.ts'
import type { Message } from '../src/index.ts'

describe('plumtree() service: a few memory nodes', function () {
  this.timeout(60_000)
  let nodes: PlumtreeNode[] = []

  afterEach(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
    nodes = []
  })

  it('delivers signed messages with gossipsub-shaped details, exactly once', async () => {
    nodes = await createOverlay('memory', 5)
    const got = nodes.map(() => [] as Message[])
    nodes.forEach((n, i) => {
      n.services.pubsub.subscribe('chat')
      n.services.pubsub.addEventListener('message', evt => { got[i].push(evt.detail) })
    })
    await waitFor(() => topicFormed(nodes, 'chat'), 20_000, 'topic links')
    const result = await nodes[2].services.pubsub.publish('chat', new TextEncoder().encode('hello'))
    expect(result.recipients.length).to.be.greaterThan(0)
    await waitFor(() => got.every((g, i) => i === 2 || g.length === 1), 10_000, () => `deliveries ${got.map(g => g.length).join(',')}`)
    await new Promise(resolve => setTimeout(resolve, 500))
    expect(got[2]).to.have.length(0)
    for (const [i, g] of got.entries()) {
      if (i === 2) {
        continue
      }
      expect(g).to.have.length(1)
      const m = g[0]
      expect(m.type).to.equal('signed')
      if (m.type !== 'signed') {
        return
      }
      expect(m.from.equals(nodes[2].peerId)).to.equal(true)
      expect(new TextDecoder().decode(m.data)).to.equal('hello')
      expect(m.signature.length).to.equal(3309)
      expect(typeof m.sequenceNumber).to.equal('bigint')
      expect(m.key.equals(nodes[2].peerId.publicKey)).to.equal(true)
    }
  })

  it('an origin two hops away is verified with the key its first message carried, and its libp2p key (RSA: not in the PeerId) reaches the application', async function () {
    // A — B — C in a line (A and C refuse each other): C never exchanges bindings with A, so it
    // knows A's ML-DSA key only from the carried key B attaches to A's first message (SPEC.md §7.10)
    const keys = [await generateKeyPair('RSA', 2048), await generateKeyPair('Ed25519'), await generateKeyPair('Ed25519')]
    const ids = keys.map(k => peerIdFromPrivateKey(k).toString())
    const refuse = (self: number) => (peer: { toString(): string }) => (self === 0 && peer.toString() === ids[2]) || (self === 2 && peer.toString() === ids[0])
    const gater = (self: number): Record<string, unknown> => ({ denyDialPeer: refuse(self), denyInboundEncryptedConnection: refuse(self), denyOutboundEncryptedConnection: refuse(self) })
    const b = await createPlumtreeNode('memory', { extra: { privateKey: keys[1] } })
    const contact = { membership: { bootstrap: [b.getMultiaddrs()[0].toString()] } }
    const a = await createPlumtreeNode('memory', { ...contact, extra: { privateKey: keys[0], connectionGater: gater(0) } })
    const c = await createPlumtreeNode('memory', { ...contact, extra: { privateKey: keys[2], connectionGater: gater(2) } })
    nodes = [a, b, c]
    const got: Message[] = []
    c.services.pubsub.addEventListener('message', evt => { got.push(evt.detail) })
    for (const n of nodes) {
      n.services.pubsub.subscribe('line')
    }
    await waitFor(() => topicFormed(nodes, 'line'), 20_000, 'topic links')
    await a.services.pubsub.publish('line', new TextEncoder().encode('from A'))
    await waitFor(() => got.length === 1, 10_000, 'C to get A\'s message')
    const m = got[0]
    expect(m.type).to.equal('signed')
    if (m.type === 'signed') {
      expect(m.from.toString()).to.equal(ids[0])
      expect(m.key.equals(keys[0].publicKey)).to.equal(true)
    }
    expect(c.getConnections().some(conn => conn.remotePeer.toString() === ids[0])).to.equal(false)
    // taken from the carried key, proven by the message; no lookup, and not a verified binding
    expect(c.services.pubsub.stats.originsCarried).to.equal(1)
    expect(c.services.pubsub.stats.originsResolved).to.equal(0)
    expect(c.services.pqIdentity.getCachedBinding(ids[0])).to.equal(undefined)
  })

  it('explains refused publishes, and with allowPublishToZeroTopicPeers keeps the message until a subscriber links (anti-entropy)', async () => {
    const lone = await createPlumtreeNode('memory')
    nodes = [lone]
    lone.services.pubsub.subscribe('quiet')
    const err = await lone.services.pubsub.publish('quiet', new Uint8Array([1])).catch(e => e)
    expect(err).to.include({ name: 'NoPeersSubscribedToTopicError', code: 'PublishError.NoPeersSubscribedToTopic', topic: 'quiet' })
    // the message tells the user which option to set
    expect(err.message).to.include('allowPublishToZeroTopicPeers is false')
    const result = await lone.services.pubsub.publish('quiet', new TextEncoder().encode('kept'), { allowPublishToZeroTopicPeers: true })
    expect(result.recipients).to.deep.equal([])

    const late = await createPlumtreeNode('memory', { membership: { bootstrap: [lone.getMultiaddrs()[0].toString()] } })
    nodes.push(late)
    const got: string[] = []
    late.services.pubsub.addEventListener('message', evt => { got.push(new TextDecoder().decode(evt.detail.data)) })
    late.services.pubsub.subscribe('quiet')
    // one anti-entropy period (5 s) after the topic link forms, plus slack
    await waitFor(() => got.length > 0, 20_000, 'the kept message to be repaired')
    expect(got).to.deep.equal(['kept'])
  })

  it('topic validators: Reject penalises the relaying peer, Ignore does not; neither is delivered', async () => {
    nodes = await createOverlay('memory', 2)
    const [a, b] = nodes
    const got: string[] = []
    b.services.pubsub.topicValidators.set('v', (_peer, m) => {
      const t = new TextDecoder().decode(m.data)
      return t === 'bad' ? 'reject' : t === 'meh' ? 'ignore' : 'accept'
    })
    b.services.pubsub.addEventListener('message', evt => { got.push(new TextDecoder().decode(evt.detail.data)) })
    a.services.pubsub.subscribe('v')
    b.services.pubsub.subscribe('v')
    await waitFor(() => topicFormed(nodes, 'v'), 20_000, 'topic link')
    const score = (): number => b.services.pubsub.getScore(a.peerId.toString())
    await a.services.pubsub.publish('v', new TextEncoder().encode('ok'))
    await a.services.pubsub.publish('v', new TextEncoder().encode('meh'))
    await waitFor(() => (b.services.pubsub.stats.core?.delivered ?? 0) >= 1 && got.length === 1, 5_000, 'the accepted message')
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(score()).to.be.at.least(0)
    await a.services.pubsub.publish('v', new TextEncoder().encode('bad'))
    await waitFor(() => (b.services.pubsub.stats.core?.dropped.rejected ?? 0) === 1, 5_000, 'the rejection')
    expect(score()).to.be.below(-10)
    expect(got).to.deep.equal(['ok'])
  })

  it('refuses calls before start and invalid configuration with named errors', async () => {
    const node = await createPlumtreeNode('memory', { })
    nodes = [node]
    await node.stop()
    expect(() => { node.services.pubsub.subscribe('x') }).to.throw().that.includes({ name: 'NotStartedError', code: 'PublishError.Uninitialized' })
    const err = await node.services.pubsub.publish('x').catch(e => e)
    expect(err).to.include({ name: 'NotStartedError', code: 'PublishError.Uninitialized' })
    await node.start()
    expect(() => { node.services.pubsub.subscribe('') }).to.throw().that.includes({ name: 'InvalidTopicError', code: 'InvalidTopic' })
    expect(() => { node.services.pubsub.subscribe('t'.repeat(300)) }).to.throw().with.property('name', 'InvalidTopicError')
    const bad = await createPlumtreeNode('memory', { pubsub: { maxMessageSize: -1 } }).catch(e => e)
    expect(bad).to.include({ name: 'PlumtreeConfigError', code: 'InvalidConfig' })
    // the message names the bad option
    expect(bad.message).to.include('maxMessageSize')
    // without membership() the node does not build: libp2p names the missing capability
    const missing = await createLibp2p({
      addresses: { listen: ['/memory/sg-plumtree-missing'] },
      transports: [memory()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: { identify: identify(), pqIdentity: pqIdentity(), pubsub: plumtree() }
    }).catch(e => e)
    expect(missing).to.have.property('name', 'UnmetServiceDependenciesError')
    expect(missing.message).to.include('@saorsa-gossip/membership')
  })
})
