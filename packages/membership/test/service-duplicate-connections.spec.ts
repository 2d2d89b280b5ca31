import { IdleConnections } from '@saorsa-gossip/kit'
import { expect } from 'aegir/chai'
import { createMembershipNode, waitFor } from './fixtures/nodes.ts'
import type { MembershipNode } from './fixtures/nodes.ts'
import type { Connection } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

const PROTOCOL = '/saorsa-gossip/membership/1.0.0'

function connectionManager (node: MembershipNode): ConnectionManager {
  return (node as unknown as { components: { connectionManager: ConnectionManager } }).components.connectionManager
}

const openStreams = (c: Connection): number => c.streams.filter(s => s.status === 'open' && s.protocol === PROTOCOL).length

// two nodes that dial each other at once hold two connections; each opened its streams on the
// one it dialled, so both stayed busy forever (a quarter of the connections in the churn soak,
// issue 19). Both ends must move their streams to the same one and the other must close
// (SPEC.md §2.10)
describe('membership() over duplicate connections', function () {
  this.timeout(60_000)
  const nodes: MembershipNode[] = []

  after(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
  })

  it('moves both ends\' streams to the preferred connection, and the duplicate\'s dialler closes it', async () => {
    const a = await createMembershipNode('tcp')
    const b = await createMembershipNode('tcp')
    nodes.push(a, b)
    // one connection each way: the second is forced, as a simultaneous dial makes it
    await a.dial(b.getMultiaddrs()[0])
    await b.dial(a.getMultiaddrs()[0], { force: true })
    await waitFor(() => a.getConnections(b.peerId).length === 2 && b.getConnections(a.peerId).length === 2, 10_000, 'two connections at both ends')
    await waitFor(() => a.services.membership.activeView().length === 1 && b.services.membership.activeView().length === 1, 20_000, 'a and b neighbours')

    // the preferred one was dialled by the smaller PeerId
    const smaller = a.peerId.toString() < b.peerId.toString() ? a : b
    const larger = smaller === a ? b : a
    const preferredAt = (node: MembershipNode): Connection => {
      const other = node === smaller ? larger : smaller
      const wanted = node === smaller ? 'outbound' : 'inbound'
      const found = node.getConnections(other.peerId).find(c => c.direction === wanted)
      if (found == null) {
        throw new Error('no connection dialled by the smaller PeerId')
      }
      return found
    }
    const duplicateAt = (node: MembershipNode): Connection | undefined => {
      const other = node === smaller ? larger : smaller
      return node.getConnections(other.peerId).find(c => c !== preferredAt(node))
    }
    // SWIM probes and acks go both ways every second: each end's next write moves its stream
    await waitFor(() => [a, b].every(n => {
      const duplicate = duplicateAt(n)
      return duplicate != null && openStreams(duplicate) === 0 && openStreams(preferredAt(n)) >= 2
    }), 20_000, 'membership streams only on the preferred connection, at both ends')

    // the larger PeerId dialled the duplicate: its sweep closes it after one more sweep
    // interval (idleTimeout 120 s / 3); the smaller's sweep leaves it alone
    const now = Date.now()
    for (const at of [now, now + 40_000]) {
      IdleConnections.of(connectionManager(smaller)).sweep(at)
    }
    expect(smaller.getConnections(larger.peerId), 'the end that did not dial it keeps it').to.have.length(2)
    const closer = IdleConnections.of(connectionManager(larger))
    const closedBefore = closer.stats.duplicatesClosed
    for (const at of [now, now + 40_000]) {
      closer.sweep(at)
    }
    expect(closer.stats.duplicatesClosed - closedBefore).to.equal(1)
    await waitFor(() => a.getConnections(b.peerId).length === 1 && b.getConnections(a.peerId).length === 1, 10_000, 'one connection left at both ends')

    // nothing was lost on the way: still neighbours, SWIM still answered over the one left, no send failed
    const acks = (): number => (a.services.membership.stats.messagesIn.ack ?? 0) + (b.services.membership.stats.messagesIn.ack ?? 0)
    const acksBefore = acks()
    await waitFor(() => acks() >= acksBefore + 4, 10_000, 'acks over the remaining connection')
    expect(a.services.membership.activeView().map(String)).to.deep.equal([b.peerId.toString()])
    expect(b.services.membership.activeView().map(String)).to.deep.equal([a.peerId.toString()])
    expect(a.services.membership.stats.drops['send-failed']).to.equal(0)
    expect(b.services.membership.stats.drops['send-failed']).to.equal(0)
  })
})
