import { blake3 } from '@noble/hashes/blake3.js'
import { bytesEqual, toHex } from './bytes.ts'
import { InvalidTopicIdError } from './errors.ts'

/** Length in bytes of every topic id (SPEC.md §2.1) */
export const TOPIC_ID_LENGTH = 32

/** Domain separation prefix so a topic name cannot collide with another BLAKE3 use (SPEC.md §2.1) */
const TOPIC_NAME_DOMAIN = new TextEncoder().encode('saorsa-gossip/topic/v1\0')

/**
 * A 32-byte topic identifier.
 *
 * Topics named by humans are hashed (`TopicId.fromString`); ids that arrive on
 * the wire are checked for length (`TopicId.fromBytes`).
 */
export class TopicId {
  readonly bytes: Uint8Array
  private hex?: string

  private constructor (bytes: Uint8Array) {
    this.bytes = bytes
  }

  /** BLAKE3("saorsa-gossip/topic/v1\0" ‖ UTF-8(name)) */
  static fromString (name: string): TopicId {
    if (typeof name !== 'string') {
      throw new InvalidTopicIdError('Topic name must be a string')
    }
    const utf8 = new TextEncoder().encode(name)
    const input = new Uint8Array(TOPIC_NAME_DOMAIN.length + utf8.length)
    input.set(TOPIC_NAME_DOMAIN, 0)
    input.set(utf8, TOPIC_NAME_DOMAIN.length)
    return new TopicId(blake3(input))
  }

  /** Wraps exactly 32 bytes (copied, so later mutation of the input has no effect) */
  static fromBytes (bytes: Uint8Array): TopicId {
    if (!(bytes instanceof Uint8Array) || bytes.length !== TOPIC_ID_LENGTH) {
      throw new InvalidTopicIdError(`Topic id must be ${TOPIC_ID_LENGTH} bytes, got ${bytes instanceof Uint8Array ? bytes.length : typeof bytes}`)
    }
    // new Uint8Array(x) copies even when x is a Buffer, whose slice() would alias
    return new TopicId(new Uint8Array(bytes))
  }

  equals (other: TopicId): boolean {
    return bytesEqual(this.bytes, other.bytes)
  }

  /** Lower-case hex; stable, usable as a Map key */
  toString (): string {
    this.hex ??= toHex(this.bytes)
    return this.hex
  }
}
