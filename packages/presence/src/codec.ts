import { sha256 } from '@noble/hashes/sha2.js'
import { concatBytes } from '@saorsa-gossip/core'
import { MAX_ADDR_BYTES, MAX_FRAME_BYTES, MAX_PEER_ID_BYTES, MAX_QUERY_SCOPES, MAX_QUERY_TAGS, MAX_REPLY_BEACONS, QUERY_ID_BYTES, SCOPE_BYTES, SCOPE_DOMAIN, TAG_BYTES } from './constants.ts'
import { InvalidPresenceFrameError } from './errors.ts'
import { BeaconBody, PresenceFrame, QueryBody } from './pb/presence.ts'
import type { Beacon, Query } from './pb/presence.ts'

/**
 * Frames are decoded once, at the edge, with protons' count limits; the signed bodies are
 * decoded from the bytes that were signed, so what is checked is exactly what was signed.
 */
export function decodeFrame (bytes: Uint8Array): PresenceFrame {
  if (bytes.byteLength > MAX_FRAME_BYTES) {
    throw new InvalidPresenceFrameError('frame over the limit')
  }
  const frame = PresenceFrame.decode(bytes, { limits: { reply: { beacons: MAX_REPLY_BEACONS, sealed: MAX_REPLY_BEACONS } } })
  const parts = [frame.beacon, frame.query, frame.reply, frame.sealed, frame.ask, frame.hint].filter(p => p != null)
  if (parts.length !== 1) {
    throw new InvalidPresenceFrameError('a frame carries exactly one of beacon, query, reply, sealed, ask, hint')
  }
  const id = frame.reply?.id ?? frame.ask?.id ?? frame.hint?.id
  if (id != null && id.byteLength !== QUERY_ID_BYTES) {
    throw new InvalidPresenceFrameError('bad query id')
  }
  if (frame.ask != null && (frame.ask.target.byteLength === 0 || frame.ask.target.byteLength > MAX_PEER_ID_BYTES)) {
    throw new InvalidPresenceFrameError('bad ask target')
  }
  return frame
}

export function decodeBeaconBody (beacon: Beacon, maxAddrs: number): BeaconBody {
  // one more than allowed is decoded, so the core can count "too many" instead of "malformed"
  const body = BeaconBody.decode(beacon.body, { limits: { addrs: maxAddrs + 1 } })
  if (body.peer.byteLength === 0 || body.peer.byteLength > MAX_PEER_ID_BYTES || body.addrs.some(a => a.byteLength > MAX_ADDR_BYTES)) {
    throw new InvalidPresenceFrameError('bad beacon body')
  }
  // uint64 fields decode as JS numbers (jstype = JS_NUMBER): one in [2^53, 2^56) arrives rounded
  if (![body.seq, body.issuedAtMs, body.expiresAtMs].every(Number.isSafeInteger)) {
    throw new InvalidPresenceFrameError('beacon number above 2^53 - 1')
  }
  return body
}

export function decodeQueryBody (query: Query, maxAddrs: number): QueryBody {
  const body = QueryBody.decode(query.body, { limits: { originAddrs: maxAddrs, tags: MAX_QUERY_TAGS, scopes: MAX_QUERY_SCOPES } })
  if (body.id.byteLength !== QUERY_ID_BYTES || body.origin.byteLength === 0 || body.origin.byteLength > MAX_PEER_ID_BYTES ||
    (body.target.byteLength === 0 && body.tags.length === 0) || body.target.byteLength > MAX_PEER_ID_BYTES || body.tags.some(t => t.byteLength !== TAG_BYTES) || body.scopes.some(t => t.byteLength !== SCOPE_BYTES) || body.originAddrs.some(a => a.byteLength > MAX_ADDR_BYTES)) {
    throw new InvalidPresenceFrameError('bad query body')
  }
  if (!Number.isSafeInteger(body.issuedAtMs)) {
    throw new InvalidPresenceFrameError('query issuedAtMs above 2^53 - 1')
  }
  return body
}

/** A topic's scope in queries: the first 16 bytes of SHA-256(domain ‖ UTF-8 topic) */
export function topicScope (topic: string): Uint8Array {
  return sha256(concatBytes(SCOPE_DOMAIN, new TextEncoder().encode(topic))).subarray(0, SCOPE_BYTES)
}

export function signingBytes (domain: Uint8Array, body: Uint8Array): Uint8Array {
  return concatBytes(domain, body)
}

export const encodeFrame = PresenceFrame.encode

/**
 * protons 9 types bytes fields as `Uint8Array<ArrayBuffer>`; bytes from elsewhere (signatures,
 * peer codecs, multiaddrs) are typed `Uint8Array<ArrayBufferLike>`. Copy only when the
 * backing store really is shared.
 */
export function own (bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? bytes as Uint8Array<ArrayBuffer> : new Uint8Array(bytes)
}
