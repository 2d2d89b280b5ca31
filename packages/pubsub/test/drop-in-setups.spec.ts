import { bootstrap } from '@libp2p/bootstrap'
import { gossipsub } from '@libp2p/gossipsub'
import { expect } from 'aegir/chai'
import { createPlumtreeNode, waitFor } from './fixtures/nodes.ts'
import { expectedReceived, runChat } from './fixtures/run-chat.ts'
import type { TransportKind } from './fixtures/nodes.ts'
import type { BothNode } from './fixtures/run-chat.ts'

const N = 5

/**
 * How a gossipsub application gets its nodes connected, three ways. plumtree() is swapped in
 * beside gossipsub() and the application module runs unchanged on both (issue 13).
 */
const SETUPS: Record<string, (kind: TransportKind) => Promise<BothNode[]>> = {
  'bootstrap option': async (kind) => {
    const first = await node(kind, {})
    const contact = first.getMultiaddrs()[0].toString()
    return [first, ...await Promise.all(Array.from({ length: N - 1 }, async () => node(kind, { membership: { bootstrap: [contact] } })))]
  },
  'the application dials its peers': async (kind) => {
    const nodes: BothNode[] = []
    for (let i = 0; i < N; i++) {
      const next = await node(kind, {})
      if (i > 0) {
        // a chain: each dials only the one before it, as an application with one known peer would
        await next.dial(nodes[i - 1].getMultiaddrs()[0])
      }
      nodes.push(next)
    }
    return nodes
  },
  '@libp2p/bootstrap discovery': async (kind) => {
    const first = await node(kind, {})
    const list = [first.getMultiaddrs()[0].toString()]
    return [first, ...await Promise.all(Array.from({ length: N - 1 }, async () => node(kind, { extra: { peerDiscovery: [bootstrap({ list, timeout: 10 })] } })))]
  }
}

async function node (kind: TransportKind, options: { membership?: Record<string, unknown>, extra?: Record<string, unknown> }): Promise<BothNode> {
  return createPlumtreeNode(kind, { ...options, services: { gossipsub: gossipsub({ emitSelf: false }) } }) as Promise<BothNode>
}

for (const kind of ['tcp', 'quic'] as TransportKind[]) {
  for (const [setup, create] of Object.entries(SETUPS)) {
    describe(`drop-in over ${kind}, ${setup}: one application, unchanged, on gossipsub() and plumtree()`, function () {
      this.timeout(120_000)
      let nodes: BothNode[] = []

      before(async () => {
        nodes = await create(kind)
        await waitFor(() => nodes.every(n => n.getConnections().length >= 1), 20_000, 'connections')
      })

      after(async () => {
        await Promise.all(nodes.map(async n => n.stop()))
      })

      it('every node gets every other node\'s message exactly once, on both', async () => {
        const onGossipsub = await runChat(nodes, n => n.services.gossipsub, `${setup}/gossipsub`)
        const onPlumtree = await runChat(nodes, n => n.services.pubsub, `${setup}/plumtree`)
        expect(onPlumtree.early).to.deep.equal(['nobody'])
        expect(onPlumtree.early).to.deep.equal(onGossipsub.early)
        expect(onGossipsub.received).to.deep.equal(expectedReceived(N))
        expect(onPlumtree.received).to.deep.equal(expectedReceived(N))
        expect(onPlumtree.recipients.every(r => typeof r === 'number' && r > 0)).to.equal(true)
      })
    })
  }
}
