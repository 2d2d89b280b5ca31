import { MESSAGE_ID_LENGTH } from '@saorsa-gossip/core'
import { InvalidFrameError } from './errors.ts'
import { Rpc, RpcType } from './pb/pubsub.ts'
import type { PubsubMessage } from './core/messages.ts'
import type { PeerKeyCodec } from '@saorsa-gossip/core'

/** Limits enforced when decoding (SPEC.md §7.8); a frame breaking one is rejected whole */
export const RPC_LIMITS = {
  /** largest frame: a 1 MiB payload plus header and fields */
  frameBytes: 1024 * 1024 + 16 * 1024,
  topicBytes: 256,
  headerBytes: 8 * 1024,
  /** an ML-DSA-65 key (1,952 B) and signature (3,309 B), an Ed25519 key and signature, fields */
  bindingBytes: 8 * 1024,
  ihaveEntries: 1024,
  subscriptions: 1024,
  peers: 16,
  /** address lists: one per named peer (`peers` plus FIND's `peer`) */
  addressLists: 17,
  addrsPerPeer: 8,
  addrBytes: 256,
  symbols: 16_384,
  shortIds: 4096
}

/** How the driver turns its peer keys into bytes and back (PeerId multihash bytes in the service) */
export interface PubsubPeerCodec<P> extends PeerKeyCodec<P> {
  /** listen addresses to send beside a peer a frame names (FIND origin, FOUND / TOPIC_JOIN_REPLY others); none when absent */
  addrs?(peer: P): Uint8Array[]
}

type Wire = Partial<Rpc>
type Encoders = { [K in PubsubMessage<unknown>['type']]: (m: Extract<PubsubMessage<any>, { type: K }>, peer: (p: any) => Uint8Array) => Wire }

const b = (x: Uint8Array): Uint8Array<ArrayBuffer> => x as Uint8Array<ArrayBuffer>

const ENCODERS: Encoders = {
  gossip: (m) => ({ type: RpcType.GOSSIP, topic: m.topic, id: b(m.id), round: m.round, publishedAt: m.publishedAt, payload: b(m.payload), header: m.header == null ? undefined : b(m.header), flag: m.repair === true, flood: m.flood === true, wave: m.wave ?? 0 }),
  ihave: (m) => ({ type: RpcType.IHAVE, topic: m.topic, entries: m.entries.map(e => ({ id: b(e.id), round: e.round })) }),
  graft: (m) => ({ type: RpcType.GRAFT, topic: m.topic, id: m.id == null ? undefined : b(m.id), round: m.round }),
  prune: (m) => ({ type: RpcType.PRUNE, topic: m.topic }),
  subscriptions: (m) => ({ type: RpcType.SUBSCRIPTIONS, subscribe: m.subscribe, unsubscribe: m.unsubscribe }),
  find: (m, peer) => ({ type: RpcType.FIND, topic: m.topic, peer: b(peer(m.origin)), ttl: m.ttl, nonce: m.walk, peers: (m.exclude ?? []).slice(0, RPC_LIMITS.peers).map((p: unknown) => b(peer(p))) }),
  found: (m, peer) => ({ type: RpcType.FOUND, topic: m.topic, nonce: m.walk, peers: m.others.map(p => b(peer(p))) }),
  'topic-join': (m) => ({ type: RpcType.TOPIC_JOIN, topic: m.topic, flag: m.urgent }),
  'topic-join-reply': (m, peer) => ({ type: RpcType.TOPIC_JOIN_REPLY, topic: m.topic, flag: m.accepted, peers: m.others.map(p => b(peer(p))) }),
  'topic-leave': (m) => ({ type: RpcType.TOPIC_LEAVE, topic: m.topic }),
  'topic-ping': (m) => ({ type: RpcType.TOPIC_PING, topic: m.topic, nonce: m.nonce }),
  'topic-pong': (m) => ({ type: RpcType.TOPIC_PONG, topic: m.topic, nonce: m.nonce }),
  'ae-digest': (m) => ({ type: RpcType.AE_DIGEST, topic: m.topic, nonce: m.session, from: m.from, to: m.to, count: m.count, digest: b(m.digest) }),
  'ae-symbols': (m) => ({ type: RpcType.AE_SYMBOLS, topic: m.topic, nonce: m.session, from: m.from, to: m.to, offset: m.offset, symbols: m.symbols.map(s => ({ count: s.count, hi: s.hi, lo: s.lo, check: s.check })) }),
  'ae-more': (m) => ({ type: RpcType.AE_MORE, topic: m.topic, nonce: m.session, offset: m.offset, count: m.count }),
  'ae-want': (m) => ({ type: RpcType.AE_WANT, topic: m.topic, nonce: m.session, shortIds: m.shortIds.map(b) })
}

/**
 * What a GOSSIP frame may carry about its origin's key (SPEC.md §7.10): this version sends a
 * carried key (`key`, the binding record without its ML-DSA signature); `binding`, the whole
 * record, is what earlier versions sent and is still read
 */
export interface CarriedOrigin {
  binding?: Uint8Array
  key?: Uint8Array
}

/** Encodes a core message as one protobuf Rpc */
export function encodeRpc<P> (message: PubsubMessage<P>, codec: PubsubPeerCodec<P>, carried?: CarriedOrigin): Uint8Array {
  const encode = ENCODERS[message?.type] as ((m: PubsubMessage<P>, peer: (p: P) => Uint8Array) => Wire) | undefined
  if (encode == null) {
    throw new InvalidFrameError(`Cannot encode message type ${String((message as any)?.type)}`)
  }
  const wire = encode(message, p => codec.toBytes(p))
  if (carried != null && message.type === 'gossip') {
    if (carried.binding != null) {
      wire.originBinding = b(carried.binding)
    }
    if (carried.key != null) {
      wire.originKey = b(carried.key)
    }
  }
  const named = namedPeers(message)
  if (named.length > 0 && codec.addrs != null) {
    wire.addresses = []
    for (const peer of named) {
      const addrs = codec.addrs(peer).filter(a => a.byteLength <= RPC_LIMITS.addrBytes).slice(0, RPC_LIMITS.addrsPerPeer)
      if (addrs.length > 0) {
        wire.addresses.push({ id: b(codec.toBytes(peer)), addrs: addrs.map(b) })
      }
    }
  }
  return Rpc.encode(wire as Rpc)
}

/** The peers a frame tells its receiver about (the ones it may dial next) */
function namedPeers<P> (message: PubsubMessage<P>): P[] {
  switch (message.type) {
    case 'find':
      return [message.origin]
    case 'found':
    case 'topic-join-reply':
      return message.others
    default:
      return []
  }
}

/** A decoded frame and, on GOSSIP, the origin's binding record or carried key bytes when the sender attached them */
export interface DecodedFrame<P> {
  message: PubsubMessage<P>
  originBinding?: Uint8Array
  originKey?: Uint8Array
  /** listen addresses the sender gave for peers the frame names (others are ignored) */
  addresses?: Map<P, Uint8Array[]>
}

/** uint64 fields decode as JS numbers (jstype = JS_NUMBER): one in [2^53, 2^56) arrives rounded, so it is refused, not used */
function safe (value: number, what: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new InvalidFrameError(`${what} ${value} exceeds 2^53 - 1`)
  }
  return value
}

function id (bytes: Uint8Array, what: string): Uint8Array {
  if (bytes.length !== MESSAGE_ID_LENGTH) {
    throw new InvalidFrameError(`${what} must be ${MESSAGE_ID_LENGTH} bytes, got ${bytes.length}`)
  }
  return bytes
}

type Decoders = Partial<Record<RpcType, (rpc: Rpc, peer: (b: Uint8Array) => any) => PubsubMessage<any>>>

const DECODERS: Decoders = {
  [RpcType.GOSSIP]: (r) => ({ type: 'gossip', topic: r.topic, id: id(r.id, 'id'), round: r.round, publishedAt: safe(r.publishedAt, 'publishedAt'), payload: r.payload, ...(r.header.length > 0 ? { header: r.header } : {}), ...(r.flag ? { repair: true } : {}), ...(r.flood ? { flood: true } : {}), ...(r.wave > 0 ? { wave: r.wave } : {}) }),
  [RpcType.IHAVE]: (r) => ({ type: 'ihave', topic: r.topic, entries: r.entries.map(e => ({ id: id(e.id, 'IHAVE id'), round: e.round })) }),
  [RpcType.GRAFT]: (r) => ({ type: 'graft', topic: r.topic, round: r.round, ...(r.id.length > 0 ? { id: id(r.id, 'GRAFT id') } : {}) }),
  [RpcType.PRUNE]: (r) => ({ type: 'prune', topic: r.topic }),
  [RpcType.SUBSCRIPTIONS]: (r) => ({ type: 'subscriptions', subscribe: r.subscribe, unsubscribe: r.unsubscribe }),
  [RpcType.FIND]: (r, peer) => ({ type: 'find', topic: r.topic, origin: peer(r.peer), ttl: r.ttl, walk: safe(r.nonce, 'walk'), ...(r.peers.length > 0 ? { exclude: r.peers.map(peer) } : {}) }),
  [RpcType.FOUND]: (r, peer) => ({ type: 'found', topic: r.topic, walk: safe(r.nonce, 'walk'), others: r.peers.map(peer) }),
  [RpcType.TOPIC_JOIN]: (r) => ({ type: 'topic-join', topic: r.topic, urgent: r.flag }),
  [RpcType.TOPIC_JOIN_REPLY]: (r, peer) => ({ type: 'topic-join-reply', topic: r.topic, accepted: r.flag, others: r.peers.map(peer) }),
  [RpcType.TOPIC_LEAVE]: (r) => ({ type: 'topic-leave', topic: r.topic }),
  [RpcType.TOPIC_PING]: (r) => ({ type: 'topic-ping', topic: r.topic, nonce: safe(r.nonce, 'nonce') }),
  [RpcType.TOPIC_PONG]: (r) => ({ type: 'topic-pong', topic: r.topic, nonce: safe(r.nonce, 'nonce') }),
  [RpcType.AE_DIGEST]: (r) => ({ type: 'ae-digest', topic: r.topic, session: safe(r.nonce, 'session'), from: safe(r.from, 'from'), to: safe(r.to, 'to'), count: r.count, digest: id(r.digest, 'digest') }),
  [RpcType.AE_SYMBOLS]: (r) => ({ type: 'ae-symbols', topic: r.topic, session: safe(r.nonce, 'session'), from: safe(r.from, 'from'), to: safe(r.to, 'to'), offset: r.offset, symbols: r.symbols.map(s => ({ count: symbolCount(s.count), hi: s.hi >>> 0, lo: s.lo >>> 0, check: s.check >>> 0 })) }),
  [RpcType.AE_MORE]: (r) => ({ type: 'ae-more', topic: r.topic, session: safe(r.nonce, 'session'), offset: r.offset, count: r.count }),
  [RpcType.AE_WANT]: (r) => ({ type: 'ae-want', topic: r.topic, session: safe(r.nonce, 'session'), shortIds: r.shortIds.map(shortIdBytes) })
}

function symbolCount (count: number): number {
  if (count > 2 ** 31 || count < -(2 ** 31)) {
    throw new InvalidFrameError(`symbol count ${count} out of range`)
  }
  return count
}

function shortIdBytes (bytes: Uint8Array): Uint8Array {
  if (bytes.length !== 8) {
    throw new InvalidFrameError(`short id must be 8 bytes, got ${bytes.length}`)
  }
  return bytes
}

const utf8 = new TextEncoder()

/**
 * Decodes one Rpc with size and count limits. Any malformation — bad
 * protobuf, too many entries, an unknown type, a wrong-length id, a peer id
 * the codec refuses, a topic over 256 bytes — throws InvalidFrameError; the
 * driver drops the frame and counts it.
 */
export function decodeRpc<P> (bytes: Uint8Array, codec: PubsubPeerCodec<P>, frameBytes: number = RPC_LIMITS.frameBytes): PubsubMessage<P> {
  return decodeFrame(bytes, codec, frameBytes).message
}

const LONE_SURROGATE = /\p{Cs}/u

/** As {@link decodeRpc}, also returning the GOSSIP frame's attached origin binding (bytes, not yet decoded) */
export function decodeFrame<P> (bytes: Uint8Array, codec: PubsubPeerCodec<P>, frameBytes: number = RPC_LIMITS.frameBytes): DecodedFrame<P> {
  if (bytes.length > frameBytes) {
    throw new InvalidFrameError(`Frame of ${bytes.length} bytes exceeds ${frameBytes}`)
  }
  let rpc: Rpc
  try {
    rpc = Rpc.decode(bytes, {
      limits: { entries: RPC_LIMITS.ihaveEntries, subscribe: RPC_LIMITS.subscriptions, unsubscribe: RPC_LIMITS.subscriptions, peers: RPC_LIMITS.peers, symbols: RPC_LIMITS.symbols, shortIds: RPC_LIMITS.shortIds, addresses: RPC_LIMITS.addressLists, addresses$: { addrs: RPC_LIMITS.addrsPerPeer } }
    })
  } catch (err: any) {
    throw new InvalidFrameError(`Undecodable frame: ${err.message}`, { cause: err })
  }
  if (utf8.encode(rpc.topic).length > RPC_LIMITS.topicBytes) {
    throw new InvalidFrameError(`Topic longer than ${RPC_LIMITS.topicBytes} bytes`)
  }
  if (rpc.originBinding.length > RPC_LIMITS.bindingBytes || rpc.originKey.length > RPC_LIMITS.bindingBytes) {
    throw new InvalidFrameError(`Origin binding or key longer than ${RPC_LIMITS.bindingBytes} bytes`)
  }
  if (rpc.header.length > RPC_LIMITS.headerBytes) {
    throw new InvalidFrameError(`Header longer than ${RPC_LIMITS.headerBytes} bytes`)
  }
  if ([...rpc.subscribe, ...rpc.unsubscribe].some(t => utf8.encode(t).length > RPC_LIMITS.topicBytes)) {
    throw new InvalidFrameError(`Subscription topic longer than ${RPC_LIMITS.topicBytes} bytes`)
  }
  // bytes that are not UTF-8 decode to lone surrogates, which encode back as U+FFFD:
  // the topic would change when the frame is relayed (found by fuzz/, pubsub-codec)
  if ([rpc.topic, ...rpc.subscribe, ...rpc.unsubscribe].some(t => LONE_SURROGATE.test(t))) {
    throw new InvalidFrameError('Topic is not valid UTF-8')
  }
  const decode = DECODERS[rpc.type]
  if (decode == null) {
    throw new InvalidFrameError(`Unknown frame type ${String(rpc.type)}`)
  }
  const peer = (raw: Uint8Array): P => {
    try {
      return codec.fromBytes(raw)
    } catch (err: any) {
      throw new InvalidFrameError(`Invalid peer id: ${err.message}`, { cause: err })
    }
  }
  const message = decode(rpc, peer)
  if (message.type === 'gossip' && (rpc.originBinding.length > 0 || rpc.originKey.length > 0)) {
    return {
      message,
      ...(rpc.originBinding.length > 0 ? { originBinding: rpc.originBinding } : {}),
      ...(rpc.originKey.length > 0 ? { originKey: rpc.originKey } : {})
    }
  }
  return rpc.addresses.length > 0 ? { message, addresses: addressHints(message, rpc, peer) } : { message }
}

/** The address lists of peers the frame names; a list for anyone else is ignored, an oversize address is malformed */
function addressHints<P> (message: PubsubMessage<P>, rpc: Rpc, peer: (raw: Uint8Array) => P): Map<P, Uint8Array[]> {
  const named = new Set(namedPeers(message))
  const hints = new Map<P, Uint8Array[]>()
  for (const entry of rpc.addresses) {
    if (entry.addrs.some(a => a.byteLength > RPC_LIMITS.addrBytes)) {
      throw new InvalidFrameError(`Address longer than ${RPC_LIMITS.addrBytes} bytes`)
    }
    const p = peer(entry.id)
    if (named.has(p) && entry.addrs.length > 0) {
      hints.set(p, entry.addrs)
    }
  }
  return hints
}
