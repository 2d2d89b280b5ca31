import { NotFoundError, TypedEventEmitter, peerDiscoverySymbol, peerRoutingSymbol, serviceCapabilities, serviceDependencies } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { createRng, fromHex, toHex } from '@saorsa-gossip/core'
import { EffectRunner, IdleConnections, OutboundStreams, SecureStreams, peerIdCodec, readFrames, siblingService } from '@saorsa-gossip/kit'
import { decodeBeaconBody, decodeFrame, decodeQueryBody, encodeFrame, own, topicScope } from './codec.ts'
import { BEACON_DOMAIN, DIAL_TIMEOUT_MS, MAX_FRAME_BYTES, MAX_INBOUND_STREAMS, MAX_REPLY_BEACONS, MAX_OUTBOUND_STREAMS, PROTOCOL, QUERY_DOMAIN, QUERY_ID_BYTES, SCOPE_REFRESH_MS, WRITE_TIMEOUT_MS } from './constants.ts'
import { PresenceCore } from './core/index.ts'
import { PresenceConfigError, PresenceNotStartedError } from './errors.ts'
import { GroupKey, HOUR_MS, TAG_BYTES } from './group-keys.ts'
import { GROUP_KEY_EVENTS, GroupKeyring } from './mls-keys.ts'
import { Beacon as BeaconCodec, BeaconBody, QueryBody } from './pb/presence.ts'
import { Signatures } from './signatures.ts'
import type { BeaconRecord, PresenceEvent, PresenceInput, PresenceMessage, PresenceTimer, QueryRecord } from './core/index.ts'
import type { PresenceComponents, PresenceInit, PresenceService, PresenceServiceEvents, PresenceStats } from './index.ts'
import type { GroupsSource } from './mls-keys.ts'
import type { Beacon, Query, SealedBeacon } from './pb/presence.ts'
import type { AbortOptions, Logger, MessageStream, PeerDiscovery, PeerId, PeerInfo, PeerRouting, Startable } from '@libp2p/interface'
import type { PqIdentityService } from '@saorsa-gossip/identity'
import type { SecureStreamsCounters } from '@saorsa-gossip/kit'
import type { MembershipService } from '@saorsa-gossip/membership'

type Waiter = (addrs: Uint8Array[] | undefined) => void

/** What presence reads of a pubsub service: plumtree() and gossipsub() both have it */
interface TopicViews {
  getTopics(): string[]
  getMeshPeers(topic: string): string[]
}

function isTopicViews (service: unknown): service is TopicViews {
  return typeof (service as TopicViews | undefined)?.getTopics === 'function' && typeof (service as TopicViews).getMeshPeers === 'function'
}

/**
 * The libp2p adapter of the presence core: frames in and out on `/saorsa-gossip/presence/1.0.0`,
 * ML-DSA-65 signatures made and checked at the edge, neighbours from membership(), and the
 * core's answers turned into `findPeer` results and `peer` discovery events.
 */
export class DefaultPresenceService extends TypedEventEmitter<PresenceServiceEvents> implements PresenceService, PeerRouting, Startable {
  readonly [Symbol.toStringTag] = '@saorsa-gossip/presence'
  readonly [serviceCapabilities]: string[] = ['@libp2p/peer-routing', '@libp2p/peer-discovery', '@saorsa-gossip/presence']
  readonly [serviceDependencies]: string[] = ['@saorsa-gossip/membership', '@saorsa-gossip/identity']
  private readonly components: PresenceComponents
  private readonly init: PresenceInit
  private readonly log: Logger
  private readonly self: string
  private readonly peers = peerIdCodec()
  private readonly outbound: OutboundStreams
  /** plain or inside the PQ channel (`secureStreams`) */
  private readonly streams: SecureStreams
  private readonly idleConnections: IdleConnections
  private readonly effects: EffectRunner<string, PresenceMessage<string>, PresenceTimer, PresenceEvent<string>>
  private readonly waiters = new Map<string, Waiter>()
  private readonly counts = { framesIn: 0, bytesIn: 0, framesOut: 0, bytesOut: 0, lookupFramesOut: 0, lookupBytesOut: 0, sealedOpened: 0 }
  private core?: PresenceCore<string>
  private signatures?: Signatures
  private membership?: MembershipService
  private groups?: GroupsSource
  private topicViews?: TopicViews
  private scopeTimer?: ReturnType<typeof setInterval>
  /** scope per topic we are in (bytes for queries, hex for the core), as last fed to the core */
  private readonly scopes = new Map<string, { hex: string, bytes: Uint8Array<ArrayBuffer> }>()
  private keyring?: GroupKeyring
  private lastSeq = 0

  constructor (components: PresenceComponents, init: PresenceInit = {}) {
    super()
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('saorsa-gossip:presence')
    this.self = components.peerId.toString()
    if (init.groupsService != null) {
      this[serviceDependencies].push('@saorsa-gossip/groups')
    }
    // a FOAF answer dials its origin: closed once unused, as membership's and plumtree's dials (SPEC.md §2.8)
    this.idleConnections = IdleConnections.of(components.connectionManager, { self: this.self })
    this.streams = new SecureStreams('presence', PROTOCOL, init.secureStreams)
    this.outbound = new OutboundStreams({
      connectionManager: components.connectionManager,
      events: components.events,
      self: this.self,
      secureStreams: this.streams,
      idleConnections: this.idleConnections,
      peerStore: components.peerStore,
      protocol: PROTOCOL,
      maxDataLength: MAX_FRAME_BYTES,
      dialTimeout: DIAL_TIMEOUT_MS,
      writeTimeout: WRITE_TIMEOUT_MS,
      onWriteError: (peer, err) => { this.log('send to %s failed: %s', peer, err.message) }
    })
    this.effects = new EffectRunner(
      { send: (to, message) => { this.send(to, message) }, emit: (event) => { void this.onEvent(event) } },
      (key, timer) => { this.input({ type: 'timer-expired', key, timer }) }
    )
  }

  get [peerRoutingSymbol] (): PeerRouting {
    return this
  }

  get [peerDiscoverySymbol] (): PeerDiscovery {
    return this
  }

  get stats (): PresenceStats {
    const core = this.core
    return {
      ...this.counts,
      records: core?.recordCount ?? 0,
      drops: { ...(core?.drops ?? {}) } as PresenceStats['drops'],
      ...(core?.counters ?? { beaconsAccepted: 0, beaconsRelayed: 0, sealedStored: 0, queriesForwarded: 0, queriesAnswered: 0, repliesAccepted: 0, asksSent: 0, asksAnswered: 0, asksReplied: 0 })
    }
  }

  get secureStreamsStats (): Readonly<SecureStreamsCounters> {
    return this.streams.counters
  }

  isStarted (): boolean {
    return this.core != null
  }

  async start (): Promise<void> {
    if (this.core != null) {
      return
    }
    this.membership = this.service<MembershipService>(this.init.membershipService ?? 'membership', 'membership()')
    this.signatures = new Signatures(this.service<PqIdentityService>(this.init.identityService ?? 'pqIdentity', 'pqIdentity()'))
    this.streams.resolve(this.components, this.init.pqNoiseService ?? 'pqNoise')
    await this.streams.handle(this.components.registrar, async (stream, connection) => { await this.readInbound(stream, connection.remotePeer.toString()) }, {
      maxInboundStreams: MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS
    })
    this.idleConnections.register('presence', this.streams.protocols)
    this.core = new PresenceCore(this.self, createRng(this.init.seed ?? `${this.self}/${Date.now()}`), this.init.config, this.lastSeq)
    this.membership.addEventListener('neighbor-up', this.onNeighbors)
    this.membership.addEventListener('neighbor-down', this.onNeighbors)
    if (this.init.groupsService != null) {
      const groups = this.service<GroupsSource>(this.init.groupsService, 'groups()')
      this.keyring = new GroupKeyring(groups, this.core.config.groupEpochGraceMs, (id, err) => { this.log('presence key of group %s not exported: %s', id, err.message) })
      for (const type of GROUP_KEY_EVENTS) {
        groups.addEventListener(type, this.onGroupsChanged)
      }
      this.groups = groups
    }
  }

  afterStart (): void {
    this.onNeighbors()
    if (this.init.pubsubService !== false) {
      // optional: without a pubsub service lookups walk the membership overlay only
      let service: unknown
      try {
        service = (this.components as unknown as Record<string, unknown>)[this.init.pubsubService ?? 'pubsub']
      } catch {
        // libp2p's components throw MissingServiceError for a key nobody registered
        service = undefined
      }
      this.topicViews = isTopicViews(service) ? service : undefined
    }
    if (this.topicViews != null) {
      this.refreshScopes()
      this.scopeTimer = setInterval(this.refreshScopes, SCOPE_REFRESH_MS)
      this.scopeTimer.unref?.()
    }
    // the first beacon waits until pqIdentity has its binding (it starts alongside us)
    this.effects.run(this.core?.start(Date.now()) ?? [])
  }

  async stop (): Promise<void> {
    clearInterval(this.scopeTimer)
    this.scopeTimer = undefined
    this.topicViews = undefined
    this.scopes.clear()
    this.membership?.removeEventListener('neighbor-up', this.onNeighbors)
    this.membership?.removeEventListener('neighbor-down', this.onNeighbors)
    for (const type of GROUP_KEY_EVENTS) {
      this.groups?.removeEventListener(type, this.onGroupsChanged)
    }
    this.groups = undefined
    this.keyring = undefined
    this.effects.clear()
    for (const waiter of this.waiters.values()) {
      waiter(undefined)
    }
    this.waiters.clear()
    this.idleConnections.unregister('presence')
    await this.streams.unhandle(this.components.registrar)
    await this.outbound.abortAll('presence stopped')
    this.core = undefined
  }

  async findPeer (peerId: PeerId, options: AbortOptions = {}): Promise<PeerInfo> {
    const core = this.core
    const signatures = this.signatures
    if (core == null || signatures == null) {
      throw new PresenceNotStartedError()
    }
    const target = peerId.toString()
    // a record we hold answers at once: no id, no tags, no query body (most topic lookups, §8.8)
    const held = core.lookup(target, Date.now())
    if (held != null) {
      return { id: peerId, multiaddrs: held.addrs.map(bytes => multiaddr(bytes)) }
    }
    const idBytes = crypto.getRandomValues(new Uint8Array(QUERY_ID_BYTES))
    const id = toHex(idBytes)
    const now = Date.now()
    const targetBytes = own(this.peers.toBytes(target))
    await this.keyring?.refresh(now)
    // current keys come first: past maxTags, the previous epochs' tags are the ones left out
    const tags = this.openingKeys(now).flatMap(key => key.tagsAround(targetBytes, now)).slice(0, core.config.maxTags).map(own)
    const scopes = [...this.scopes.values()].slice(0, core.config.maxScopes)
    const body = QueryBody.encode({
      id: idBytes,
      origin: own(this.peers.toBytes(this.self)),
      // group mode names nobody: forwarders see tags only members can link to a peer
      target: this.mode() === 'groups' ? new Uint8Array(0) : targetBytes,
      tags,
      scopes: scopes.map(scope => scope.bytes),
      hopLimit: core.config.maxHops,
      issuedAtMs: now,
      originAddrs: this.ownAddrs(core.config.maxAddrs)
    })
    const cached = core.lookup(target, now)
    let wire: Uint8Array = new Uint8Array(0)
    if (cached == null) {
      const signature = await signatures.sign(QUERY_DOMAIN, body)
      // no binding: our neighbours hold it since they connected, later hops ask the one before (RESOLVE_TIMEOUT_MS)
      wire = encodeFrame({ query: { body: own(body), signature: own(signature), binding: new Uint8Array(0), ttl: core.config.maxHops } })
    }
    const query: QueryRecord<string> = { id, origin: this.self, target, tags: tags.map(toHex), scopes: scopes.map(scope => scope.hex), hopLimit: core.config.maxHops, issuedAtMs: now, ttl: core.config.maxHops, wire }
    const found = new Promise<Uint8Array[] | undefined>((resolve) => { this.waiters.set(id, resolve) })
    const onAbort = (): void => { this.waiters.get(id)?.(undefined) }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      // group mode names nobody, not even to neighbours
      this.input({ type: 'find', id, target, query, ask: this.mode() !== 'groups' })
      const addrs = await found
      if (addrs == null) {
        throw new NotFoundError(`presence: no record of ${target}`)
      }
      return { id: peerId, multiaddrs: addrs.map(bytes => multiaddr(bytes)) }
    } finally {
      this.waiters.delete(id)
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  /** libp2p's random walk asks this: our overlay neighbours are the "closest" peers we know */
  async * getClosestPeers (key: Uint8Array, options?: AbortOptions): AsyncGenerator<PeerInfo> {
    void key
    void options
    for (const id of [...(this.membership?.activeView() ?? []), ...(this.membership?.passiveView() ?? [])]) {
      yield { id, multiaddrs: [] }
    }
  }

  /** A group's epoch moved (or we joined or left one): new keys, and our beacon sealed under them at once */
  private readonly onGroupsChanged = (): void => {
    this.keyring?.refresh(Date.now(), true)
      .then(async changed => {
        if (changed) {
          // as if the beacon timer fired: a new seq now, and the next beacon an interval later
          this.input({ type: 'timer-expired', key: 'beacon', timer: { type: 'beacon-due' } })
          await this.reopenHeld()
        }
      })
      .catch(err => { this.log('group keys not refreshed: %s', err.message) })
  }

  /**
   * Sealed beacons we hold, tried again with new keys: the members' beacons sealed for the epoch
   * that added us reach us before we have its key, and the next ones come a beacon interval later
   */
  private async reopenHeld (): Promise<void> {
    const core = this.core
    if (core == null) {
      return
    }
    for (const wire of core.heldSealed(Date.now())) {
      const sealed = decodeFrame(wire).sealed
      if (sealed == null) {
        continue
      }
      const opened = await this.openSealed(sealed, core.config.maxAddrs).catch(() => undefined)
      if (opened != null && opened.beacon.seq > (core.lookup(opened.beacon.peer, Date.now())?.seq ?? -1)) {
        this.input({ type: 'beacon', from: opened.beacon.peer, ...opened, admitted: true })
      }
    }
  }

  /** The topic views, read from the pubsub service (which has no event for them) and fed to the core per scope */
  private readonly refreshScopes = (): void => {
    const views = this.topicViews
    if (views == null || this.core == null) {
      return
    }
    let topics: string[]
    try {
      topics = views.getTopics()
    } catch {
      return
    }
    const gone = new Set(this.scopes.keys())
    for (const topic of topics) {
      gone.delete(topic)
      let scope = this.scopes.get(topic)
      if (scope == null) {
        const bytes = own(topicScope(topic))
        scope = { hex: toHex(bytes), bytes }
        this.scopes.set(topic, scope)
      }
      this.input({ type: 'scope-neighbors', scope: scope.hex, peers: views.getMeshPeers(topic).map(String) })
    }
    for (const topic of gone) {
      this.input({ type: 'scope-neighbors', scope: this.scopes.get(topic)?.hex ?? '', peers: [] })
      this.scopes.delete(topic)
    }
  }

  private readonly onNeighbors = (): void => {
    const peers = this.membership?.activeView().map(p => p.toString()) ?? []
    this.input({ type: 'neighbors', peers })
  }

  private input (input: PresenceInput<string>): void {
    if (this.core != null) {
      this.effects.run(this.core.handle(input, Date.now()))
    }
  }

  private send (to: string, message: PresenceMessage<string>): void {
    if ((message.type === 'beacon' || message.type === 'query') && message.wire.byteLength === 0) {
      // a lookup the cache answered when findPeer looked but whose record expired before the core did: nothing signed to send
      return
    }
    let frame: Uint8Array
    switch (message.type) {
      case 'beacon': frame = message.wire; break
      case 'query': frame = encodeFrame({ query: { ...this.rawQuery(message.wire), ttl: message.ttl } }); break
      case 'ask': frame = encodeFrame({ ask: { id: own(fromHex(message.id) ?? new Uint8Array(0)), target: own(this.peers.toBytes(message.target)) } }); break
      case 'hint': frame = encodeFrame({ hint: { id: own(fromHex(message.id) ?? new Uint8Array(0)) } }); break
      case 'reply': frame = encodeFrame({ reply: { id: own(fromHex(message.id) ?? new Uint8Array(0)), beacons: message.beacons.map(wire => this.withBinding(this.rawBeacon(wire))), sealed: message.sealed.slice(0, MAX_REPLY_BEACONS).map(wire => this.rawSealed(wire)) } }); break
      default: return
    }
    this.counts.framesOut++
    this.counts.bytesOut += frame.byteLength
    if (message.type !== 'beacon') {
      this.counts.lookupFramesOut++
      this.counts.lookupBytesOut += frame.byteLength
    }
    this.outbound.write(to, frame)
  }

  /** Queries and beacons travel as the frames they arrived in: kept encoded, decoded only to re-wrap */
  private rawQuery (wire: Uint8Array): Query {
    return decodeFrame(wire).query as Query
  }

  private rawBeacon (wire: Uint8Array): Beacon {
    return decodeFrame(wire).beacon as Beacon
  }

  /**
   * A clear beacon in a reply carries its signer's binding record when we hold it (we checked
   * the signature with it). Without it the origin asks us for the record, and if that lookup
   * fails (a 1 s deadline, easily missed under load) identity() dials the signer itself, by id,
   * before the beacon's addresses are in the peer store: libp2p then has no address to dial, and
   * the application's dial to the peer it just found joins that dial and fails with it
   * (`NoValidAddressesError`). The record is 5.3 KiB; the lookup it saves is a round trip
   * carrying the same record.
   */
  private withBinding (raw: Beacon): Beacon {
    try {
      const peer = this.peers.fromBytes(BeaconBody.decode(raw.body).peer)
      return { ...raw, binding: own(this.signatures?.cachedBinding(peer) ?? new Uint8Array(0)) }
    } catch {
      return { ...raw, binding: new Uint8Array(0) }
    }
  }

  private rawSealed (wire: Uint8Array): SealedBeacon {
    return decodeFrame(wire).sealed as SealedBeacon
  }

  /** 'groups' when group secrets or groups() are configured (public beacons would undo the sealing), else 'public' */
  private mode (): 'public' | 'groups' | 'both' {
    return this.init.mode ?? (this.init.groupSecrets != null || this.init.groupsService != null ? 'groups' : 'public')
  }

  /** Keys that seal our beacon: the application's secrets, read each time, and the current epoch's of each MLS group */
  private sealingKeys (): GroupKey[] {
    return [...(this.init.groupSecrets?.() ?? []).map(secret => new GroupKey(secret)), ...(this.keyring?.sealing() ?? [])]
  }

  /** Keys that open beacons and make lookup tags: those, and MLS groups' previous epoch within the grace period */
  private openingKeys (now: number): GroupKey[] {
    return [...(this.init.groupSecrets?.() ?? []).map(secret => new GroupKey(secret)), ...(this.keyring?.opening(now) ?? [])]
  }

  private async onEvent (event: PresenceEvent<string>): Promise<void> {
    switch (event.type) {
      case 'beacon-due': await this.announce(event.seq); break
      case 'peer-found': await this.discovered(event.peer, event.addrs); break
      case 'query-answered': this.waiters.get(event.id)?.(event.addrs); break
      case 'query-failed': this.waiters.get(event.id)?.(undefined); break
      default: break
    }
  }

  private async announce (seq: number): Promise<void> {
    const core = this.core
    const signatures = this.signatures
    if (core == null || signatures == null) {
      return
    }
    this.lastSeq = seq
    const now = Date.now()
    await this.keyring?.refresh(now)
    const body = BeaconBody.encode({
      peer: own(this.peers.toBytes(this.self)),
      seq,
      issuedAtMs: now,
      expiresAtMs: now + core.config.beaconTtlMs,
      addrs: this.ownAddrs(core.config.maxAddrs)
    })
    try {
      const signature = await signatures.sign(BEACON_DOMAIN, body)
      const beacon: Beacon = { body: own(body), signature: own(signature), binding: own(signatures.binding()) }
      // in clear without the binding: beacons go to neighbours only, which hold it since they connected
      const frames: Uint8Array[] = this.mode() === 'groups' ? [] : [encodeFrame({ beacon: { ...beacon, binding: new Uint8Array(0) } })]
      const plaintext = BeaconCodec.encode(beacon)
      for (const key of this.sealingKeys()) {
        const tag = key.tag(this.peers.toBytes(this.self), Math.floor(now / HOUR_MS))
        frames.push(encodeFrame({ sealed: { tag: own(tag), sealed: own(key.seal(tag, plaintext)) } }))
      }
      this.input({ type: 'announce', frames, to: this.membership?.activeView().map(p => p.toString()) ?? [] })
    } catch (err: any) {
      // pqIdentity not started yet: the next beacon-due timer tries again
      this.log('beacon not signed: %s', err.message)
    }
  }

  private async discovered (peer: string, addrs: Uint8Array[]): Promise<void> {
    const id = peerIdFromString(peer)
    const multiaddrs = addrs.map(bytes => multiaddr(bytes))
    try {
      await this.components.peerStore.merge(id, { multiaddrs })
    } catch (err: any) {
      this.log('peer store merge for %s failed: %s', peer, err.message)
    }
    this.safeDispatchEvent('peer', { detail: { id, multiaddrs } })
  }

  private ownAddrs (max: number): Array<Uint8Array<ArrayBuffer>> {
    // without the /p2p suffix: the signer's id is in the body already
    return this.components.addressManager.getAddresses().slice(0, max).map(ma => own(ma.decapsulateCode(421).bytes))
  }

  private async readInbound (stream: MessageStream, from: string): Promise<void> {
    await readFrames(stream, {
      maxDataLength: MAX_FRAME_BYTES,
      onFrame: async (bytes) => this.onFrame(from, bytes)
    }).catch(err => { this.log('read from %s ended: %s', from, err.message) })
  }

  /** One frame: decoded once, signatures checked, then handed to the core. False aborts the stream. */
  private async onFrame (from: string, bytes: Uint8Array): Promise<boolean> {
    const core = this.core
    if (core == null) {
      return false
    }
    this.counts.framesIn++
    this.counts.bytesIn += bytes.byteLength
    try {
      const frame = decodeFrame(bytes)
      // the sender's bucket first: what is over the rate costs no verification
      if (frame.beacon != null && core.admit('beacon', from, Date.now())) {
        const { beacon, signatureValid } = await this.checkBeacon(frame.beacon, bytes, core.config.maxAddrs, from)
        this.input({ type: 'beacon', from, beacon, signatureValid, admitted: true })
      } else if (frame.query != null && core.admit('query', from, Date.now())) {
        const { query, signatureValid } = await this.checkQuery(frame.query, core.config.maxAddrs, from)
        this.input({ type: 'query', from, query, signatureValid, admitted: true })
      } else if (frame.sealed != null && core.admit('beacon', from, Date.now())) {
        this.input({ type: 'sealed', from, tag: toHex(frame.sealed.tag), wire: bytes, admitted: true })
        const opened = await this.openSealed(frame.sealed, core.config.maxAddrs, from)
        if (opened != null) {
          this.input({ type: 'beacon', from, ...opened, admitted: true })
        }
      } else if (frame.ask != null) {
        this.input({ type: 'ask', from, id: toHex(frame.ask.id), target: this.peers.fromBytes(frame.ask.target) })
      } else if (frame.hint != null) {
        this.input({ type: 'hint', from, id: toHex(frame.hint.id) })
      } else if (frame.reply != null) {
        // a clear beacon in a reply carries its binding when the replier held it (withBinding); else the replier is asked (`from`)
        const beacons = await Promise.all(frame.reply.beacons.map(async b => this.checkBeacon(b, encodeFrame({ beacon: b }), core.config.maxAddrs, from)))
        for (const sealed of frame.reply.sealed) {
          const opened = await this.openSealed(sealed, core.config.maxAddrs, from)
          if (opened == null) {
            this.input({ type: 'frame-dropped', from, reason: 'unopenable' })
          } else {
            beacons.push(opened)
          }
        }
        this.input({ type: 'reply', from, id: toHex(frame.reply.id), beacons })
      }
      return true
    } catch (err: any) {
      this.log('malformed frame from %s: %s', from, err.message)
      this.input({ type: 'frame-dropped', from, reason: 'malformed' })
      return false
    }
  }

  /** A group beacon opened with one of our group keys and its signature checked; undefined for a non-member */
  private async openSealed (sealed: SealedBeacon, maxAddrs: number, via?: string): Promise<{ beacon: BeaconRecord<string>, signatureValid: boolean } | undefined> {
    if (sealed.tag.byteLength !== TAG_BYTES) {
      return undefined
    }
    const now = Date.now()
    await this.keyring?.refresh(now)
    for (const key of this.openingKeys(now)) {
      const plaintext = key.open(sealed.tag, sealed.sealed)
      if (plaintext != null) {
        this.counts.sealedOpened++
        const opened = await this.checkBeacon(BeaconCodec.decode(plaintext), encodeFrame({ sealed }), maxAddrs, via)
        return { ...opened, beacon: { ...opened.beacon, fromGroup: true } }
      }
    }
    return undefined
  }

  private async checkBeacon (raw: Beacon, wire: Uint8Array, maxAddrs: number, via?: string): Promise<{ beacon: BeaconRecord<string>, signatureValid: boolean }> {
    const body = decodeBeaconBody(raw, maxAddrs)
    const peer = this.peers.fromBytes(body.peer)
    const beacon: BeaconRecord<string> = {
      peer,
      seq: Number(body.seq),
      issuedAtMs: Number(body.issuedAtMs),
      expiresAtMs: Number(body.expiresAtMs),
      addrs: body.addrs,
      wire
    }
    const signatureValid = await this.signatures?.verify(peer, BEACON_DOMAIN, raw.body, raw.signature, raw.binding, via) ?? false
    return { beacon, signatureValid }
  }

  private async checkQuery (raw: Query, maxAddrs: number, from: string): Promise<{ query: QueryRecord<string>, signatureValid: boolean }> {
    const body = decodeQueryBody(raw, maxAddrs)
    const origin = this.peers.fromBytes(body.origin)
    const query: QueryRecord<string> = {
      id: toHex(body.id),
      origin,
      target: body.target.byteLength > 0 ? this.peers.fromBytes(body.target) : undefined,
      tags: body.tags.map(toHex),
      scopes: body.scopes.map(toHex),
      hopLimit: body.hopLimit,
      issuedAtMs: Number(body.issuedAtMs),
      ttl: raw.ttl,
      wire: encodeFrame({ query: raw })
    }
    const signatureValid = await this.signatures?.verify(origin, QUERY_DOMAIN, raw.body, raw.signature, raw.binding, from) ?? false
    if (signatureValid && body.originAddrs.length > 0) {
      // replies go straight to the origin, which we are usually not connected to
      await this.components.peerStore.merge(peerIdFromString(origin), { multiaddrs: body.originAddrs.map(bytes => multiaddr(bytes)) }).catch(() => {})
    }
    return { query, signatureValid }
  }

  private service<T> (key: string, factory: string): T {
    return siblingService<T>(this.components, key, () => new PresenceConfigError(`presence() needs ${factory} in the node's services under the key "${key}"`))
  }
}
