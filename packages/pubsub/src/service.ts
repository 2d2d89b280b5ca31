import { TypedEventEmitter, serviceCapabilities, serviceDependencies } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { createRng } from '@saorsa-gossip/core'
import { AddressBook, EffectRunner, IdleConnections, OutboundStreams, SecureStreams, readFrames, siblingService } from '@saorsa-gossip/kit'
import { CarriedBindings } from './carried-bindings.ts'
import { RPC_LIMITS, decodeFrame, encodeRpc } from './codec.ts'
import { FRAME_OVERHEAD_BYTES, MAX_INBOUND_STREAMS, MAX_OUTBOUND_STREAMS, PROTOCOL } from './constants.ts'
import { DEFAULT_PUBSUB_CONFIG } from './core/config.ts'
import { PubsubCore } from './core/pubsub.ts'
import { DecodedOrigins } from './decoded-origins.ts'
import { DuplicatePublishError, InvalidSignatureError, InvalidTopicError, MessageTooLargeError, NoPeersSubscribedToTopicError, NotStartedError, PlumtreeConfigError } from './errors.ts'
import { gossipsubMessage, graylisted, subscriptionChange, toMessage } from './gossipsub-events.ts'
import { encodeLibp2pOrigin, libp2pSigningBytes, verifyLibp2pOrigin } from './libp2p-origin.ts'
import { NeighbourSources, TopicLinkCounts } from './neighbour-sources.ts'
import { OriginGate } from './origin-gate.ts'
import { signOrigin } from './origin.ts'
import { libp2pPubsubCodec } from './peer-codec.ts'
import { PlumtreeStats } from './stats.ts'
import { ValidationQueue } from './validation-queue.ts'
import type { ForwardResult, Message, PlumtreeComponents, PlumtreeInit, PlumtreeService, PlumtreeServiceEvents, PublishOpts, PublishResult, TopicValidatorFn, TopicValidatorResult } from './api.ts'
import type { PubsubPeerCodec } from './codec.ts'
import type { PubsubMessage } from './core/messages.ts'
import type { PubsubEffect, PubsubEvent, PubsubInput, PubsubTimer } from './core/types.ts'
import type { NeighbourSource } from './neighbour-sources.ts'
import type { Connection, Logger, MessageStream, PeerId, Startable } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { PqIdentityService } from '@saorsa-gossip/identity'
import type { OutboundCounters, SecureStreamsCounters } from '@saorsa-gossip/kit'
import type { MembershipService } from '@saorsa-gossip/membership'

const utf8 = new TextEncoder()
/** how this service names itself to the shared IdleConnections */
const SERVICE_NAME = 'plumtree'

/**
 * The libp2p wiring of the pubsub core, behind gossipsub 17's API: start and stop, the
 * registrar and the streams, connection and membership events turned into core inputs,
 * and the core's effects run. Protocol decisions are the core's (SPEC.md §7); the origin
 * gate (origin-gate.ts), the application's validation (validation-queue.ts) and the
 * gossipsub shapes of what the application receives (gossipsub-events.ts) have their own
 * files (SPEC.md §7.12).
 */
export class DefaultPlumtreeService extends TypedEventEmitter<PlumtreeServiceEvents> implements PlumtreeService, Startable {
  readonly [Symbol.toStringTag] = '@saorsa-gossip/plumtree'
  readonly [serviceCapabilities]: string[] = ['@libp2p/pubsub', '@saorsa-gossip/plumtree']
  readonly [serviceDependencies]: string[] = ['@saorsa-gossip/membership', '@saorsa-gossip/identity']
  readonly protocols = [PROTOCOL]
  readonly globalSignaturePolicy = 'StrictSign' as const
  readonly topicValidators = new Map<string, TopicValidatorFn>()
  readonly stats: PlumtreeStats
  private readonly components: PlumtreeComponents
  private readonly init: PlumtreeInit
  private readonly log: Logger
  private readonly codec: PubsubPeerCodec<string>
  private readonly addresses: AddressBook
  private readonly self: string
  private readonly selfBytes: Uint8Array
  private readonly maxMessageSize: number
  private readonly frameLimit: number
  private readonly effects: EffectRunner<string, PubsubMessage<string>, PubsubTimer, PubsubEvent<string>>
  private readonly outbound: OutboundStreams
  /** plain or inside the PQ channel (`secureStreams`) */
  private readonly streams: SecureStreams
  private readonly inbound = new Map<string, number>()
  private readonly seqnos = new Map<string, bigint>()
  private readonly bindings = new CarriedBindings(origin => origin === this.self ? this.identity?.binding : this.gate.recordOf(origin))
  private readonly origins: DecodedOrigins
  /** `acceptForwarded`, resolved once: it is read for every bridged frame */
  private readonly forwardedTopics: true | Set<string>
  /** the Message objects handed out for bridged messages (SPEC.md §7.14), for isForwarded() */
  private readonly forwarded = new WeakSet<Message>()
  private readonly gate: OriginGate
  private readonly validation: ValidationQueue
  private core?: PubsubCore<string>
  private membership?: MembershipService
  private identity?: PqIdentityService
  /** why each overlay neighbour is one: membership's active view, a plumtree connection, or both */
  private readonly neighborSources = new NeighbourSources()
  private topologyId?: string
  /** closes the connections we dialled once unused; holds the peers we have topic links with */
  private readonly idleConnections?: IdleConnections
  /** topic links per peer, across topics (a peer with any is held) */
  private readonly topicLinks = new TopicLinkCounts()

  constructor (components: PlumtreeComponents, init: PlumtreeInit = {}) {
    super()
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('saorsa-gossip:plumtree')
    this.self = components.peerId.toString()
    this.selfBytes = components.peerId.toMultihash().bytes
    this.addresses = new AddressBook({ peerStore: components.peerStore, addressManager: components.addressManager, self: this.self })
    this.codec = libp2pPubsubCodec(peer => this.addresses.of(peer))
    this.maxMessageSize = positiveInt('maxMessageSize', init.maxMessageSize, 1024 * 1024)
    const accept: unknown = init.acceptForwarded ?? false
    if (typeof accept !== 'boolean' && !(Array.isArray(accept) && accept.every(t => typeof t === 'string'))) {
      throw new PlumtreeConfigError('plumtree({ acceptForwarded }) must be a boolean or a list of topic names')
    }
    this.forwardedTopics = accept === true ? true : new Set(accept === false ? [] : accept)
    this.frameLimit = Math.max(RPC_LIMITS.frameBytes, this.maxMessageSize + FRAME_OVERHEAD_BYTES)
    this.idleConnections = init.closeIdleConnections === false ? undefined : IdleConnections.of(components.connectionManager, { self: this.self })
    this.streams = new SecureStreams('plumtree', PROTOCOL, init.secureStreams)
    this.outbound = new OutboundStreams({
      connectionManager: components.connectionManager,
      events: components.events,
      self: this.self,
      secureStreams: this.streams,
      idleConnections: this.idleConnections,
      peerStore: components.peerStore,
      protocol: PROTOCOL,
      maxDataLength: this.frameLimit,
      dialTimeout: init.dialTimeout ?? 10_000,
      writeTimeout: init.writeTimeout ?? 10_000,
      maxQueuedBytes: positiveInt('maxQueuedBytesPerPeer', init.maxQueuedBytesPerPeer, 16 * 1024 * 1024),
      // how late our own transport takes frames: graft and IHAVE timers follow it (SPEC.md §7.13)
      onSent: (_peer, ms) => { this.core?.observeSendDelay(ms) },
      // GRAFT and anti-entropy repair what a lost frame carried
      onWriteError: (peer, err) => {
        this.stats.drop('send-failed')
        this.log.trace('send to %s failed: %s', peer, err.message)
        this.input({ type: 'unreachable', peer })
      }
    })
    this.stats = new PlumtreeStats(components.metrics, () => this.core?.stats, () => this.scores())
    this.origins = new DecodedOrigins(bytes => this.codec.fromBytes(bytes))
    this.gate = new OriginGate({
      self: this.self,
      identity: () => this.identity,
      stats: this.stats,
      log: this.log,
      lookupTimeout: init.dialTimeout ?? 10_000,
      unknownOriginBackoff: positiveInt('unknownOriginBackoff', init.unknownOriginBackoff, 5_000),
      pass: (from, message) => { this.input({ type: 'message', from, message }) },
      badBinding: (peer) => { this.input({ type: 'bad-frame', peer }) },
      needsOriginCheck: (from, message) => this.core?.needsOriginCheck(from, message, Date.now()) === true,
      acceptsForwarded: (topic) => this.acceptsForwarded(topic)
    })
    this.validation = new ValidationQueue({
      topicValidators: this.topicValidators,
      asyncValidation: init.asyncValidation === true,
      reportTimeout: init.config?.validationTimeout ?? DEFAULT_PUBSUB_CONFIG.validationTimeout,
      toMessage: (pending) => this.toMessage(pending.topic, pending.message.payload, pending.message.header),
      settle: (topic, id, result) => { this.input({ type: 'validation-result', topic, id, result }) },
      deliverEarly: (msgId, from, msg) => {
        this.safeDispatchEvent('gossipsub:message', { detail: gossipsubMessage(msgId, from, msg) })
        this.safeDispatchEvent('message', { detail: msg })
      },
      onValidatorError: () => { this.stats.drop('validator-error') }
    })
    this.effects = new EffectRunner(
      { send: (to, message) => { this.send(to, message) }, emit: (event) => { this.onEvent(event) } },
      (key, timer) => { this.input({ type: 'timer-expired', key, timer }) }
    )
    this.onConnectionClose = this.onConnectionClose.bind(this)
    this.onIdentify = this.onIdentify.bind(this)
    this.onNeighborUp = this.onNeighborUp.bind(this)
    this.onNeighborDown = this.onNeighborDown.bind(this)
    this.onPeerDead = this.onPeerDead.bind(this)
    this.onPeerHeard = this.onPeerHeard.bind(this)
  }

  /**
   * gossipsub's `reportMessageValidationResult`, for `asyncValidation: true`: the application's
   * verdict on a message it got through `gossipsub:message`. Accept relays it; Reject drops it
   * and penalises the peer it came from; Ignore drops it. False when the message is unknown or
   * waited longer than `config.validationTimeout`.
   */
  reportMessageValidationResult (msgId: string, propagationSource: PeerId | string, acceptance: TopicValidatorResult | `${TopicValidatorResult}`): boolean {
    void propagationSource // the core remembers who sent it: one source of truth
    return this.validation.report(msgId, acceptance)
  }

  get secureStreamsStats (): Readonly<SecureStreamsCounters> {
    return this.streams.counters
  }

  get outboundStats (): Readonly<OutboundCounters> {
    return this.outbound.counters
  }

  isStarted (): boolean {
    return this.core != null
  }

  async start (): Promise<void> {
    if (this.core != null) {
      return
    }
    this.membership = this.service<MembershipService>(this.init.membershipService ?? 'membership', 'membership()')
    this.identity = this.service<PqIdentityService>(this.init.identityService ?? 'pqIdentity', 'pqIdentity()')
    const core = new PubsubCore(this.self, createRng(this.init.seed ?? `${this.self}/${Date.now()}`), {
      config: { ...this.init.config, maxMessageSize: this.maxMessageSize },
      score: this.init.score,
      verify: (message) => this.gate.verify(message, this.origins.of(message.header)),
      deferValidation: (topic) => this.validation.needed(topic)
    })
    this.streams.resolve(this.components, this.init.pqNoiseService ?? 'pqNoise')
    await this.streams.handle(this.components.registrar, async (stream, connection) => { await this.readInbound(stream, connection) }, {
      maxInboundStreams: MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS
    })
    this.core = core
    this.idleConnections?.register(SERVICE_NAME, this.streams.protocols)
    this.components.events.addEventListener('connection:close', this.onConnectionClose)
    this.components.events.addEventListener('peer:identify', this.onIdentify)
    this.membership.addEventListener('neighbor-up', this.onNeighborUp)
    this.membership.addEventListener('neighbor-down', this.onNeighborDown)
    this.membership.addEventListener('peer-dead', this.onPeerDead)
    this.membership.addEventListener('peer-heard', this.onPeerHeard)
    this.apply(core.start(Date.now()))
    if (this.init.connectedPeersAsNeighbors !== false) {
      // identify reports the protocol: the peer is an overlay neighbour while a connection lasts
      this.topologyId = await this.components.registrar.register(PROTOCOL, {
        onConnect: (peer) => { this.neighborSource(peer.toString(), 'connection', true) },
        onDisconnect: (peer) => { this.neighborSource(peer.toString(), 'connection', false) }
      })
    }
  }

  /** Membership may have neighbours before we listened (services start together) */
  afterStart (): void {
    for (const peer of this.membership?.activeView() ?? []) {
      this.neighborSource(peer.toString(), 'membership', true)
    }
  }

  async stop (): Promise<void> {
    if (this.core == null) {
      return
    }
    this.core = undefined
    this.effects.clear()
    this.gate.clear()
    this.validation.clear()
    this.components.events.removeEventListener('connection:close', this.onConnectionClose)
    this.components.events.removeEventListener('peer:identify', this.onIdentify)
    this.membership?.removeEventListener('neighbor-up', this.onNeighborUp)
    this.membership?.removeEventListener('neighbor-down', this.onNeighborDown)
    this.membership?.removeEventListener('peer-dead', this.onPeerDead)
    this.membership?.removeEventListener('peer-heard', this.onPeerHeard)
    if (this.topologyId != null) {
      this.components.registrar.unregister(this.topologyId)
      this.topologyId = undefined
    }
    this.neighborSources.clear()
    this.idleConnections?.unregister(SERVICE_NAME)
    this.topicLinks.clear()
    await this.streams.unhandle(this.components.registrar)
    this.inbound.clear()
    await this.outbound.abortAll('plumtree stopped')
  }

  // --- gossipsub API -------------------------------------------------------------

  getPeers (): PeerId[] {
    return [...this.peerKeys()].map(p => peerIdFromString(p))
  }

  getTopics (): string[] {
    return this.core?.subscriptions() ?? []
  }

  getSubscribers (topic: string): PeerId[] {
    return (this.core?.knownSubscribers(topic) ?? []).map(p => peerIdFromString(p))
  }

  getMeshPeers (topic: string): string[] {
    return this.core?.topicPeers(topic) ?? []
  }

  getScore (peerId: string): number {
    return this.core?.peerScore(peerId, Date.now()) ?? 0
  }

  subscribe (topic: string): void {
    this.input({ type: 'subscribe', topic: this.checkTopic(topic, 'subscribe') })
  }

  unsubscribe (topic: string): void {
    this.input({ type: 'unsubscribe', topic: this.checkTopic(topic, 'unsubscribe') })
  }

  async publish (topic: string, data: Uint8Array = new Uint8Array(0), opts: PublishOpts = {}): Promise<PublishResult> {
    const core = this.started('publish')
    this.checkTopic(topic, 'publish')
    if (data.length > this.maxMessageSize) {
      throw new MessageTooLargeError(data.length, this.maxMessageSize)
    }
    const subscribed = core.isSubscribed(topic)
    const toSelf = this.init.emitSelf === true && subscribed
    const allowZero = opts.allowPublishToZeroTopicPeers ?? this.init.allowPublishToZeroTopicPeers ?? false
    if (core.reachable(topic).length === 0 && !allowZero && !toSelf) {
      throw new NoPeersSubscribedToTopicError(topic, subscribed)
    }
    const publishedAt = Date.now()
    const seqno = this.nextSeqno(topic, publishedAt)
    const identity = this.identity as PqIdentityService
    const { id, header } = signOrigin({ topic, from: this.selfBytes, seqno, publishedAt, payload: data }, bytes => identity.identity.sign(bytes))
    const { effects, outcome } = core.publish({ type: 'publish', topic, id, payload: data, publishedAt, header }, publishedAt)
    this.apply(effects)
    if (outcome.status !== 'published') {
      // 'oversize' cannot happen: the size was checked above against the same limit
      if (opts.ignoreDuplicatePublishError ?? this.init.ignoreDuplicatePublishError ?? false) {
        return { recipients: [] }
      }
      throw new DuplicatePublishError(topic)
    }
    const recipients = toSelf ? [...outcome.recipients, this.self] : outcome.recipients
    return { recipients: recipients.map(p => peerIdFromString(p)) }
  }

  async forwardSigned (message: Message): Promise<ForwardResult> {
    const core = this.started('forwardSigned')
    const topic = this.checkTopic(message.topic, 'forwardSigned')
    if (message.type !== 'signed') {
      throw new InvalidSignatureError('an unsigned message has no author to check: it cannot be forwarded')
    }
    if (!this.acceptsForwarded(topic)) {
      throw new PlumtreeConfigError(`plumtree({ acceptForwarded }) does not cover "${topic}": this node would refuse the other bridges' copies, and its peers may refuse this one`)
    }
    if (message.data.length > this.maxMessageSize) {
      throw new MessageTooLargeError(message.data.length, this.maxMessageSize)
    }
    let encoded: ReturnType<typeof encodeLibp2pOrigin>
    try {
      encoded = encodeLibp2pOrigin(message)
    } catch (err: any) {
      throw new InvalidSignatureError(`the message cannot be carried: ${err.message}`, { cause: err })
    }
    const { id, header, from, origin } = encoded
    // checked here too: a bridge must not inject what every receiver will refuse and score it for
    if (!await verifyLibp2pOrigin(from, origin, message.signature, libp2pSigningBytes(topic, from, origin.seqno, message.data))) {
      throw new InvalidSignatureError()
    }
    if (this.core !== core) {
      throw new NotStartedError('forwardSigned')
    }
    this.gate.verifiedLocally(header)
    const now = Date.now()
    const { effects, outcome } = core.publish({ type: 'publish', topic, id, payload: message.data, publishedAt: now, header }, now)
    this.apply(effects)
    if (outcome.status !== 'published') {
      return { recipients: [], duplicate: true }
    }
    return { recipients: outcome.recipients.map(p => peerIdFromString(p)), duplicate: false }
  }

  // --- membership and connections --------------------------------------------------

  private onNeighborUp (evt: CustomEvent<{ peer: PeerId }>): void {
    this.neighborSource(evt.detail.peer.toString(), 'membership', true)
  }

  private onNeighborDown (evt: CustomEvent<{ peer: PeerId }>): void {
    this.neighborSource(evt.detail.peer.toString(), 'membership', false)
  }

  private neighborSource (peer: string, source: NeighbourSource, up: boolean): void {
    const input = this.neighborSources.update(peer, source, up)
    if (input === 'neighbor-up') {
      this.input({ type: input, peer, monitored: this.neighborSources.monitored(peer) })
    } else if (input !== undefined) {
      this.input({ type: input, peer })
    }
  }

  /** A membership frame from the peer: it is alive, and so are our topic links with it (SPEC.md §7.13) */
  private onPeerHeard (evt: CustomEvent<{ peer: PeerId }>): void {
    this.input({ type: 'peer-heard', peer: evt.detail.peer.toString() })
  }

  /** SWIM's dead verdict: for pubsub the peer is gone, `peer-down` (SPEC.md §7.1 has the three names) */
  private onPeerDead (evt: CustomEvent<{ peer: PeerId }>): void {
    this.input({ type: 'peer-down', peer: evt.detail.peer.toString() })
  }

  private onIdentify (evt: CustomEvent<{ peerId: PeerId, listenAddrs: Multiaddr[] }>): void {
    this.addresses.identified(evt.detail.peerId, evt.detail.listenAddrs)
  }

  /** A connection closed; the last one to the peer: `connection-lost` (its links go; it stays a candidate) */
  private onConnectionClose (evt: CustomEvent<Connection>): void {
    const peer = evt.detail.remotePeer
    const key = peer.toString()
    // our stream may have been on this one of several connections (a duplicate closed, §2.10)
    this.outbound.forget(key, evt.detail)
    if (this.components.connectionManager.getConnections(peer).length > 0) {
      return
    }
    this.inbound.delete(key)
    this.input({ type: 'connection-lost', peer: key })
  }

  // --- input ----------------------------------------------------------------------

  private input (input: PubsubInput<string>): void {
    if (this.core == null) {
      return
    }
    this.apply(this.core.handle(input, Date.now()))
  }

  /** Reads frames from one inbound stream until it ends; a frame over the limit resets it */
  private async readInbound (stream: MessageStream, connection: Connection): Promise<void> {
    const from = connection.remotePeer.toString()
    this.inbound.set(from, (this.inbound.get(from) ?? 0) + 1)
    try {
      const end = await readFrames(stream, { maxDataLength: this.frameLimit, onFrame: (bytes) => this.onFrame(from, bytes) })
      if (end === 'oversize') {
        this.stats.drop('oversize-frame')
        this.input({ type: 'bad-frame', peer: from })
      }
    } finally {
      const left = (this.inbound.get(from) ?? 1) - 1
      if (left <= 0) {
        this.inbound.delete(from)
      } else {
        this.inbound.set(from, left)
      }
    }
  }

  private onFrame (from: string, bytes: Uint8Array): undefined | Promise<undefined> {
    let message: PubsubMessage<string>
    let originBinding: Uint8Array | undefined
    let originKey: Uint8Array | undefined
    let addresses: Map<string, Uint8Array[]> | undefined
    try {
      ({ message, originBinding, originKey, addresses } = decodeFrame(bytes, this.codec, this.frameLimit))
    } catch {
      this.stats.drop('malformed')
      this.input({ type: 'bad-frame', peer: from })
      return
    }
    this.stats.received(message.type, bytes.byteLength)
    // a sign of life for SWIM: a probe slot this frame answers sends no ping (SPEC.md §6.2)
    this.membership?.heard(from)
    if (message.type === 'gossip') {
      // decoded once, here: the gate, the verify hook, the application's Message and the send path read it (decoded-origins.ts)
      const origin = this.origins.of(message.header)
      if (origin != null && origin.libp2p == null) {
        // it relays that origin's messages, so it verified (and holds) the origin's binding
        this.bindings.held(from, origin.peer, Date.now())
      }
      this.gate.admit(from, message, origin, originBinding == null && originKey == null ? undefined : { binding: originBinding, key: originKey })
      return
    }
    if (addresses != null) {
      // the peer store must hold a named subscriber's addresses before the core can join it
      return this.addresses.learn(addresses).then(bad => {
        for (; bad > 0; bad--) {
          this.stats.drop('bad-address')
        }
        this.input({ type: 'message', from, message })
        return undefined
      })
    }
    this.input({ type: 'message', from, message })
  }

  // --- effects ----------------------------------------------------------------------

  private apply (effects: Array<PubsubEffect<string>>): void {
    this.effects.run(effects)
    this.validation.drain()
  }

  private onEvent (event: PubsubEvent<string>): void {
    switch (event.type) {
      case 'message':
        if ((event.from === undefined && this.init.emitSelf !== true) || this.validation.takeDeliveredEarly(event.id)) {
          return
        }
        this.safeDispatchEvent('message', { detail: this.toMessage(event.topic, event.payload, event.header) })
        break
      case 'validate':
        this.validation.push({ topic: event.topic, id: event.id, from: event.from, message: event.message })
        break
      case 'subscription-change':
        this.safeDispatchEvent('subscription-change', { detail: subscriptionChange(event) })
        break
      case 'graylisted':
        this.log('graylisted %s (score %d)', event.peer, event.score)
        this.safeDispatchEvent('plumtree:graylisted', { detail: graylisted(event) })
        break
      case 'topic-neighbor-up':
      case 'topic-neighbor-down':
        // a peer we have a topic link with keeps its connection (SPEC.md §2.8)
        this.idleConnections?.hold(SERVICE_NAME, event.peer, this.topicLinks.add(event.peer, event.type === 'topic-neighbor-up' ? 1 : -1))
        break
      default:
        break
    }
  }

  /** The header was checked before the message got this far, so it decoded (once, at the edge) */
  private toMessage (topic: string, payload: Uint8Array, header: Uint8Array | undefined): Message {
    const origin = this.origins.of(header)
    const message = toMessage(topic, payload, origin, from => from.equals(this.components.peerId) ? undefined : this.gate.recordOf(from.toString())?.libp2pPublicKey)
    if (origin?.libp2p != null) {
      this.forwarded.add(message)
    }
    return message
  }

  acceptsForwarded (topic: string): boolean {
    return this.forwardedTopics === true || this.forwardedTopics.has(topic)
  }

  isForwarded (message: Message): boolean {
    return this.forwarded.has(message)
  }

  private send (to: string, message: PubsubMessage<string>): void {
    let bytes: Uint8Array
    try {
      const decoded = message.type === 'gossip' ? this.origins.of(message.header) : undefined
      // a bridged message's author has no binding: its key is in its PeerId or header (SPEC.md §7.14)
      const origin = decoded?.libp2p == null ? decoded?.peer : undefined
      const key = origin == null ? undefined : this.bindings.attachFor(to, origin, Date.now())
      bytes = encodeRpc(message, this.codec, key == null ? undefined : { key })
    } catch (err: any) {
      this.log.error('cannot encode %s for %s: %s', message.type, to, err.message)
      return
    }
    if (!this.outbound.write(to, bytes)) {
      // the peer reads slower than we write: drop rather than buffer without bound
      this.stats.drop('send-queue-full')
      return
    }
    this.stats.sent(message.type, bytes.byteLength)
  }

  // --- helpers ----------------------------------------------------------------------

  private started (what: string): PubsubCore<string> {
    if (this.core == null) {
      throw new NotStartedError(what)
    }
    return this.core
  }

  private checkTopic (topic: string, what: string): string {
    this.started(what)
    if (typeof topic !== 'string' || topic.length === 0 || utf8.encode(topic).length > RPC_LIMITS.topicBytes) {
      throw new InvalidTopicError(topic)
    }
    return topic
  }

  /** Per-topic sequence numbers start at the clock in µs, so a restarted node never reuses one */
  private nextSeqno (topic: string, now: number): bigint {
    const next = (this.seqnos.get(topic) ?? BigInt(now) * 1000n) + 1n
    this.seqnos.set(topic, next)
    return next
  }

  private service<T> (key: string, factory: string): T {
    return siblingService<T>(this.components, key, () => new PlumtreeConfigError(`plumtree() needs ${factory} in the node's services under the key "${key}" (or name its key in plumtree({ ${factory === 'membership()' ? 'membershipService' : 'identityService'} }))`))
  }

  /** Peers with a plumtree stream either way */
  private peerKeys (): Set<string> {
    return new Set([...this.outbound.keys(), ...this.inbound.keys()])
  }

  private scores (): Record<string, number> {
    const core = this.core
    const now = Date.now()
    const out: Record<string, number> = {}
    for (const peer of this.peerKeys()) {
      out[peer] = core?.peerScore(peer, now) ?? 0
    }
    return out
  }
}

function positiveInt (name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback
  if (!Number.isSafeInteger(v) || v <= 0) {
    throw new PlumtreeConfigError(`plumtree({ ${name} }) must be a positive integer, got ${String(value)}`)
  }
  return v
}
