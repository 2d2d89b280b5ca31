import { decodeOriginHeader } from './origin.ts'
import type { DecodedOrigin } from './origin.ts'

/** A message's origin header, decoded, with the origin as the service's peer key */
export interface ReceivedOrigin extends DecodedOrigin {
  /** the origin's PeerId string */
  peer: string
}

/**
 * Origin headers decoded once. The frame reader decodes a GOSSIP's header here as it
 * arrives (our own publications' headers on their first send); the core carries the header bytes by reference (relay copies, the message cache,
 * the `validate` and `message` events all hold the same bytes), so the verify hook, the
 * application's `Message`, the origin gate and the send path look the decoded origin up by
 * those bytes instead of decoding them again: a received message was decoded three times
 * before (issue 13). A header that does not decode is remembered as such.
 */
export class DecodedOrigins {
  private readonly byHeader = new WeakMap<Uint8Array, ReceivedOrigin | null>()
  private readonly peerOf: (bytes: Uint8Array) => string

  constructor (peerOf: (bytes: Uint8Array) => string) {
    this.peerOf = peerOf
  }

  /** The decoded origin of `header`; undefined without a header or when it does not decode */
  of (header: Uint8Array | undefined): ReceivedOrigin | undefined {
    if (header == null) {
      return undefined
    }
    let origin = this.byHeader.get(header)
    if (origin === undefined) {
      try {
        const decoded = decodeOriginHeader(header)
        origin = { ...decoded, peer: this.peerOf(decoded.from) }
      } catch {
        origin = null
      }
      this.byHeader.set(header, origin)
    }
    return origin ?? undefined
  }
}
