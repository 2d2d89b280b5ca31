import { expect } from 'aegir/chai'
import { stateToFrame, CrdtConfigError, NotWriterError, OrSet, TOPIC_PREFIX } from '../src/index.ts'
import { createCrdtNode, createCrdtOverlay, waitFor } from './fixtures/nodes.ts'
import type { CrdtNode } from './fixtures/nodes.ts'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('crdtSync() on real libp2p nodes (memory transport, plumtree, ML-DSA-65 origins)', function () {
  this.timeout(90_000)
  let nodes: CrdtNode[] = []

  afterEach(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
    nodes = []
  })

  async function formed (name: string): Promise<void> {
    await waitFor(() => nodes.every(n => n.services.pubsub.getMeshPeers(TOPIC_PREFIX + name).length >= 1), 30_000, 'topic links')
  }

  it('5 nodes: concurrent OR-Set and LWW edits converge; a late node catches up; missed deltas are repaired by digest → interval; forged-author and malformed deltas are refused', async () => {
    nodes = await createCrdtOverlay(5)
    const sets = nodes.map(n => n.services.crdt.open('todo', 'orset'))
    const maps = nodes.map(n => n.services.crdt.open('cfg', 'lww'))
    await formed('todo')
    await formed('cfg')

    sets.forEach((s, i) => { for (let j = 0; j < 5; j++) { s.add(`n${i}-${j}`) } })
    sets[0].remove('n0-0')
    maps.forEach((m, i) => { m.set('colour', text(`c${i}`)); m.set(`own-${i}`, text('x')) })
    const expected = sets.flatMap((_, i) => [0, 1, 2, 3, 4].map(j => `n${i}-${j}`)).filter(e => e !== 'n0-0').sort()
    await waitFor(() => sets.every(s => JSON.stringify(s.values()) === JSON.stringify(expected)), 30_000,
      () => `OR-Set convergence: ${sets.map(s => s.values().length).join(',')}`)
    await waitFor(() => maps.every(m => m.keys().length === 6 && new TextDecoder().decode(m.get('colour')) === new TextDecoder().decode(maps[0].get('colour'))), 30_000, 'LWW convergence')

    // a node that was not there during the edits catches up (plumtree's anti-entropy or ours)
    const late = await createCrdtNode([nodes[0].getMultiaddrs()[0].toString()])
    nodes.push(late)
    const lateSet = late.services.crdt.open('todo', 'orset')
    await waitFor(() => JSON.stringify(lateSet.values()) === JSON.stringify(expected), 45_000, () => `late node catch-up: ${lateSet.values().length}/${expected.length}`)

    // a replica that misses deltas (plumtree delivered them while its crdtSync was stopped, so
    // plumtree will never repair them) catches up by crdtSync's digest → delta-interval repair
    const repairsBefore = nodes.reduce((sum, n) => sum + n.services.crdt.stats.repairs, 0)
    const crdt3 = nodes[3].services.crdt as unknown as { stop(): Promise<void>, start(): Promise<void> }
    await crdt3.stop()
    sets[0].add('while-away-0')
    sets[1].remove('n1-1')
    await waitFor(() => sets[2].has('while-away-0') && !sets[2].has('n1-1'), 20_000, 'edits while away reach the others')
    expect(sets[3].has('while-away-0')).to.equal(false)
    await crdt3.start()
    await waitFor(() => JSON.stringify(sets[3].values()) === JSON.stringify(sets[2].values()), 30_000, 'anti-entropy catch-up after missed deltas')
    expect(nodes.reduce((sum, n) => sum + n.services.crdt.stats.repairs, 0)).to.be.greaterThan(repairsBefore)
    expected.splice(expected.indexOf('n1-1'), 1)
    expected.push('while-away-0')
    expected.sort()

    // forged: node 4 signs (as itself) a delta whose add claims node 1 as its author
    const forged = new OrSet()
    forged.insert('evil', { replica: nodes[1].peerId.toString(), seq: 1000 })
    forged.context.add({ replica: nodes[1].peerId.toString(), seq: 1000 })
    nodes[4].services.crdt.publish('todo', stateToFrame(forged, { replica: nodes[4].peerId.toString(), from: 1, to: 1 }))
    await waitFor(() => nodes.filter((_, i) => i !== 4).every(n => n.services.crdt.stats.forgedAuthor >= 1), 20_000, 'forged-author refusals')
    // malformed bytes on the document's topic: dropped and counted
    await nodes[3].services.pubsub.publish(TOPIC_PREFIX + 'todo', new Uint8Array([0xff, 0xff, 0xff, 0x01]), { allowPublishToZeroTopicPeers: true })
    await waitFor(() => nodes[0].services.crdt.stats.malformed >= 1, 20_000, 'malformed counted')
    for (const s of [...sets, lateSet]) {
      expect(s.has('evil')).to.equal(false)
    }
    await waitFor(() => JSON.stringify(lateSet.values()) === JSON.stringify(expected), 20_000, 'late node has the later edits')
    expect(sets[2].values()).to.deep.equal(expected)
  })

  it('a document with writers refuses the deltas of every other author, a non-subscriber\'s included, and refuses local edits of a non-writer', async () => {
    nodes = await createCrdtOverlay(4)
    const writers = [nodes[0].peerId, nodes[1].peerId.toString()]
    // nodes 0–2 open the board; node 3 never subscribes to it
    const boards = nodes.slice(0, 3).map(n => n.services.crdt.open('board', 'orset', { writers }))
    await waitFor(() => nodes.slice(0, 3).every(n => n.services.pubsub.getMeshPeers(TOPIC_PREFIX + 'board').length >= 1), 30_000, 'topic links')
    expect(() => { boards[2].add('mine') }).to.throw(NotWriterError)
    boards[0].add('from-0')
    boards[1].add('from-1')
    // node 2 (a member, not a writer) publishes a well-formed delta of its own anyway
    const own = new OrSet()
    const delta = own.add(nodes[2].peerId.toString(), 'from-2')
    nodes[2].services.crdt.publish('board', stateToFrame(delta, { replica: nodes[2].peerId.toString(), from: 1, to: 1 }))
    // node 3 publishes one on the topic without subscribing (plumtree hands it to a subscriber)
    const stranger = new OrSet().add(nodes[3].peerId.toString(), 'from-3')
    nodes[3].services.crdt.publish('board', stateToFrame(stranger, { replica: nodes[3].peerId.toString(), from: 1, to: 1 }))
    await waitFor(() => boards.every(b => b.has('from-0') && b.has('from-1')), 20_000, 'writers\' edits everywhere')
    await waitFor(() => nodes[0].services.crdt.stats.notWriter >= 2 && nodes[1].services.crdt.stats.notWriter >= 2, 20_000,
      () => `non-writers' deltas counted: ${nodes.map(n => n.services.crdt.stats.notWriter).join(',')}`)
    for (const b of boards) {
      expect(b.values()).to.deep.equal(['from-0', 'from-1'])
    }
    expect(() => nodes[0].services.crdt.open('other', 'orset', { writers: ['not-a-peer-id'] })).to.throw(CrdtConfigError, 'not-a-peer-id')
    // an access rule is not changed by opening again
    expect(() => nodes[0].services.crdt.open('board', 'orset', { writers: [nodes[0].peerId] })).to.throw(CrdtConfigError, 'another writers list')
    expect(nodes[0].services.crdt.open('board', 'orset', { writers: [nodes[1].peerId, nodes[0].peerId] })).to.equal(boards[0])
    expect(nodes[0].services.crdt.open('board', 'orset')).to.equal(boards[0])
    nodes[0].services.crdt.open('open-board', 'orset')
    expect(() => nodes[0].services.crdt.open('open-board', 'orset', { writers })).to.throw(CrdtConfigError, 'no writers list')
  })
})
