import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { memory } from '@libp2p/memory'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { PqIdentity, pqIdentity } from '@saorsa-gossip/identity'
import { membership } from '@saorsa-gossip/membership'
import { plumtree } from '@saorsa-gossip/pubsub'
import { expect } from 'aegir/chai'
import { MemoryDatastore } from 'datastore-core'
import { Key } from 'interface-datastore'
import { createLibp2p } from 'libp2p'
import { decodeSnapshot, encodeSnapshot, Frame, opsOf } from '../src/codec.ts'
import { HlcClock } from '../src/core/hlc.ts'
import { Replica } from '../src/core/replica.ts'
import { crdtSync, TOPIC_PREFIX } from '../src/index.ts'
import { waitFor } from './fixtures/nodes.ts'
import { canon } from './helpers/histories.ts'
import type { CrdtNode } from './fixtures/nodes.ts'
import type { LwwMap } from '../src/core/lww-map.ts'
import type { OrSet } from '../src/core/orset.ts'
import type { PrivateKey } from '@libp2p/interface'

const CONFIG = { maxClockSkewMs: 1e9, maxLoggedDeltas: 8, tombstoneHorizonMs: 0 }

describe('snapshot / restore', () => {
  for (const kind of ['orset', 'lww'] as const) {
    it(`${kind}: a restored replica has the same state and delivered operations, and ships the same intervals`, () => {
      const a = new Replica('a', kind, CONFIG)
      const b = new Replica('b', kind, CONFIG)
      const clock = new HlcClock('a')
      for (let i = 0; i < 10; i++) {
        const delta = kind === 'orset'
          ? (i % 4 === 3 ? (a.state as OrSet).remove('a', `e${i - 1}`) : (a.state as OrSet).add('a', `e${i}`))
          : (a.state as LwwMap).set(`k${i % 4}`, i % 5 === 4 ? null : new Uint8Array([i]), clock.tick(i))
        const seq = a.recordLocal(delta)
        if (i < 5) {
          b.receive('a', delta, { replica: 'a', from: seq, to: seq }, i)
        }
      }
      const restored = new Replica('a', kind, CONFIG)
      expect(restored.load(decodeSnapshot('a', kind, encodeSnapshot('a', kind, a.snapshot())))).to.equal(true)
      expect(canon(restored.state)).to.equal(canon(a.state))
      expect(restored.digest()).to.deep.equal(a.digest())
      // the own-delta log survived: b's catch-up from the restored replica is the interval from b's prefix
      const interval = restored.intervalFor(b.digest())
      expect(interval?.ops).to.deep.equal({ replica: 'a', from: 6, to: 10 })
      expect(canon(interval?.delta as any)).to.equal(canon(a.intervalFor(b.digest())?.delta as any))
      b.receive('a', interval?.delta as any, interval?.ops as any, 100)
      expect(canon(b.state)).to.equal(canon(a.state))
      // a replica that has authored something refuses to become another one
      expect(b.load(a.snapshot())).to.equal(true)
      const busy = new Replica('a', kind, CONFIG)
      busy.recordLocal(kind === 'orset' ? (busy.state as OrSet).add('a', 'x') : (busy.state as LwwMap).set('x', null, clock.tick(50)))
      expect(busy.load(a.snapshot())).to.equal(false)
    })
  }

  it('bad snapshots are named errors: truncated, another replica, another type', () => {
    const a = new Replica('a', 'orset', CONFIG)
    for (let i = 0; i < 5; i++) {
      a.recordLocal((a.state as OrSet).add('a', `e${i}`))
    }
    const bytes = encodeSnapshot('a', 'orset', a.snapshot())
    expect(() => decodeSnapshot('a', 'orset', bytes.subarray(0, bytes.byteLength - 3))).to.throw().with.property('name', 'MalformedDeltaError')
    expect(() => decodeSnapshot('b', 'orset', bytes)).to.throw(/another replica/).with.property('name', 'MalformedDeltaError')
    expect(() => decodeSnapshot('a', 'lww', bytes)).to.throw(/another document type/).with.property('name', 'MalformedDeltaError')
  })
})

type Node = CrdtNode

let counter = 0

async function node (bootstrap: string[], opts: { privateKey?: PrivateKey, identity?: PqIdentity, datastore?: MemoryDatastore } = {}): Promise<Node> {
  const n = counter++
  return createLibp2p({
    privateKey: opts.privateKey,
    datastore: opts.datastore,
    addresses: { listen: [`/memory/sg-crdt-persist-${process.pid}-${n}`] },
    transports: [memory()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      // a restarted node keeps its ML-DSA identity (a keystore in production): peers refuse another key for the same PeerId
      pqIdentity: pqIdentity({ identity: opts.identity }),
      membership: membership({ seed: `crdt-pm-${n}`, bootstrap }),
      // Plumtree's own anti-entropy off: catch-up after the restart is crdtSync's alone, so its bytes are what we measure
      pubsub: plumtree({ seed: `crdt-pp-${n}`, config: { aePeriod: 3_600_000 } }),
      crdt: crdtSync({ antiEntropyInterval: 500 })
    }
  }) as unknown as Promise<Node>
}

describe('crdtSync() persistence: a real node restart (memory transport)', function () {
  this.timeout(120_000)
  let nodes: Node[] = []

  afterEach(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
    nodes = []
  })

  it('edits survive a restart, and catch-up afterwards ships only the operations missed while down', async () => {
    const privateKey = await generateKeyPair('Ed25519')
    const identity = PqIdentity.generate()
    const datastore = new MemoryDatastore()
    const a = await node([])
    const contact = a.getMultiaddrs()[0].toString()
    const c = await node([contact])
    let b = await node([contact], { privateKey, identity, datastore })
    nodes = [a, c, b]
    const setA = a.services.crdt.open('notes', 'orset')
    const setC = c.services.crdt.open('notes', 'orset')
    let setB = b.services.crdt.open('notes', 'orset')
    await waitFor(() => nodes.every(n => n.services.pubsub.getMeshPeers(TOPIC_PREFIX + 'notes').length >= 1), 30_000, 'topic links')
    for (let i = 0; i < 20; i++) {
      setA.add(`a${i}`)
    }
    await waitFor(() => setB.has('a0'), 30_000, 'b has a0')
    setB.add('b0')
    setB.add('b1')
    setB.remove('a0')
    await waitFor(() => [setA, setB, setC].every(s => s.values().length === 21), 30_000, () => `before: ${[setA, setB, setC].map(s => s.values().length).join(',')}`)
    const before = setB.values()

    await b.stop()
    nodes = [a, c]
    // while b is down: a adds two more, c removes one
    setA.add('while-down-0')
    setA.add('while-down-1')
    setC.remove('a5')
    await waitFor(() => setA.has('while-down-1') && !setA.has('a5'), 20_000, 'edits while b is down')

    // record what a and c publish from now on
    const shipped: Frame[] = []
    for (const n of [a, c]) {
      const crdt = n.services.crdt
      const publish = crdt.publish.bind(crdt)
      crdt.publish = (name: string, frame: Frame) => { shipped.push(frame); publish(name, frame) }
    }

    b = await node([contact], { privateKey, identity, datastore })
    nodes = [a, c, b]
    setB = b.services.crdt.open('notes', 'orset')
    // restored before any network traffic: b's own edits and what it had received
    expect(b.services.crdt.stats.restored).to.equal(1)
    expect(setB.values()).to.deep.equal(before)
    await waitFor(() => b.services.pubsub.getMeshPeers(TOPIC_PREFIX + 'notes').length >= 1, 45_000, 'topic links of the restarted node')
    await waitFor(() => JSON.stringify(setB.values()) === JSON.stringify(setA.values()), 45_000, () => `catch-up: ${setB.values().length} vs ${setA.values().length}; b ${JSON.stringify(setB.replica.digest().map(r => [r.replica.slice(-4), r.from, r.to]))} c ${JSON.stringify(setC.replica.digest().map(r => [r.replica.slice(-4), r.from, r.to]))}; stats a ${JSON.stringify(a.services.crdt.stats)} b ${JSON.stringify(b.services.crdt.stats)} c ${JSON.stringify(c.services.crdt.stats)}; shipped ${shipped.length}`)

    // its next edit continues its own sequence: no dot of before the restart is reused
    setB.add('after-restart')
    await waitFor(() => setA.has('after-restart') && setC.has('after-restart'), 20_000, 'an edit after the restart reaches the others')
    expect(setB.replica.delivered.max(b.peerId.toString())).to.equal(4)
    expect(setA.values()).to.deep.equal(setB.values())

    // catch-up: a shipped its operations 21..22, c its one remove; nothing from before b stopped
    const repairs = shipped.filter(f => f.kind === Frame.Kind.DELTA)
    expect(repairs.length).to.be.greaterThan(0)
    const aSelf = a.peerId.toString()
    for (const f of repairs) {
      const ops = opsOf(f)
      if (ops.replica === aSelf) {
        expect(ops.from, 'a ships only what b missed').to.equal(21)
      } else {
        expect(ops.from, 'c ships only what b missed').to.equal(1)
        expect(ops.to).to.equal(1)
      }
    }
  })

  it('a stored document that does not decode is refused by open() (counted), not silently started empty', async () => {
    const datastore = new MemoryDatastore()
    const hex = Buffer.from('broken').toString('hex')
    await datastore.put(new Key(`/saorsa-crdt/${hex}/snapshot`), new Uint8Array([0, 0, 0, 9, 1, 2, 3]))
    const n = await node([], { datastore })
    nodes = [n]
    expect(() => n.services.crdt.open('broken', 'orset')).to.throw().with.property('name', 'MalformedDeltaError')
    expect(n.services.crdt.stats.corrupt).to.equal(1)
    // other documents are unaffected
    n.services.crdt.open('fine', 'orset').add('x')
  })
})
