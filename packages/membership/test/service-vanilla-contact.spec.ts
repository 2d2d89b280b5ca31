import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { expect } from 'aegir/chai'
import { createLibp2p } from 'libp2p'
import { createMembershipNode, waitFor } from './fixtures/nodes.ts'
import type { MembershipNode } from './fixtures/nodes.ts'
import type { Libp2p } from '@libp2p/interface'

// a bootstrap list may name plain libp2p nodes: one refused JOIN, then never again (SPEC.md §5.5)
describe('membership() with a plain libp2p node among its bootstrap peers', function () {
  this.timeout(60_000)
  let plain: Libp2p
  let member: MembershipNode
  let joiner: MembershipNode

  after(async () => {
    await Promise.all([plain?.stop(), member?.stop(), joiner?.stop()])
  })

  it('asks the plain node once, stops asking, and still joins through a member it meets later', async () => {
    plain = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: { identify: identify() }
    })
    member = await createMembershipNode('tcp')
    joiner = await createMembershipNode('tcp', { bootstrap: [plain.getMultiaddrs()[0].toString()] })
    await waitFor(() => joiner.services.membership.stats.drops['send-failed'] >= 1, 20_000, 'the JOIN to the plain node refused')
    // longer than two join retry intervals (5 s): each retried JOIN would fail again and count
    await new Promise(resolve => setTimeout(resolve, 11_000))
    expect(joiner.services.membership.stats.drops['send-failed']).to.equal(1)
    expect(joiner.services.membership.passiveView().map(String)).to.not.include(plain.peerId.toString())
    await joiner.dial(member.getMultiaddrs()[0])
    await waitFor(() => joiner.services.membership.activeView().length === 1, 20_000, 'joined through the member')
    expect(joiner.services.membership.activeView().map(String)).to.deep.equal([member.peerId.toString()])
  })
})
