import { expect } from 'aegir/chai'
import { createMembershipNode, overlay, waitFor } from './fixtures/nodes.ts'
import type { MembershipNode } from './fixtures/nodes.ts'

// a gossipsub application connects its peers itself (dials, @libp2p/bootstrap, mDNS) and gives
// no bootstrap option: membership() must form the overlay through those connections (issue 13)
describe('membership() without a bootstrap option: joins through the connections the application makes', function () {
  this.timeout(60_000)
  const nodes: MembershipNode[] = []

  after(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
  })

  it('8 nodes, each dialling only the previous one, form one overlay', async () => {
    for (let i = 0; i < 8; i++) {
      const node = await createMembershipNode('tcp')
      if (nodes.length > 0) {
        await node.dial(nodes[nodes.length - 1].getMultiaddrs()[0])
      }
      nodes.push(node)
    }
    await waitFor(() => {
      const o = overlay(nodes)
      return o.components === 1 && o.isolated === 0
    }, 30_000, 'one overlay from application dials')
    expect(overlay(nodes).components).to.equal(1)
    expect(nodes.every(n => n.services.membership.activeView().length >= 1)).to.equal(true)
  })
})
