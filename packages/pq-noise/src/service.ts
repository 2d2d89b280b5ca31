import { TypedEventEmitter } from '@libp2p/interface'
import { CHANNEL_PROTOCOL, DEFAULT_HANDSHAKE_TIMEOUT_MS, PQ_PIN_METADATA_KEY, RESUME_PROTOCOL_SUFFIX, STREAM_PROTOCOL_SUFFIX } from './constants.ts'
import { PqNoise } from './encrypter.ts'
import { ChannelError, DowngradeError } from './errors.ts'
import { monitorFor } from './monitor.ts'
import { ConnectionSecrets, resumeChannel } from './resumption.ts'
import type { PqNoiseComponents, PqSecuredConnection } from './encrypter.ts'
import type { PqNoiseServiceInit, SecureChannel, PqNoiseService, PqNoiseServiceEvents, StreamSecurity } from './index.ts'
import type { DowngradeEventDetail, PqNoiseMonitor, PqNoiseEvents, PqNoiseStats } from './monitor.ts'
import type { AbortOptions, Connection, Libp2pEvents, Logger, MessageStream, PeerId, Startable, Stream, TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { BindingRecord, VerifiedBinding } from '@saorsa-gossip/identity'

export interface PqNoiseServiceComponents extends PqNoiseComponents {
  registrar: Registrar
  connectionManager: ConnectionManager
  events: TypedEventTarget<Libp2pEvents>
}

/** The part of pqIdentity() this service uses */
interface BindingSink {
  acceptBinding(record: BindingRecord, expected: PeerId): Promise<unknown>
  /** pqIdentity() announces every binding it verified (exchange, lookup or handshake) */
  addEventListener?(type: 'binding', listener: (evt: CustomEvent<VerifiedBinding>) => void): void
  removeEventListener?(type: 'binding', listener: (evt: CustomEvent<VerifiedBinding>) => void): void
}

/** Transports whose security is not a libp2p connection encrypter: no negotiation to strip */
const OWN_SECURITY = ['quic', 'quic-v1', 'webtransport', 'webrtc', 'webrtc-direct']

function hasEncrypterSlot (connection: Connection): boolean {
  return !connection.remoteAddr.getComponents().some(c => OWN_SECURITY.includes(c.name))
}

/**
 * Downgrade detection and the stream-level channel (SPEC.md §10.5, §10.6).
 * Forwards the node monitor's events, so applications listen in one place.
 */
export class DefaultPqNoiseService extends TypedEventEmitter<PqNoiseServiceEvents> implements PqNoiseService, Startable {
  private readonly components: PqNoiseServiceComponents
  private readonly init: PqNoiseServiceInit
  private readonly monitor: PqNoiseMonitor
  private readonly channel: PqNoise
  /** the handshake of services' streams: no binding record (pqIdentity()'s exchange has carried it), 2.9 KB instead of 13.8 KB */
  private readonly streamChannel: PqNoise
  private readonly log: Logger
  private readonly protocol: string
  private readonly channelProtocol: string
  private readonly forward: Array<[keyof PqNoiseEvents, (evt: any) => void]> = []
  private readonly flagged = new WeakSet<Connection>()
  /** per connection, the secrets of its full stream handshakes, for resumed ones */
  private readonly secrets = new ConnectionSecrets()
  private sink?: BindingSink

  constructor (components: PqNoiseServiceComponents, init: PqNoiseServiceInit = {}) {
    super()
    this.components = components
    this.init = init
    this.monitor = monitorFor(components.peerId)
    this.monitor.attachMetrics(components.metrics)
    this.channel = new PqNoise(components, init)
    this.streamChannel = new PqNoise(components, { ...init, identity: undefined, binding: undefined, requireBinding: false })
    this.protocol = this.channel.protocol
    this.channelProtocol = init.channelProtocol ?? CHANNEL_PROTOCOL
    this.log = components.logger.forComponent('saorsa-gossip:pq-noise:service')
  }

  readonly [Symbol.toStringTag] = '@saorsa-gossip/pq-noise-service'

  get stats (): Readonly<PqNoiseStats> {
    return this.monitor.stats
  }

  async start (): Promise<void> {
    for (const type of ['handshake', 'handshake:failed', 'binding', 'downgrade'] as const) {
      const listener = (evt: CustomEvent): void => { this.safeDispatchEvent(type, { detail: evt.detail }) }
      this.monitor.addEventListener(type, listener)
      this.forward.push([type, listener])
    }
    this.components.events.addEventListener('connection:open', this.onConnectionOpen)
    this.components.events.addEventListener('connection:close', this.onConnectionClose)
    const sink = this.identitySink()
    if (sink != null) {
      const feed = (evt: CustomEvent<VerifiedBinding>): void => {
        sink.acceptBinding(evt.detail.record, evt.detail.peerId)
          .catch((err: any) => { this.log.error('pqIdentity refused a handshake binding: %e', err) })
      }
      this.monitor.addEventListener('binding', feed)
      this.forward.push(['binding', feed])
      sink.addEventListener?.('binding', this.onIdentityBinding)
      this.sink = sink
    }
    await this.components.registrar.handle(this.channelProtocol, (stream, connection) => this.acceptChannel(stream, connection), {
      maxInboundStreams: this.init.maxInboundChannels ?? 32,
      maxOutboundStreams: this.init.maxOutboundChannels ?? 32
    })
  }

  async stop (): Promise<void> {
    this.components.events.removeEventListener('connection:open', this.onConnectionOpen)
    this.components.events.removeEventListener('connection:close', this.onConnectionClose)
    this.sink?.removeEventListener?.('binding', this.onIdentityBinding)
    this.sink = undefined
    for (const [type, listener] of this.forward.splice(0)) {
      this.monitor.removeEventListener(type, listener)
    }
    await this.components.registrar.unhandle(this.channelProtocol)
  }

  /** The pqIdentity() service to hand verified bindings to, if configured and present */
  private identitySink (): BindingSink | undefined {
    const key = this.init.identityService ?? 'pqIdentity'
    if (key === false) {
      return undefined
    }
    try {
      const service = (this.components as unknown as Record<string, unknown>)[key] as Partial<BindingSink> | undefined
      return typeof service?.acceptBinding === 'function' ? service as BindingSink : undefined
    } catch {
      return undefined
    }
  }

  /** True when a verified binding of `peer` arrived over PQ Noise before (this run, or pinned in the peer store) */
  async isPqCapable (peer: PeerId): Promise<boolean> {
    if (this.monitor.pins.has(peer.toString())) {
      return true
    }
    try {
      const stored = await this.components.peerStore.get(peer)
      return stored.metadata.has(PQ_PIN_METADATA_KEY)
    } catch {
      return false
    }
  }

  private readonly onConnectionClose = (evt: CustomEvent<Connection>): void => {
    this.secrets.drop(evt.detail)
  }

  private readonly onConnectionOpen = (evt: CustomEvent<Connection>): void => {
    const connection = evt.detail
    const encryption = connection.encryption
    if (encryption == null || encryption === this.protocol || !hasEncrypterSlot(connection)) {
      return
    }
    this.isPqCapable(connection.remotePeer).then(capable => {
      if (capable) {
        this.downgraded(connection, encryption, 'pinned')
      }
    }).catch((err: any) => { this.log.error('downgrade check failed: %e', err) })
  }

  /**
   * A binding pqIdentity() verified (its exchange runs inside the connection's encryption, so
   * a relay that stripped the PQ offer cannot alter it): if it advertises our PQ protocol,
   * every classic connection to that peer was downgraded — on first contact too
   */
  private readonly onIdentityBinding = (evt: CustomEvent<VerifiedBinding>): void => {
    const { peerId, record } = evt.detail
    if (record.secureChannels?.includes(this.protocol) !== true) {
      return
    }
    for (const connection of this.components.connectionManager.getConnections(peerId)) {
      const encryption = connection.encryption
      if (encryption != null && encryption !== this.protocol && hasEncrypterSlot(connection)) {
        this.downgraded(connection, encryption, 'advertised')
      }
    }
  }

  /** Counts and reports a downgrade once per connection; closes it under `requirePq` */
  private downgraded (connection: Connection, encryption: string, reason: DowngradeEventDetail['reason']): void {
    if (this.flagged.has(connection)) {
      return
    }
    this.flagged.add(connection)
    // multistream-select is not authenticated: a PQ-capable peer arriving over
    // classic Noise means someone stripped the PQ offer (or the peer turned it off)
    const closed = this.init.requirePq === true
    this.monitor.increment('downgrades')
    if (closed) {
      this.monitor.increment('downgradesClosed')
      connection.abort(new DowngradeError(`${connection.remotePeer.toString()} is PQ-capable but connected over ${encryption}`))
    }
    this.log('downgrade (%s): %p over %s%s', reason, connection.remotePeer, encryption, closed ? ', closed' : '')
    this.monitor.safeDispatchEvent('downgrade', { detail: { remotePeer: connection.remotePeer, encryption, reason, closed } })
  }

  private toChannel (secured: PqSecuredConnection, stream: Stream, connection: Connection): SecureChannel {
    return {
      stream: secured.connection,
      remotePeer: secured.remotePeer,
      binding: secured.binding,
      handshakeHash: secured.handshakeHash,
      connection,
      rawStream: stream
    }
  }

  /**
   * For services that run their own streams inside the channel (`secureStreams` of
   * membership(), plumtree(), groups(); SPEC.md §2.9, §10.6): a stream needs it unless its
   * connection is PQ Noise already
   */
  readonly streamSecurity: StreamSecurity = {
    protocolSuffixes: [RESUME_PROTOCOL_SUFFIX, STREAM_PROTOCOL_SUFFIX],
    needed: (connection) => connection.encryption !== this.protocol,
    offer: async (connection, options) => {
      // the first streams of a connection open together: one full handshake, the rest resume
      await this.secrets.settled(connection, options)
      return this.secrets.latest(connection) == null ? [STREAM_PROTOCOL_SUFFIX] : [RESUME_PROTOCOL_SUFFIX, STREAM_PROTOCOL_SUFFIX]
    },
    secure: async (stream, connection, initiator, suffix, options = {}) => {
      try {
        const secured = suffix === RESUME_PROTOCOL_SUFFIX
          ? await this.resumeStream(stream, connection, initiator, options)
          : await this.fullStream(stream, connection, initiator, options)
        this.monitor.increment(initiator ? 'channelsOpened' : 'channelsAccepted')
        return secured
      } catch (err: any) {
        this.monitor.increment('channelsFailed')
        throw err
      }
    }
  }

  /** XXhfs inside the stream, no binding record; its connection secret is kept for the connection's other streams */
  private async fullStream (stream: Stream, connection: Connection, initiator: boolean, options: AbortOptions): Promise<MessageStream> {
    const handshake = this.streamChannel.secure(stream, initiator, { remotePeer: connection.remotePeer, skipStreamMuxerNegotiation: true, signal: options.signal, resumable: true })
    this.secrets.track(connection, handshake)
    const secured = await handshake
    if (secured.secret != null && connection.status === 'open') {
      this.secrets.add(connection, secured.secret)
    }
    return secured.connection
  }

  /** `Noise_NNpsk0` from the connection's secret (SPEC.md §10.6) */
  private async resumeStream (stream: Stream, connection: Connection, initiator: boolean, options: AbortOptions): Promise<MessageStream> {
    const secret = initiator ? this.secrets.latest(connection) : undefined
    try {
      const secured = await resumeChannel(stream, initiator, {
        crypto: this.streamChannel.crypto,
        timeoutMs: this.init.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
        signal: options.signal,
        secret,
        lookup: async (id) => {
          if (this.secrets.get(connection, id) == null) {
            // the initiator may have finished the full handshake before we read its last message
            await this.secrets.settled(connection, options)
          }
          return this.secrets.get(connection, id)
        },
        counters: { onDecryptError: () => { this.monitor.increment('decryptErrors') } }
      })
      this.monitor.increment('channelsResumed')
      return secured
    } catch (err: any) {
      if (secret != null) {
        this.secrets.forget(connection, secret)
      }
      this.monitor.fail(err, initiator)
      throw err
    }
  }

  async openSecureChannel (peer: PeerId, options: AbortOptions = {}): Promise<SecureChannel> {
    let stream: Stream | undefined
    try {
      const connection = await this.components.connectionManager.openConnection(peer, options)
      stream = await connection.newStream(this.channelProtocol, options)
      const secured = await this.channel.secure(stream, true, { remotePeer: peer, skipStreamMuxerNegotiation: true, signal: options.signal })
      this.monitor.increment('channelsOpened')
      return this.toChannel(secured, stream, connection)
    } catch (err: any) {
      this.monitor.increment('channelsFailed')
      stream?.abort(err)
      throw err.code?.startsWith('ERR_PQ_NOISE') === true ? err : new ChannelError(`Could not open a PQ channel to ${peer.toString()}: ${err.message}`, { cause: err })
    }
  }

  private async acceptChannel (stream: Stream, connection: Connection): Promise<void> {
    try {
      const secured = await this.channel.secure(stream, false, { remotePeer: connection.remotePeer, skipStreamMuxerNegotiation: true })
      this.monitor.increment('channelsAccepted')
      this.safeDispatchEvent('channel', { detail: this.toChannel(secured, stream, connection) })
    } catch (err: any) {
      this.monitor.increment('channelsFailed')
      stream.abort(err)
    }
  }
}
