import { TypedEventEmitter, peerDiscoverySymbol, serviceCapabilities } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { createRng } from '@saorsa-gossip/core'
import { AddressBook, EffectRunner, IdleConnections, OutboundStreams, SecureStreams, readFrames } from '@saorsa-gossip/kit'
import { MAX_FRAME_BYTES, decodeFrame, encodeFrame } from './codec.ts'
import { MAX_ADDRS_PER_PEER, MAX_INBOUND_STREAMS, MAX_OUTBOUND_STREAMS, PASSIVE_VIEW_KEY, PROTOCOL, TAG_ACTIVE } from './constants.ts'
import { Membership } from './core/membership.ts'
import { libp2pPeerCodec } from './peer-codec.ts'
import { MembershipStats } from './stats.ts'
import type { PeerCodec } from './codec.ts'
import type { MembershipInput } from './core/membership.ts'
import type { MembershipMessage } from './core/messages.ts'
import type { SwimStats } from './core/swim.ts'
import type { MembershipEvent, MembershipTimer } from './core/types.ts'
import type { MembershipComponents, MembershipInit, MembershipService, MembershipServiceEvents } from './index.ts'
import type { Connection, Logger, MessageStream, PeerDiscovery, PeerDiscoveryEvents, PeerId, Startable } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { OutboundCounters, SecureStreamsCounters } from '@saorsa-gossip/kit'

/** Dial failures that retrying cannot fix: no address known, or our own gater refuses the peer */
const UNDIALLABLE = new Set(['NoValidAddressesError', 'NoKnownAddressesError', 'DialDeniedError'])
/** how this service names itself to the shared IdleConnections */
const SERVICE_NAME = 'membership'

/**
 * The libp2p adapter for the membership core: turns effects into stream writes
 * and setTimeout calls, and feeds frames, timers and connection closes back in.
 * All protocol decisions are the core's (SPEC.md §5, §6).
 */
export class DefaultMembershipService extends TypedEventEmitter<MembershipServiceEvents & PeerDiscoveryEvents> implements MembershipService, PeerDiscovery, Startable {
  readonly [Symbol.toStringTag] = '@saorsa-gossip/membership'
  /** what other services (plumtree) may declare as a dependency */
  readonly [serviceCapabilities]: string[] = ['@saorsa-gossip/membership']
  readonly [peerDiscoverySymbol] = this
  readonly stats: MembershipStats
  private readonly components: MembershipComponents
  private readonly init: MembershipInit
  private readonly log: Logger
  private readonly codec: PeerCodec<string>
  private readonly self: string
  private readonly addresses: AddressBook
  private readonly outbound: OutboundStreams
  /** plain or inside the PQ channel (`secureStreams`); its counters are `secureStreamsStats` */
  private readonly streams: SecureStreams
  private readonly effects: EffectRunner<string, MembershipMessage<string>, MembershipTimer<string>, MembershipEvent<string>>
  private core?: Membership<string>
  private persistTimer?: ReturnType<typeof setInterval>
  private topologyId?: string
  /** closes the connections we dialled (shuffle replies, refused NEIGHBOR requests) once unused; holds the active view */
  private readonly idleConnections?: IdleConnections

  constructor (components: MembershipComponents, init: MembershipInit = {}) {
    super()
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('saorsa-gossip:membership')
    this.self = components.peerId.toString()
    this.stats = new MembershipStats(components.metrics)
    this.addresses = new AddressBook({
      peerStore: components.peerStore,
      addressManager: components.addressManager,
      self: this.self,
      maxPerPeer: MAX_ADDRS_PER_PEER,
      // membership is a libp2p peer discovery: peers it hears of are announced
      onFresh: (id, multiaddrs) => { this.safeDispatchEvent('peer', { detail: { id, multiaddrs } }) }
    })
    this.codec = libp2pPeerCodec(peer => this.addresses.of(peer))
    this.idleConnections = init.closeIdleConnections === false ? undefined : IdleConnections.of(components.connectionManager, { self: this.self })
    this.streams = new SecureStreams('membership', PROTOCOL, init.secureStreams)
    this.outbound = new OutboundStreams({
      connectionManager: components.connectionManager,
      events: components.events,
      self: this.self,
      secureStreams: this.streams,
      idleConnections: this.idleConnections,
      peerStore: components.peerStore,
      protocol: PROTOCOL,
      maxDataLength: init.maxFrameBytes ?? MAX_FRAME_BYTES,
      dialTimeout: init.dialTimeout ?? 10_000,
      writeTimeout: init.writeTimeout ?? 10_000,
      // a failed dial or write: the core's own timeouts decide what it means
      onWriteError: (peer, err) => {
        this.stats.drop('send-failed')
        this.stats.sendError(err.name)
        this.log.trace('send to %s failed: %s', peer, err.message)
        if (err.name === 'UnsupportedProtocolError') {
          // a plain libp2p peer: asking it again would fail the same way (SPEC.md §5.5)
          this.input({ type: 'unsupported', peer })
        } else if (UNDIALLABLE.has(err.name)) {
          // a request waiting on that peer fails now rather than at its timeout. Timeouts and
          // broken streams are what load looks like: the core's stretched timeout decides
          // those, or failing fast sends more dials into saturated cores (SPEC.md §5.5)
          this.input({ type: 'unreachable', peer })
        }
      }
    })
    this.effects = new EffectRunner(
      { send: (to, message) => { this.send(to, message) }, emit: (event) => { this.emitEvent(event) }, disconnect: (peer) => { this.release(peer) } },
      (key, timer) => { this.input({ type: 'timer-expired', key, timer }) }
    )
    this.onConnectionClose = this.onConnectionClose.bind(this)
    this.onIdentify = this.onIdentify.bind(this)
  }

  get secureStreamsStats (): Readonly<SecureStreamsCounters> {
    return this.streams.counters
  }

  get swimStats (): Readonly<SwimStats> | undefined {
    return this.core?.swim.stats
  }

  get outboundStats (): Readonly<OutboundCounters> {
    return this.outbound.counters
  }

  isStarted (): boolean {
    return this.core != null
  }

  async start (): Promise<void> {
    this.streams.resolve(this.components, this.init.pqNoiseService ?? 'pqNoise')
    await this.streams.handle(this.components.registrar, async (stream, connection) => { await this.readInbound(stream, connection) }, {
      maxInboundStreams: MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS
    })
    this.components.events.addEventListener('connection:close', this.onConnectionClose)
    this.components.events.addEventListener('peer:identify', this.onIdentify)
    this.idleConnections?.register(SERVICE_NAME, this.streams.protocols)
    this.core = new Membership(this.self, createRng(this.init.seed ?? `${this.self}/${Date.now()}`), {
      hyparview: this.init.hyparview,
      swim: this.init.swim,
      // a restart outranks any verdict about the previous run (SPEC.md §6.3)
      startIncarnation: Date.now()
    })
    const contacts = await this.contacts()
    this.effects.run(this.core.start(Date.now(), contacts))
    // a gossipsub application connects its peers itself (dials, @libp2p/bootstrap, mDNS): every
    // connected peer that runs membership is a contact to join through (SPEC.md §5.5)
    this.topologyId = await this.components.registrar.register(PROTOCOL, {
      onConnect: (peer) => { this.input({ type: 'contact', peer: peer.toString() }) }
    })
    const interval = this.init.persistInterval ?? 30_000
    this.persistTimer = setInterval(() => { void this.persistPassiveView() }, interval)
    this.log('started with %d contact(s)', contacts.length)
  }

  async stop (): Promise<void> {
    await this.persistPassiveView()
    clearInterval(this.persistTimer)
    this.effects.clear()
    this.core = undefined
    this.idleConnections?.unregister(SERVICE_NAME)
    if (this.topologyId != null) {
      this.components.registrar.unregister(this.topologyId)
      this.topologyId = undefined
    }
    this.components.events.removeEventListener('connection:close', this.onConnectionClose)
    this.components.events.removeEventListener('peer:identify', this.onIdentify)
    await this.streams.unhandle(this.components.registrar)
    await this.outbound.abortAll('membership stopped')
  }

  heard (peer: PeerId | string): void {
    this.core?.heard(typeof peer === 'string' ? peer : peer.toString(), Date.now())
  }

  activeView (): PeerId[] {
    return (this.core?.hyparview.activeView() ?? []).map(p => peerIdFromString(p))
  }

  passiveView (): PeerId[] {
    return (this.core?.hyparview.passiveView() ?? []).map(p => peerIdFromString(p))
  }

  // --- contacts and persistence ------------------------------------------------

  /** Explicit bootstrap multiaddrs first; without them, the passive view saved by the last run */
  private async contacts (): Promise<string[]> {
    const out: string[] = []
    for (const addr of this.init.bootstrap ?? []) {
      const ma = multiaddr(addr)
      const id = ma.getComponents().findLast(c => c.name === 'p2p')?.value
      if (id == null) {
        this.log.error('bootstrap address %s has no /p2p/ peer id; ignored', addr)
        continue
      }
      await this.components.peerStore.merge(peerIdFromString(id), { multiaddrs: [ma] })
      out.push(id)
    }
    if (out.length === 0) {
      out.push(...await this.loadPassiveView())
    }
    if (out.length === 0) {
      // libp2p's bootstrap list (@libp2p/bootstrap tags the peers it adds with 'bootstrap')
      for (const peer of await this.components.peerStore.all()) {
        if (peer.tags.has('bootstrap')) {
          out.push(peer.id.toString())
        }
      }
    }
    return out.filter(p => p !== this.self)
  }

  private async loadPassiveView (): Promise<string[]> {
    const datastore = this.components.datastore
    if (datastore == null) {
      return []
    }
    try {
      const saved = JSON.parse(new TextDecoder().decode(await datastore.get(PASSIVE_VIEW_KEY)))
      return Array.isArray(saved) ? saved.filter((p: unknown): p is string => typeof p === 'string').slice(0, 256) : []
    } catch {
      return []
    }
  }

  private async persistPassiveView (): Promise<void> {
    const datastore = this.components.datastore
    const core = this.core
    if (datastore == null || core == null) {
      return
    }
    const peers = [...core.hyparview.activeView(), ...core.hyparview.passiveView()]
    try {
      await datastore.put(PASSIVE_VIEW_KEY, new TextEncoder().encode(JSON.stringify(peers)))
    } catch (err: any) {
      this.log.error('could not persist the passive view: %s', err.message)
    }
  }

  // --- input --------------------------------------------------------------------

  private input (input: MembershipInput<string>): void {
    if (this.core == null) {
      return
    }
    this.effects.run(this.core.handle(input, Date.now()))
  }

  /** Reads frames from one inbound stream until it ends; a bad frame resets the stream */
  private async readInbound (stream: MessageStream, connection: Connection): Promise<void> {
    const from = connection.remotePeer.toString()
    const end = await readFrames(stream, {
      maxDataLength: this.init.maxFrameBytes ?? MAX_FRAME_BYTES,
      onFrame: async (bytes) => {
        let decoded
        try {
          decoded = decodeFrame(bytes, this.codec)
        } catch {
          this.stats.drop('malformed')
          return false
        }
        for (let bad = await this.addresses.learn(decoded.addrs); bad > 0; bad--) {
          this.stats.drop('bad-address')
        }
        this.stats.received(decoded.message, bytes.byteLength)
        this.input({ type: 'message', from, message: decoded.message })
        if (this.listenerCount('peer-heard') > 0) {
          // every frame: no event object unless a service (plumtree) listens
          this.safeDispatchEvent('peer-heard', { detail: { peer: connection.remotePeer } })
        }
        return true
      }
    })
    if (end === 'oversize') {
      this.stats.drop('oversize')
    }
  }

  private onIdentify (evt: CustomEvent<{ peerId: PeerId, listenAddrs: Multiaddr[] }>): void {
    this.addresses.identified(evt.detail.peerId, evt.detail.listenAddrs)
  }

  private onConnectionClose (evt: CustomEvent<Connection>): void {
    const peer = evt.detail.remotePeer
    const key = peer.toString()
    this.outbound.forget(key, evt.detail)
    if (this.components.connectionManager.getConnections(peer).length === 0) {
      this.input({ type: this.core?.hyparview.isActive(key) === true ? 'connection-lost' : 'disconnected', peer: key })
    }
  }

  // --- effects ------------------------------------------------------------------

  private emitEvent (event: MembershipEvent<string>): void {
    const peer = peerIdFromString(event.peer)
    switch (event.type) {
      case 'neighbor-up':
        this.idleConnections?.hold(SERVICE_NAME, event.peer, true)
        void this.tag(peer, true)
        this.safeDispatchEvent('neighbor-up', { detail: { peer } })
        break
      case 'neighbor-down':
        this.idleConnections?.hold(SERVICE_NAME, event.peer, false)
        void this.tag(peer, false)
        this.safeDispatchEvent('neighbor-down', { detail: { peer, reason: event.reason } })
        break
      case 'peer-suspect':
        this.stats.count('suspicions')
        this.safeDispatchEvent('peer-suspect', { detail: { peer, incarnation: event.incarnation } })
        break
      case 'peer-alive':
        this.stats.count('refutations')
        this.safeDispatchEvent('peer-alive', { detail: { peer, incarnation: event.incarnation } })
        break
      case 'peer-dead':
        this.stats.count('deaths')
        this.safeDispatchEvent('peer-dead', { detail: { peer, incarnation: event.incarnation } })
        break
      default:
        break
    }
    this.stats.views(this.core?.hyparview.activeView().length ?? 0, this.core?.hyparview.passiveView().length ?? 0)
  }

  /**
   * The core's `disconnect` effect (a peer left the active view): close our stream to it, and close the connection too if
   * nothing but this protocol uses it (other services' streams keep it open). Closing is
   * best-effort and happens a moment later, so a DISCONNECT still queued on the stream
   * gets out first.
   */
  private release (key: string): void {
    const peer = peerIdFromString(key)
    setTimeout(() => {
      if (this.core?.hyparview.isActive(key) === true) {
        return
      }
      this.outbound.close(key)
      for (const connection of this.components.connectionManager.getConnections(peer)) {
        if (connection.streams.every(s => s.protocol === PROTOCOL || s.status !== 'open')) {
          void connection.close().catch(() => {})
        }
      }
    }, this.init.releaseDelay ?? 1_000)
  }

  /** Active-view connections are tagged so the connection manager keeps them */
  private async tag (peer: PeerId, on: boolean): Promise<void> {
    try {
      await this.components.peerStore.merge(peer, { tags: { [TAG_ACTIVE]: on ? { value: 100 } : undefined } })
    } catch (err: any) {
      this.log.trace('could not tag %p: %s', peer, err.message)
    }
  }

  private send (to: string, message: MembershipMessage<string>): void {
    let bytes: Uint8Array
    try {
      bytes = encodeFrame(message, this.codec, this.self)
    } catch (err: any) {
      this.log.error('cannot encode %s for %s: %s', message.type, to, err.message)
      return
    }
    this.stats.sent(message, bytes.byteLength)
    this.outbound.write(to, bytes)
  }
}
