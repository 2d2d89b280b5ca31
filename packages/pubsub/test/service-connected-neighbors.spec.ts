import { expect } from 'aegir/chai'
import { createOverlay, waitFor } from './fixtures/nodes.ts'
import type { PlumtreeNode } from './fixtures/nodes.ts'

/**
 * Option `connectedPeersAsNeighbors` (SPEC.md §7.1): a peer with an open plumtree connection
 * stays an overlay neighbour — announcements from it are taken — after membership drops it
 * from the active view; with the option off, it stops being one.
 */
describe('plumtree() service: connected peers as overlay neighbours', function () {
  this.timeout(60_000)
  let nodes: PlumtreeNode[] = []

  afterEach(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
    nodes = []
  })

  /** a and b linked by membership; then a's membership reports b gone while the connection stays */
  async function droppedByMembership (connectedPeersAsNeighbors: boolean): Promise<[PlumtreeNode, PlumtreeNode]> {
    nodes = await createOverlay('memory', 2, { pubsub: { connectedPeersAsNeighbors } })
    const [a, b] = nodes
    await waitFor(() => a.services.membership.activeView().some(p => p.equals(b.peerId)), 10_000, 'membership link')
    a.services.membership.dispatchEvent(new CustomEvent('neighbor-down', { detail: { peer: b.peerId, reason: 'evicted' } }))
    expect(a.getConnections(b.peerId)).to.not.be.empty()
    return [a, b]
  }

  it('on (the default): a connected peer\'s later subscription is still heard', async () => {
    const [a, b] = await droppedByMembership(true)
    b.services.pubsub.subscribe('later')
    await waitFor(() => a.services.pubsub.getSubscribers('later').some(p => p.equals(b.peerId)), 5_000, 'b announced as a subscriber of "later"')
  })

  it('off: once membership drops the peer, its announcements are refused', async () => {
    const [a, b] = await droppedByMembership(false)
    b.services.pubsub.subscribe('later')
    await new Promise(resolve => setTimeout(resolve, 1_500))
    expect(a.services.pubsub.getSubscribers('later').map(p => p.toString())).to.not.include(b.peerId.toString())
    expect(a.services.pubsub.stats.core?.dropped.unexpected ?? 0).to.be.greaterThan(0)
  })
})
