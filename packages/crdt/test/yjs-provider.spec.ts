import { expect } from 'aegir/chai'
import * as Y from 'yjs'
import { Frame, SaorsaYjsProvider, TOPIC_PREFIX, yjsClientId } from '../src/index.ts'
import { createCrdtOverlay, waitFor } from './fixtures/nodes.ts'
import type { CrdtNode } from './fixtures/nodes.ts'

/** A stand-in for the node: the provider only needs its PeerId string and the crdt service's attach/publish */
function fakeNode (peer: string, published: Frame[]): any {
  return { peerId: { toString: () => peer }, services: { crdt: { attach: () => {}, publish: (_name: string, frame: Frame) => { published.push(frame) } } } }
}

describe('SaorsaYjsProvider', function () {
  this.timeout(60_000)
  let nodes: CrdtNode[] = []

  afterEach(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
    nodes = []
  })

  it('a repair carries our own items only, even while the doc holds others\' items received out of order', () => {
    const published: Frame[] = []
    const doc = new Y.Doc()
    const provider = new SaorsaYjsProvider(doc, fakeNode('me', published), 'notes')
    doc.getText('t').insert(0, 'mine')
    // another author's second update without its first: Yjs keeps it pending
    const other = new Y.Doc()
    other.clientID = yjsClientId('other')
    other.getText('t').insert(0, 'a')
    const before = Y.encodeStateVector(other)
    other.getText('t').insert(1, 'b')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, before))
    expect(doc.store.pendingStructs).to.not.equal(null)
    provider.digest(0, true, 0)
    provider.digest(0, true, 0)
    const lagging = Y.encodeStateVector(new Y.Doc())
    const repair = provider.onDigest('peer', { kind: Frame.Kind.DIGEST, type: Frame.Type.YJS, context: [], orset: [], lww: [], yjs: lagging as Uint8Array<ArrayBuffer> })
    expect(repair).to.not.equal(undefined)
    const structs = Y.decodeUpdate(repair?.yjs ?? new Uint8Array()).structs
    expect(structs.length).to.be.greaterThan(0)
    expect(structs.every(st => st.id.client === yjsClientId('me'))).to.equal(true)
    provider.destroy()
  })

  it('digests follow the shared rule: first always, then quiet; a reason drawn by sharedDigests / writers; a digest we dominate speaks for us', () => {
    const published: Frame[] = []
    const doc = new Y.Doc()
    const provider = new SaorsaYjsProvider(doc, fakeNode('me', published), 'notes', { sharedDigests: 1 })
    // 40 writers' items (each its own client)
    for (let i = 0; i < 40; i++) {
      const w = new Y.Doc()
      w.clientID = i + 1
      w.getText('t').insert(0, 'x')
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(w))
    }
    const digest = (frame: Uint8Array): Frame => ({ kind: Frame.Kind.DIGEST, type: Frame.Type.YJS, context: [], orset: [], lww: [], yjs: frame as Uint8Array<ArrayBuffer> })
    expect(provider.digest(0, false, 0.99)).to.not.equal(undefined)
    expect(provider.digest(1, false, 0)).to.equal(undefined)
    // a peer ahead of us (a client we lack): a reason, drawn with 1/40 at first
    const ahead = new Map(Y.decodeStateVector(Y.encodeStateVector(doc)))
    ahead.set(999, 5)
    provider.onDigest('peer', digest(Y.encodeStateVector(ahead)))
    expect(provider.digest(2, false, 0.5)).to.equal(undefined)
    expect(provider.digest(3, false, 0.01)).to.not.equal(undefined)
    // again a reason, but then a digest lacking everything we lack arrives first
    provider.onDigest('peer', digest(Y.encodeStateVector(ahead)))
    provider.onDigest('peer', digest(Y.encodeStateVector(new Y.Doc())))
    expect(provider.gate.suppressed).to.equal(1)
    expect(provider.digest(4, false, 0)).to.equal(undefined)
    provider.destroy()
  })

  it('two Y.Docs synced through crdtSync converge; an update naming another client is refused', async () => {
    nodes = await createCrdtOverlay(2)
    const docs = nodes.map(() => new Y.Doc())
    const providers = nodes.map((n, i) => new SaorsaYjsProvider(docs[i], n, 'notes'))
    await waitFor(() => nodes.every(n => n.services.pubsub.getMeshPeers(TOPIC_PREFIX + 'notes').length >= 1), 30_000, 'topic links')
    expect(docs[0].clientID).to.equal(yjsClientId(nodes[0].peerId.toString()))

    docs[0].getText('t').insert(0, 'hello ')
    docs[1].getText('t').insert(0, 'world')
    docs[1].getArray<number>('a').push([1, 2, 3])
    await waitFor(() => docs[0].getText('t').toString() === docs[1].getText('t').toString() && docs[0].getText('t').length === 11, 20_000,
      () => `text: "${docs[0].getText('t').toString()}" vs "${docs[1].getText('t').toString()}"`)
    await waitFor(() => docs[0].getArray('a').length === 3, 20_000, 'array')

    // an update authored by a third client id, published by node 1: refused by node 0
    const other = new Y.Doc()
    other.clientID = 12345
    other.getText('t').insert(0, 'forged ')
    nodes[1].services.crdt.publish('notes', { kind: Frame.Kind.DELTA, type: Frame.Type.YJS, context: [], orset: [], lww: [], yjs: Y.encodeStateAsUpdate(other) as Uint8Array<ArrayBuffer> })
    await waitFor(() => nodes[0].services.crdt.stats.forgedAuthor >= 1, 20_000, 'forged refusal')
    expect(docs[0].getText('t').toString()).to.not.contain('forged')
    providers.forEach(p => { p.destroy() })
  })
})
