import { quic } from '@chainsafe/libp2p-quic'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { PqIdentity, pqIdentity } from '@saorsa-gossip/identity'
import { membership } from '@saorsa-gossip/membership'
import { pqNoise, pqNoiseService } from '@saorsa-gossip/pq-noise'
import { plumtree } from '@saorsa-gossip/pubsub'
import { expect } from 'aegir/chai'
import { createLibp2p } from 'libp2p'
import { groups } from '../src/index.ts'
import { topicLinked, waitFor } from './fixtures/nodes.ts'
import type { GroupsService } from '../src/index.ts'
import type { Libp2p } from '@libp2p/interface'
import type { SecureStreamsMode } from '@saorsa-gossip/kit'
import type { MembershipService } from '@saorsa-gossip/membership'
import type { PqNoiseService } from '@saorsa-gossip/pq-noise'

type PlumtreeService = ReturnType<ReturnType<typeof plumtree>>
type Node = Libp2p<{ identify: unknown, pqIdentity: unknown, pqNoise: PqNoiseService, membership: MembershipService, pubsub: PlumtreeService, groups: GroupsService }>

const OUR_PROTOCOLS = ['/saorsa-gossip/membership/1.0.0', '/saorsa-gossip/plumtree/1.0.0', '/saorsa-gossip/groups/1.0.0']
const SUFFIXES = ['/pq-noise', '/pq-noise-psk']
const secured = (protocol: string): boolean => SUFFIXES.some(suffix => protocol.endsWith(suffix))

let counter = 0

async function createNode (transport: 'quic' | 'tcp', secureStreams: SecureStreamsMode, bootstrap?: string): Promise<Node> {
  const identity = PqIdentity.generate()
  return createLibp2p({
    addresses: { listen: [transport === 'quic' ? '/ip4/127.0.0.1/udp/0/quic-v1' : '/ip4/127.0.0.1/tcp/0'] },
    transports: [transport === 'quic' ? quic() : tcp()],
    connectionEncrypters: [pqNoise({ identity }), noise()],
    streamMuxers: [yamux()],
    connectionMonitor: { enabled: false },
    services: {
      identify: identify(),
      pqIdentity: pqIdentity({ identity }),
      pqNoise: pqNoiseService({ identity }),
      membership: membership({ seed: `ss-${counter++}`, bootstrap: bootstrap == null ? undefined : [bootstrap], secureStreams }),
      pubsub: plumtree({ seed: `ss-${counter++}`, secureStreams }),
      groups: groups({ secureStreams })
    }
  }) as Promise<Node>
}

/** Our services' streams open on `node`'s connections, by protocol id */
function ourStreams (node: Node): string[] {
  return node.getConnections().flatMap(c => c.streams)
    .map(s => s.protocol ?? '')
    .filter(p => OUR_PROTOCOLS.some(ours => p.startsWith(ours)))
}

describe('secureStreams: membership, plumtree and groups inside the PQ channel', function () {
  this.timeout(120_000)
  let nodes: Node[] = []

  afterEach(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
    nodes = []
  })

  it("QUIC, 'require' everywhere: a group forms and its messages arrive with every service stream inside the channel", async () => {
    const first = await createNode('quic', 'require')
    const contact = first.getMultiaddrs()[0].toString()
    nodes = [first, ...await Promise.all([1, 2, 3].map(async () => createNode('quic', 'require', contact)))]
    await waitFor(() => nodes.every(n => n.services.membership.activeView().length >= 1), 30_000, 'membership')

    let group = await nodes[0].services.groups.create('pq group')
    for (const n of nodes.slice(1)) {
      group = await nodes[0].services.groups.invite(group.id, n.peerId)
    }
    await waitFor(() => topicLinked(nodes as any, group.topic), 30_000, 'topic links')
    await waitFor(() => nodes.every(n => n.services.groups.list()[0]?.epoch === 3), 30_000, 'epoch 3 everywhere')
    const received = nodes.map(() => [] as string[])
    nodes.forEach((n, i) => { n.services.groups.addEventListener('message', evt => { received[i].push(new TextDecoder().decode(evt.detail.data)) }) })
    await nodes[2].services.groups.send(group.id, new TextEncoder().encode('over pq streams'))
    await waitFor(() => received.every((r, i) => i === 2 || r.includes('over pq streams')), 30_000, 'group message')

    for (const n of nodes) {
      const streams = ourStreams(n)
      expect(streams.length).to.be.greaterThan(0)
      expect(streams.filter(p => !secured(p)), 'plain service streams').to.deep.equal([])
      for (const stats of [n.services.membership.secureStreamsStats, n.services.pubsub.secureStreamsStats]) {
        expect(stats.secured).to.be.greaterThan(0)
        expect(stats.plain).to.equal(0)
        expect(stats.failed).to.equal(0)
      }
      const pq = n.services.pqNoise.stats
      expect(pq.channelsOpened + pq.channelsAccepted).to.be.greaterThan(0)
      // one full XXhfs per connection (two if both ends open their first streams at once); every other stream resumes
      expect(pq.handshakesOk).to.be.at.most(2 * n.getConnections().length)
      expect(pq.channelsResumed).to.be.greaterThan(pq.handshakesOk)
      expect(pq.channelsFailed).to.equal(0)
    }
    // the inviter asked each invitee for a key package and sent it a welcome: request streams in the channel
    expect(nodes[0].services.groups.secureStreamsStats.secured).to.be.greaterThanOrEqual(3)
    expect(nodes[0].services.groups.secureStreamsStats.plain).to.equal(0)
  })

  it("QUIC, 'prefer' against 'off': the streams fall back to the plain protocol and the overlay forms", async () => {
    const a = await createNode('quic', 'prefer')
    const b = await createNode('quic', 'off', a.getMultiaddrs()[0].toString())
    nodes = [a, b]
    await waitFor(() => a.services.membership.activeView().length === 1 && b.services.membership.activeView().length === 1, 30_000, 'membership')
    expect(a.services.membership.secureStreamsStats.plain).to.be.greaterThan(0)
    expect(a.services.membership.secureStreamsStats.secured).to.equal(0)
    expect(ourStreams(a).filter(secured)).to.deep.equal([])
  })

  it("QUIC, 'require' against 'off': the plain peer's streams are refused and counted, never read", async () => {
    const a = await createNode('quic', 'require')
    const b = await createNode('quic', 'off', a.getMultiaddrs()[0].toString())
    nodes = [a, b]
    await waitFor(() => a.services.membership.secureStreamsStats.refused > 0, 30_000, 'a refused stream')
    await new Promise(resolve => setTimeout(resolve, 1000))
    expect(a.services.membership.activeView().map(String)).to.not.include(b.peerId.toString())
    expect(Object.values(a.services.membership.stats.messagesIn).reduce((x, y) => x + y, 0), 'frames read from the plain peer').to.equal(0)
  })

  it("TCP with PQ Noise as the connection encrypter: 'require' adds no handshake inside the streams", async () => {
    const a = await createNode('tcp', 'require')
    const b = await createNode('tcp', 'require', a.getMultiaddrs()[0].toString())
    nodes = [a, b]
    await waitFor(() => a.services.membership.activeView().length === 1 && b.services.membership.activeView().length === 1, 30_000, 'membership')
    expect(a.getConnections()[0].encryption).to.equal('/noise-mlkem768-hfs/0.2.0')
    for (const n of nodes) {
      expect(n.services.membership.secureStreamsStats.plain).to.be.greaterThan(0)
      expect(n.services.membership.secureStreamsStats.secured).to.equal(0)
      expect(n.services.pqNoise.stats.channelsOpened + n.services.pqNoise.stats.channelsAccepted).to.equal(0)
    }
  })
})
