import { lpStream } from '@libp2p/utils'
import { expect } from 'aegir/chai'
import { PLUMTREE_PROTOCOL, encodeOriginHeader, encodeRpc, libp2pPubsubCodec, originMessageId, signOrigin } from '../src/index.ts'
import { createOverlay, createPlumtreeNode, topicFormed, waitFor } from './fixtures/nodes.ts'
import type { PlumtreeNode } from './fixtures/nodes.ts'
import type { GossipMessage, Message, PubsubMessage } from '../src/index.ts'
import type { Stream } from '@libp2p/interface'
import type { LengthPrefixedStream } from '@libp2p/utils'

const TOPIC = 'saorsa/test/bad-input'
const MAX = 64 * 1024
const text = (s: string): Uint8Array => new TextEncoder().encode(s)

/** A node that also writes hand-made frames to its neighbours over the plumtree protocol */
class Attacker {
  readonly codec = libp2pPubsubCodec()
  private readonly streams = new Map<PlumtreeNode, { stream: Stream, lp: LengthPrefixedStream<Stream> }>()
  constructor (readonly node: PlumtreeNode) {}

  /** One frame on the attacker's own stream to `to` (reopened if the victim reset it) */
  async send (to: PlumtreeNode, message: PubsubMessage<string> | Uint8Array, raw = false): Promise<void> {
    let open = this.streams.get(to)
    if (open == null || open.stream.status !== 'open') {
      const stream = await this.node.dialProtocol(to.getMultiaddrs()[0], PLUMTREE_PROTOCOL)
      open = { stream, lp: lpStream(stream, { maxDataLength: 4 * 1024 * 1024 }) }
      this.streams.set(to, open)
    }
    await open.lp.write(raw ? message as Uint8Array : encodeRpc(message as PubsubMessage<string>, this.codec))
  }

  /** A message signed with the attacker's own ML-DSA-65 key, claiming `origin` (default: itself) */
  gossip (payload: Uint8Array, options: { origin?: PlumtreeNode, publishedAt?: number, seqno?: bigint } = {}): GossipMessage {
    const publishedAt = options.publishedAt ?? Date.now()
    const from = (options.origin ?? this.node).peerId.toMultihash().bytes
    const { id, header } = signOrigin({ topic: TOPIC, from, seqno: options.seqno ?? BigInt(Date.now()) * 1000n, publishedAt, payload }, bytes => this.node.services.pqIdentity.identity.sign(bytes))
    return { type: 'gossip', topic: TOPIC, id, round: 1, publishedAt, payload, header }
  }
}

describe('plumtree() service: bad input from a neighbour', function () {
  this.timeout(120_000)
  let honest: PlumtreeNode[] = []
  let attacker: Attacker
  let got: Map<string, number>[]

  before(async () => {
    honest = await createOverlay('memory', 6, { pubsub: { maxMessageSize: MAX } })
    const contact = honest[0].getMultiaddrs()[0].toString()
    attacker = new Attacker(await createPlumtreeNode('memory', { membership: { bootstrap: [contact] }, pubsub: { maxMessageSize: MAX } }))
    got = honest.map(() => new Map())
    honest.forEach((n, i) => {
      n.services.pubsub.subscribe(TOPIC)
      n.services.pubsub.addEventListener('message', evt => {
        const key = new TextDecoder().decode(evt.detail.data.subarray(0, 64))
        got[i].set(key, (got[i].get(key) ?? 0) + 1)
      })
    })
    attacker.node.services.pubsub.subscribe(TOPIC)
    await waitFor(() => topicFormed([...honest, attacker.node], TOPIC, 1), 30_000, 'topic links')
  })

  after(async () => {
    await Promise.all([...honest, attacker.node].map(async n => n.stop()))
  })

  const delivered = (key: string): number => got.reduce((a, g) => a + (g.get(key) ?? 0), 0)
  const dropped = (reason: string): number => honest.reduce((a, n) => a + ((n.services.pubsub.stats.core?.dropped as Record<string, number>)[reason] ?? 0), 0)

  it('refuses an oversize publish with a named error', async () => {
    const err = await honest[0].services.pubsub.publish(TOPIC, new Uint8Array(MAX + 1)).catch(e => e)
    expect(err).to.include({ name: 'MessageTooLargeError', code: 'PublishError.MessageTooLarge', size: MAX + 1, limit: MAX })
  })

  it('never delivers or relays tampered, expired, future or oversize messages; a replay is not delivered twice', async () => {
    const victim = honest[1]
    // a genuine message the attacker receives as a subscriber, to tamper with and replay
    const captured = new Promise<Message>(resolve => {
      attacker.node.services.pubsub.addEventListener('message', evt => { resolve(evt.detail) }, { once: true })
    })
    await honest[2].services.pubsub.publish(TOPIC, text('genuine'))
    const genuine = await captured
    if (genuine.type !== 'signed') {
      throw new Error('expected a signed message')
    }
    await waitFor(() => delivered('genuine') === 5, 10_000, 'the genuine message')

    const from = genuine.from.toMultihash().bytes
    const header = encodeOriginHeader({ from, seqno: genuine.sequenceNumber, signature: genuine.signature })
    const publishedAt = Date.now()
    const tamperedPayload = text('tampered')
    // the id recomputed over the new payload, so only the signature can catch it
    const tampered: GossipMessage = { type: 'gossip', topic: TOPIC, id: originMessageId({ topic: TOPIC, from, seqno: genuine.sequenceNumber, payload: tamperedPayload }), round: 1, publishedAt, payload: tamperedPayload, header }
    const invalidBefore = dropped('invalid')
    await attacker.send(victim, tampered)
    await waitFor(() => dropped('invalid') > invalidBefore, 5_000, 'the tampered copy to be dropped')

    // replay: the genuine message again, unchanged (its id is in the seen set)
    const replay: GossipMessage = { type: 'gossip', topic: TOPIC, id: originMessageId({ topic: TOPIC, from, seqno: genuine.sequenceNumber, payload: genuine.data }), round: 1, publishedAt: Date.now(), payload: genuine.data, header }
    const dupBefore = victim.services.pubsub.stats.core?.duplicates ?? 0
    await attacker.send(victim, replay)
    await waitFor(() => (victim.services.pubsub.stats.core?.duplicates ?? 0) > dupBefore, 5_000, 'the replay to be counted as a duplicate')

    const expiredBefore = dropped('expired')
    await attacker.send(victim, attacker.gossip(text('expired'), { publishedAt: Date.now() - 10 * 60_000 }))
    await attacker.send(victim, attacker.gossip(text('future'), { publishedAt: Date.now() + 10 * 60_000 }))
    await waitFor(() => dropped('expired') >= expiredBefore + 2, 5_000, 'expired and future messages to be dropped')

    const oversizeBefore = dropped('oversize')
    await attacker.send(victim, attacker.gossip(new Uint8Array(MAX + 100).fill(111)))
    await waitFor(() => dropped('oversize') > oversizeBefore, 5_000, 'the oversize message to be dropped')

    // a frame over the frame limit: the stream is reset and counted before any decoding
    const resetBefore = victim.services.pubsub.stats.drops['oversize-frame']
    await attacker.send(victim, new Uint8Array(2 * 1024 * 1024), true).catch(() => {})
    await waitFor(() => victim.services.pubsub.stats.drops['oversize-frame'] > resetBefore, 5_000, 'the oversize frame to be refused')

    await new Promise(resolve => setTimeout(resolve, 1_000))
    expect(delivered('genuine')).to.equal(5)
    for (const bad of ['tampered', 'expired', 'future']) {
      expect(delivered(bad), bad).to.equal(0)
    }
    expect(delivered('o'.repeat(64))).to.equal(0)
  })

  it('graylists a neighbour that keeps forging, cuts it from the topic, and honest delivery stays at 100%', async () => {
    const victim = honest.find(n => n.services.pubsub.getMeshPeers(TOPIC).includes(attacker.node.peerId.toString())) ?? honest[3]
    const impersonated = honest.find(n => n !== victim) as PlumtreeNode
    // the victim knows the impersonated origin's key, so every forgery fails the signature check
    await victim.services.pqIdentity.resolveBinding(impersonated.peerId)
    const graylisted = new Promise<{ score: number }>(resolve => {
      victim.services.pubsub.addEventListener('plumtree:graylisted', evt => {
        if (evt.detail.peerId.equals(attacker.node.peerId)) {
          resolve(evt.detail)
        }
      })
    })
    for (let i = 0; i < 8; i++) {
      await attacker.send(victim, attacker.gossip(text(`forged-${i}`), { origin: impersonated }))
    }
    const { score } = await graylisted
    expect(score).to.be.below(-80)
    await waitFor(() => !victim.services.pubsub.getMeshPeers(TOPIC).includes(attacker.node.peerId.toString()), 5_000, 'the attacker to leave the victim\'s topic links')

    // the attacker keeps at it while honest nodes publish
    const sending = (async () => {
      for (let i = 8; i < 20; i++) {
        await attacker.send(victim, attacker.gossip(text(`forged-${i}`), { origin: impersonated })).catch(() => {})
      }
    })()
    for (let m = 0; m < 30; m++) {
      await honest[m % honest.length].services.pubsub.publish(TOPIC, text(`honest-${m}`))
      await new Promise(resolve => setTimeout(resolve, 20))
    }
    await sending
    await waitFor(() => Array.from({ length: 30 }, (_, m) => delivered(`honest-${m}`)).every(c => c === 5), 20_000, 'every honest message at every other honest node')
    for (let i = 0; i < 20; i++) {
      expect(delivered(`forged-${i}`)).to.equal(0)
    }
    expect(victim.services.pubsub.getScore(attacker.node.peerId.toString())).to.be.below(-80)
    expect(victim.services.pubsub.getMeshPeers(TOPIC)).to.not.include(attacker.node.peerId.toString())
    expect(victim.services.pubsub.stats.core?.dropped.lowScore).to.be.greaterThan(0)
  })

  it('graylists a neighbour that sends undecodable frames', async () => {
    const victim = honest[4]
    const graylisted = new Promise<void>(resolve => {
      victim.services.pubsub.addEventListener('plumtree:graylisted', evt => {
        if (evt.detail.peerId.equals(attacker.node.peerId)) {
          resolve()
        }
      })
    })
    const before = victim.services.pubsub.stats.drops.malformed
    for (let i = 0; i < 12; i++) {
      await attacker.send(victim, new Uint8Array([0xff, 0xff, 0xff, i]), true)
    }
    await graylisted
    expect(victim.services.pubsub.stats.drops.malformed).to.be.greaterThan(before)
  })
})
