import { blake3 } from '@noble/hashes/blake3.js'
import { concatBytes, u64be } from './bytes.ts'
import { InvalidMessageIdError } from './errors.ts'
import { TOPIC_ID_LENGTH } from './topic-id.ts'
import type { TopicId } from './topic-id.ts'

/** Length in bytes of every message id (SPEC.md §2.2) */
export const MESSAGE_ID_LENGTH = 32

/** Largest signer identifier accepted, in bytes: an ML-DSA-65 public key is 1952 */
export const MAX_SIGNER_LENGTH = 4096

const MAX_U64 = (1n << 64n) - 1n

/** Everything a message id is derived from. Every field travels on the wire. */
export interface MessageIdInput {
  topic: TopicId
  /** Publisher-chosen epoch/sequence number, an unsigned 64-bit integer */
  epoch: bigint | number
  /** Bytes that name the signer (e.g. the signer's ML-DSA public key hash); 1–4096 bytes */
  signer: Uint8Array
  /** The payload, or pass `payloadHash` instead when only the hash is at hand */
  payload?: Uint8Array
  /** BLAKE3(payload), 32 bytes */
  payloadHash?: Uint8Array
}

/** BLAKE3(payload): what the origin signature covers in place of the payload */
export function payloadHash (payload: Uint8Array): Uint8Array {
  return blake3(payload)
}

function toEpoch (epoch: bigint | number): bigint {
  let value: bigint
  if (typeof epoch === 'bigint') {
    value = epoch
  } else if (Number.isSafeInteger(epoch)) {
    value = BigInt(epoch)
  } else {
    throw new InvalidMessageIdError('Epoch must be a safe integer or a bigint')
  }
  if (value < 0n || value > MAX_U64) {
    throw new InvalidMessageIdError('Epoch must fit an unsigned 64-bit integer')
  }
  return value
}

/**
 * Derives a message id:
 *
 * `id = BLAKE3(topic[32] ‖ epoch u64 big-endian[8] ‖ signer[n] ‖ BLAKE3(payload)[32])`
 *
 * The encoding is injective without length prefixes because every part except
 * `signer` has a fixed length (SPEC.md §2.2). Any receiver recomputes the id
 * from the header fields and the payload and drops a message whose id differs.
 */
export function deriveMessageId (input: MessageIdInput): Uint8Array {
  const { topic, signer } = input
  if (topic?.bytes?.length !== TOPIC_ID_LENGTH) {
    throw new InvalidMessageIdError('Topic must be a TopicId')
  }
  if (!(signer instanceof Uint8Array) || signer.length === 0 || signer.length > MAX_SIGNER_LENGTH) {
    throw new InvalidMessageIdError(`Signer must be 1..${MAX_SIGNER_LENGTH} bytes`)
  }
  let hash: Uint8Array
  if (input.payloadHash != null) {
    if (input.payload != null) {
      throw new InvalidMessageIdError('Give either payload or payloadHash, not both')
    }
    if (!(input.payloadHash instanceof Uint8Array) || input.payloadHash.length !== 32) {
      throw new InvalidMessageIdError('Payload hash must be 32 bytes')
    }
    hash = input.payloadHash
  } else if (input.payload instanceof Uint8Array) {
    hash = payloadHash(input.payload)
  } else {
    throw new InvalidMessageIdError('Payload or payload hash required')
  }
  return blake3(concatBytes(topic.bytes, u64be(toEpoch(input.epoch)), signer, hash))
}

/** Checks that bytes received on the wire have the length of a message id */
export function assertMessageId (bytes: Uint8Array): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.length !== MESSAGE_ID_LENGTH) {
    throw new InvalidMessageIdError(`Message id must be ${MESSAGE_ID_LENGTH} bytes`)
  }
  return bytes
}
