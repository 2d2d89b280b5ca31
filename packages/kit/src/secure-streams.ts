import { PlainStreamRefusedError, SecureStreamsConfigError } from './errors.ts'
import { siblingService } from './sibling-service.ts'
import type { AbortOptions, Connection, MessageStream, Stream, StreamHandlerOptions } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'

/**
 * A stream-level security provider: `pqNoiseService().streamSecurity` runs the PQ Noise
 * handshake inside one stream (SPEC.md §10.6). The kit only asks it whether a connection
 * needs it and to secure a stream; it knows nothing of the handshake.
 */
export interface StreamSecurity {
  /**
   * Every suffix the provider answers, appended to a service's protocol id to name its secured
   * variants (pqNoiseService(): `/pq-noise` for a full handshake, `/pq-noise-psk` for one
   * resumed from the connection's first)
   */
  readonly protocolSuffixes: readonly string[]
  /** false when the connection is already protected as this provider would protect a stream */
  needed(connection: Connection): boolean
  /** The suffixes to offer on a connection that needs the provider, best first (may wait for a handshake in flight there) */
  offer(connection: Connection, options?: AbortOptions): Promise<string[]>
  /**
   * Runs the handshake that `suffix` names inside `stream` and resolves to the protected
   * duplex; rejects with the provider's named error
   */
  secure(stream: Stream, connection: Connection, initiator: boolean, suffix: string, options?: AbortOptions): Promise<MessageStream>
}

/**
 * - `off`: one protocol id, streams as the connection carries them (no provider needed).
 * - `prefer`: on a connection that needs it, offer the secured variant first and the plain
 * protocol after it (a peer without the option answers the plain one); accept both.
 * - `require`: on a connection that needs it, offer only the secured variant, and refuse a
 * plain inbound stream (`PlainStreamRefusedError`, counted).
 */
export type SecureStreamsMode = 'off' | 'prefer' | 'require'

export const SECURE_STREAMS_MODES: readonly SecureStreamsMode[] = ['off', 'prefer', 'require']

export interface SecureStreamsCounters {
  /** streams opened or accepted inside the provider's channel */
  secured: number
  /** streams opened or accepted without it */
  plain: number
  /** plain inbound streams refused under `require` */
  refused: number
  /** handshakes that failed (the stream was aborted) */
  failed: number
}

/**
 * How one service opens and accepts its streams when it may run them inside a stream-level
 * secure channel (SPEC.md §2.9): which protocol ids to register, what to offer on a
 * connection, and the duplex to read and write once the handshake (if any) is done.
 */
export class SecureStreams {
  readonly protocol: string
  readonly mode: SecureStreamsMode
  private readonly service: string
  readonly counters: SecureStreamsCounters = { secured: 0, plain: 0, refused: 0, failed: 0 }
  private security?: StreamSecurity

  /**
   * `service` names the caller in errors; `mode` is the user's option, checked here
   * (`SecureStreamsConfigError` for anything but the three modes or undefined)
   */
  constructor (service: string, protocol: string, mode: unknown = 'off') {
    if (!SECURE_STREAMS_MODES.includes(mode as SecureStreamsMode)) {
      throw new SecureStreamsConfigError(`${service}({ secureStreams }) must be one of ${SECURE_STREAMS_MODES.join(', ')}`)
    }
    this.service = service
    this.protocol = protocol
    this.mode = mode as SecureStreamsMode
  }

  /**
   * At the service's start: finds the provider among the node's services by its key (its
   * `streamSecurity`); unless the mode is `off`, a missing one is a `SecureStreamsConfigError`
   */
  resolve (components: unknown, key: string): void {
    if (this.mode === 'off') {
      return
    }
    const missing = (): Error => new SecureStreamsConfigError(`${this.service}({ secureStreams: '${this.mode}' }) needs pqNoiseService() in services under the key '${key}'`)
    const provider = siblingService<{ streamSecurity?: StreamSecurity }>(components, key, missing)
    if (provider.streamSecurity == null) {
      throw missing()
    }
    this.use(provider.streamSecurity)
  }

  /**
   * Registers every protocol id; `handler` gets each inbound stream's duplex once its
   * handshake (if any) is done. A failed handshake or a refused plain stream is counted and
   * the stream aborted; `handler` never sees it.
   */
  async handle (registrar: Registrar, handler: (stream: MessageStream, connection: Connection) => void | Promise<void>, options: StreamHandlerOptions): Promise<void> {
    for (const protocol of this.protocols) {
      await registrar.handle(protocol, (stream, connection) => {
        this.accept(stream, connection).then(
          async duplex => { await handler(duplex, connection) },
          () => {}
        ).catch(() => {})
      }, options)
    }
  }

  async unhandle (registrar: Registrar): Promise<void> {
    for (const protocol of this.protocols) {
      await registrar.unhandle(protocol)
    }
  }

  /** The provider, once the service has found it (at start); required unless the mode is `off` */
  use (security: StreamSecurity | undefined): void {
    this.security = this.mode === 'off' ? undefined : security
  }

  /** Every protocol id the service handles: the secured variants (when the mode and provider give them), then the plain one */
  get protocols (): string[] {
    return [...(this.security?.protocolSuffixes ?? []).map(suffix => this.protocol + suffix), this.protocol]
  }

  /** What to offer on `connection`, in order of preference */
  async offers (connection: Connection, options?: AbortOptions): Promise<string[]> {
    if (this.security == null || !this.security.needed(connection)) {
      return [this.protocol]
    }
    const secured = (await this.security.offer(connection, options)).map(suffix => this.protocol + suffix)
    return this.mode === 'require' ? secured : [...secured, this.protocol]
  }

  /** Opens a stream on `connection` and secures it if the remote chose the secured variant */
  async open (connection: Connection, options?: AbortOptions): Promise<MessageStream> {
    const stream = await connection.newStream(await this.offers(connection, options), options)
    return this.secure(stream, connection, true, options)
  }

  /** The duplex of an inbound stream: secured if it is the secured variant; refused if plain where `require` needs it */
  async accept (stream: Stream, connection: Connection, options?: AbortOptions): Promise<MessageStream> {
    if (stream.protocol === this.protocol && this.mode === 'require' && this.security?.needed(connection) === true) {
      this.counters.refused++
      const err = new PlainStreamRefusedError(`${this.protocol} from ${connection.remotePeer.toString()} arrived outside the secure channel`)
      stream.abort(err)
      throw err
    }
    return this.secure(stream, connection, false, options)
  }

  private async secure (stream: Stream, connection: Connection, initiator: boolean, options?: AbortOptions): Promise<MessageStream> {
    const suffix = this.suffixOf(stream.protocol)
    if (this.security == null || suffix == null) {
      this.counters.plain++
      return stream
    }
    try {
      const secured = await this.security.secure(stream, connection, initiator, suffix, options)
      this.counters.secured++
      return secured
    } catch (err: any) {
      this.counters.failed++
      stream.abort(err)
      throw err
    }
  }

  /** The provider's suffix a negotiated protocol id carries, if it is one of our secured variants */
  private suffixOf (protocol: string | undefined): string | undefined {
    if (protocol == null || protocol === this.protocol || !protocol.startsWith(this.protocol)) {
      return undefined
    }
    const suffix = protocol.slice(this.protocol.length)
    return this.security?.protocolSuffixes.includes(suffix) === true ? suffix : undefined
  }
}
