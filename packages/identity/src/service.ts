import { TypedEventEmitter, UnsupportedProtocolError, serviceCapabilities } from '@libp2p/interface'
import { bytesEqual, LruTtlCache } from '@saorsa-gossip/core'
import { MalformedFrameError, isOversizeError, peerIdCodec, requestFrame, respondFrame } from '@saorsa-gossip/kit'
import { createBinding, verifyBinding } from './binding.ts'
import {
  DEFAULT_BINDING_CACHE_TTL_MS, DEFAULT_EXCHANGE_TIMEOUT_MS, DEFAULT_LOOKUP_MAX_INBOUND_STREAMS, DEFAULT_LOOKUP_MAX_OUTBOUND_STREAMS,
  DEFAULT_MAX_CACHED_BINDINGS, DEFAULT_MAX_CLOCK_SKEW_MS, DEFAULT_MAX_INBOUND_STREAMS, DEFAULT_MAX_OUTBOUND_STREAMS,
  LOOKUP_PROTOCOL, MAX_BINDING_FRAME_BYTES, MAX_LOOKUP_REQUEST_BYTES, MAX_PEER_ID_BYTES, PROTOCOL
} from './constants.ts'
import { InvalidBindingError, InvalidIdentityConfigError, LookupFailedError, NotStartedError, UnknownPeerKeyError } from './errors.ts'
import { PqIdentity } from './identity.ts'
import { loadIdentity, saveIdentity } from './keystore.ts'
import { selectBackend } from './ml-dsa/select.ts'
import { BindingLookup, BindingLookupReply, IdentityExchange } from './pb/identity.ts'
import { StatsCounter } from './stats.ts'
import type { VerifiedBinding } from './binding.ts'
import type { PqIdentityComponents, PqIdentityInit, PqIdentityService, PqIdentityServiceEvents, ResolveBindingOptions } from './index.ts'
import type { MlDsa65Backend } from './ml-dsa/backend.ts'
import type { BindingRecord } from './pb/identity.ts'
import type { IdentityStats } from './stats.ts'
import type { AbortOptions, Connection, Logger, PeerId, Startable, Stream } from '@libp2p/interface'
import type { PeerIdCodec } from '@saorsa-gossip/kit'

function positive (name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback
  if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) {
    throw new InvalidIdentityConfigError(`${name} must be a positive finite number, got ${String(value)}`)
  }
  return v
}

/**
 * Whatever a decoder throws, the bytes came from the remote: the frame is malformed. Only
 * the decode is wrapped, so nothing else (transport, verification) can be counted as one.
 */
function decodeFrame<T> (codec: { decode(bytes: Uint8Array): T }, bytes: Uint8Array): T {
  try {
    return codec.decode(bytes)
  } catch (err) {
    throw new MalformedFrameError('Undecodable identity frame', { cause: err })
  }
}

/** Errors that mean "the remote sent bytes we refuse", as opposed to transport trouble */
function isMalformedFrame (err: any): boolean {
  return isOversizeError(err) || err?.name === MalformedFrameError.name
}

/** Errors that mean "the remote sent a well-formed frame whose record does not verify" */
const INVALID_RECORD_ERRORS = new Set(['InvalidBindingError', 'BindingSignatureError', 'BindingPeerIdMismatchError', 'UnsupportedBindingVersionError', 'BindingFromTheFutureError'])

/**
 * Runs /saorsa-gossip/identity/1.0.0: on every outbound connection the dialer
 * sends its binding record and reads the listener's, each side verifies the
 * other's against the connection's remote PeerId, and verified bindings are
 * cached for the other services. Also answers and asks
 * /saorsa-gossip/identity-lookup/1.0.0 for peers it is not connected to.
 */
export class DefaultPqIdentityService extends TypedEventEmitter<PqIdentityServiceEvents> implements PqIdentityService, Startable {
  private readonly components: PqIdentityComponents
  private readonly init: PqIdentityInit
  private readonly log: Logger
  private readonly backend: MlDsa65Backend
  private readonly exchangeTimeout: number
  private readonly maxClockSkew: number
  private readonly cache: LruTtlCache<string, VerifiedBinding>
  private readonly inflight = new Map<string, Promise<VerifiedBinding>>()
  private readonly resolving = new Map<string, Promise<VerifiedBinding>>()
  private readonly counter: StatsCounter
  private readonly peers: PeerIdCodec = peerIdCodec()
  private readonly self: string
  private localIdentity?: PqIdentity
  private localBinding?: BindingRecord
  private started = false

  constructor (components: PqIdentityComponents, init: PqIdentityInit = {}) {
    super()
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('saorsa-gossip:identity')
    this.self = components.peerId.toString()
    this.backend = selectBackend(init.backend)
    this.exchangeTimeout = positive('exchangeTimeout', init.exchangeTimeout, DEFAULT_EXCHANGE_TIMEOUT_MS)
    this.maxClockSkew = positive('maxClockSkew', init.maxClockSkew, DEFAULT_MAX_CLOCK_SKEW_MS)
    this.cache = new LruTtlCache({
      maxEntries: positive('maxCachedBindings', init.maxCachedBindings, DEFAULT_MAX_CACHED_BINDINGS),
      ttl: positive('bindingCacheTtl', init.bindingCacheTtl, DEFAULT_BINDING_CACHE_TTL_MS)
    })
    if (init.identity != null && init.keystore != null) {
      throw new InvalidIdentityConfigError('Give either identity or keystore, not both')
    }
    this.counter = new StatsCounter(components.metrics)
    this.onConnectionOpen = this.onConnectionOpen.bind(this)
  }

  readonly [Symbol.toStringTag] = '@saorsa-gossip/identity'
  /** what other services (plumtree) may declare as a dependency */
  readonly [serviceCapabilities]: string[] = ['@saorsa-gossip/identity']

  isStarted (): boolean {
    return this.started
  }

  async start (): Promise<void> {
    if (this.started) {
      return
    }
    this.localIdentity = await this.loadLocalIdentity()
    this.localBinding = await createBinding(this.localIdentity, this.components.privateKey, Date.now(), this.init.secureChannels)
    await this.components.registrar.handle(PROTOCOL, (stream, connection) => this.handleInbound(stream, connection), {
      maxInboundStreams: this.init.maxInboundStreams ?? DEFAULT_MAX_INBOUND_STREAMS,
      maxOutboundStreams: this.init.maxOutboundStreams ?? DEFAULT_MAX_OUTBOUND_STREAMS,
      runOnLimitedConnection: this.init.runOnLimitedConnection ?? false
    })
    await this.components.registrar.handle(LOOKUP_PROTOCOL, (stream, connection) => this.handleLookup(stream, connection), {
      maxInboundStreams: DEFAULT_LOOKUP_MAX_INBOUND_STREAMS,
      maxOutboundStreams: DEFAULT_LOOKUP_MAX_OUTBOUND_STREAMS,
      runOnLimitedConnection: this.init.runOnLimitedConnection ?? false
    })
    if (this.init.exchangeOnConnect !== false) {
      this.components.events.addEventListener('connection:open', this.onConnectionOpen)
    }
    this.started = true
    this.log('started with %s ML-DSA-65 backend', this.backend.name)
  }

  async stop (): Promise<void> {
    this.components.events.removeEventListener('connection:open', this.onConnectionOpen)
    await this.components.registrar.unhandle(PROTOCOL)
    await this.components.registrar.unhandle(LOOKUP_PROTOCOL)
    this.inflight.clear()
    this.resolving.clear()
    this.started = false
  }

  get identity (): PqIdentity {
    if (this.localIdentity == null) {
      throw new NotStartedError()
    }
    return this.localIdentity
  }

  get binding (): BindingRecord {
    if (this.localBinding == null) {
      throw new NotStartedError()
    }
    return this.localBinding
  }

  get stats (): Readonly<IdentityStats> {
    return this.counter.values
  }

  async sign (data: Uint8Array): Promise<Uint8Array> {
    return this.identity.sign(data)
  }

  async verify (peer: PeerId, data: Uint8Array, signature: Uint8Array, options?: AbortOptions): Promise<boolean> {
    const publicKey = await this.getPublicKey(peer, options)
    this.counter.increment('verifications')
    const ok = this.backend.verify(publicKey, data, signature)
    if (!ok) {
      this.counter.increment('verificationFailures')
    }
    return ok
  }

  getCachedBinding (peer: PeerId | string): VerifiedBinding | undefined {
    // the cache is keyed by the PeerId string: callers holding one skip parsing it
    return this.cache.get(typeof peer === 'string' ? peer : peer.toString(), Date.now())
  }

  async getPublicKey (peer: PeerId, options?: AbortOptions): Promise<Uint8Array> {
    if (peer.equals(this.components.peerId)) {
      return this.identity.publicKey
    }
    const cached = this.getCachedBinding(peer)
    if (cached != null) {
      return cached.mlDsaPublicKey
    }
    return (await this.fetchBinding(peer, options)).mlDsaPublicKey
  }

  /**
   * Runs an exchange with `peer` over an existing connection (or a new one
   * through the connection manager) unless one is already under way.
   */
  async fetchBinding (peer: PeerId, options: AbortOptions = {}): Promise<VerifiedBinding> {
    if (!this.started) {
      throw new NotStartedError()
    }
    const key = peer.toString()
    let pending = this.inflight.get(key)
    if (pending == null) {
      pending = (async () => {
        const connection = this.components.connectionManager.getConnections(peer).find(c => c.status === 'open') ??
          await this.components.connectionManager.openConnection(peer, options)
        return this.exchange(connection, options)
      })().finally(() => this.inflight.delete(key))
      this.inflight.set(key, pending)
    }
    try {
      return await pending
    } catch (err: any) {
      throw new UnknownPeerKeyError(`No verified ML-DSA-65 key for ${key}: ${err.message}`, { cause: err })
    }
  }

  /**
   * A peer's binding from the cache, else from `via` (over an open connection
   * only), else by an exchange with the peer itself.
   */
  async resolveBinding (peer: PeerId, options: ResolveBindingOptions = {}): Promise<VerifiedBinding> {
    if (!this.started) {
      throw new NotStartedError()
    }
    if (peer.equals(this.components.peerId)) {
      return { peerId: peer, mlDsaPublicKey: this.identity.publicKey, createdAtMs: Number(this.binding.createdAtMs), record: this.binding }
    }
    const cached = this.getCachedBinding(peer)
    if (cached != null) {
      return cached
    }
    const { via } = options
    if (via == null || via.equals(peer) || via.equals(this.components.peerId)) {
      return this.fetchBinding(peer, options)
    }
    const key = peer.toString()
    let pending = this.resolving.get(key)
    if (pending == null) {
      pending = this.lookupThenFetch(peer, via, options).finally(() => this.resolving.delete(key))
      this.resolving.set(key, pending)
    }
    return pending
  }

  async acceptBinding (record: BindingRecord, expected: PeerId | string): Promise<VerifiedBinding> {
    const key = typeof expected === 'string' ? expected : expected.toString()
    const cached = this.getCachedBinding(key)
    if (cached != null && bytesEqual(cached.record.mlDsaSignature, record.mlDsaSignature)) {
      return cached
    }
    try {
      const verified = await verifyBinding(record, { now: Date.now(), maxClockSkewMs: this.maxClockSkew, backend: this.backend })
      if (verified.peerId.toString() !== key) {
        throw new InvalidBindingError(`Record is for ${verified.peerId.toString()}, expected ${key}`)
      }
      this.remember(verified)
      this.counter.increment('carriedOk')
      return verified
    } catch (err: any) {
      this.countBadInput(err)
      throw err
    }
  }

  private async lookupThenFetch (peer: PeerId, via: PeerId, options: AbortOptions): Promise<VerifiedBinding> {
    let lookupError: any
    try {
      const verified = await this.lookup(peer, via, options)
      this.counter.increment('lookupsOk')
      return verified
    } catch (err: any) {
      this.counter.increment('lookupsFailed')
      lookupError = err
      this.log.trace('lookup of %p via %p failed: %s', peer, via, err.message)
    }
    try {
      return await this.fetchBinding(peer, options)
    } catch (err: any) {
      throw new UnknownPeerKeyError(
        `No verified ML-DSA-65 key for ${peer.toString()}: lookup via ${via.toString()} failed (${lookupError?.message}); direct exchange failed (${err.message})`,
        // both attempts, in order, for callers that need more than the message
        { cause: new AggregateError([lookupError, err], 'lookup and direct exchange failed') }
      )
    }
  }

  /** Asks `via` for `peer`'s binding; never dials `via` */
  private async lookup (peer: PeerId, via: PeerId, options: AbortOptions): Promise<VerifiedBinding> {
    const connection = this.components.connectionManager.getConnections(via)
      .find(c => c.status === 'open' && (c.limits == null || this.init.runOnLimitedConnection === true))
    if (connection == null) {
      throw new LookupFailedError('no open connection to the relay')
    }
    const signal = AbortSignal.any([AbortSignal.timeout(this.exchangeTimeout), ...(options.signal != null ? [options.signal] : [])])
    const request = BindingLookup.encode({ peerId: this.peers.toBytes(peer.toString()) as Uint8Array<ArrayBuffer> })
    const stream = await connection.newStream(LOOKUP_PROTOCOL, { signal, runOnLimitedConnection: this.init.runOnLimitedConnection })
    try {
      const reply = await requestFrame(stream, request, {
        maxDataLength: MAX_BINDING_FRAME_BYTES,
        signal,
        onReply: (bytes) => decodeFrame(BindingLookupReply, bytes)
      })
      if (reply.binding == null) {
        throw new LookupFailedError('the relay does not know the peer')
      }
      // the expected peer is the one asked for, not the relay: the record certifies itself
      const verified = await verifyBinding(reply.binding, {
        expectedPeerId: peer,
        now: Date.now(),
        maxClockSkewMs: this.maxClockSkew,
        backend: this.backend
      })
      this.remember(verified)
      return verified
    } catch (err: any) {
      this.countBadInput(err)
      throw err
    }
  }

  /** Answers a lookup from the cache (or with our own record); never dials on the asker's behalf */
  private async handleLookup (stream: Stream, connection: Connection): Promise<void> {
    try {
      await respondFrame(stream, {
        maxDataLength: MAX_LOOKUP_REQUEST_BYTES,
        signal: AbortSignal.timeout(this.exchangeTimeout),
        onRequest: (bytes) => {
          const request = decodeFrame(BindingLookup, bytes)
          if (request.peerId.length === 0 || request.peerId.length > MAX_PEER_ID_BYTES) {
            throw new MalformedFrameError(`Lookup request PeerId of ${request.peerId.length} bytes`)
          }
          return BindingLookupReply.encode({ binding: this.knownRecord(request.peerId) })
        }
      })
      this.counter.increment('lookupsServed')
    } catch (err: any) {
      this.countBadInput(err)
      this.log.trace('lookup from %p failed: %s', connection.remotePeer, err.message)
    }
  }

  /** Our own record or a cached one; bytes that are no PeerId name no peer we know */
  private knownRecord (peerId: Uint8Array): BindingRecord | undefined {
    let peer: string
    try {
      peer = this.peers.fromBytes(peerId)
    } catch {
      return undefined
    }
    return peer === this.self ? this.binding : this.cache.get(peer, Date.now())?.record
  }

  private onConnectionOpen (evt: CustomEvent<Connection>): void {
    const connection = evt.detail
    if (connection.direction !== 'outbound' || (connection.limits != null && this.init.runOnLimitedConnection !== true)) {
      return
    }
    const key = connection.remotePeer.toString()
    if (this.inflight.has(key)) {
      return
    }
    const pending = this.exchange(connection).finally(() => this.inflight.delete(key))
    this.inflight.set(key, pending)
    pending.catch(err => {
      this.log.trace('binding exchange with %p failed: %s', connection.remotePeer, err.message)
    })
  }

  /** Dialer side: send ours, read theirs, verify, close */
  private async exchange (connection: Connection, options: AbortOptions = {}): Promise<VerifiedBinding> {
    const signal = AbortSignal.any([AbortSignal.timeout(this.exchangeTimeout), ...(options.signal != null ? [options.signal] : [])])
    try {
      const stream = await connection.newStream(PROTOCOL, { signal, runOnLimitedConnection: this.init.runOnLimitedConnection })
      return await requestFrame(stream, IdentityExchange.encode({ binding: this.binding }), {
        maxDataLength: MAX_BINDING_FRAME_BYTES,
        signal,
        onReply: async (bytes) => this.accept(decodeFrame(IdentityExchange, bytes), connection.remotePeer)
      })
    } catch (err: any) {
      this.countFailure(err)
      throw err
    }
  }

  /** Listener side: read theirs, verify, send ours, close. Any failure resets the stream. */
  private async handleInbound (stream: Stream, connection: Connection): Promise<void> {
    try {
      await respondFrame(stream, {
        maxDataLength: MAX_BINDING_FRAME_BYTES,
        signal: AbortSignal.timeout(this.exchangeTimeout),
        onRequest: async (bytes) => {
          await this.accept(decodeFrame(IdentityExchange, bytes), connection.remotePeer)
          return IdentityExchange.encode({ binding: this.binding })
        }
      })
    } catch (err: any) {
      this.countFailure(err)
      this.log.trace('inbound binding exchange with %p failed: %s', connection.remotePeer, err.message)
    }
  }

  private async accept (message: IdentityExchange, remotePeer: PeerId): Promise<VerifiedBinding> {
    if (message.binding == null) {
      throw new InvalidBindingError('Identity exchange carried no binding record')
    }
    const verified = await verifyBinding(message.binding, {
      expectedPeerId: remotePeer,
      now: Date.now(),
      maxClockSkewMs: this.maxClockSkew,
      backend: this.backend
    })
    this.remember(verified)
    this.counter.increment('exchangesOk')
    return verified
  }

  private remember (verified: VerifiedBinding): void {
    this.cache.set(verified.peerId.toString(), verified, Date.now())
    this.dispatchEvent(new CustomEvent('binding', { detail: verified }))
  }

  /** Lookups count only bad input here; their other failures are lookupsFailed, not exchangesFailed */
  private countBadInput (err: any): void {
    if (INVALID_RECORD_ERRORS.has(err?.name)) {
      this.counter.increment('invalidRecords')
    } else if (isMalformedFrame(err)) {
      this.counter.increment('malformedFrames')
    }
  }

  private countFailure (err: any): void {
    if (err instanceof UnsupportedProtocolError || err?.name === 'UnsupportedProtocolError') {
      this.counter.increment('unsupportedPeers')
    } else if (INVALID_RECORD_ERRORS.has(err?.name)) {
      this.counter.increment('invalidRecords')
    } else if (isMalformedFrame(err)) {
      this.counter.increment('malformedFrames')
    } else {
      this.counter.increment('exchangesFailed')
    }
  }

  private async loadLocalIdentity (): Promise<PqIdentity> {
    if (this.init.identity != null) {
      return this.init.identity
    }
    const keystore = this.init.keystore
    if (keystore == null) {
      return PqIdentity.generate({ backend: this.backend })
    }
    try {
      return await loadIdentity(keystore.path, keystore.passphrase, { backend: this.backend })
    } catch (err: any) {
      if (err?.code !== 'ENOENT' || keystore.create === false) {
        throw err
      }
      const identity = PqIdentity.generate({ backend: this.backend })
      await saveIdentity(keystore.path, identity, keystore.passphrase, { scrypt: keystore.scrypt })
      this.log('created a new ML-DSA-65 identity in %s', keystore.path)
      return identity
    }
  }
}
