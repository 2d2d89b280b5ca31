import { requestFrame } from '@saorsa-gossip/kit'
import { expect } from 'aegir/chai'
import { encodeGroupMessage, GroupRequest } from '../src/codec.ts'
import { PROTOCOL } from '../src/constants.ts'
import { createGroupNodes, observe, topicLinked, waitFor } from './fixtures/nodes.ts'
import type { GroupNode } from './fixtures/nodes.ts'

const enc = new TextEncoder()

describe('groups() service: bad input from real nodes', function () {
  this.timeout(120_000)
  let nodes: GroupNode[] = []

  afterEach(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
    nodes = []
  })

  it('refuses garbage, non-member commits, replays, re-published messages and stray welcomes by name; state unchanged', async () => {
    nodes = await createGroupNodes(4)
    const [a, b, c, x] = nodes
    const current: { topic?: string } = {}
    const seen = observe(nodes, () => current.topic)
    await waitFor(() => nodes.every(n => n.services.membership.activeView().length > 0), 20_000, 'membership')
    const group = await a.services.groups.create('guarded')
    current.topic = group.topic
    await a.services.groups.invite(group.id, b.peerId)
    await a.services.groups.invite(group.id, c.peerId)
    x.services.groups.relay(group.id)
    await waitFor(() => topicLinked(nodes, group.topic), 30_000, 'topic links')
    await waitFor(() => [a, b, c].every(n => n.services.groups.list()[0]?.epoch === 2), 20_000, 'epoch 2')
    await a.services.groups.send(group.id, enc.encode('genuine'))
    await waitFor(() => seen.plaintexts[1].includes('genuine') && seen.raw[3].length > 0, 20_000, 'genuine message')
    const before = [a, b, c].map(n => JSON.stringify(n.services.groups.list().map(g => [g.epoch, g.members.map(String)])))
    const groupId = Buffer.from(group.id, 'hex')
    const refusals = (n: GroupNode, reason: string): number => (n.services.groups.refusals() as Record<string, number>)[reason]

    // an outsider (relaying the topic) publishes garbage, a commit and an application message
    await x.services.pubsub.publish(group.topic, new Uint8Array([1, 2, 3]))
    await waitFor(() => refusals(b, 'malformed') >= 1, 10_000, 'malformed')
    const latest = b.services.groups.list()[0]
    expect(latest.epoch).to.equal(2)
    // a parent nobody knows is a branch the members do not hold: it waits, and its sender is asked for the chain (refused: a stranger)
    await x.services.pubsub.publish(group.topic, encodeGroupMessage(groupId, { kind: 'application', epoch: 2, parent: '00'.repeat(32), mls: enc.encode('x') }))
    // a replay: b re-publishes a's genuine application message under its own origin: it does not open as b's
    const genuine = seen.raw[3].at(-1) as Uint8Array
    await b.services.pubsub.publish(group.topic, genuine)
    await waitFor(() => refusals(a, 'forged') + refusals(a, 'wrong-sender') >= 1 && refusals(c, 'forged') + refusals(c, 'wrong-sender') >= 1, 10_000,
      () => `forged at a ${refusals(a, 'forged')}, at c ${refusals(c, 'forged')}`)
    // the outsider re-publishes the same genuine message as its own: not a member
    await x.services.pubsub.publish(group.topic, genuine)
    await waitFor(() => refusals(a, 'not-a-member') >= 1 && refusals(b, 'not-a-member') >= 1, 10_000, 'not-a-member')

    // a welcome nobody asked for, and a frame over the limit, on the stream protocol
    const stream = await x.dialProtocol(b.peerId, PROTOCOL)
    const reply = await requestFrame(stream, GroupRequest.encode({ type: GroupRequest.Type.WELCOME, groupId: new Uint8Array(32).fill(0x55), epoch: 3, parent: new Uint8Array(32), mls: new Uint8Array(10) }),
      { maxDataLength: 1 << 20, onReply: (bytes) => bytes })
    expect(reply.length).to.be.greaterThan(0)
    expect(refusals(b, 'welcome-not-for-us')).to.equal(1)

    // members' state did not move, and they still read each other
    expect([a, b, c].map(n => JSON.stringify(n.services.groups.list().map(g => [g.epoch, g.members.map(String)])))).to.deep.equal(before)
    await c.services.groups.send(group.id, enc.encode('still fine'))
    await waitFor(() => seen.plaintexts[0].includes('still fine') && seen.plaintexts[1].includes('still fine'), 10_000, 'still fine')
    expect(seen.plaintexts[1].filter(t => t === 'genuine')).to.have.length(1)
    expect(seen.plaintexts[3]).to.deep.equal([])
  })
})
