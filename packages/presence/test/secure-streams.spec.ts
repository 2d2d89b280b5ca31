import { quic } from '@chainsafe/libp2p-quic'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { PqIdentity, pqIdentity } from '@saorsa-gossip/identity'
import { membership } from '@saorsa-gossip/membership'
import { pqNoiseService } from '@saorsa-gossip/pq-noise'
import { expect } from 'aegir/chai'
import { createLibp2p } from 'libp2p'
import { presence } from '../src/index.ts'
import { waitFor } from './fixtures/nodes.ts'
import type { PresenceService } from '../src/index.ts'
import type { Libp2p } from '@libp2p/interface'
import type { MembershipService } from '@saorsa-gossip/membership'

type Node = Libp2p<{ membership: MembershipService, presence: PresenceService }>

let counter = 0

async function createNode (bootstrap?: string): Promise<Node> {
  const identity = PqIdentity.generate()
  return createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/udp/0/quic-v1'] },
    transports: [quic()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionMonitor: { enabled: false },
    services: {
      identify: identify(),
      pqIdentity: pqIdentity({ identity }),
      pqNoise: pqNoiseService({ identity }),
      membership: membership({ seed: `pss-${counter++}`, bootstrap: bootstrap == null ? undefined : [bootstrap], secureStreams: 'require' }),
      presence: presence({ seed: `pss-${counter++}`, secureStreams: 'require' })
    }
  }) as unknown as Promise<Node>
}

describe("presence() with secureStreams: 'require' over QUIC", function () {
  this.timeout(60_000)
  let nodes: Node[] = []

  afterEach(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
    nodes = []
  })

  it('beacons travel inside the PQ channel: records arrive, no presence stream is plain', async () => {
    const first = await createNode()
    const contact = first.getMultiaddrs()[0].toString()
    nodes = [first, ...await Promise.all([1, 2].map(async () => createNode(contact)))]
    await waitFor(() => nodes.every(n => n.services.presence.stats.records >= 1), 30_000, 'beacons from neighbours')
    for (const n of nodes) {
      const stats = n.services.presence.secureStreamsStats
      expect(stats.secured).to.be.greaterThan(0)
      expect(stats.plain).to.equal(0)
      expect(stats.failed).to.equal(0)
      const protocols = n.getConnections().flatMap(c => c.streams).map(s => s.protocol ?? '').filter(p => p.startsWith('/saorsa-gossip/presence/'))
      expect(protocols.length).to.be.greaterThan(0)
      expect(protocols.every(p => p.endsWith('/pq-noise') || p.endsWith('/pq-noise-psk')), protocols.join(' ')).to.equal(true)
    }
  })
})
