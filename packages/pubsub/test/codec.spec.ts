import { expect } from 'aegir/chai'
import { RPC_LIMITS, decodeFrame, decodeRpc, encodeRpc } from '../src/codec.ts'
import { Rpc, RpcType } from '../src/pb/pubsub.ts'
import type { PubsubPeerCodec } from '../src/codec.ts'
import type { PubsubMessage } from '../src/core/messages.ts'

/** Peers as UTF-8 strings; the service uses PeerId multihash bytes */
const codec: PubsubPeerCodec<string> = {
  toBytes: (p) => new TextEncoder().encode(p),
  fromBytes: (b) => {
    if (b.length === 0 || b.length > 64) {
      throw new Error('bad peer')
    }
    return new TextDecoder().decode(b)
  }
}

const id = (n: number): Uint8Array => new Uint8Array(32).fill(n)
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

const samples: Array<PubsubMessage<string>> = [
  { type: 'gossip', topic: 'chat', id: id(1), round: 3, publishedAt: 1_700_000_000_123, payload: new Uint8Array([1, 2, 3]), header: new Uint8Array([9, 9]) },
  { type: 'gossip', topic: 'chat', id: id(2), round: 1, publishedAt: 5, payload: new Uint8Array(), repair: true },
  { type: 'ihave', topic: 'chat', entries: [{ id: id(3), round: 2 }, { id: id(4), round: 7 }] },
  { type: 'graft', topic: 'chat', round: 4, id: id(5) },
  { type: 'graft', topic: 'chat', round: 0 },
  { type: 'prune', topic: 'chat' },
  { type: 'subscriptions', subscribe: ['a', 'b'], unsubscribe: ['c'] },
  { type: 'find', topic: 'chat', origin: 'peer-o', ttl: 39, walk: 12 },
  { type: 'found', topic: 'chat', walk: 12, others: ['p1', 'p2'] },
  { type: 'topic-join', topic: 'chat', urgent: true },
  { type: 'topic-join-reply', topic: 'chat', accepted: false, others: ['p3'] },
  { type: 'topic-leave', topic: 'chat' },
  { type: 'topic-ping', topic: 'chat', nonce: 77 },
  { type: 'topic-pong', topic: 'chat', nonce: 77 },
  { type: 'ae-digest', topic: 'chat', session: 3, from: 1000, to: 91_000, count: 12, digest: id(6) },
  { type: 'ae-symbols', topic: 'chat', session: 3, from: 1000, to: 91_000, offset: 16, symbols: [{ count: -2, hi: 0xffffffff, lo: 1, check: 0x80000000 }, { count: 1, hi: 5, lo: 6, check: 7 }] },
  { type: 'ae-more', topic: 'chat', session: 3, offset: 32, count: 16 },
  { type: 'ae-want', topic: 'chat', session: 3, shortIds: [new Uint8Array(8).fill(1)] },
  { type: 'gossip', topic: 'chat', id: id(7), round: 2, publishedAt: 5, payload: new Uint8Array([4]), flood: true, wave: 0xfffffffe }
]

describe('pubsub wire codec', () => {
  it('encodes a flood copy and its wave as fields 25 and 26 (SPEC.md §7.8 vector)', () => {
    expect(hex(encodeRpc(samples[samples.length - 1], codec))).to.equal('08011204636861741a20' + '07'.repeat(32) + '20022805320104c80101d001feffffff0f')
  })

  it('round-trips every message type', () => {
    for (const message of samples) {
      const decoded = decodeRpc(encodeRpc(message, codec), codec)
      expect(decoded, message.type).to.deep.equal(message)
    }
  })

  it('carries an origin binding or key on GOSSIP only, outside the core message, within its limit', () => {
    const gossip = samples[0]
    const binding = new Uint8Array(5300).fill(7)
    const key = new Uint8Array(2000).fill(9)
    const decoded = decodeFrame(encodeRpc(gossip, codec, { binding }), codec)
    expect(decoded.message).to.deep.equal(gossip)
    expect(decoded.originBinding).to.deep.equal(binding)
    expect(decoded.originKey).to.equal(undefined)
    const withKey = decodeFrame(encodeRpc(gossip, codec, { key }), codec)
    expect(withKey.originKey).to.deep.equal(key)
    expect(withKey.originBinding).to.equal(undefined)
    expect(decodeFrame(encodeRpc(gossip, codec), codec).originBinding).to.equal(undefined)
    expect(decodeFrame(encodeRpc(gossip, codec), codec).originKey).to.equal(undefined)
    // on any other type the fields are neither written nor surfaced
    const prune = decodeFrame(encodeRpc({ type: 'prune', topic: 'chat' }, codec, { binding, key }), codec)
    expect(prune.originBinding).to.equal(undefined)
    expect(prune.originKey).to.equal(undefined)
    for (const oversize of [{ binding: new Uint8Array(RPC_LIMITS.bindingBytes + 1) }, { key: new Uint8Array(RPC_LIMITS.bindingBytes + 1) }]) {
      expect(() => decodeFrame(encodeRpc(gossip, codec, oversize), codec)).to.throw().with.property('name', 'InvalidFrameError')
    }
  })

  it('carries the addresses of the peers a FIND, FOUND or TOPIC_JOIN_REPLY names, and only theirs', () => {
    const book = new Map([['p1', [new Uint8Array([4, 127, 0, 0, 1])]], ['peer-o', [new Uint8Array([1]), new Uint8Array([2])]]])
    const withAddrs: PubsubPeerCodec<string> = { ...codec, addrs: (p) => book.get(p) ?? [] }
    const found = decodeFrame(encodeRpc(samples[8], withAddrs), codec)
    expect(found.message).to.deep.equal(samples[8])
    // p2 has no known address: no list for it
    expect([...(found.addresses ?? [])]).to.deep.equal([['p1', [new Uint8Array([4, 127, 0, 0, 1])]]])
    expect([...(decodeFrame(encodeRpc(samples[7], withAddrs), codec).addresses ?? [])]).to.deep.equal([['peer-o', book.get('peer-o')]])
    // frames that name nobody carry none, even when the codec knows addresses
    expect(decodeFrame(encodeRpc(samples[5], withAddrs), codec).addresses).to.equal(undefined)
    // a list for a peer the frame does not name is ignored
    const stray = Rpc.encode({ ...Rpc.decode(encodeRpc(samples[10], codec)), addresses: [{ id: new TextEncoder().encode('zz'), addrs: [new Uint8Array([1])] }] })
    expect(decodeFrame(stray, codec).addresses?.size).to.equal(0)
  })

  it('rejects address lists over their limits', () => {
    const base = Rpc.decode(encodeRpc(samples[8], codec))
    const p1 = new TextEncoder().encode('p1')
    const long = Rpc.encode({ ...base, addresses: [{ id: p1, addrs: [new Uint8Array(RPC_LIMITS.addrBytes + 1)] }] })
    expect(() => decodeFrame(long, codec)).to.throw().with.property('name', 'InvalidFrameError')
    const many = Rpc.encode({ ...base, addresses: [{ id: p1, addrs: Array.from({ length: RPC_LIMITS.addrsPerPeer + 1 }, () => new Uint8Array([1])) }] })
    expect(() => decodeFrame(many, codec)).to.throw().with.property('name', 'InvalidFrameError')
    const lists = Rpc.encode({ ...base, addresses: Array.from({ length: RPC_LIMITS.addressLists + 1 }, () => ({ id: p1, addrs: [] })) })
    expect(() => decodeFrame(lists, codec)).to.throw().with.property('name', 'InvalidFrameError')
  })

  it('matches the SPEC.md §7.8 vectors', () => {
    expect(hex(encodeRpc({ type: 'prune', topic: 'chat' }, codec))).to.equal('0804120463686174')
    expect(hex(encodeRpc({ type: 'ae-more', topic: 'chat', session: 3, offset: 32, count: 16 }, codec))).to.equal('080f1204636861747803900110a00120')
    const withAddrs: PubsubPeerCodec<string> = { ...codec, addrs: (p) => p === 'p1' ? [new Uint8Array([4, 127, 0, 0, 1])] : [] }
    expect(hex(encodeRpc({ type: 'found', topic: 'chat', walk: 12, others: ['p1', 'p2'] }, withAddrs))).to.equal('08071204636861746a0270316a027032780cc2010b0a0270311205047f000001')
  })

  it('rejects malformed frames with InvalidFrameError', () => {
    const bad: Array<[string, Uint8Array]> = [
      ['garbage', new Uint8Array([0xff, 0xff, 0xff])],
      ['unknown type', new Uint8Array([0x08, 0x63, 0x12, 0x01, 0x78])],
      ['short id', Rpc.encode({ type: RpcType.GOSSIP, topic: 'x', id: new Uint8Array(31), round: 1, publishedAt: 0, payload: new Uint8Array() } as any)],
      ['long topic', Rpc.encode({ type: RpcType.PRUNE, topic: 'x'.repeat(257) } as any)],
      ['bad peer', Rpc.encode({ type: RpcType.FIND, topic: 'x', peer: new Uint8Array(), ttl: 1, nonce: 1 } as any)],
      ['too many IHAVE ids', Rpc.encode({ type: RpcType.IHAVE, topic: 'x', entries: Array.from({ length: RPC_LIMITS.ihaveEntries + 1 }, () => ({ id: id(1), round: 1 })) } as any)],
      ['too many peers', Rpc.encode({ type: RpcType.FOUND, topic: 'x', nonce: 1, peers: Array.from({ length: RPC_LIMITS.peers + 1 }, () => new Uint8Array([97])) } as any)],
      ['short id of 7 bytes', Rpc.encode({ type: RpcType.AE_WANT, topic: 'x', nonce: 1, shortIds: [new Uint8Array(7)] } as any)],
      // field 5 = 2^60 as a raw varint: protons cannot encode a number that large
      ['publishedAt beyond 2^53', Uint8Array.from([...Rpc.encode({ type: RpcType.GOSSIP, topic: 'x', id: id(1), round: 1, payload: new Uint8Array() } as any), 0x28, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10])],
      ['oversize frame', new Uint8Array(RPC_LIMITS.frameBytes + 1)]
    ]
    for (const [what, bytes] of bad) {
      expect(() => decodeRpc(bytes, codec), what).to.throw().with.property('name', 'InvalidFrameError')
    }
  })

  it('refuses to encode an unknown message type', () => {
    expect(() => encodeRpc({ type: 'nope' } as any, codec)).to.throw().with.property('name', 'InvalidFrameError')
  })
})
