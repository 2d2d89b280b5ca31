import { peerIdFromString } from '@libp2p/peer-id'
import { DialSupersededError, NoKnownAddressesError, ServiceStoppedError, StreamClosedError, WriteTimeoutError } from './errors.ts'
import { preferredConnection } from './preferred-connection.ts'
import type { IdleConnections } from './idle-connections.ts'
import type { SecureStreams } from './secure-streams.ts'
import type { Connection, Libp2pEvents, MessageStream, PeerId, PeerStore } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

export interface OutboundStreamsInit {
  connectionManager: ConnectionManager
  protocol: string
  /** largest frame, bytes */
  maxDataLength: number
  dialTimeout: number
  writeTimeout: number
  /** bytes waiting for one peer beyond which `write` refuses a frame (default: no bound) */
  maxQueuedBytes?: number
  /** told of every connection this dials (none to the peer existed), so it can close it once unused */
  idleConnections?: IdleConnections
  /**
   * With it, a peer with no connection and no address in the peer store is not dialled: the
   * write fails at once with `NoKnownAddressesError` (SPEC.md §2.7)
   */
  peerStore?: PeerStore
  /**
   * With it, streams are opened through it: inside a stream-level secure channel where the
   * connection needs one and the service enabled it (SPEC.md §2.9); `protocol` is then unused
   */
  secureStreams?: SecureStreams
  /**
   * Our PeerId string. With it, a peer reached over several connections gets its stream on the
   * one both ends prefer (`preferredConnection`, SPEC.md §2.10), and a stream found on another
   * is closed and reopened there at the next write, so the duplicate empties and can be closed
   */
  self?: string
  /**
   * The node's event bus. With it, a dial still under way is abandoned as soon as a connection
   * the peer dialled to us opens, and the stream goes on that one (SPEC.md §2.10): the two
   * handshakes of crossing dials cost the CPU of two connections, and the second one would only
   * be closed as a duplicate later
   */
  events?: ConnectionOpenEvents
  /**
   * Each batch written: how long its first frame waited in our queue and in the transport
   * (until the write drained; time spent opening the stream excluded), ms. Over QUIC this is
   * where a saturated native side shows
   */
  onSent?(peer: string, ms: number): void
  /** a dial or write failed (the dial's own error, a WriteTimeoutError or a StreamClosedError); the stream is forgotten and the next write opens a new one */
  onWriteError(peer: string, err: Error): void
}

/** What `OutboundStreams` counts: writes made, frames carried, dials abandoned for the peer's own connection */
export interface OutboundCounters {
  writes: number
  frames: number
  dialsSuperseded: number
}

/** The part of libp2p's event bus `OutboundStreams` listens to */
export interface ConnectionOpenEvents {
  addEventListener(type: 'connection:open', listener: (evt: Libp2pEvents['connection:open']) => void): void
  removeEventListener(type: 'connection:open', listener: (evt: Libp2pEvents['connection:open']) => void): void
}

/** One outbound stream per peer: frames waiting, and whether a flush is running */
interface Outbound {
  stream: Promise<MessageStream>
  /** the connection the stream was opened on, once it is (set by `open`, possibly before it returns) */
  on: { connection?: Connection }
  /** the peer, parsed once */
  id: PeerId
  pending: Uint8Array[]
  /** when each pending frame was queued */
  pendingAt: number[]
  queued: number
  flushing: boolean
}

/**
 * Most bytes coalesced into one stream write. Frames queued while a write is in
 * flight go out together as one chunk: `@chainsafe/libp2p-quic` 2.1.1 sends one
 * chunk per event-loop turn (SPEC.md §7.12), and an lpStream write is two chunks
 * (length, then body), so a frame per write costs two turns each under load.
 */
const MAX_BATCH_BYTES = 256 * 1024

/** Unsigned varint length prefix (the framing of lpStream / it-length-prefixed) */
export function varintLength (n: number): Uint8Array {
  const out: number[] = []
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return Uint8Array.from(out)
}

/** Length-prefixes `frames` into one buffer */
export function concatFrames (frames: Uint8Array[]): Uint8Array {
  const prefixes = frames.map(f => varintLength(f.byteLength))
  let total = 0
  for (let i = 0; i < frames.length; i++) {
    total += prefixes[i].byteLength + frames[i].byteLength
  }
  const out = new Uint8Array(total)
  let at = 0
  for (let i = 0; i < frames.length; i++) {
    out.set(prefixes[i], at)
    at += prefixes[i].byteLength
    out.set(frames[i], at)
    at += frames[i].byteLength
  }
  return out
}

/**
 * The outbound half of a protocol adapter (membership(), plumtree()): one
 * write-only stream per peer, opened on first use, length-prefixed frames
 * written in order, coalesced into one write while the previous one drains.
 * Peers are PeerId strings.
 */
export class OutboundStreams {
  private readonly init: OutboundStreamsInit
  private readonly streams = new Map<string, Outbound>()
  /**
   * writes made and frames carried, for metrics (frames / writes = mean batch); dials abandoned
   * because the peer's own connection to us opened first (`events`)
   */
  readonly counters: OutboundCounters = { writes: 0, frames: 0, dialsSuperseded: 0 }
  /** peer → the dials to it under way, aborted when the peer connects to us (`events`) */
  private readonly dialling = new Map<string, Set<AbortController>>()

  constructor (init: OutboundStreamsInit) {
    this.init = init
    this.onConnectionOpen = this.onConnectionOpen.bind(this)
  }

  /** Queues a frame for `peer`; false (nothing queued) when more than `maxQueuedBytes` already wait */
  write (peer: string, bytes: Uint8Array): boolean {
    let out = this.streams.get(peer)
    if (out != null && !out.flushing && this.misplaced(out)) {
      // nothing of ours is in flight on it: close it there, reopen on the preferred connection
      this.close(peer)
      out = undefined
    }
    if (out == null) {
      const id = peerIdFromString(peer)
      const on: Outbound['on'] = {}
      out = { id, on, stream: this.open(id, connection => { on.connection = connection }), pending: [], pendingAt: [], queued: 0, flushing: false }
      out.stream.catch(() => {})
      this.streams.set(peer, out)
    }
    if (out.queued + bytes.byteLength > (this.init.maxQueuedBytes ?? Infinity)) {
      return false
    }
    out.queued += bytes.byteLength
    out.pending.push(bytes)
    out.pendingAt.push(Date.now())
    if (!out.flushing) {
      out.flushing = true
      void this.flush(peer, out)
    }
    return true
  }

  has (peer: string): boolean {
    return this.streams.has(peer)
  }

  keys (): IterableIterator<string> {
    return this.streams.keys()
  }

  /**
   * Forgets the stream because `connection` (a connection to `peer`) closed; nothing is
   * written to it any more. A stream on another connection to the peer is kept: forgetting it
   * left it open and unwritten, holding its connection (given no connection, always forgets)
   */
  forget (peer: string, connection?: Connection): void {
    const out = this.streams.get(peer)
    if (connection != null && out?.on.connection != null && out.on.connection !== connection) {
      return
    }
    this.streams.delete(peer)
  }

  /** Closes the stream once the frames already queued are written */
  close (peer: string): void {
    const out = this.streams.get(peer)
    this.streams.delete(peer)
    if (out == null) {
      return
    }
    const closeWhenIdle = async (): Promise<void> => {
      while (out.flushing) {
        await new Promise(resolve => setTimeout(resolve, 10))
      }
      await (await out.stream).close()
    }
    void closeWhenIdle().catch(() => {})
  }

  /** Aborts every stream (the service stops) with a ServiceStoppedError carrying `reason` */
  async abortAll (reason: string): Promise<void> {
    const streams = [...this.streams.values()]
    this.streams.clear()
    await Promise.all(streams.map(async o => {
      o.pending.length = 0
      o.pendingAt.length = 0
      try {
        (await o.stream).abort(new ServiceStoppedError(reason))
      } catch {
        // never opened: nothing to close
      }
    }))
  }

  /** Writes everything pending, a batch at a time, until the queue is empty */
  private async flush (peer: string, out: Outbound): Promise<void> {
    try {
      const stream = await out.stream
      // a dial is not the transport's backlog: time before the stream opened does not count
      const openedAt = Date.now()
      while (out.pending.length > 0) {
        let size = 0
        let n = 0
        while (n < out.pending.length && (n === 0 || size + out.pending[n].byteLength <= MAX_BATCH_BYTES)) {
          size += out.pending[n].byteLength
          n++
        }
        const batch = out.pending.splice(0, n)
        const queuedAt = out.pendingAt.splice(0, n)[0]
        this.counters.writes++
        this.counters.frames += n
        try {
          if (!stream.send(concatFrames(batch))) {
            await waitForDrain(stream, this.init.writeTimeout)
          }
        } finally {
          out.queued -= size
        }
        this.init.onSent?.(peer, Date.now() - Math.max(queuedAt, openedAt))
      }
    } catch (err: any) {
      if (this.streams.get(peer) === out) {
        this.streams.delete(peer)
      }
      out.pending.length = 0
      out.pendingAt.length = 0
      out.queued = 0
      this.init.onWriteError(peer, err)
    } finally {
      out.flushing = false
    }
  }

  /** Whether `out`'s stream sits on a connection other than the one both ends prefer */
  private misplaced (out: Outbound): boolean {
    if (this.init.self == null || out.on.connection == null) {
      return false
    }
    const connections = this.init.connectionManager.getConnections(out.id)
    return connections.length > 1 && preferredConnection(connections, this.init.self) !== out.on.connection
  }

  /** Opens a stream to `id`, telling `onConnection` which connection it goes on */
  private async open (id: PeerId, onConnection: (connection: Connection) => void): Promise<MessageStream> {
    const existing = this.init.connectionManager.getConnections(id)
    if (existing.length === 0 && this.init.peerStore != null && !(await hasAddresses(this.init.peerStore, id))) {
      throw new NoKnownAddressesError(`no connection to ${id.toString()} and no known address`)
    }
    let connection = this.init.self == null ? undefined : preferredConnection(existing, this.init.self)
    if (connection == null) {
      const dialled = await this.dial(id)
      connection = dialled.connection
      if (existing.length === 0 && dialled.ours) {
        this.init.idleConnections?.dialledByUs(connection)
      }
      if (this.init.self != null) {
        // the peer may have dialled us meanwhile: both ends then pick the same one of the two
        connection = preferredConnection(this.init.connectionManager.getConnections(id), this.init.self) ?? connection
      }
    }
    onConnection(connection)
    const options = { signal: AbortSignal.timeout(this.init.dialTimeout) }
    if (this.init.secureStreams != null) {
      return this.init.secureStreams.open(connection, options)
    }
    return connection.newStream(this.init.protocol, options)
  }

  /**
   * Dials `id`. With `events`, the dial is abandoned when a connection the peer dialled to us
   * opens meanwhile, and that connection is returned instead (`ours` false); if it is already
   * gone again, the dial is made once more
   */
  private async dial (id: PeerId): Promise<{ connection: Connection, ours: boolean }> {
    const dial = async (signal: AbortSignal): Promise<Connection> => this.init.connectionManager.openConnection(id, { signal })
    if (this.init.events == null) {
      return { connection: await dial(AbortSignal.timeout(this.init.dialTimeout)), ours: true }
    }
    const peer = id.toString()
    const superseded = new AbortController()
    this.watch(peer, superseded)
    try {
      return { connection: await dial(AbortSignal.any([AbortSignal.timeout(this.init.dialTimeout), superseded.signal])), ours: true }
    } catch (err) {
      if (!superseded.signal.aborted) {
        throw err
      }
      const theirs = preferredConnection(this.init.connectionManager.getConnections(id), this.init.self ?? '')
      if (theirs != null) {
        this.counters.dialsSuperseded++
        return { connection: theirs, ours: false }
      }
    } finally {
      this.unwatch(peer, superseded)
    }
    return { connection: await dial(AbortSignal.timeout(this.init.dialTimeout)), ours: true }
  }

  private watch (peer: string, dial: AbortController): void {
    if (this.dialling.size === 0) {
      this.init.events?.addEventListener('connection:open', this.onConnectionOpen)
    }
    const dials = this.dialling.get(peer) ?? new Set()
    dials.add(dial)
    this.dialling.set(peer, dials)
  }

  private unwatch (peer: string, dial: AbortController): void {
    const dials = this.dialling.get(peer)
    dials?.delete(dial)
    if (dials?.size === 0) {
      this.dialling.delete(peer)
      if (this.dialling.size === 0) {
        this.init.events?.removeEventListener('connection:open', this.onConnectionOpen)
      }
    }
  }

  /** A connection the peer dialled opened: our dials to it are no longer needed */
  private onConnectionOpen (evt: Libp2pEvents['connection:open']): void {
    const connection = evt.detail
    if (connection.direction !== 'inbound' || connection.limits != null) {
      // our own dial's connection (or one the application dialled): nothing crossed; and a
      // limited one (a relay's) is no substitute for the direct connection we are dialling
      return
    }
    for (const dial of this.dialling.get(connection.remotePeer.toString()) ?? []) {
      dial.abort(new DialSupersededError(`${connection.remotePeer.toString()} connected to us first`))
    }
  }
}

async function hasAddresses (peerStore: PeerStore, id: PeerId): Promise<boolean> {
  try {
    return (await peerStore.get(id)).addresses.length > 0
  } catch {
    // not in the peer store at all
    return false
  }
}

/** Resolves on 'drain', rejects on 'close' or after `timeout` ms */
async function waitForDrain (stream: MessageStream, timeout: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error): void => {
      clearTimeout(timer)
      stream.removeEventListener('drain', onDrain)
      stream.removeEventListener('close', onClose)
      if (err == null) {
        resolve()
      } else {
        reject(err)
      }
    }
    const onDrain = (): void => { done() }
    const onClose = (): void => { done(new StreamClosedError('stream closed while writing')) }
    const timer = setTimeout(() => { done(new WriteTimeoutError(`write not drained within ${timeout} ms`)) }, timeout)
    stream.addEventListener('drain', onDrain)
    stream.addEventListener('close', onClose)
  })
}
