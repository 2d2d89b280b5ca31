import { identify } from '@libp2p/identify'
import { memory } from '@libp2p/memory'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { groups } from '@saorsa-gossip/groups'
import { pqIdentity } from '@saorsa-gossip/identity'
import { membership } from '@saorsa-gossip/membership'
import { plumtree } from '@saorsa-gossip/pubsub'
import { expect } from 'aegir/chai'
import { createLibp2p } from 'libp2p'
import { PRESENCE_EXPORTER_LABEL, presence } from '../src/index.ts'
import { waitFor } from './fixtures/nodes.ts'
import type { GroupPresenceSecret, PresenceInit, PresenceService } from '../src/index.ts'
import type { Libp2p } from '@libp2p/interface'
import type { GroupsService } from '@saorsa-gossip/groups'
import type { PqIdentityService } from '@saorsa-gossip/identity'
import type { MembershipService } from '@saorsa-gossip/membership'

type Node = Libp2p<{ identify: unknown, pqIdentity: PqIdentityService, membership: MembershipService, pubsub: unknown, groups: GroupsService, presence: PresenceService }>

let counter = 0

/** A memory-transport node with groups() and presence() keyed from it */
async function createNode (bootstrap: string[] = [], init: PresenceInit = {}): Promise<Node> {
  return createLibp2p({
    addresses: { listen: [`/memory/sg-presence-mls-${process.pid}-${counter++}`] },
    transports: [memory()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionMonitor: { enabled: false },
    services: {
      identify: identify(),
      pqIdentity: pqIdentity(),
      membership: membership({ seed: `pm-${counter++}`, bootstrap }),
      pubsub: plumtree({ seed: `pm-${counter++}` }),
      groups: groups(),
      presence: presence({ seed: `pm-${counter++}`, groupsService: 'groups', ...init })
    }
  }) as Promise<Node>
}

describe('presence() with beacon keys exported from groups() (MLS) on 5 real nodes', function () {
  this.timeout(240_000)
  let nodes: Node[]
  let groupId: string
  /** nodes 0–3 are members, node 4 never is; node 3 is removed in the last test */
  const members = (): Node[] => nodes.slice(0, 4)
  /** secrets node 3 keeps by itself, as a removed member that saved its last key would */
  const kept: GroupPresenceSecret[] = []

  before(async () => {
    const first = await createNode()
    const contact = [first.getMultiaddrs()[0].toString()]
    nodes = [first, ...await Promise.all(Array.from({ length: 4 }, async (_, i) => createNode(contact, i === 2 ? { groupSecrets: () => kept } : {})))]
    await waitFor(() => nodes.every(n => n.services.membership.activeView().length >= 3), 60_000, 'every node to have three neighbours')
    const group = await first.services.groups.create('presence')
    groupId = group.id
    for (const n of members().slice(1)) {
      await first.services.groups.invite(groupId, n.peerId)
    }
    await waitFor(() => members().every(n => n.services.groups.list()[0]?.epoch === 3), 60_000, 'every member at epoch 3')
  })

  after(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
  })

  it('members find each other through beacons sealed under the MLS-exported key; the outsider finds nobody', async () => {
    // every member re-sealed its beacon when its epoch moved: each opens the others'
    await waitFor(() => members().every(n => n.services.presence.stats.sealedOpened >= 3), 60_000,
      () => `members to open each other's sealed beacons (opened ${members().map(n => n.services.presence.stats.sealedOpened).join(', ')}; neighbours ${members().map(n => n.services.membership.activeView().length).join(', ')})`)
    for (const searcher of members()) {
      for (const target of members().filter(m => m !== searcher)) {
        const info = await searcher.peerRouting.findPeer(target.peerId)
        expect(info.id.toString()).to.equal(target.peerId.toString())
        expect(info.multiaddrs.length).to.be.greaterThan(0)
      }
    }
    // the keys are the exporter's: members agree on it, and the outsider's neighbours gave it sealed beacons it cannot open
    const secrets = await Promise.all(members().map(async n => n.services.groups.exportSecret(groupId, PRESENCE_EXPORTER_LABEL, 32)))
    expect(new Set(secrets.map(s => Buffer.from(s.secret).toString('hex'))).size).to.equal(1)
    const outsider = nodes[4]
    expect(outsider.services.presence.stats.sealedStored).to.be.greaterThan(0)
    expect(outsider.services.presence.stats.sealedOpened).to.equal(0)
    await expect(outsider.services.presence.findPeer(members()[1].peerId)).to.eventually.be.rejected.with.property('name', 'NotFoundError')
  })

  it('a removed member can no longer read the beacons sealed after its removal', async () => {
    const [first, second, third, removed] = members()
    // the removed member keeps the key of its last epoch
    kept.push({ groupId, secret: (await removed.services.groups.exportSecret(groupId, PRESENCE_EXPORTER_LABEL, 32)).secret })
    await first.services.groups.remove(groupId, removed.peerId)
    await waitFor(() => [first, second, third].every(n => n.services.groups.list()[0]?.epoch === 4), 60_000, 'remaining members at epoch 4')
    await waitFor(() => removed.services.groups.list()[0]?.member === false, 60_000, 'the removed member to learn it')
    // a new epoch after the removal: every remaining member re-seals its beacon under a key the removed member never had
    const openedBefore = removed.services.presence.stats.sealedOpened
    const storedBefore = removed.services.presence.stats.sealedStored
    const remainingBefore = [first, second, third].map(n => n.services.presence.stats.sealedOpened)
    await second.services.groups.update(groupId)
    await waitFor(() => [first, second, third].every(n => n.services.groups.list()[0]?.epoch === 5), 60_000, 'remaining members at epoch 5')
    await waitFor(() => removed.services.presence.stats.sealedStored >= storedBefore + 2, 60_000, 'the new beacons to reach the removed member')
    await waitFor(() => [first, second, third].every((n, i) => n.services.presence.stats.sealedOpened >= remainingBefore[i] + 2), 60_000, 'remaining members to open each other\'s new beacons')
    expect(removed.services.presence.stats.sealedOpened).to.equal(openedBefore)
  })
})
