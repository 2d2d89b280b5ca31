import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import type { Stream } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'
import type { LengthPrefixedStream } from '@libp2p/utils'

export interface OutboundStreamsInit {
  connectionManager: ConnectionManager
  protocol: string
  /** largest frame, bytes */
  maxDataLength: number
  dialTimeout: number
  writeTimeout: number
  /** bytes waiting for one peer beyond which `write` refuses a frame (default: no bound) */
  maxQueuedBytes?: number
  /** a dial or write failed; the stream is forgotten and the next write opens a new one */
  onWriteError(peer: string, err: Error): void
}

/** One outbound stream per peer, its writes serialised and the bytes waiting counted */
interface Outbound {
  lp: Promise<LengthPrefixedStream<Stream>>
  tail: Promise<void>
  queued: number
}

/**
 * The outbound half of a protocol adapter (membership(), plumtree()): one
 * length-prefixed stream per peer, opened on first use, frames written in
 * order. Peers are PeerId strings.
 */
export class OutboundStreams {
  private readonly init: OutboundStreamsInit
  private readonly streams = new Map<string, Outbound>()

  constructor (init: OutboundStreamsInit) {
    this.init = init
  }

  /** Queues a frame for `peer`; false (nothing queued) when more than `maxQueuedBytes` already wait */
  write (peer: string, bytes: Uint8Array): boolean {
    let out = this.streams.get(peer)
    if (out == null) {
      out = { lp: this.open(peer), tail: Promise.resolve(), queued: 0 }
      out.lp.catch(() => {})
      this.streams.set(peer, out)
    }
    if (out.queued + bytes.byteLength > (this.init.maxQueuedBytes ?? Infinity)) {
      return false
    }
    const entry = out
    entry.queued += bytes.byteLength
    entry.tail = entry.tail.then(async () => {
      const lp = await entry.lp
      await lp.write(bytes, { signal: AbortSignal.timeout(this.init.writeTimeout) })
    }).catch((err: any) => {
      if (this.streams.get(peer) === entry) {
        this.streams.delete(peer)
      }
      this.init.onWriteError(peer, err)
    }).finally(() => {
      entry.queued -= bytes.byteLength
    })
    return true
  }

  has (peer: string): boolean {
    return this.streams.has(peer)
  }

  keys (): IterableIterator<string> {
    return this.streams.keys()
  }

  /** Forgets the stream (its connection closed); nothing is written to it any more */
  forget (peer: string): void {
    this.streams.delete(peer)
  }

  /** Closes the stream once the frames already queued are written */
  close (peer: string): void {
    const out = this.streams.get(peer)
    this.streams.delete(peer)
    void out?.tail.then(async () => (await out.lp).unwrap().close()).catch(() => {})
  }

  /** Aborts every stream (the service stops) */
  async abortAll (reason: string): Promise<void> {
    const streams = [...this.streams.values()]
    this.streams.clear()
    await Promise.all(streams.map(async o => {
      try {
        (await o.lp).unwrap().abort(new Error(reason))
      } catch {
        // never opened: nothing to close
      }
    }))
  }

  private async open (peer: string): Promise<LengthPrefixedStream<Stream>> {
    const connection = await this.init.connectionManager.openConnection(peerIdFromString(peer), { signal: AbortSignal.timeout(this.init.dialTimeout) })
    const stream = await connection.newStream(this.init.protocol, { signal: AbortSignal.timeout(this.init.dialTimeout) })
    return lpStream(stream, { maxDataLength: this.init.maxDataLength })
  }
}
