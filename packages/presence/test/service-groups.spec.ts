import { expect } from 'aegir/chai'
import { createPresenceNode, farPair, waitFor } from './fixtures/nodes.ts'
import type { PresenceNode } from './fixtures/nodes.ts'

/** Stands in for groups(): the 32-byte MLS exporter output every member of one epoch shares */
const SECRET = Uint8Array.from({ length: 32 }, (_, i) => i + 1)
const groupSecrets = (): Array<{ groupId: string, secret: Uint8Array }> => [{ groupId: 'g1', secret: SECRET }]

describe('presence() with group-sealed beacons on 10 real nodes', function () {
  this.timeout(120_000)
  let nodes: PresenceNode[]
  const outsiders = new Set<PresenceNode>()

  before(async () => {
    const first = await createPresenceNode([], { groupSecrets })
    const contact = [first.getMultiaddrs()[0].toString()]
    nodes = [first]
    for (let i = 1; i < 10; i++) {
      // nodes 1 and 2 are not members: public mode, no secret
      const node = await createPresenceNode(contact, i <= 2 ? {} : { groupSecrets })
      if (i <= 2) {
        outsiders.add(node)
      }
      nodes.push(node)
    }
    await waitFor(() => nodes.every(n => n.services.membership.activeView().length >= 1), 30_000, 'every node to have a neighbour')
    await waitFor(() => nodes.every(n => n.services.presence.stats.records + n.services.presence.stats.sealedStored >= 1), 30_000, 'beacons from neighbours')
  })

  after(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
  })

  it('a member finds an unconnected member 2–3 hops away by tag, and dials it', async () => {
    const [searcher, target] = farPair(nodes, n => !outsiders.has(n))
    const info = await searcher.peerRouting.findPeer(target.peerId)
    expect(info.id.toString()).to.equal(target.peerId.toString())
    expect(info.multiaddrs.length).to.be.greaterThan(0)
    // at once, no retry: our services no longer start dials by id that ours could join and
    // fail with (SPEC.md §2.7; issue 16)
    const connection = await searcher.dial(target.peerId)
    expect(connection.remotePeer.toString()).to.equal(target.peerId.toString())
  })

  it('a non-member cannot find a member: members send no clear beacon and never answer in clear', async () => {
    const outsider = [...outsiders][0]
    const member = nodes.find(n => !outsiders.has(n) && outsider.getConnections(n.peerId).length === 0)
    if (member == null) {
      throw new Error('every member is connected to the outsider')
    }
    await expect(outsider.services.presence.findPeer(member.peerId)).to.eventually.be.rejected.with.property('name', 'NotFoundError')
  })

  it('non-members neighbouring members hold sealed beacons they cannot open', async () => {
    const holders = [...outsiders].filter(n => n.services.presence.stats.sealedStored > 0)
    expect(holders.length).to.be.greaterThan(0)
    // the only readable records an outsider can hold are the other outsider's (members send sealed beacons only)
    for (const outsider of outsiders) {
      expect(outsider.services.presence.stats.records).to.be.at.most(outsiders.size - 1)
    }
  })
})
