import { expect } from 'aegir/chai'
import { contains, createGroupNodes, observe, topicLinked, waitFor } from './fixtures/nodes.ts'
import type { GroupNode, Observed } from './fixtures/nodes.ts'
import type { GroupInfo } from '../src/index.ts'

const enc = new TextEncoder()

/**
 * `n` nodes; node 0 creates a group and invites nodes 1..size-1 one by one; the others relay
 * the group's topic without membership.
 */
async function scenario (n: number, size: number): Promise<{ nodes: GroupNode[], group: GroupInfo, seen: Observed }> {
  const nodes = await createGroupNodes(n)
  const current: { topic?: string } = {}
  const seen = observe(nodes, () => current.topic)
  await waitFor(() => nodes.every(node => node.services.membership.activeView().length >= 1), 30_000, 'membership')
  let group = await nodes[0].services.groups.create('test group')
  current.topic = group.topic
  for (let i = 1; i < size; i++) {
    group = await nodes[0].services.groups.invite(group.id, nodes[i].peerId)
  }
  for (let i = size; i < n; i++) {
    nodes[i].services.groups.relay(group.id)
  }
  await waitFor(() => topicLinked(nodes, group.topic), 30_000, 'topic links')
  await waitFor(() => nodes.slice(0, size).every(node => node.services.groups.list()[0]?.epoch === size - 1), 30_000,
    () => `epochs ${nodes.slice(0, size).map(node => node.services.groups.list()[0]?.epoch).join(',')}`)
  return { nodes, group, seen }
}

function expectNoPlaintextAt (seen: Observed, i: number, texts: string[]): void {
  expect(seen.plaintexts[i]).to.deep.equal([])
  for (const raw of seen.raw[i]) {
    for (const t of texts) {
      expect(contains(raw, enc.encode(t)), `node ${i} saw "${t}" in clear`).to.equal(false)
    }
  }
}

for (const [n, size] of [[6, 4], [12, 8]] as const) {
  describe(`groups() service: ${n} real nodes, a group of ${size}`, function () {
    this.timeout(240_000)
    let nodes: GroupNode[] = []

    afterEach(async () => {
      await Promise.all(nodes.map(async node => node.stop()))
      nodes = []
    })

    it('members read each other; non-members relay ciphertext only; a removed member reads nothing after; a late joiner nothing before', async () => {
      const s = await scenario(n, size)
      nodes = s.nodes
      const { group, seen } = s
      const members = nodes.slice(0, size)
      for (const m of members) {
        expect(m.services.groups.members(group.id).map(p => p.toString())).to.have.members(members.map(x => x.peerId.toString()))
      }

      await nodes[1].services.groups.send(group.id, enc.encode('hello from 1'))
      await waitFor(() => members.every((_, i) => i === 1 || seen.plaintexts[i].includes('hello from 1')), 30_000,
        () => `deliveries ${seen.plaintexts.map(p => p.length).join(',')}`)
      // relays carried the group's traffic (they received topic messages) and read none of it
      for (let i = size; i < n; i++) {
        expect(seen.raw[i].length, `relay ${i} carried nothing`).to.be.greaterThan(0)
        expectNoPlaintextAt(seen, i, ['hello from 1'])
        expect(nodes[i].services.groups.refusals()['not-in-group']).to.be.greaterThan(0)
      }

      // remove the last member: it learns it, and reads nothing sent afterwards
      const removed = size - 1
      const removedEvent = new Promise(resolve => { nodes[removed].services.groups.addEventListener('removed', resolve, { once: true }) })
      await nodes[0].services.groups.remove(group.id, nodes[removed].peerId)
      await removedEvent
      await waitFor(() => members.slice(0, removed).every(m => m.services.groups.list()[0]?.epoch === size), 30_000, 'removal applied')
      await nodes[2].services.groups.send(group.id, enc.encode('after removal'))
      await waitFor(() => members.slice(0, removed).every((_, i) => i === 2 || seen.plaintexts[i].includes('after removal')), 30_000, 'after-removal deliveries')

      // a late joiner (a relay until now) reads from its join on and nothing before
      const late = size
      await nodes[0].services.groups.invite(group.id, nodes[late].peerId)
      await waitFor(() => nodes[late].services.pubsub.getMeshPeers(group.topic).length > 0, 30_000, 'late joiner linked')
      await new Promise(resolve => setTimeout(resolve, 1_000))
      await nodes[1].services.groups.send(group.id, enc.encode('welcome late'))
      await waitFor(() => seen.plaintexts[late].includes('welcome late'), 30_000, 'late joiner reads')
      await new Promise(resolve => setTimeout(resolve, 1_000))

      expect(seen.plaintexts[late]).to.deep.equal(['welcome late'])
      expect(seen.plaintexts[removed]).to.not.include('after removal')
      expect(seen.plaintexts[removed]).to.not.include('welcome late')
      for (let i = size + 1; i < n; i++) {
        expectNoPlaintextAt(seen, i, ['hello from 1', 'after removal', 'welcome late'])
      }
      // every delivered message exactly once
      for (const p of seen.plaintexts) {
        expect(new Set(p).size).to.equal(p.length)
      }
    })
  })
}
