import { expect } from 'aegir/chai'
import { createMembershipNode, overlay, waitFor } from './fixtures/nodes.ts'
import type { MembershipNode, TransportKind } from './fixtures/nodes.ts'

for (const kind of ['tcp', 'quic', 'memory'] as TransportKind[]) {
  describe(`membership() over ${kind}: 20 libp2p nodes`, function () {
    this.timeout(120_000)
    const nodes: MembershipNode[] = []

    after(async () => {
      await Promise.all(nodes.map(async n => n.stop()))
    })

    it('form one overlay through one contact, and heal after 5 are stopped', async () => {
      const first = await createMembershipNode(kind)
      nodes.push(first)
      const contact = first.getMultiaddrs()[0].toString()
      for (let i = 1; i < 20; i++) {
        nodes.push(await createMembershipNode(kind, { bootstrap: [contact] }))
      }
      const formed = (): boolean => {
        const o = overlay(nodes)
        return o.components === 1 && o.isolated === 0 && nodes.every(n => n.services.membership.activeView().length >= 3)
      }
      try {
        await waitFor(formed, 30_000, 'one overlay')
      } catch (err: any) {
        const sizes = nodes.map(n => `${n.services.membership.activeView().length}/${n.services.membership.passiveView().length}`)
        throw new Error(`${err.message}: ${JSON.stringify(overlay(nodes))}, active/passive sizes ${sizes.join(',')}`)
      }
      const sizes = nodes.map(n => n.services.membership.activeView().length)
      expect(Math.max(...sizes)).to.be.at.most(12)

      // every frame read is reported as peer-heard (pubsub's liveness from any frame): SWIM's
      // probes and acks reach a node from its active neighbours within a few probe periods
      const heard = new Set<string>()
      const onHeard = (evt: CustomEvent<{ peer: { toString(): string } }>): void => { heard.add(evt.detail.peer.toString()) }
      nodes[0].services.membership.addEventListener('peer-heard', onHeard)
      const neighbours = nodes[0].services.membership.activeView().map(p => p.toString())
      await waitFor(() => neighbours.some(p => heard.has(p)), 10_000, 'peer-heard from an active neighbour')
      nodes[0].services.membership.removeEventListener('peer-heard', onHeard)
      // and only from nodes of this test
      const known = new Set(nodes.map(n => n.peerId.toString()))
      expect([...heard].every(p => known.has(p))).to.equal(true)

      const stopped = nodes.splice(1, 5)
      await Promise.all(stopped.map(async n => n.stop()))
      const gone = new Set(stopped.map(n => n.peerId.toString()))
      await waitFor(() => {
        const o = overlay(nodes)
        const stale = nodes.some(n => n.services.membership.activeView().some(p => gone.has(p.toString())))
        return o.components === 1 && o.isolated === 0 && !stale
      }, 30_000, 'the survivors to heal')
      expect(overlay(nodes).components).to.equal(1)
    })
  })
}
