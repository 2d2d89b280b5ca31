import { generateKeyPair } from '@libp2p/crypto/keys'
import { expect } from 'aegir/chai'
import { MemoryDatastore } from 'datastore-core'
import { createMembershipNode, overlay, waitFor } from './fixtures/nodes.ts'
import type { MembershipNode } from './fixtures/nodes.ts'

describe('membership() restart', function () {
  this.timeout(60_000)
  const nodes: MembershipNode[] = []

  after(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
  })

  it('a restarted node rejoins through its remembered views, without a bootstrap list', async () => {
    const first = await createMembershipNode('tcp')
    nodes.push(first)
    for (let i = 0; i < 5; i++) {
      nodes.push(await createMembershipNode('tcp', { bootstrap: [first.getMultiaddrs()[0].toString()] }))
    }
    const privateKey = await generateKeyPair('Ed25519')
    const datastore = new MemoryDatastore()
    const member = await createMembershipNode('tcp', { bootstrap: [first.getMultiaddrs()[0].toString()], persistInterval: 200 }, { privateKey, datastore })
    await waitFor(() => overlay([...nodes, member]).components === 1 && member.services.membership.activeView().length >= 2, 15_000, 'the member to join')
    await member.stop() // saves its views
    // the original contact goes away too: only remembered peers can bring the member back
    await first.stop()
    nodes.shift()
    const again = await createMembershipNode('tcp', {}, { privateKey, datastore })
    nodes.push(again)
    await waitFor(() => again.services.membership.activeView().length >= 1 && overlay(nodes).components === 1, 20_000, 'the restarted node to rejoin')
    expect(again.peerId.equals(member.peerId)).to.be.true()
  })
})
