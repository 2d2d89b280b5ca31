import { expect } from 'aegir/chai'
import { createOverlay, topicFormed, waitFor } from './fixtures/nodes.ts'
import type { PlumtreeNode } from './fixtures/nodes.ts'
import type { Message } from '../src/index.ts'

describe('plumtree() service: a few memory nodes', function () {
  this.timeout(60_000)
  let nodes: PlumtreeNode[] = []

  afterEach(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
    nodes = []
  })

  it('delivers signed messages with gossipsub-shaped details, exactly once', async () => {
    nodes = await createOverlay('memory', 5)
    const got = nodes.map(() => [] as Message[])
    nodes.forEach((n, i) => {
      n.services.pubsub.subscribe('chat')
      n.services.pubsub.addEventListener('message', evt => { got[i].push(evt.detail) })
    })
    await waitFor(() => topicFormed(nodes, 'chat'), 20_000, 'topic links')
    const result = await nodes[2].services.pubsub.publish('chat', new TextEncoder().encode('hello'))
    expect(result.recipients.length).to.be.greaterThan(0)
    await waitFor(() => got.every((g, i) => i === 2 || g.length === 1), 10_000, () => `deliveries ${got.map(g => g.length).join(',')}`)
    await new Promise(resolve => setTimeout(resolve, 500))
    expect(got[2]).to.have.length(0)
    for (const [i, g] of got.entries()) {
      if (i === 2) {
        continue
      }
      expect(g).to.have.length(1)
      const m = g[0]
      expect(m.type).to.equal('signed')
      if (m.type !== 'signed') {
        return
      }
      expect(m.from.equals(nodes[2].peerId)).to.equal(true)
      expect(new TextDecoder().decode(m.data)).to.equal('hello')
      expect(m.signature.length).to.equal(3309)
      expect(typeof m.sequenceNumber).to.equal('bigint')
      expect(m.key.equals(nodes[2].peerId.publicKey)).to.equal(true)
    }
  })
})
