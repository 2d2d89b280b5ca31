import { decodeFrame as decodeMembership, encodeFrame as encodeMembership } from '@saorsa-gossip/membership'
import { decodeRpc, encodeRpc } from '@saorsa-gossip/pubsub'
import { stringPeerCodec as codec } from './peers.ts'
import type { MemberUpdate, MembershipMessage } from '@saorsa-gossip/membership'
import type { PubsubMessage } from '@saorsa-gossip/pubsub'

/** Valid frames of every message type: the corpus the codec and core targets mutate */
const id = (n: number): Uint8Array => new Uint8Array(32).fill(n)
const update = (member: string, status: 'alive' | 'suspect' | 'dead'): MemberUpdate<string> => ({ member, incarnation: 3, status, from: 'p02' })

export function membershipSeeds (): Uint8Array[] {
  const messages: Array<MembershipMessage<string>> = [
    { proto: 'hpv', type: 'join' },
    { proto: 'hpv', type: 'forward-join', joiner: 'p03', ttl: 5 },
    { proto: 'hpv', type: 'neighbor', priority: 'high' },
    { proto: 'hpv', type: 'neighbor-reply', accepted: true },
    { proto: 'hpv', type: 'disconnect', alive: true },
    { proto: 'hpv', type: 'shuffle', origin: 'p04', ttl: 3, peers: ['p05', 'p06', 'p00'] },
    { proto: 'hpv', type: 'shuffle', origin: 'p04', ttl: 2, peers: ['p05'], route: ['p01', 'p02'] },
    { proto: 'hpv', type: 'shuffle-reply', peers: ['p07', 'p08'] },
    { proto: 'hpv', type: 'shuffle-reply', peers: ['p07'], route: ['p04', 'p01'] },
    { proto: 'swim', type: 'ping', seq: 1, updates: [update('p03', 'suspect')], wantView: true },
    { proto: 'swim', type: 'ack', seq: 1, incarnation: 2, updates: [update('p00', 'dead')], neighbors: ['p04', 'p05'] },
    { proto: 'swim', type: 'ping-req', seq: 2, target: 'p06', updates: [] },
    { proto: 'swim', type: 'nack', seq: 2 },
    { proto: 'swim', type: 'gossip', updates: [update('p07', 'alive'), update('p08', 'dead')] }
  ]
  return messages.map(m => encodeMembership(m, codec, 'p01')).filter(b => { decodeMembership(b, codec); return true })
}

export function pubsubSeeds (): Uint8Array[] {
  const topic = 't1'
  const messages: Array<PubsubMessage<string>> = [
    { type: 'gossip', topic, id: id(1), round: 0, publishedAt: 1_000_000, payload: new Uint8Array([1, 2, 3]) },
    { type: 'gossip', topic, id: id(2), round: 2, publishedAt: 1_000_500, payload: new Uint8Array(0), header: new Uint8Array([9]), repair: true },
    { type: 'ihave', topic, entries: [{ id: id(3), round: 1 }, { id: id(1), round: 4 }] },
    { type: 'graft', topic, id: id(3), round: 1 },
    { type: 'prune', topic },
    { type: 'subscriptions', subscribe: [topic, 't2'], unsubscribe: ['t3'] },
    { type: 'find', topic, origin: 'p03', ttl: 4, walk: 7 },
    { type: 'find', topic, origin: 'p03', ttl: 4, walk: 8, exclude: ['p01', 'p02'] },
    { type: 'found', topic, walk: 7, others: ['p04', 'p05'] },
    { type: 'topic-join', topic, urgent: true },
    { type: 'topic-join-reply', topic, accepted: true, others: ['p06'] },
    { type: 'topic-leave', topic },
    { type: 'topic-ping', topic, nonce: 5 },
    { type: 'topic-pong', topic, nonce: 5 },
    { type: 'ae-digest', topic, session: 9, from: 0, to: 60_000, count: 2, digest: new Uint8Array(32).fill(4) },
    { type: 'ae-symbols', topic, session: 9, from: 0, to: 60_000, offset: 0, symbols: [{ count: 1, hi: 5, lo: 6, check: 7 }, { count: -1, hi: 1, lo: 2, check: 3 }] },
    { type: 'ae-more', topic, session: 9, offset: 2, count: 4 },
    { type: 'ae-want', topic, session: 9, shortIds: [new Uint8Array(8).fill(1)] }
  ] as any
  const out: Uint8Array[] = []
  for (const m of messages) {
    try {
      const bytes = encodeRpc(m, codec)
      decodeRpc(bytes, codec)
      out.push(bytes)
    } catch {
      // a seed the codec refuses is simply not a seed; the codec target finds out why
    }
  }
  return out
}
