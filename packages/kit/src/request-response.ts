import { lpStream } from '@libp2p/utils'
import type { MessageStream } from '@libp2p/interface'

export interface OneFrameInit {
  /**
   * largest frame read, bytes: a longer one, or a length prefix that is not a varint, fails
   * with an error that `isOversizeError` recognises
   */
  maxDataLength: number
  /** bounds the read, the write and the close */
  signal?: AbortSignal
}

export interface RequestFrameInit<T> extends OneFrameInit {
  /**
   * Called with the reply before the stream is closed, so that a reply the service refuses
   * (undecodable, failing verification) resets the stream instead of closing it cleanly.
   */
  onReply(bytes: Uint8Array): T | Promise<T>
}

export interface RespondFrameInit extends OneFrameInit {
  /** The answer to one request frame; a throw resets the stream and nothing is written */
  onRequest(bytes: Uint8Array): Uint8Array | Promise<Uint8Array>
}

/**
 * The asking side of a one-frame-each-way protocol (identity's exchange and lookup, SPEC.md
 * §3.3, §3.5) on a stream the service opened: writes `frame`, reads one length-prefixed reply
 * (unsigned varint, as lpStream), hands it to `onReply`, closes, and returns what `onReply`
 * returned. Any failure aborts the stream and is rethrown for the service to count: unlike
 * `readFrames`, the caller is waiting for this one answer and must learn why it did not come.
 */
export async function requestFrame<T> (stream: MessageStream, frame: Uint8Array, init: RequestFrameInit<T>): Promise<T> {
  const lp = lpStream(stream, { maxDataLength: init.maxDataLength })
  const options = { signal: init.signal }
  try {
    await lp.write(frame, options)
    const result = await init.onReply((await lp.read(options)).subarray())
    await stream.close(options)
    return result
  } catch (err: any) {
    stream.abort(err)
    throw err
  }
}

/**
 * The answering side: reads one request frame from an inbound stream, writes the frame
 * `onRequest` returns, closes. Any failure aborts the stream and is rethrown, as for
 * {@link requestFrame}.
 */
export async function respondFrame (stream: MessageStream, init: RespondFrameInit): Promise<void> {
  const lp = lpStream(stream, { maxDataLength: init.maxDataLength })
  const options = { signal: init.signal }
  try {
    const reply = await init.onRequest((await lp.read(options)).subarray())
    await lp.write(reply, options)
    await stream.close(options)
  } catch (err: any) {
    stream.abort(err)
    throw err
  }
}
