import { InvalidDataLengthLengthError, lpStream } from '@libp2p/utils'
import { MalformedFrameError } from './errors.ts'
import { varintLength } from './outbound-streams.ts'
import type { MessageStream } from '@libp2p/interface'

/** How a read loop over one inbound stream ended */
export type ReadEnd = 'ended' | 'oversize'

/**
 * Errors that mean "the remote sent a frame over the limit or a length prefix that is not a
 * varint", as opposed to a stream that merely ended or a connection that closed. Classified by
 * error name, never by message text.
 */
const OVERSIZE_ERRORS = new Set(['InvalidDataLengthError', 'InvalidDataLengthLengthError', 'InvalidMessageLengthError'])

export function isOversizeError (err: unknown): boolean {
  return OVERSIZE_ERRORS.has((err as Error | undefined)?.name ?? '')
}

/** The one "prefix not complete yet" answer, shared: lpStream only tests its class */
const PREFIX_INCOMPLETE = new RangeError('length prefix not complete yet')

/** What lpStream hands a length decoder: the prefix bytes read so far (a Uint8ArrayList) */
export interface PrefixBytes {
  readonly byteLength: number
  get(index: number): number
}

/**
 * Decodes an unsigned varint length prefix for lpStream, which reads the prefix a byte at a
 * time and asks after each byte, taking a RangeError to mean "read another byte".
 * uint8-varint's decoder answers that with a new RangeError, stack trace and all, for every
 * frame of 128 bytes or more (its prefix takes two bytes); here an incomplete prefix throws
 * one shared instance, which costs no allocation. A prefix longer than the largest allowed
 * frame's is refused by name at once (uint8-varint keeps asking for bytes after eight bytes
 * with the continuation bit set, and lpStream keeps them all).
 */
export function prefixDecoder (maxLengthLength: number): (data: PrefixBytes) => number {
  return (data) => {
    const n = data.byteLength
    if (n > maxLengthLength) {
      throw new InvalidDataLengthLengthError(`Message length length too long - ${n} > ${maxLengthLength}`)
    }
    if ((data.get(n - 1) & 0x80) !== 0) {
      throw PREFIX_INCOMPLETE
    }
    let value = 0
    for (let i = n - 1; i >= 0; i--) {
      // multiplication, not shifts: a 5-byte prefix passes 2^31
      value = value * 128 + (data.get(i) & 0x7f)
    }
    return value
  }
}

export interface ReadFramesInit {
  /** largest frame accepted, bytes: a longer one aborts the stream */
  maxDataLength: number
  /**
   * Called once per frame, in order. Return `false` to abort the stream (a frame that cannot
   * be decoded: the service has already counted it); anything else reads on.
   */
  onFrame(bytes: Uint8Array): boolean | undefined | Promise<boolean | undefined>
}

/**
 * Reads length-prefixed frames (unsigned varint, as lpStream / it-length-prefixed) from one
 * inbound stream until it ends. A frame over `maxDataLength` or a bad length prefix aborts
 * the stream and resolves 'oversize' so the service can count it; a closed stream or
 * connection resolves 'ended', and our end of the stream is closed too. Never throws.
 */
export async function readFrames (stream: MessageStream, init: ReadFramesInit): Promise<ReadEnd> {
  const maxLengthLength = varintLength(init.maxDataLength).byteLength
  const lp = lpStream(stream, { maxDataLength: init.maxDataLength, maxLengthLength, lengthDecoder: prefixDecoder(maxLengthLength) })
  try {
    for (;;) {
      const bytes = (await lp.read()).subarray()
      if (await init.onFrame(bytes) === false) {
        stream.abort(new MalformedFrameError('malformed frame'))
        return 'ended'
      }
    }
  } catch (err: any) {
    if (isOversizeError(err)) {
      stream.abort(err)
      return 'oversize'
    }
    // the writer closed its end (or the stream broke): close ours, or the stream stays
    // half-open on both connections' lists for as long as the connection lives, and a
    // connection whose streams all ended never counts as unused (SPEC.md §2.8)
    void stream.close().catch(() => {})
    return 'ended'
  }
}
