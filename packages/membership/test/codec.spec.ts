import { toHex } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { FRAME_LIMITS, MAX_FRAME_BYTES, decodeFrame, encodeFrame } from '../src/codec.ts'
import { Frame, FrameType } from '../src/pb/membership.ts'
import type { PeerCodec } from '../src/codec.ts'
import type { MembershipMessage } from '../src/core/messages.ts'

/** Peers are short ASCII names in these tests; an empty id or a '!' is refused */
const names: PeerCodec<string> = {
  toBytes: (p) => new TextEncoder().encode(p),
  fromBytes: (b) => {
    const s = new TextDecoder().decode(b)
    if (s.length === 0 || s.includes('!')) {
      throw new Error('not a peer')
    }
    return s
  },
  addrs: (p) => p === 'a' ? [new Uint8Array([4, 127, 0, 0, 1])] : []
}

const update = { member: 'm', incarnation: 1_790_000_000_000, status: 'suspect' as const, from: 'f' }
const messages: Array<MembershipMessage<string>> = [
  { proto: 'hpv', type: 'join' },
  { proto: 'hpv', type: 'forward-join', joiner: 'j', ttl: 6 },
  { proto: 'hpv', type: 'neighbor', priority: 'high' },
  { proto: 'hpv', type: 'neighbor', priority: 'low' },
  { proto: 'hpv', type: 'neighbor-reply', accepted: true },
  { proto: 'hpv', type: 'neighbor-reply', accepted: false },
  { proto: 'hpv', type: 'disconnect', alive: true },
  { proto: 'hpv', type: 'shuffle', origin: 'o', ttl: 3, peers: ['o', 'a', 'b'], route: [] },
  { proto: 'hpv', type: 'shuffle', origin: 'o', ttl: 2, peers: ['o', 'a'], route: ['f1', 'f2'] },
  { proto: 'hpv', type: 'shuffle-reply', peers: ['c', 'd'], route: [] },
  { proto: 'hpv', type: 'shuffle-reply', peers: ['c'], route: ['o', 'f1'] },
  { proto: 'swim', type: 'ping', seq: 7, updates: [update] },
  { proto: 'swim', type: 'ack', seq: 7, incarnation: 42, updates: [], neighbors: ['x', 'y'] },
  { proto: 'swim', type: 'ping-req', seq: 8, target: 't', updates: [{ ...update, status: 'dead' }] },
  { proto: 'swim', type: 'nack', seq: 8 },
  { proto: 'swim', type: 'gossip', updates: [{ ...update, status: 'alive' }] }
]

describe('membership wire codec', () => {
  for (const message of messages) {
    it(`round-trips ${message.type}${'priority' in message ? ` (${message.priority})` : ''}`, () => {
      const { message: decoded } = decodeFrame(encodeFrame(message, names), names)
      expect(decoded).to.deep.equal(message)
    })
  }

  it('carries addresses with peer records (SPEC.md §5.3 vector)', () => {
    const bytes = encodeFrame({ proto: 'hpv', type: 'shuffle', origin: 'o', ttl: 3, peers: ['a'] }, names)
    expect(toHex(bytes)).to.equal('080612030a016f18032a0a0a01611205047f000001')
    const { addrs } = decodeFrame(bytes, names)
    expect(addrs.get('a')).to.deep.equal([new Uint8Array([4, 127, 0, 0, 1])])
  })

  it('SPEC.md §5.3 vector: a SHUFFLE_REPLY on its way back (route: the origin first, the next hop last)', () => {
    const bytes = encodeFrame({ proto: 'hpv', type: 'shuffle-reply', peers: ['c'], route: ['o', 'f'] }, names)
    expect(toHex(bytes)).to.equal('08072a030a01634a016f4a0166')
  })

  it(`a route longer than ${FRAME_LIMITS.route} hops is refused while decoding`, () => {
    const route = Array.from({ length: FRAME_LIMITS.route + 1 }, (_, i) => `r${i}`)
    expect(() => decodeFrame(encodeFrame({ proto: 'hpv', type: 'shuffle', origin: 'o', ttl: 3, peers: ['a'], route }, names), names)).to.throw().that.includes({ name: 'InvalidFrameError', code: 'ERR_INVALID_FRAME' })
  })

  it('SPEC.md §5.3 vector: an ACK', () => {
    const bytes = encodeFrame({ proto: 'swim', type: 'ack', seq: 7, incarnation: 42, updates: [], neighbors: ['x'] }, names)
    expect(toHex(bytes)).to.equal('08092a030a01783007382a')
  })

  it('an ACK whose view is unchanged carries flag = true and no list (SPEC.md §6.4)', () => {
    const bytes = encodeFrame({ proto: 'swim', type: 'ack', seq: 7, incarnation: 42, updates: [] }, names)
    expect(toHex(bytes)).to.equal('080920013007382a')
    expect(decodeFrame(bytes, names).message).to.deep.equal({ proto: 'swim', type: 'ack', seq: 7, incarnation: 42, updates: [] })
    // an empty list is a list: "my view is empty", not "unchanged"
    const empty = decodeFrame(encodeFrame({ proto: 'swim', type: 'ack', seq: 7, incarnation: 42, updates: [], neighbors: [] }, names), names)
    expect(empty.message).to.deep.equal({ proto: 'swim', type: 'ack', seq: 7, incarnation: 42, updates: [], neighbors: [] })
  })

  it('rejects malformed and over-limit frames with InvalidFrameError', () => {
    const bad: Uint8Array[] = [
      new Uint8Array([0xff, 0xff, 0xff]),
      Frame.encode({ type: FrameType.UNKNOWN } as any),
      new Uint8Array([0x08, 0x63]), // type 99
      new Uint8Array(0), // type UNKNOWN (0)
      Frame.encode({ type: FrameType.FORWARD_JOIN, ttl: 1 } as any), // no joiner
      Frame.encode({ type: FrameType.FORWARD_JOIN, peer: { id: new TextEncoder().encode('bad!'), addrs: [] }, ttl: 1 } as any),
      Frame.encode({ type: FrameType.SHUFFLE_REPLY, peers: Array.from({ length: FRAME_LIMITS.peers + 1 }, () => ({ id: new Uint8Array([97]), addrs: [] })) } as any),
      Frame.encode({ type: FrameType.GOSSIP, updates: Array.from({ length: FRAME_LIMITS.updates + 1 }, () => ({ member: new Uint8Array([97]), incarnation: 0, status: 0, from: new Uint8Array([98]) })) } as any),
      // PING with seq 2^60 (protons cannot encode it as a number: raw varint)
      new Uint8Array([0x08, 0x08, 0x30, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]),
      // GOSSIP with one update whose status is 7
      new Uint8Array([0x08, 0x0c, 0x42, 0x08, 0x0a, 0x01, 0x61, 0x18, 0x07, 0x22, 0x01, 0x62]),
      new Uint8Array(MAX_FRAME_BYTES + 1)
    ]
    for (const bytes of bad) {
      expect(() => decodeFrame(bytes, names), toHex(bytes.subarray(0, 16))).to.throw().that.includes({ name: 'InvalidFrameError', code: 'ERR_INVALID_FRAME' })
    }
  })

  it('an undecodable frame keeps the decoder\'s error as its cause', () => {
    const err = (() => { try { decodeFrame(new Uint8Array([0xff, 0xff, 0xff]), names) } catch (e) { return e } })()
    expect(err).to.include({ name: 'InvalidFrameError', code: 'ERR_INVALID_FRAME' })
    expect(err).to.have.property('cause').that.is.instanceOf(Error)
  })
})
