import { expect } from 'aegir/chai'
import { createPresenceNode, createPresenceOverlay, farPair as farPairOf, waitFor } from './fixtures/nodes.ts'
import type { PresenceNode } from './fixtures/nodes.ts'
import type { PeerInfo } from '@libp2p/interface'

describe('presence() on 10 real nodes (memory transport, no kad-dht)', function () {
  this.timeout(120_000)
  let nodes: PresenceNode[]

  before(async () => {
    nodes = await createPresenceOverlay(10)
    await waitFor(() => nodes.every(n => n.services.membership.activeView().length >= 1), 30_000, 'every node to have a neighbour')
    // every neighbour has sent its beacon: each node holds a record per neighbour
    await waitFor(() => nodes.every(n => n.services.presence.stats.records >= 1), 30_000, 'beacons from neighbours')
  })

  after(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
  })

  const farPair = (): [PresenceNode, PresenceNode, number] => farPairOf(nodes)

  it('findPeer finds an unconnected peer 2–3 hops away through FOAF, and dial(peerId) reaches it', async () => {
    const [searcher, target, distance] = farPair()
    expect(distance).to.be.within(2, 3)
    const identityBefore = { ...searcher.services.pqIdentity.stats }
    // the searcher may already hold the target's binding (carried by plumtree or a beacon
    // earlier); if not, the reply must carry it
    const hadBinding = searcher.services.pqIdentity.getCachedBinding(target.peerId) != null
    const info = await searcher.peerRouting.findPeer(target.peerId)
    // no lookup through the replier, so no fallback dial to the target by id
    const identity = searcher.services.pqIdentity.stats
    if (!hadBinding) {
      expect(identity.carriedOk - identityBefore.carriedOk).to.be.greaterThan(0)
    }
    expect(searcher.services.pqIdentity.getCachedBinding(target.peerId)).to.not.equal(undefined)
    expect(identity.lookupsOk + identity.lookupsFailed).to.equal(identityBefore.lookupsOk + identityBefore.lookupsFailed)
    expect(info.id.toString()).to.equal(target.peerId.toString())
    expect(info.multiaddrs.map(String)).to.include(target.getMultiaddrs()[0].toString().replace(`/p2p/${target.peerId.toString()}`, ''))
    expect(searcher.services.presence.stats.repliesAccepted).to.be.greaterThan(0)
    // the reply carried the target's binding, so pqIdentity does not dial the target by id, and
    // our services no longer start dials by id with no address to dial that ours could join and
    // fail with (SPEC.md §2.7; issue 16): at once, no retry
    const connection = await searcher.dial(target.peerId)
    expect(connection.remotePeer.toString()).to.equal(target.peerId.toString())
  })

  it('a second findPeer for the same peer is answered from the record cache, with no query', async () => {
    const [searcher, target] = farPair()
    await searcher.peerRouting.findPeer(target.peerId)
    const sent = searcher.services.presence.stats.framesOut
    await searcher.peerRouting.findPeer(target.peerId)
    expect(searcher.services.presence.stats.framesOut).to.equal(sent)
  })

  it('emits a peer discovery event, with addresses, when a new node\'s beacon arrives', async () => {
    const seen: string[] = []
    const listeners = nodes.map(n => {
      const listener = (evt: CustomEvent<PeerInfo>): void => { if (evt.detail.multiaddrs.length > 0) { seen.push(evt.detail.id.toString()) } }
      n.services.presence.addEventListener('peer', listener)
      return listener
    })
    const late = await createPresenceNode([nodes[0].getMultiaddrs()[0].toString()])
    try {
      await waitFor(() => seen.includes(late.peerId.toString()), 20_000, 'a neighbour to discover the new node through its beacon')
    } finally {
      nodes.forEach((n, i) => { n.services.presence.removeEventListener('peer', listeners[i]) })
      await late.stop()
    }
  })
})
