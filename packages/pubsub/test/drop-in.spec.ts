import { gossipsub } from '@libp2p/gossipsub'
import { expect } from 'aegir/chai'
import { createOverlay, waitFor } from './fixtures/nodes.ts'
import { expectedReceived, runChat } from './fixtures/run-chat.ts'
import type { PubsubApi } from './fixtures/chat-app.ts'
import type { BothNode } from './fixtures/run-chat.ts'

const N = 5

describe('plumtree() as a drop-in for gossipsub()', function () {
  this.timeout(120_000)
  let nodes: BothNode[] = []

  before(async () => {
    // every node runs both services side by side, under different keys
    nodes = await createOverlay('memory', N, { services: { gossipsub: gossipsub({ emitSelf: false }) } }) as BothNode[]
    await waitFor(() => nodes.every(n => n.getConnections().length >= 2), 20_000, 'connections')
  })

  after(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
  })

  it('type-checks as gossipsub: the service is assignable to the gossipsub API the application uses', () => {
    const api: PubsubApi = nodes[0].services.pubsub
    expect(api.getTopics()).to.be.an('array')
  })

  it('one application module observes the same behaviour on both, on the same nodes', async () => {
    const onGossipsub = await runChat(nodes, n => n.services.gossipsub, 'app/gossipsub')
    const onPlumtree = await runChat(nodes, n => n.services.pubsub, 'app/plumtree')
    expect(onPlumtree.early).to.deep.equal(['nobody'])
    expect(onPlumtree.early).to.deep.equal(onGossipsub.early)
    // every node got every other node's hello exactly once, no spam, not its own
    expect(onPlumtree.received).to.deep.equal(onGossipsub.received)
    expect(onPlumtree.received).to.deep.equal(expectedReceived(N))
    expect(onPlumtree.recipients.every(r => typeof r === 'number' && r > 0)).to.equal(true)
    expect(onGossipsub.recipients.every(r => typeof r === 'number' && r > 0)).to.equal(true)
  })

  it('both keep working side by side: traffic on one does not disturb the other', async () => {
    const plumtreeGot = nodes.map(() => 0)
    const gossipsubGot = nodes.map(() => 0)
    nodes.forEach((n, i) => {
      n.services.pubsub.addEventListener('message', evt => { if (evt.detail.topic === 'side') { plumtreeGot[i]++ } })
      n.services.gossipsub.addEventListener('message', evt => { if (evt.detail.topic === 'side') { gossipsubGot[i]++ } })
      n.services.pubsub.subscribe('side')
      n.services.gossipsub.subscribe('side')
    })
    await waitFor(() => nodes.every(n => n.services.pubsub.getMeshPeers('side').length > 0 && n.services.gossipsub.getSubscribers('side').length > 0), 30_000, 'both overlays on "side"')
    await new Promise(resolve => setTimeout(resolve, 2_000))
    for (let m = 0; m < 20; m++) {
      const n = nodes[m % N]
      await Promise.all([n.services.pubsub.publish('side', new Uint8Array([m])), n.services.gossipsub.publish('side', new Uint8Array([m]))])
    }
    // each message reaches the N - 1 other nodes on each service
    const each = 20 - 20 / N
    await waitFor(() => plumtreeGot.every(c => c === each) && gossipsubGot.every(c => c === each), 20_000, () => `plumtree ${plumtreeGot.join(',')} gossipsub ${gossipsubGot.join(',')}`)
    expect(nodes[0].services.pubsub.protocols).to.not.include.members(nodes[0].services.gossipsub.protocols)
  })
})
