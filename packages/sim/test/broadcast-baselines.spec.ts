import { createRng, toHex } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { FloodCore, floodProtocol } from '../src/broadcast/flood.ts'
import { MeshCore, meshProtocol } from '../src/broadcast/mesh.ts'
import type { FloodMessage } from '../src/broadcast/flood.ts'
import type { MeshMessage, MeshPublish } from '../src/broadcast/mesh.ts'
import type { BroadcastEvent, DeliverEvent } from '../src/broadcast/types.ts'
import type { Effect } from '@saorsa-gossip/core'

function id (n: number): Uint8Array {
  const bytes = new Uint8Array(32)
  bytes[0] = n
  bytes[31] = 0xab
  return bytes
}

function sends<M> (effects: Array<Effect<number, M, unknown, BroadcastEvent>>): Array<{ to: number, message: M }> {
  return effects.flatMap((effect) => effect.type === 'send' ? [{ to: effect.to, message: effect.message }] : [])
}

function delivered (effects: Array<Effect<number, unknown, unknown, BroadcastEvent>>): DeliverEvent[] {
  return effects.flatMap((effect) => effect.type === 'emit' && effect.event.type === 'message' ? [effect.event as DeliverEvent] : [])
}

const payload = new Uint8Array([1, 2, 3, 4])

describe('flood baseline', () => {
  function flood (neighbours: number[]): FloodCore<number> {
    const core = new FloodCore<number>(0)
    core.handle({ type: 'subscribe', topic: 't' }, 0)
    for (const peer of neighbours) {
      core.handle({ type: 'neighbor-up', peer }, 0)
    }
    return core
  }

  it('forwards a new message to every neighbour but the sender, and drops duplicates', () => {
    const core = flood([1, 2, 3, 4])
    const message: FloodMessage = { kind: 'flood', topic: 't', id: id(1), hops: 3, publishedAt: 5, payload }
    const first = core.handle({ type: 'message', from: 2, message }, 100)
    expect(delivered(first)).to.deep.equal([{ type: 'message', topic: 't', id: id(1), hops: 3, publishedAt: 5, payload }])
    const out = sends(first)
    expect(out.map((s) => s.to)).to.deep.equal([1, 3, 4])
    expect(out.every((s) => s.message.hops === 4 && s.message.payload === payload)).to.equal(true)

    expect(core.handle({ type: 'message', from: 3, message: { ...message, hops: 1 } }, 150)).to.deep.equal([])
  })

  it('publisher delivers at hop 0 and sends hop 1 to all neighbours; unsubscribed nodes neither deliver nor relay', () => {
    const core = flood([1, 2])
    const out = core.handle({ type: 'publish', topic: 't', id: id(2), payload, publishedAt: 7 }, 7)
    expect(delivered(out).map((d) => d.hops)).to.deep.equal([0])
    expect(sends(out).map((s) => [s.to, s.message.hops])).to.deep.equal([[1, 1], [2, 1]])

    const other = new FloodCore<number>(9)
    other.handle({ type: 'neighbor-up', peer: 1 }, 0)
    other.handle({ type: 'neighbor-up', peer: 2 }, 0)
    expect(other.handle({ type: 'message', from: 1, message: { kind: 'flood', topic: 't', id: id(3), hops: 1, publishedAt: 0, payload } }, 1)).to.deep.equal([])
  })

  it('stops forwarding to a neighbour that went down', () => {
    const core = flood([1, 2, 3])
    core.handle({ type: 'neighbor-down', peer: 3 }, 10)
    const out = core.handle({ type: 'message', from: 1, message: { kind: 'flood', topic: 't', id: id(4), hops: 1, publishedAt: 0, payload } }, 20)
    expect(sends(out).map((s) => s.to)).to.deep.equal([2])
  })

  it('descriptor sizes and labels messages', () => {
    const protocol = floodProtocol<number>()
    const message: FloodMessage = { kind: 'flood', topic: 't', id: id(1), hops: 1, publishedAt: 0, payload: new Uint8Array(100) }
    expect(protocol.messageBytes(message)).to.equal(180)
    expect(protocol.messageType(message)).to.equal('flood')
    expect(protocol.isPayload(message)).to.equal(true)
  })
})

describe('gossipsub-style mesh baseline', () => {
  type Out = Array<Effect<number, MeshMessage<number>, unknown, BroadcastEvent>>

  /** A subscribed node whose `subscribed` neighbours announced 't' and `silent` ones announced nothing */
  function mesh (subscribed: number, silent = 0, seed = 1): MeshCore<number> {
    const core = new MeshCore<number>(0, createRng(seed))
    core.start(0)
    core.handle({ type: 'subscribe', topic: 't' }, 0)
    for (let peer = 1; peer <= subscribed + silent; peer++) {
      core.handle({ type: 'neighbor-up', peer }, 0)
      if (peer <= subscribed) {
        core.handle({ type: 'message', from: peer, message: { kind: 'subscribe', topics: ['t'] } }, 0)
      }
    }
    return core
  }

  function heartbeat (core: MeshCore<number>, now: number): Out {
    return core.handle({ type: 'timer-expired', key: 'heartbeat', timer: 'heartbeat' }, now)
  }

  function kinds (out: Out, kind: MeshMessage<number>['kind']): number[] {
    return sends(out).filter((s) => s.message.kind === kind).map((s) => s.to)
  }

  it('jitters the first heartbeat within one interval and reschedules every second', () => {
    const firsts = new Set<number>()
    for (let seed = 0; seed < 8; seed++) {
      const [timer] = new MeshCore<number>(0, createRng(seed)).start(500)
      expect(timer).to.include({ type: 'schedule-timer', key: 'heartbeat' })
      const at = (timer as { at: number }).at
      expect(at).to.be.at.least(500).and.below(1500)
      firsts.add(at)
    }
    expect(firsts.size).to.be.greaterThan(1)
    const out = heartbeat(mesh(0), 2000)
    expect(out.at(-1)).to.deep.equal({ type: 'schedule-timer', key: 'heartbeat', at: 3000, timer: 'heartbeat' })
  })

  it('announces its subscriptions to a new neighbour and to all neighbours on subscribe', () => {
    const core = new MeshCore<number>(0, createRng(1))
    expect(core.handle({ type: 'neighbor-up', peer: 1 }, 0)).to.deep.equal([])
    expect(sends(core.handle({ type: 'subscribe', topic: 't' }, 0))).to.deep.equal([{ to: 1, message: { kind: 'subscribe', topics: ['t'] } }])
    expect(sends(core.handle({ type: 'neighbor-up', peer: 2 }, 0))).to.deep.equal([{ to: 2, message: { kind: 'subscribe', topics: ['t'] } }])
  })

  it('grafts up to D subscribed neighbours at the heartbeat, never unsubscribed ones', () => {
    const core = mesh(10, 5)
    const out = heartbeat(core, 1000)
    const grafted = kinds(out, 'graft')
    expect(grafted).to.have.length(6)
    expect(new Set(grafted).size).to.equal(6)
    expect(grafted.every((peer) => peer <= 10)).to.equal(true)
    expect(core.meshPeers('t').sort((a, b) => a - b)).to.deep.equal(grafted.sort((a, b) => a - b))
    // at D (≥ Dlo) the next heartbeat grafts nothing
    expect(kinds(heartbeat(core, 2000), 'graft')).to.deep.equal([])
  })

  it('refuses a GRAFT at Dhi with PRUNE, and prunes a mesh above Dhi down to D at the heartbeat', () => {
    const core = mesh(15)
    for (let peer = 1; peer <= 12; peer++) {
      expect(core.handle({ type: 'message', from: peer, message: { kind: 'graft', topic: 't' } }, 10)).to.deep.equal([])
    }
    expect(core.meshPeers('t')).to.have.length(12)
    expect(sends(core.handle({ type: 'message', from: 13, message: { kind: 'graft', topic: 't' } }, 10))).to.deep.equal([{ to: 13, message: { kind: 'prune', topic: 't' } }])
    expect(core.meshPeers('t')).to.have.length(12)

    // a mesh can only exceed Dhi when Dhi is lowered: the heartbeat then trims to D
    core.config.Dhi = 8
    const pruned = kinds(heartbeat(core, 1000), 'prune')
    expect(pruned).to.have.length(6)
    expect(core.meshPeers('t')).to.have.length(6)
    expect(core.meshPeers('t').some((peer) => pruned.includes(peer))).to.equal(false)
    // a pruned peer is not grafted again during the backoff, even when the mesh runs short
    core.config.Dhi = 12
    for (const peer of core.meshPeers('t').slice(0, 4)) {
      core.handle({ type: 'message', from: peer, message: { kind: 'prune', topic: 't' } }, 1500)
    }
    const regrafted = kinds(heartbeat(core, 2000), 'graft')
    expect(regrafted.length).to.be.greaterThan(0)
    expect(regrafted.some((peer) => pruned.includes(peer))).to.equal(false)
  })

  it('answers IWANT from its cache, until the message leaves the 5-heartbeat cache', () => {
    const core = mesh(8)
    core.handle({ type: 'publish', topic: 't', id: id(1), payload, publishedAt: 100 }, 100)
    const reply = sends(core.handle({ type: 'message', from: 3, message: { kind: 'iwant', ids: [id(1), id(9)] } }, 200))
    expect(reply).to.have.length(1)
    expect(reply[0].to).to.equal(3)
    expect(reply[0].message).to.include({ kind: 'publish', topic: 't', hops: 1, origin: 0, payload })
    expect(toHex((reply[0].message as MeshPublish<number>).id)).to.equal(toHex(id(1)))

    for (let beat = 1; beat <= 4; beat++) {
      heartbeat(core, beat * 1000)
    }
    expect(sends(core.handle({ type: 'message', from: 3, message: { kind: 'iwant', ids: [id(1)] } }, 4500))).to.have.length(1)
    heartbeat(core, 5000)
    expect(core.handle({ type: 'message', from: 3, message: { kind: 'iwant', ids: [id(1)] } }, 5500)).to.deep.equal([])
    expect(core.cachedMessages).to.equal(0)
  })

  it('sends IHAVE only to non-mesh subscribed peers, for 3 heartbeats', () => {
    const core = mesh(10, 3)
    heartbeat(core, 1000)
    const inMesh = core.meshPeers('t')
    core.handle({ type: 'message', from: inMesh[0], message: { kind: 'publish', topic: 't', id: id(5), origin: 99, hops: 2, publishedAt: 0, payload } }, 1100)
    for (let beat = 2; beat <= 4; beat++) {
      const out = heartbeat(core, beat * 1000)
      const ihave = sends(out).filter((s) => s.message.kind === 'ihave')
      expect(ihave.map((s) => s.to).sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter((p) => !inMesh.includes(p)))
      expect(ihave.every((s) => s.message.kind === 'ihave' && s.message.ids.length === 1 && toHex(s.message.ids[0]) === toHex(id(5)))).to.equal(true)
    }
    expect(kinds(heartbeat(core, 5000), 'ihave')).to.deep.equal([])
  })

  it('asks for an unseen IHAVE id once per 3 s, and never for one already seen', () => {
    const core = mesh(4)
    const ihave: MeshMessage<number> = { kind: 'ihave', topic: 't', ids: [id(7)] }
    expect(sends(core.handle({ type: 'message', from: 1, message: ihave }, 0))).to.deep.equal([{ to: 1, message: { kind: 'iwant', ids: [id(7)] } }])
    expect(core.handle({ type: 'message', from: 2, message: ihave }, 2999)).to.deep.equal([])
    expect(kinds(core.handle({ type: 'message', from: 2, message: ihave }, 3000), 'iwant')).to.deep.equal([2])
    core.handle({ type: 'message', from: 3, message: { kind: 'publish', topic: 't', id: id(7), origin: 3, hops: 1, publishedAt: 0, payload } }, 3100)
    expect(core.handle({ type: 'message', from: 4, message: ihave }, 9000)).to.deep.equal([])
  })

  it('floodPublish sends to all subscribed neighbours; relays go to mesh peers but not the sender or origin', () => {
    const core = mesh(10, 2)
    heartbeat(core, 1000)
    const published = core.handle({ type: 'publish', topic: 't', id: id(1), payload, publishedAt: 1200 }, 1200)
    expect(delivered(published)).to.deep.equal([{ type: 'message', topic: 't', id: id(1), hops: 0, publishedAt: 1200, payload }])
    expect(kinds(published, 'publish')).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])

    const [sender, origin] = core.meshPeers('t')
    const relayed = core.handle({ type: 'message', from: sender, message: { kind: 'publish', topic: 't', id: id(2), origin, hops: 4, publishedAt: 0, payload } }, 1300)
    expect(delivered(relayed).map((d) => d.hops)).to.deep.equal([4])
    const to = kinds(relayed, 'publish')
    expect(to.sort((a, b) => a - b)).to.deep.equal(core.meshPeers('t').filter((p) => p !== sender && p !== origin).sort((a, b) => a - b))
    expect(sends(relayed).every((s) => s.message.kind === 'publish' && s.message.hops === 5)).to.equal(true)
    expect(core.handle({ type: 'message', from: 9, message: { kind: 'publish', topic: 't', id: id(2), origin, hops: 1, publishedAt: 0, payload } }, 1400)).to.deep.equal([])
  })

  it('forgets a neighbour that went down, mesh included', () => {
    const core = mesh(6)
    heartbeat(core, 1000)
    const [gone] = core.meshPeers('t')
    core.handle({ type: 'neighbor-down', peer: gone }, 1100)
    expect(core.meshPeers('t')).to.not.include(gone)
    expect(core.subscribers('t')).to.not.include(gone)
    // and a late GRAFT from it is ignored
    core.handle({ type: 'message', from: gone, message: { kind: 'graft', topic: 't' } }, 1200)
    expect(core.meshPeers('t')).to.not.include(gone)
  })

  it('descriptor sizes and classifies messages', () => {
    const protocol = meshProtocol<number>()
    const publish: MeshMessage<number> = { kind: 'publish', topic: 't', id: id(1), origin: 0, hops: 1, publishedAt: 0, payload: new Uint8Array(100) }
    expect(protocol.messageBytes(publish)).to.equal(180)
    expect(protocol.messageBytes({ kind: 'ihave', topic: 't', ids: [id(1), id(2)] })).to.equal(100)
    expect(protocol.messageBytes({ kind: 'iwant', ids: [id(1)] })).to.equal(36)
    expect(protocol.messageBytes({ kind: 'graft', topic: 't' })).to.equal(36)
    expect(protocol.messageBytes({ kind: 'subscribe', topics: ['a', 'b'] })).to.equal(68)
    expect(protocol.isPayload(publish)).to.equal(true)
    expect(protocol.isPayload({ kind: 'iwant', ids: [] })).to.equal(false)
    expect(protocol.messageType({ kind: 'prune', topic: 't' })).to.equal('prune')
  })
})
