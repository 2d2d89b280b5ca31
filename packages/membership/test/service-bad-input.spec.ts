import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { lpStream } from '@libp2p/utils'
import { yamux } from '@libp2p/yamux'
import { expect } from 'aegir/chai'
import { createLibp2p } from 'libp2p'
import { MEMBERSHIP_PROTOCOL } from '../src/index.ts'
import { Frame, FrameType } from '../src/pb/membership.ts'
import { createMembershipNode, waitFor } from './fixtures/nodes.ts'
import type { MembershipNode } from './fixtures/nodes.ts'
import type { Libp2p, Stream } from '@libp2p/interface'

async function closedByRemote (stream: Stream): Promise<void> {
  await waitFor(() => stream.status !== 'open' || stream.readStatus !== 'readable', 5000, 'stream closed by the remote')
}

describe('membership() under bad input', function () {
  this.timeout(60_000)
  let victim: MembershipNode
  let friend: MembershipNode
  let attacker: Libp2p

  beforeEach(async () => {
    victim = await createMembershipNode('tcp')
    friend = await createMembershipNode('tcp', { bootstrap: [victim.getMultiaddrs()[0].toString()] })
    attacker = await createLibp2p({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
    await waitFor(() => victim.services.membership.activeView().length === 1, 10_000, 'victim and friend to be neighbours')
  })

  afterEach(async () => {
    await Promise.all([victim.stop(), friend.stop(), attacker.stop()])
  })

  async function attack (): Promise<Stream> {
    return attacker.dialProtocol(victim.getMultiaddrs(), MEMBERSHIP_PROTOCOL)
  }

  async function stillServing (): Promise<void> {
    // the neighbour relationship survives and SWIM keeps probing over it
    const acksBefore = victim.services.membership.stats.messagesIn.ack ?? 0
    await waitFor(() => (victim.services.membership.stats.messagesIn.ack ?? 0) > acksBefore, 10_000, 'the victim to keep probing its neighbour')
    expect(victim.services.membership.activeView().map(String)).to.deep.equal([friend.peerId.toString()])
  }

  it('an undecodable frame resets the stream and is counted', async () => {
    const stream = await attack()
    await lpStream(stream).write(new Uint8Array([0xff, 0xff, 0xff, 0xff]))
    await closedByRemote(stream)
    expect(victim.services.membership.stats.drops.malformed).to.equal(1)
    await stillServing()
  })

  it('an unknown frame type is rejected as malformed', async () => {
    const stream = await attack()
    await lpStream(stream).write(new Uint8Array([0x08, 0x63]))
    await closedByRemote(stream)
    expect(victim.services.membership.stats.drops.malformed).to.equal(1)
    await stillServing()
  })

  it('an oversize length prefix resets the stream before buffering, and is counted', async () => {
    const stream = await attack()
    stream.send(new Uint8Array([0x80, 0x80, 0x80, 0x01])) // 2 MiB announced
    stream.send(new Uint8Array(1000))
    await closedByRemote(stream)
    await waitFor(() => victim.services.membership.stats.drops.oversize === 1, 5000, 'oversize counted')
    await stillServing()
  })

  it('a frame over the repeated-field limits is rejected', async () => {
    const stream = await attack()
    const peers = Array.from({ length: 65 }, () => ({ id: friend.peerId.toMultihash().bytes, addrs: [] }))
    await lpStream(stream).write(Frame.encode({ type: FrameType.SHUFFLE_REPLY, peers } as any))
    await closedByRemote(stream)
    expect(victim.services.membership.stats.drops.malformed).to.equal(1)
    await stillServing()
  })

  it('a flood of JOINs is absorbed: the view stays within capacity and the node keeps serving', async () => {
    const stream = await attack()
    const lp = lpStream(stream)
    for (let i = 0; i < 200; i++) {
      await lp.write(Frame.encode({ type: FrameType.JOIN } as any))
    }
    await new Promise(resolve => setTimeout(resolve, 500))
    expect(victim.services.membership.activeView().length).to.be.at.most(12)
    // the attacker is one peer: it occupies at most one slot
    expect(victim.services.membership.activeView().filter(p => p.equals(attacker.peerId)).length).to.be.at.most(1)
    expect(victim.services.membership.activeView().map(String)).to.include(friend.peerId.toString())
  })
})
