import { InvalidFrameError } from './errors.ts'
import { Frame, FrameType, MemberStatus } from './pb/membership.ts'
import type { MemberUpdate, MembershipMessage } from './core/messages.ts'
import type { PeerKeyCodec } from '@saorsa-gossip/core'

/** Largest frame accepted on the wire, bytes (SPEC.md §5.3) */
export const MAX_FRAME_BYTES = 64 * 1024

/** Decode limits: counts of repeated fields (SPEC.md §5.3) */
export const FRAME_LIMITS = {
  peers: 64,
  updates: 256,
  addrs: 8,
  /** SHUFFLE walks are at most 16 hops long on the wire (the core accepts at most its `shuffleTtl`) */
  route: 16
}

/** How a driver turns its peer keys into bytes and back, and which addresses to advertise */
export interface PeerCodec<P> extends PeerKeyCodec<P> {
  /** Multiaddr bytes to send along with a peer, if any */
  addrs?(peer: P): Uint8Array[]
}

export interface DecodedFrame<P> {
  message: MembershipMessage<P>
  /** addresses that came with the peers in the frame */
  addrs: Map<P, Uint8Array[]>
}

const STATUS_TO_WIRE = { alive: MemberStatus.ALIVE, suspect: MemberStatus.SUSPECT, dead: MemberStatus.DEAD } as const
const STATUS_FROM_WIRE = { [MemberStatus.ALIVE]: 'alive', [MemberStatus.SUSPECT]: 'suspect', [MemberStatus.DEAD]: 'dead' } as const

function record<P> (peer: P, codec: PeerCodec<P>): { id: Uint8Array<ArrayBuffer>, addrs: Array<Uint8Array<ArrayBuffer>> } {
  return { id: codec.toBytes(peer) as Uint8Array<ArrayBuffer>, addrs: (codec.addrs?.(peer) ?? []).slice(0, FRAME_LIMITS.addrs) as Array<Uint8Array<ArrayBuffer>> }
}

function ids<P> (peers: P[] | undefined, codec: PeerCodec<P>): Array<Uint8Array<ArrayBuffer>> {
  return (peers ?? []).map(p => codec.toBytes(p) as Uint8Array<ArrayBuffer>)
}

function updatesToWire<P> (updates: Array<MemberUpdate<P>>, codec: PeerCodec<P>): Frame['updates'] {
  return updates.map(u => ({
    member: codec.toBytes(u.member) as Uint8Array<ArrayBuffer>,
    incarnation: u.incarnation,
    status: STATUS_TO_WIRE[u.status],
    from: codec.toBytes(u.from) as Uint8Array<ArrayBuffer>
  }))
}

/**
 * Encodes a core message as one protobuf Frame. With `sender`, JOIN and
 * NEIGHBOR carry the sender's own record (id and addresses) in `peer`, so the
 * receiver learns where the sender listens without a separate exchange.
 */
export function encodeFrame<P> (message: MembershipMessage<P>, codec: PeerCodec<P>, sender?: P): Uint8Array {
  const frame: Partial<Frame> = {}
  switch (message.type) {
    case 'join': Object.assign(frame, { type: FrameType.JOIN, peer: sender == null ? undefined : record(sender, codec) }); break
    case 'forward-join': Object.assign(frame, { type: FrameType.FORWARD_JOIN, peer: record(message.joiner, codec), ttl: message.ttl }); break
    case 'neighbor': Object.assign(frame, { type: FrameType.NEIGHBOR, flag: message.priority === 'high', peer: sender == null ? undefined : record(sender, codec) }); break
    case 'neighbor-reply': Object.assign(frame, { type: FrameType.NEIGHBOR_REPLY, flag: message.accepted }); break
    case 'disconnect': Object.assign(frame, { type: FrameType.DISCONNECT, flag: message.alive }); break
    case 'shuffle': Object.assign(frame, { type: FrameType.SHUFFLE, peer: record(message.origin, codec), ttl: message.ttl, peers: message.peers.map(p => record(p, codec)), route: ids(message.route, codec) }); break
    case 'shuffle-reply': Object.assign(frame, { type: FrameType.SHUFFLE_REPLY, peers: message.peers.map(p => record(p, codec)), route: ids(message.route, codec) }); break
    case 'ping': Object.assign(frame, { type: FrameType.PING, seq: message.seq, updates: updatesToWire(message.updates, codec), flag: message.wantView === true }); break
    case 'ack': Object.assign(frame, { type: FrameType.ACK, seq: message.seq, incarnation: message.incarnation, updates: updatesToWire(message.updates, codec), peers: (message.neighbors ?? []).map(p => record(p, codec)), flag: message.neighbors === undefined }); break
    case 'ping-req': Object.assign(frame, { type: FrameType.PING_REQ, seq: message.seq, peer: record(message.target, codec), updates: updatesToWire(message.updates, codec) }); break
    case 'nack': Object.assign(frame, { type: FrameType.NACK, seq: message.seq }); break
    case 'gossip': Object.assign(frame, { type: FrameType.GOSSIP, updates: updatesToWire(message.updates, codec) }); break
    default: throw new InvalidFrameError(`Cannot encode message type ${String((message as any)?.type)}`)
  }
  return Frame.encode(frame as Frame)
}

/** Decoded as JS numbers (jstype = JS_NUMBER): a varint in [2^53, 2^56) arrives rounded, so it is refused, not used */
function toSafe (value: number, what: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new InvalidFrameError(`${what} ${value} exceeds 2^53 - 1`)
  }
  return value
}

/**
 * Decodes one frame with size and count limits. Any malformation — bad
 * protobuf, too many entries, an unknown type, a peer id the codec refuses, a
 * missing required field — throws InvalidFrameError; the driver drops the
 * frame (or resets the stream) and counts it.
 */
export function decodeFrame<P> (bytes: Uint8Array, codec: PeerCodec<P>): DecodedFrame<P> {
  if (bytes.length > MAX_FRAME_BYTES) {
    throw new InvalidFrameError(`Frame of ${bytes.length} bytes exceeds ${MAX_FRAME_BYTES}`)
  }
  let frame: Frame
  try {
    frame = Frame.decode(bytes, {
      limits: { peers: FRAME_LIMITS.peers, updates: FRAME_LIMITS.updates, route: FRAME_LIMITS.route, peer: { addrs: FRAME_LIMITS.addrs }, peers$: { addrs: FRAME_LIMITS.addrs } }
    })
  } catch (err: any) {
    throw new InvalidFrameError(`Undecodable frame: ${err.message}`, { cause: err })
  }
  const addrs = new Map<P, Uint8Array[]>()
  const peer = (r: Frame['peer']): P => {
    if (r == null || r.id.length === 0) {
      throw new InvalidFrameError('Missing peer')
    }
    let p: P
    try {
      p = codec.fromBytes(r.id)
    } catch (err: any) {
      throw new InvalidFrameError(`Invalid peer id: ${err.message}`, { cause: err })
    }
    if (r.addrs.length > 0) {
      addrs.set(p, r.addrs)
    }
    return p
  }
  const updates = (): Array<MemberUpdate<P>> => frame.updates.map(u => {
    const status = STATUS_FROM_WIRE[u.status]
    if (status == null) {
      throw new InvalidFrameError(`Unknown member status ${String(u.status)}`)
    }
    return { member: peer({ id: u.member, addrs: [] }), incarnation: toSafe(u.incarnation, 'incarnation'), status, from: peer({ id: u.from, addrs: [] }) }
  })
  const route = (): P[] => frame.route.map(id => peer({ id, addrs: [] }))
  const seq = (): number => toSafe(frame.seq, 'seq')
  let message: MembershipMessage<P>
  // JOIN and NEIGHBOR may carry the sender's own record: only its addresses are used
  if ((frame.type === FrameType.JOIN || frame.type === FrameType.NEIGHBOR) && frame.peer != null && frame.peer.id.length > 0) {
    peer(frame.peer)
  }
  switch (frame.type) {
    case FrameType.JOIN: message = { proto: 'hpv', type: 'join' }; break
    case FrameType.FORWARD_JOIN: message = { proto: 'hpv', type: 'forward-join', joiner: peer(frame.peer), ttl: frame.ttl }; break
    case FrameType.NEIGHBOR: message = { proto: 'hpv', type: 'neighbor', priority: frame.flag ? 'high' : 'low' }; break
    case FrameType.NEIGHBOR_REPLY: message = { proto: 'hpv', type: 'neighbor-reply', accepted: frame.flag }; break
    case FrameType.DISCONNECT: message = { proto: 'hpv', type: 'disconnect', alive: frame.flag }; break
    case FrameType.SHUFFLE: message = { proto: 'hpv', type: 'shuffle', origin: peer(frame.peer), ttl: frame.ttl, peers: frame.peers.map(peer), route: route() }; break
    case FrameType.SHUFFLE_REPLY: message = { proto: 'hpv', type: 'shuffle-reply', peers: frame.peers.map(peer), route: route() }; break
    case FrameType.PING: message = { proto: 'swim', type: 'ping', seq: seq(), updates: updates(), ...(frame.flag ? { wantView: true } : {}) }; break
    case FrameType.ACK: message = { proto: 'swim', type: 'ack', seq: seq(), incarnation: toSafe(frame.incarnation, 'incarnation'), updates: updates(), ...(frame.flag ? {} : { neighbors: frame.peers.map(peer) }) }; break
    case FrameType.PING_REQ: message = { proto: 'swim', type: 'ping-req', seq: seq(), target: peer(frame.peer), updates: updates() }; break
    case FrameType.NACK: message = { proto: 'swim', type: 'nack', seq: seq() }; break
    case FrameType.GOSSIP: message = { proto: 'swim', type: 'gossip', updates: updates() }; break
    default: throw new InvalidFrameError(`Unknown frame type ${String(frame.type)}`)
  }
  return { message, addrs }
}
