import { TopicId, concatBytes, deriveMessageId, bytesEqual, u64be } from '@saorsa-gossip/core'
import { InvalidFrameError } from './errors.ts'
import { LIBP2P_KEY_MAX_BYTES, LIBP2P_SEQNO_BYTES, libp2pMessageId, libp2pSigningBytes, seqnoValue } from './libp2p-origin.ts'
import { OriginHeader } from './pb/pubsub.ts'
import type { GossipMessage } from './core/messages.ts'
import type { Libp2pOrigin } from './libp2p-origin.ts'

/** Domain separation for origin signatures (SPEC.md §7.10) */
export const ORIGIN_DOMAIN = new TextEncoder().encode('saorsa-gossip/plumtree/origin/v1')

/** Limits on the decoded header: a PeerId multihash and an ML-DSA-65 signature (3,309 bytes) fit */
export const ORIGIN_LIMITS = { fromBytes: 64, signatureBytes: 4096 }

export interface OriginFields {
  topic: string
  /** the origin's PeerId multihash bytes */
  from: Uint8Array
  /** per-topic sequence number of the origin */
  seqno: bigint
  publishedAt: number
  payload: Uint8Array
}

export interface DecodedOrigin {
  from: Uint8Array
  seqno: bigint
  signature: Uint8Array
  /** present for a message bridged from libp2p pubsub (SPEC.md §7.14): signed by its author's libp2p key, not ML-DSA */
  libp2p?: Libp2pOrigin
}

/** The message id (SPEC.md §2.2): topic id of the name, seqno as epoch, the origin's PeerId bytes as signer */
export function originMessageId (fields: Omit<OriginFields, 'publishedAt'>): Uint8Array {
  return deriveMessageId({ topic: TopicId.fromString(fields.topic), epoch: fields.seqno, signer: fields.from, payload: fields.payload })
}

/** What the origin signs: ORIGIN_DOMAIN ‖ message id ‖ u64be(publishedAt) — the id commits to topic, seqno, origin and payload hash */
export function originSigningBytes (id: Uint8Array, publishedAt: number): Uint8Array {
  return concatBytes(ORIGIN_DOMAIN, id, u64be(BigInt(publishedAt)))
}

export function encodeOriginHeader (origin: DecodedOrigin): Uint8Array {
  // seqno stays a bigint in the API (libp2p's sequenceNumber) but travels as a JS number (jstype = JS_NUMBER)
  if (origin.seqno < 0n || origin.seqno > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidFrameError(`seqno ${origin.seqno} is not in 0..2^53 - 1`)
  }
  return OriginHeader.encode({ from: origin.from as Uint8Array<ArrayBuffer>, seqno: Number(origin.seqno), signature: origin.signature as Uint8Array<ArrayBuffer> })
}

/** Throws InvalidFrameError for an undecodable or over-limit header */
export function decodeOriginHeader (bytes: Uint8Array): DecodedOrigin {
  let header: OriginHeader
  try {
    header = OriginHeader.decode(bytes)
  } catch (err: any) {
    throw new InvalidFrameError(`Undecodable origin header: ${err.message}`, { cause: err })
  }
  if (header.from.length === 0 || header.from.length > ORIGIN_LIMITS.fromBytes) {
    throw new InvalidFrameError(`Origin must be 1..${ORIGIN_LIMITS.fromBytes} bytes`)
  }
  if (header.signature.length === 0 || header.signature.length > ORIGIN_LIMITS.signatureBytes) {
    throw new InvalidFrameError(`Signature must be 1..${ORIGIN_LIMITS.signatureBytes} bytes`)
  }
  // a seqno in [2^53, 2^56) decodes rounded: the id derived from it would be another message's
  if (!Number.isSafeInteger(header.seqno)) {
    throw new InvalidFrameError(`seqno ${header.seqno} exceeds 2^53 - 1`)
  }
  if (header.libp2pSeqno.length === 0) {
    if (header.libp2pKey.length > 0) {
      throw new InvalidFrameError('libp2p key without a libp2p seqno')
    }
    return { from: header.from, seqno: BigInt(header.seqno), signature: header.signature }
  }
  // a bridged message (SPEC.md §7.14): the author's seqno is the only one
  if (header.libp2pSeqno.length !== LIBP2P_SEQNO_BYTES || header.seqno !== 0) {
    throw new InvalidFrameError(`libp2p seqno must be ${LIBP2P_SEQNO_BYTES} bytes, with seqno 0`)
  }
  if (header.libp2pKey.length > LIBP2P_KEY_MAX_BYTES) {
    throw new InvalidFrameError(`libp2p key must be at most ${LIBP2P_KEY_MAX_BYTES} bytes`)
  }
  const libp2p: Libp2pOrigin = header.libp2pKey.length > 0 ? { seqno: header.libp2pSeqno, key: header.libp2pKey } : { seqno: header.libp2pSeqno }
  return { from: header.from, seqno: seqnoValue(header.libp2pSeqno), signature: header.signature, libp2p }
}

/** Signs a new message: returns its id and the header to send with it */
export function signOrigin (fields: OriginFields, sign: (bytes: Uint8Array) => Uint8Array): { id: Uint8Array, header: Uint8Array } {
  const id = originMessageId(fields)
  const signature = sign(originSigningBytes(id, fields.publishedAt))
  return { id, header: encodeOriginHeader({ from: fields.from, seqno: fields.seqno, signature }) }
}

export interface CheckedOrigin extends DecodedOrigin {
  /** the bytes the signature must verify over, with the origin's ML-DSA-65 key (its libp2p key for a bridged message) */
  signingBytes: Uint8Array
}

/**
 * The synchronous part of the origin check, for the core's `verify` hook: the
 * header decodes within limits and the claimed id is the one its fields give.
 * Returns what the (asynchronous) signature check needs, or undefined.
 */
export function checkOriginStructure (message: GossipMessage): CheckedOrigin | undefined {
  if (message.header == null) {
    return undefined
  }
  let origin: DecodedOrigin
  try {
    origin = decodeOriginHeader(message.header)
  } catch {
    return undefined
  }
  return checkOriginFields(message, origin)
}

/**
 * {@link checkOriginStructure} for a header already decoded (the service decodes each
 * received header once, at the edge): the claimed id must be the one the fields give.
 */
export function checkOriginFields (message: GossipMessage, origin: DecodedOrigin): CheckedOrigin | undefined {
  const { libp2p } = origin
  let id: Uint8Array
  try {
    id = libp2p == null
      ? originMessageId({ topic: message.topic, from: origin.from, seqno: origin.seqno, payload: message.payload })
      : libp2pMessageId(message.topic, origin.from, libp2p.seqno, message.payload)
  } catch {
    return undefined
  }
  if (!bytesEqual(id, message.id)) {
    return undefined
  }
  // a bridged message's publish time is the bridge's, and its author did not sign it
  const signingBytes = libp2p == null ? originSigningBytes(id, message.publishedAt) : libp2pSigningBytes(message.topic, origin.from, libp2p.seqno, message.payload)
  return { ...origin, signingBytes }
}
