import { lpStream } from '@libp2p/utils'
import { MalformedFrameError } from './errors.ts'
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
  const lp = lpStream(stream, { maxDataLength: init.maxDataLength })
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
