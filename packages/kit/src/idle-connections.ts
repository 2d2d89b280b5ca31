import { preferredConnection } from './preferred-connection.ts'
import type { Connection } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

export interface IdleConnectionsInit {
  /** how long a dialled connection may stay unheld before it is closed, ms (default 120 s: re-dials cost a handshake, SPEC.md §2.8 has the measurement) */
  idleTimeout?: number
  /**
   * Our PeerId string. With it, a connection we dialled to a peer we have a preferred
   * connection to (`preferredConnection`, SPEC.md §2.10) is closed once no stream is open on it
   * for a sweep interval, held peer or not: `OutboundStreams` moves the services' streams off it
   */
  self?: string
}

const DEFAULT_IDLE_TIMEOUT = 120_000

const instances = new WeakMap<ConnectionManager, IdleConnections>()

/**
 * Closes the connections our services dialled for one exchange once nobody holds them
 * (SPEC.md §2.8). HyParView sends a SHUFFLE_REPLY and a refused NEIGHBOR request over a
 * temporary connection and closes it afterwards (Leitão et al., DSN 2007, §4); a plumtree walk
 * answers its origin directly. libp2p keeps every connection until its limits are reached, so on
 * 100 real nodes those connections piled up (issue 12).
 *
 * One instance per libp2p node, shared by its services (`IdleConnections.of`). A connection is
 * closed when one of our services dialled it (`OutboundStreams` reports the connections it
 * created; the peer's own instance closes those it dialled, and one the application dialled is
 * never ours to close), no service holds the peer (`hold`: membership's active view, plumtree's
 * topic links), no open stream on it runs a protocol other than the registered ones, and all of
 * that has held for `idleTimeout` in a row (checked every `idleTimeout / 3`).
 */
export class IdleConnections {
  /** the node's shared instance (created on first use; `init` applies then, but a `self` given later still applies) */
  static of (connectionManager: ConnectionManager, init: IdleConnectionsInit = {}): IdleConnections {
    let instance = instances.get(connectionManager)
    if (instance == null) {
      instance = new IdleConnections(connectionManager, init)
      instances.set(connectionManager, instance)
    }
    instance.self ??= init.self
    return instance
  }

  /** connections closed for being idle, and duplicates closed (counted in `closed` too) */
  readonly stats = { closed: 0, duplicatesClosed: 0 }
  private readonly connectionManager: ConnectionManager
  private readonly idleTimeout: number
  private self?: string
  /** service name → its protocol ids */
  private readonly services = new Map<string, string[]>()
  private readonly protocols = new Set<string>()
  /** peer → the services holding it */
  private readonly holders = new Map<string, Set<string>>()
  private readonly dialled = new WeakSet<Connection>()
  private readonly closing = new WeakSet<Connection>()
  /** connection id → when it was first seen idle */
  private readonly idleSince = new Map<string, number>()
  private timer?: ReturnType<typeof setInterval>

  constructor (connectionManager: ConnectionManager, init: IdleConnectionsInit = {}) {
    const idleTimeout = init.idleTimeout ?? DEFAULT_IDLE_TIMEOUT
    if (!Number.isFinite(idleTimeout) || idleTimeout <= 0) {
      throw new RangeError(`idleTimeout must be a positive number of ms, got ${String(init.idleTimeout)}`)
    }
    this.connectionManager = connectionManager
    this.idleTimeout = idleTimeout
    this.self = init.self
  }

  /** A service starts: its streams do not keep a connection open; sweeping runs while any service is registered */
  register (service: string, protocols: string[]): void {
    this.services.set(service, protocols)
    this.recomputeProtocols()
    if (this.timer == null) {
      this.timer = setInterval(() => { this.sweep(Date.now()) }, this.sweepInterval)
      this.timer.unref?.()
    }
  }

  /** A service stops: its holds go, and sweeping stops with the last service */
  unregister (service: string): void {
    this.services.delete(service)
    this.recomputeProtocols()
    for (const [peer, owners] of this.holders) {
      owners.delete(service)
      if (owners.size === 0) {
        this.holders.delete(peer)
      }
    }
    if (this.services.size === 0) {
      clearInterval(this.timer)
      this.timer = undefined
      this.idleSince.clear()
    }
  }

  /** `service` keeps (or no longer keeps) a lasting relation with `peer`: its connections stay open */
  hold (service: string, peer: string, on: boolean): void {
    const owners = this.holders.get(peer) ?? new Set<string>()
    if (on) {
      owners.add(service)
      this.holders.set(peer, owners)
    } else {
      owners.delete(service)
      if (owners.size === 0) {
        this.holders.delete(peer)
      }
    }
  }

  /** `OutboundStreams` created this connection (there was none to the peer when it dialled) */
  dialledByUs (connection: Connection): void {
    this.dialled.add(connection)
  }

  /** Whether we closed this connection for being idle: not a sign that the peer is gone */
  closedByUs (connection: Connection): boolean {
    return this.closing.has(connection)
  }

  /** One pass over the open connections; exported for tests */
  sweep (now: number): void {
    const seen = new Set<string>()
    for (const connection of this.connectionManager.getConnections()) {
      seen.add(connection.id)
      const duplicate = this.duplicate(connection)
      if (!duplicate && !this.idle(connection)) {
        this.idleSince.delete(connection.id)
        continue
      }
      const since = this.idleSince.get(connection.id)
      if (since == null) {
        this.idleSince.set(connection.id, now)
      } else if (now - since >= (duplicate ? this.sweepInterval : this.idleTimeout)) {
        this.idleSince.delete(connection.id)
        this.closing.add(connection)
        this.stats.closed++
        if (duplicate) {
          this.stats.duplicatesClosed++
        }
        void connection.close().catch((err: Error) => { connection.abort(err) })
      }
    }
    for (const id of this.idleSince.keys()) {
      if (!seen.has(id)) {
        this.idleSince.delete(id)
      }
    }
  }

  private get sweepInterval (): number {
    return Math.max(1, Math.floor(this.idleTimeout / 3))
  }

  /**
   * A connection we dialled that carries no open stream while another connection to the same
   * peer is the one both ends prefer: the end that dialled it closes it (the other end leaves
   * it, so the two never close both)
   */
  private duplicate (connection: Connection): boolean {
    if (this.self == null || connection.status !== 'open' || connection.direction !== 'outbound') {
      return false
    }
    const all = this.connectionManager.getConnections(connection.remotePeer)
    return all.length > 1 &&
      preferredConnection(all, this.self) !== connection &&
      connection.streams.every(s => s.status !== 'open')
  }

  private idle (connection: Connection): boolean {
    return connection.status === 'open' &&
      this.dialled.has(connection) &&
      !this.holders.has(connection.remotePeer.toString()) &&
      connection.streams.every(s => s.status !== 'open' || (s.protocol != null && this.protocols.has(s.protocol)))
  }

  private recomputeProtocols (): void {
    this.protocols.clear()
    for (const protocols of this.services.values()) {
      for (const p of protocols) {
        this.protocols.add(p)
      }
    }
  }
}
