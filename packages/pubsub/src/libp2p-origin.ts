import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromMultihash } from '@libp2p/peer-id'
import { TopicId, concatBytes, deriveMessageId, u64be } from '@saorsa-gossip/core'
import * as Digest from 'multiformats/hashes/digest'
import { InvalidFrameError } from './errors.ts'
import { Libp2pSignedFields, OriginHeader } from './pb/pubsub.ts'
import type { SignedMessage } from './api.ts'
import type { PublicKey } from '@libp2p/interface'

/**
 * Messages bridged from libp2p pubsub (gossipsub), SPEC.md §7.14. Their author signed them
 * the libp2p way — "libp2p-pubsub:" ‖ the protobuf Message without signature and key — with
 * an Ed25519, secp256k1 or RSA key; plumtree carries that signature unchanged in the origin
 * header, so every plumtree receiver checks the author, not the bridge that injected it.
 */

/** The libp2p pubsub spec's signing prefix */
export const LIBP2P_SIGN_PREFIX = new TextEncoder().encode('libp2p-pubsub:')

/**
 * Prefixed to the author's PeerId as the message id's `signer` (§2.2): a native origin's
 * signer is a PeerId multihash (first byte 0x00 or 0x12), never 'l', so the two kinds of id
 * cannot collide
 */
export const LIBP2P_SIGNER_PREFIX = new TextEncoder().encode('libp2p-pubsub/')

/** gossipsub's seqno is exactly 8 bytes (a u64, big-endian) */
export const LIBP2P_SEQNO_BYTES = 8

const IDENTITY_MULTIHASH = 0x00

/** base64url lengths of a 4096-bit modulus (512 bytes) and a 32-bit exponent (4 bytes) */
const RSA_MAX_MODULUS_B64 = Math.ceil(512 * 4 / 3)
const RSA_MAX_EXPONENT_B64 = Math.ceil(4 * 4 / 3)

/** An RSA-4096 public key in protobuf is ~550 bytes */
export const LIBP2P_KEY_MAX_BYTES = 2048

export interface Libp2pOrigin {
  /** the author's 8-byte seqno as it travelled */
  seqno: Uint8Array
  /** the author's public key (protobuf), when its PeerId does not embed it */
  key?: Uint8Array
}

/** The message id of a bridged message: topic, seqno, "libp2p-pubsub/" ‖ author, payload */
export function libp2pMessageId (topic: string, from: Uint8Array, seqno: Uint8Array, payload: Uint8Array): Uint8Array {
  return deriveMessageId({ topic: TopicId.fromString(topic), epoch: seqnoValue(seqno), signer: concatBytes(LIBP2P_SIGNER_PREFIX, from), payload })
}

/** What the author signed (gossipsub's own encoding: every field present, topic non-empty) */
export function libp2pSigningBytes (topic: string, from: Uint8Array, seqno: Uint8Array, payload: Uint8Array): Uint8Array {
  return concatBytes(LIBP2P_SIGN_PREFIX, Libp2pSignedFields.encode({ from: from as Uint8Array<ArrayBuffer>, data: payload as Uint8Array<ArrayBuffer>, seqno: seqno as Uint8Array<ArrayBuffer>, topic }))
}

export function seqnoValue (seqno: Uint8Array): bigint {
  return new DataView(seqno.buffer, seqno.byteOffset, seqno.byteLength).getBigUint64(0, false)
}

export function seqnoBytes (value: bigint): Uint8Array {
  if (value < 0n || value >= 1n << 64n) {
    throw new InvalidFrameError(`libp2p seqno ${value} is not a u64`)
  }
  return u64be(value)
}

/**
 * The author's public key: the one the header carries, which must derive to `from`, or the
 * one `from` embeds. Throws InvalidFrameError when neither gives a key for `from`.
 */
export function libp2pAuthorKey (from: Uint8Array, key: Uint8Array | undefined): PublicKey {
  let author
  try {
    author = peerIdFromMultihash(Digest.decode(from))
  } catch (err: any) {
    throw new InvalidFrameError(`libp2p origin is not a PeerId: ${err.message}`, { cause: err })
  }
  if (key == null) {
    if (author.publicKey == null) {
      throw new InvalidFrameError('libp2p origin embeds no key and the header carries none')
    }
    return author.publicKey
  }
  let publicKey: PublicKey
  try {
    publicKey = publicKeyFromProtobuf(key)
  } catch (err: any) {
    throw new InvalidFrameError(`libp2p origin key does not decode: ${err.message}`, { cause: err })
  }
  if (!author.equals(publicKey.toMultihash().bytes)) {
    throw new InvalidFrameError('libp2p origin key does not belong to its PeerId')
  }
  if (publicKey.type === 'RSA') {
    // a huge public exponent or modulus makes each verification cost many milliseconds: refused
    const jwk = (publicKey as unknown as { jwk?: { n?: string, e?: string } }).jwk
    if (jwk?.n == null || jwk.e == null || jwk.n.length > RSA_MAX_MODULUS_B64 || jwk.e.length > RSA_MAX_EXPONENT_B64) {
      throw new InvalidFrameError('libp2p origin RSA key over 4096 bits or with an exponent over 32 bits')
    }
  }
  return publicKey
}

/** The author's signature over what it signed; false (never a throw) for a bad key or signature */
export async function verifyLibp2pOrigin (from: Uint8Array, origin: Libp2pOrigin, signature: Uint8Array, signingBytes: Uint8Array): Promise<boolean> {
  try {
    return await libp2pAuthorKey(from, origin.key).verify(signingBytes, signature)
  } catch {
    return false
  }
}

/**
 * The id and origin header of a libp2p-signed message (as gossipsub delivers it), for
 * plumtree to carry. The signature is not checked here: the caller does (service.ts).
 */
export function encodeLibp2pOrigin (message: SignedMessage): { id: Uint8Array, header: Uint8Array, from: Uint8Array, origin: Libp2pOrigin } {
  const from = message.from.toMultihash().bytes
  const seqno = seqnoBytes(message.sequenceNumber)
  // the key travels only when the PeerId cannot give it (an RSA PeerId is a SHA-256 of the
  // key, not the key itself — identity multihash code 0): as gossipsub does
  const key = message.from.toMultihash().code !== IDENTITY_MULTIHASH ? publicKeyToProtobuf(message.key) : undefined
  const id = libp2pMessageId(message.topic, from, seqno, message.data)
  const header = OriginHeader.encode({
    from: from as Uint8Array<ArrayBuffer>,
    seqno: 0,
    signature: message.signature as Uint8Array<ArrayBuffer>,
    libp2pSeqno: seqno as Uint8Array<ArrayBuffer>,
    libp2pKey: (key ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>
  })
  return { id, header, from, origin: key == null ? { seqno } : { seqno, key } }
}
