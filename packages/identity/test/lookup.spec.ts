import { lpStream, pbStream } from '@libp2p/utils'
import { expect } from 'aegir/chai'
import { LOOKUP_PROTOCOL } from '../src/constants.ts'
import { BindingLookup, BindingLookupReply } from '../src/pb/identity.ts'
import { createIdentityNode, createPlainNode, waitFor } from './fixtures/nodes.ts'
import type { IdentityNode } from './fixtures/nodes.ts'
import type { BindingRecord } from '../src/pb/identity.ts'
import type { Libp2p, PeerId, Stream } from '@libp2p/interface'

async function stopAll (nodes: Array<Libp2p | undefined>): Promise<void> {
  await Promise.all(nodes.map(async n => n?.stop()))
}

/** Dials `from` → `to` and waits until both hold each other's verified binding */
async function link (from: IdentityNode, to: IdentityNode): Promise<void> {
  await from.dial(to.getMultiaddrs())
  await waitFor(() => from.services.pqIdentity.getCachedBinding(to.peerId) != null && to.services.pqIdentity.getCachedBinding(from.peerId) != null, 10_000, 'bindings exchanged')
}

function connected (node: Libp2p, peer: PeerId): boolean {
  return node.getConnections(peer).length > 0
}

async function closedByRemote (stream: Stream): Promise<void> {
  await waitFor(() => stream.status !== 'open' || stream.readStatus !== 'readable', 5000, 'stream closed by the remote')
}

/**
 * A plain libp2p node answering the lookup protocol with whatever `answer`
 * writes; counts the requests it reads.
 */
async function fakeRelay (answer: (stream: Stream, request: BindingLookup) => Promise<void>): Promise<{ node: Libp2p, requests: BindingLookup[] }> {
  const node = await createPlainNode('memory')
  const requests: BindingLookup[] = []
  await node.handle(LOOKUP_PROTOCOL, async (stream) => {
    const request = await pbStream(stream).read(BindingLookup)
    requests.push(request)
    await answer(stream, request)
  })
  return { node, requests }
}

function replyWith (binding: BindingRecord | undefined, delayMs = 0): (stream: Stream) => Promise<void> {
  return async (stream) => {
    await new Promise(resolve => setTimeout(resolve, delayMs))
    await pbStream(stream).write({ binding }, BindingLookupReply)
    await stream.close()
  }
}

describe('pqIdentity binding lookup', function () {
  this.timeout(30_000)
  const nodes: Array<Libp2p | undefined> = []

  afterEach(async () => {
    await stopAll(nodes.splice(0))
  })

  async function identityNodes (n: number): Promise<IdentityNode[]> {
    const created = await Promise.all(Array.from({ length: n }, async () => createIdentityNode('memory')))
    nodes.push(...created)
    return created
  }

  it('A–B–C: C learns A\'s key from B without ever connecting to A', async () => {
    const [a, b, c] = await identityNodes(3)
    await link(a, b)
    await link(b, c)
    // C could dial A if it chose to: the assertion below means it did not
    await c.peerStore.merge(a.peerId, { multiaddrs: a.getMultiaddrs() })
    const events: string[] = []
    c.services.pqIdentity.addEventListener('binding', evt => events.push(evt.detail.peerId.toString()))

    const binding = await c.services.pqIdentity.resolveBinding(a.peerId, { via: b.peerId })

    expect(binding.peerId.equals(a.peerId)).to.be.true()
    expect(binding.mlDsaPublicKey).to.equalBytes(a.services.pqIdentity.identity.publicKey)
    expect(connected(c, a.peerId)).to.be.false()
    expect(connected(a, c.peerId)).to.be.false()
    expect(c.services.pqIdentity.getCachedBinding(a.peerId)?.mlDsaPublicKey).to.equalBytes(a.services.pqIdentity.identity.publicKey)
    expect(events).to.deep.equal([a.peerId.toString()])
    expect(c.services.pqIdentity.stats.lookupsOk).to.equal(1)
    expect(c.services.pqIdentity.stats.lookupsFailed).to.equal(0)
    expect(b.services.pqIdentity.stats.lookupsServed).to.equal(1)

    // verify() and getPublicKey() now use the cached binding: still no connection to A
    const data = new TextEncoder().encode('relayed message')
    expect(await c.services.pqIdentity.verify(a.peerId, data, await a.services.pqIdentity.sign(data))).to.be.true()
    expect(connected(c, a.peerId)).to.be.false()
    // a second resolve is a cache hit: no new request to B
    await c.services.pqIdentity.resolveBinding(a.peerId, { via: b.peerId })
    expect(b.services.pqIdentity.stats.lookupsServed).to.equal(1)
  })

  it('a relay answers for itself, answers "not known" for strangers, and never dials on the asker\'s behalf', async () => {
    const [b, c, d] = await identityNodes(3)
    await link(c, b)
    // B knows where D is but has no binding for it
    await b.peerStore.merge(d.peerId, { multiaddrs: d.getMultiaddrs() })

    const self = await c.services.pqIdentity.resolveBinding(b.peerId, { via: b.peerId })
    expect(self.mlDsaPublicKey).to.equalBytes(b.services.pqIdentity.identity.publicKey)

    // ask B directly on the wire, once for B and once for D
    for (const [peer, expected] of [[b.peerId, b.services.pqIdentity.binding], [d.peerId, undefined]] as const) {
      const stream = await c.dialProtocol(b.peerId, LOOKUP_PROTOCOL)
      const pb = pbStream(stream)
      await pb.write({ peerId: peer.toMultihash().bytes as Uint8Array<ArrayBuffer> }, BindingLookup)
      const reply = await pb.read(BindingLookupReply)
      expect(reply.binding?.mlDsaPublicKey).to.deep.equal(expected?.mlDsaPublicKey)
      await stream.close()
    }
    await new Promise(resolve => setTimeout(resolve, 200))
    expect(connected(b, d.peerId)).to.be.false()
    expect(b.services.pqIdentity.stats.lookupsServed).to.equal(2)
  })

  it('via a peer it is not connected to: the relay is not dialled, the peer is fetched directly', async () => {
    const [a, c, d] = await identityNodes(3)
    await c.peerStore.merge(a.peerId, { multiaddrs: a.getMultiaddrs() })
    await c.peerStore.merge(d.peerId, { multiaddrs: d.getMultiaddrs() })

    const binding = await c.services.pqIdentity.resolveBinding(a.peerId, { via: d.peerId })

    expect(binding.mlDsaPublicKey).to.equalBytes(a.services.pqIdentity.identity.publicKey)
    expect(connected(c, d.peerId)).to.be.false()
    expect(connected(c, a.peerId)).to.be.true()
    expect(c.services.pqIdentity.stats.lookupsFailed).to.equal(1)
    expect(c.services.pqIdentity.stats.lookupsOk).to.equal(0)
  })

  describe('a relay that lies', () => {
    it('answers with another peer\'s record: rejected, counted, and the peer is fetched directly', async () => {
      const [a, b, c] = await identityNodes(3)
      const liar = await fakeRelay(replyWith(b.services.pqIdentity.binding))
      nodes.push(liar.node)
      await c.dial(liar.node.getMultiaddrs())
      await c.peerStore.merge(a.peerId, { multiaddrs: a.getMultiaddrs() })

      const binding = await c.services.pqIdentity.resolveBinding(a.peerId, { via: liar.node.peerId })

      expect(binding.mlDsaPublicKey).to.equalBytes(a.services.pqIdentity.identity.publicKey)
      expect(liar.requests).to.have.lengthOf(1)
      expect(liar.requests[0].peerId).to.equalBytes(a.peerId.toMultihash().bytes)
      expect(c.services.pqIdentity.stats.invalidRecords).to.equal(1)
      expect(c.services.pqIdentity.stats.lookupsFailed).to.equal(1)
      expect(connected(c, a.peerId)).to.be.true()
      // B's record was never filed under anyone
      expect(c.services.pqIdentity.getCachedBinding(b.peerId)).to.equal(undefined)
    })

    it('answers with another peer\'s record and the peer is gone: UnknownPeerKeyError carrying both attempts', async () => {
      const [a, b, c] = await identityNodes(3)
      const liar = await fakeRelay(replyWith(b.services.pqIdentity.binding))
      nodes.push(liar.node)
      await c.dial(liar.node.getMultiaddrs())
      await c.peerStore.merge(a.peerId, { multiaddrs: a.getMultiaddrs() })
      await a.stop()

      const err = await c.services.pqIdentity.resolveBinding(a.peerId, { via: liar.node.peerId }).then(() => undefined, (err: Error) => err)

      expect(err).to.include({ name: 'UnknownPeerKeyError', code: 'ERR_UNKNOWN_PEER_KEY' })
      // the lookup's error, then the direct exchange's
      const attempts = (err?.cause as AggregateError | undefined)?.errors ?? []
      expect(attempts.map(e => e.name)).to.deep.equal(['BindingPeerIdMismatchError', 'UnknownPeerKeyError'])
      expect(c.services.pqIdentity.stats.invalidRecords).to.equal(1)
      expect(c.services.pqIdentity.stats.lookupsFailed).to.equal(1)
      expect(c.services.pqIdentity.getCachedBinding(a.peerId)).to.equal(undefined)
      expect(c.services.pqIdentity.getCachedBinding(b.peerId)).to.equal(undefined)
    })

    for (const [what, bytes] of [
      ['an undecodable reply', [0x05, 0xff, 0xff, 0xff, 0xff, 0xff]],
      // varint 0x40000 = 262,144 bytes announced, far above the 8 KiB limit
      ['an oversize reply', [0x80, 0x80, 0x10, ...new Uint8Array(1024)]]
    ] as const) {
      it(`${what} is counted as malformed and ends in UnknownPeerKeyError only`, async () => {
        const [a, c] = await identityNodes(2)
        const liar = await fakeRelay(async (stream) => {
          stream.send(new Uint8Array(bytes))
          await stream.close()
        })
        nodes.push(liar.node)
        await c.dial(liar.node.getMultiaddrs())
        await a.stop() // the fallback cannot succeed either

        await expect(c.services.pqIdentity.resolveBinding(a.peerId, { via: liar.node.peerId }))
          .to.eventually.be.rejected().with.property('name', 'UnknownPeerKeyError')
        expect(c.services.pqIdentity.stats.malformedFrames).to.equal(1)
        expect(c.services.pqIdentity.stats.lookupsFailed).to.equal(1)
      })
    }

    it('"not known" from the relay falls back to the peer', async () => {
      const [a, c] = await identityNodes(2)
      const relay = await fakeRelay(replyWith(undefined))
      nodes.push(relay.node)
      await c.dial(relay.node.getMultiaddrs())
      await c.peerStore.merge(a.peerId, { multiaddrs: a.getMultiaddrs() })

      const binding = await c.services.pqIdentity.resolveBinding(a.peerId, { via: relay.node.peerId })

      expect(binding.mlDsaPublicKey).to.equalBytes(a.services.pqIdentity.identity.publicKey)
      expect(c.services.pqIdentity.stats.lookupsFailed).to.equal(1)
      expect(c.services.pqIdentity.stats.invalidRecords).to.equal(0)
    })
  })

  it('concurrent resolveBinding calls for one peer share one request', async () => {
    const [a, c] = await identityNodes(2)
    const relay = await fakeRelay(replyWith(a.services.pqIdentity.binding, 200))
    nodes.push(relay.node)
    await c.dial(relay.node.getMultiaddrs())
    const events: string[] = []
    c.services.pqIdentity.addEventListener('binding', evt => events.push(evt.detail.peerId.toString()))

    const results = await Promise.all(Array.from({ length: 5 }, async () => c.services.pqIdentity.resolveBinding(a.peerId, { via: relay.node.peerId })))

    for (const binding of results) {
      expect(binding.mlDsaPublicKey).to.equalBytes(a.services.pqIdentity.identity.publicKey)
    }
    expect(relay.requests).to.have.lengthOf(1)
    expect(events).to.have.lengthOf(1)
    expect(c.services.pqIdentity.stats.lookupsOk).to.equal(1)
    expect(connected(c, a.peerId)).to.be.false()
  })

  describe('a relay under bad requests', () => {
    it('an undecodable request: stream reset, counted as malformed, relay keeps serving', async () => {
      const [b, c] = await identityNodes(2)
      const attacker = await createPlainNode('memory')
      nodes.push(attacker)
      const stream = await attacker.dialProtocol(b.getMultiaddrs(), LOOKUP_PROTOCOL)
      await lpStream(stream).write(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]))
      await closedByRemote(stream)
      await waitFor(() => b.services.pqIdentity.stats.malformedFrames === 1, 5000, 'malformed request counted')

      await link(c, b)
      expect((await c.services.pqIdentity.resolveBinding(b.peerId, { via: b.peerId })).mlDsaPublicKey).to.equalBytes(b.services.pqIdentity.identity.publicKey)
    })

    it('a request over 256 bytes, or naming no peer: reset and counted', async () => {
      const [b] = await identityNodes(1)
      const attacker = await createPlainNode('memory')
      nodes.push(attacker)

      const big = await attacker.dialProtocol(b.getMultiaddrs(), LOOKUP_PROTOCOL)
      await pbStream(big).write({ peerId: new Uint8Array(300) }, BindingLookup)
      await closedByRemote(big)
      await waitFor(() => b.services.pqIdentity.stats.malformedFrames === 1, 5000, 'oversize request counted')

      const empty = await attacker.dialProtocol(b.getMultiaddrs(), LOOKUP_PROTOCOL)
      await pbStream(empty).write({ peerId: new Uint8Array(0) }, BindingLookup)
      await closedByRemote(empty)
      await waitFor(() => b.services.pqIdentity.stats.malformedFrames === 2, 5000, 'empty request counted')
      expect(b.services.pqIdentity.stats.lookupsServed).to.equal(0)
    })
  })
})
