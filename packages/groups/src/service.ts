import { randomBytes } from 'node:crypto'
import { TypedEventEmitter, serviceCapabilities, serviceDependencies } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { InvalidConfigError, fromHex, toHex } from '@saorsa-gossip/core'
import { SecureStreams, isOversizeError, peerIdCodec, requestFrame, respondFrame, siblingService } from '@saorsa-gossip/kit'
import { chainFromWire, chainToWire, decodeGroupMessage, decodeReply, decodeRequest, encodeGroupMessage, GroupReply, GroupRequest } from './codec.ts'
import {
  DEFAULT_SUITE, GROUP_ID_LENGTH, INVITATION_TTL, MAX_EXPORT_BYTES, MAX_EXPORT_LABEL_BYTES, MAX_PENDING_INVITATIONS, MAX_REPLY_BYTES, MAX_REQUEST_BYTES,
  MAX_STREAMS, PROTOCOL, REQUEST_TIMEOUT, RESERVED_EXPORTER_PREFIX, TOPIC_PREFIX
} from './constants.ts'
import { rootId } from './core/commit-id.ts'
import { REFUSAL_REASONS } from './core/group-core.ts'
import {
  GroupBusyError, GroupOperationError, GroupsNotStartedError, InvalidExportError, InvitationFailedError, MlsRefusedError, NotAMemberError, UnknownGroupError
} from './errors.ts'
import { GroupRunner } from './group-runner.ts'
import { GroupStore, groupStateKey } from './group-store.ts'
import { createTsMlsProvider } from './mls/ts-mls.ts'
import type { CommitId, GroupEvent, GroupWire, RefusalReason } from './core/types.ts'
import type { RunnerHost, RunnerInit } from './group-runner.ts'
import type { ExportedSecret, GroupInfo, GroupsComponents, GroupsEvents, GroupsInit, GroupsService, Invitation } from './index.ts'
import type { MlsProvider, OwnKeyPackage } from './mls/provider.ts'
import type { Logger, MessageStream, PeerId, Startable } from '@libp2p/interface'
import type { PqIdentityService } from '@saorsa-gossip/identity'
import type { SecureStreamsCounters } from '@saorsa-gossip/kit'

/** What groups() needs of plumtree(): gossipsub's publish / subscribe / 'message' (SPEC.md §7.12) */
interface Pubsub {
  subscribe(topic: string): void
  unsubscribe(topic: string): void
  publish(topic: string, data: Uint8Array, options?: { allowPublishToZeroTopicPeers?: boolean }): Promise<unknown>
  addEventListener(type: 'message', listener: (evt: CustomEvent<PubsubMessage>) => void): void
  removeEventListener(type: 'message', listener: (evt: CustomEvent<PubsubMessage>) => void): void
}
interface PubsubMessage { topic: string, data: Uint8Array, from?: PeerId }

interface PendingInvitation { own: OwnKeyPackage, suite: number, at: number }

/**
 * The libp2p adapter for groups (SPEC.md §11): one GroupRunner (pure core + MLS states) per
 * group, the group's topic on plumtree, and `/saorsa-gossip/groups/1.0.0` for invitations,
 * welcomes and chain requests. All ordering and refusal decisions are the core's.
 */
export class DefaultGroupsService extends TypedEventEmitter<GroupsEvents> implements GroupsService, Startable {
  readonly [Symbol.toStringTag] = '@saorsa-gossip/groups'
  readonly [serviceCapabilities]: string[] = ['@saorsa-gossip/groups']
  readonly [serviceDependencies]: string[] = ['@saorsa-gossip/plumtree', '@saorsa-gossip/identity']
  private readonly components: GroupsComponents
  private readonly init: GroupsInit
  private readonly log: Logger
  private readonly self: string
  private readonly codec = peerIdCodec()
  private readonly runners = new Map<string, GroupRunner>()
  private readonly providers = new Map<string, Promise<MlsProvider>>()
  private readonly pending = new Map<string, PendingInvitation>()
  /** refusals the adapter makes before any core sees the input (relayed topics, bad frames) */
  private readonly adapterRefusals = Object.fromEntries(REFUSAL_REASONS.map(r => [r, 0])) as Record<RefusalReason, number>
  private readonly host: RunnerHost
  /** request streams, plain or inside the PQ channel (`secureStreams`) */
  private readonly streams: SecureStreams
  private pubsub?: Pubsub
  private identity?: PqIdentityService
  private store?: GroupStore

  constructor (components: GroupsComponents, init: GroupsInit = {}) {
    super()
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('saorsa-gossip:groups')
    this.self = components.peerId.toString()
    this.streams = new SecureStreams('groups', PROTOCOL, init.secureStreams)
    this.onMessage = this.onMessage.bind(this)
    this.host = {
      publish: (runner, message) => { this.publish(runner, message) },
      requestChain: (runner, to, fromEpoch) => { this.requestChain(runner, to, fromEpoch) },
      welcome: async (runner, to, epoch, parent, mls) => { await this.sendWelcome(runner, to, epoch, parent, mls) },
      event: (runner, event) => { this.onCoreEvent(runner, event) },
      changed: async (runner) => { await this.save(runner) }
    }
  }

  isStarted (): boolean {
    return this.pubsub != null
  }

  async start (): Promise<void> {
    this.identity = this.service<PqIdentityService>(this.init.identityService ?? 'pqIdentity', 'pqIdentity()')
    const pubsub = this.service<Pubsub>(this.init.pubsubService ?? 'pubsub', 'plumtree()')
    this.streams.resolve(this.components, this.init.pqNoiseService ?? 'pqNoise')
    await this.streams.handle(this.components.registrar, async (stream, connection) => { await this.onStream(stream, connection.remotePeer) }, {
      maxInboundStreams: MAX_STREAMS,
      maxOutboundStreams: MAX_STREAMS
    })
    pubsub.addEventListener('message', this.onMessage)
    this.pubsub = pubsub
  }

  /** Saved groups are loaded once every service has started (our identity's seed is the store key) */
  async afterStart (): Promise<void> {
    if (this.init.storeDir == null || this.identity == null) {
      return
    }
    this.store = new GroupStore(this.init.storeDir, groupStateKey(this.identity.identity.exportSeed()))
    for (const saved of await this.store.loadAll().catch(err => { this.log.error('saved groups unreadable: %s', err.message); return [] })) {
      try {
        const provider = await this.provider(saved.suite)
        this.addRunner({ groupId: saved.groupId, name: saved.name, provider, root: toHex(saved.head), state: provider.decodeState(saved.mlsState) })
      } catch (err: any) {
        this.log.error('saved group %s not loaded: %s', toHex(saved.groupId), err.message)
      }
    }
  }

  async stop (): Promise<void> {
    for (const runner of this.runners.values()) {
      runner.stop()
    }
    await Promise.all([...this.runners.values()].map(async r => this.save(r)))
    this.runners.clear()
    this.pubsub?.removeEventListener('message', this.onMessage)
    this.pubsub = undefined
    await this.streams.unhandle(this.components.registrar)
  }

  // --- application API ---------------------------------------------------------------------------

  async create (name: string, options: { suite?: number } = {}): Promise<GroupInfo> {
    const provider = await this.provider(options.suite ?? this.init.suite ?? DEFAULT_SUITE)
    const groupId = new Uint8Array(randomBytes(GROUP_ID_LENGTH))
    const state = await provider.createGroup(groupId, await provider.createKeyPackage())
    const runner = this.addRunner({ groupId, name, provider, root: rootId(groupId), state })
    await this.save(runner)
    return this.info(runner)
  }

  async invite (groupId: string, peer: PeerId): Promise<GroupInfo> {
    const runner = this.member(groupId)
    const reply = await this.request(peer, { type: GroupRequest.Type.KEY_PACKAGE, groupId: runner.groupId as Uint8Array<ArrayBuffer>, name: runner.name, suite: runner.provider.suite })
      .catch(err => { throw new InvitationFailedError(`No key package from ${peer.toString()}: ${String(err.message)}`, { cause: err }) })
    if (reply.refused || reply.keyPackage.byteLength === 0) {
      throw new InvitationFailedError(`${peer.toString()} declined the invitation`)
    }
    try {
      await runner.provider.checkKeyPackage(reply.keyPackage, peer.toString())
    } catch (err: any) {
      this.refuse(err instanceof MlsRefusedError ? err.reason : 'bad-credential')
      throw new InvitationFailedError(`Key package of ${peer.toString()} refused`, { cause: err })
    }
    await this.commit(runner, { add: [{ peer: peer.toString(), keyPackage: reply.keyPackage }] })
    await runner.welcomeTo(peer.toString())
    return this.info(runner)
  }

  async remove (groupId: string, peer: PeerId): Promise<GroupInfo> {
    const runner = this.member(groupId)
    await this.commit(runner, { remove: [peer.toString()] })
    return this.info(runner)
  }

  async update (groupId: string): Promise<GroupInfo> {
    const runner = this.member(groupId)
    await this.commit(runner, { update: true })
    return this.info(runner)
  }

  async leave (groupId: string): Promise<void> {
    const runner = this.member(groupId)
    await this.pubsubOrThrow().publish(topicOf(groupId), encodeGroupMessage(runner.groupId, { kind: 'leave', epoch: runner.core.epoch, parent: runner.core.head }), { allowPublishToZeroTopicPeers: true })
    this.forget(groupId)
    await this.store?.remove(groupId)
  }

  async exportSecret (groupId: string, label: string, length: number): Promise<ExportedSecret> {
    const runner = this.member(groupId)
    const labelBytes = new TextEncoder().encode(label).byteLength
    if (labelBytes === 0 || labelBytes > MAX_EXPORT_LABEL_BYTES || label.startsWith(RESERVED_EXPORTER_PREFIX)) {
      throw new InvalidExportError(`Exporter label must be 1..${MAX_EXPORT_LABEL_BYTES} bytes and not start with ${RESERVED_EXPORTER_PREFIX}`)
    }
    if (!Number.isSafeInteger(length) || length < 1 || length > MAX_EXPORT_BYTES) {
      throw new InvalidExportError(`Exported secrets are 1..${MAX_EXPORT_BYTES} bytes, asked ${String(length)}`)
    }
    return { groupId, ...await runner.exportSecret(label, length) }
  }

  async send (groupId: string, data: Uint8Array): Promise<{ epoch: number, bytes: number }> {
    const outcome = await this.member(groupId).send(data)
    if (!outcome.ok) {
      throw outcomeError(outcome.reason, 'Sealing failed')
    }
    return { epoch: outcome.epoch, bytes: outcome.bytes }
  }

  members (groupId: string): PeerId[] {
    return this.runner(groupId).core.members.map(p => peerIdFromString(p))
  }

  list (): GroupInfo[] {
    return [...this.runners.values()].map(r => this.info(r))
  }

  relay (groupId: string): void {
    if (fromHex(groupId)?.byteLength !== GROUP_ID_LENGTH) {
      throw new InvalidConfigError('groupId must be 64 hex characters')
    }
    this.pubsubOrThrow().subscribe(topicOf(groupId))
  }

  get secureStreamsStats (): Readonly<SecureStreamsCounters> {
    return this.streams.counters
  }

  refusals (): Record<RefusalReason, number> {
    const out = { ...this.adapterRefusals }
    for (const r of this.runners.values()) {
      for (const reason of REFUSAL_REASONS) {
        out[reason] += r.core.refusals[reason]
      }
    }
    return out
  }

  // --- topic messages ------------------------------------------------------------------------------

  private onMessage (evt: CustomEvent<PubsubMessage>): void {
    const { topic, data, from } = evt.detail
    if (!topic.startsWith(TOPIC_PREFIX)) {
      return
    }
    const id = topic.slice(TOPIC_PREFIX.length)
    let decoded
    try {
      decoded = decodeGroupMessage(data)
    } catch {
      this.refuse('malformed')
      return
    }
    const runner = this.runners.get(id)
    if (toHex(decoded.groupId) !== id || from == null) {
      this.refuse('malformed')
      return
    }
    if (runner == null) {
      // a relay: it carries the topic and reads nothing
      this.refuse('not-in-group')
      return
    }
    runner.input({ type: 'received', from: from.toString(), message: decoded.message })
  }

  private publish (runner: GroupRunner, message: GroupWire): void {
    const id = toHex(runner.groupId)
    this.pubsubOrThrow().publish(topicOf(id), encodeGroupMessage(runner.groupId, message), { allowPublishToZeroTopicPeers: true })
      .catch(err => { this.log('publish on %s failed: %s', id, err.message) })
  }

  // --- the stream protocol: invitations, welcomes, chains (SPEC.md §11.5) -------------------------

  private async request (peer: PeerId, request: Partial<GroupRequest>): Promise<GroupReply> {
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT)
    const connection = await this.components.connectionManager.openConnection(peer, { signal })
    const stream = await this.streams.open(connection, { signal })
    return requestFrame(stream, GroupRequest.encode(request), { maxDataLength: MAX_REPLY_BYTES, signal, onReply: (bytes) => decodeReply(bytes) })
  }

  private async onStream (stream: MessageStream, remote: PeerId): Promise<void> {
    try {
      await respondFrame(stream, {
        maxDataLength: MAX_REQUEST_BYTES,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT),
        onRequest: async (bytes) => GroupReply.encode(await this.answer(decodeRequest(bytes), remote))
      })
    } catch (err: any) {
      this.refuse(isOversizeError(err) ? 'oversize' : 'malformed')
      this.log('request from %s failed: %s', remote.toString(), err.message)
    }
  }

  private async answer (request: GroupRequest, remote: PeerId): Promise<Partial<GroupReply>> {
    const id = toHex(request.groupId)
    switch (request.type) {
      case GroupRequest.Type.KEY_PACKAGE: return this.answerInvitation(request, remote)
      case GroupRequest.Type.WELCOME: return this.answerWelcome(request)
      case GroupRequest.Type.CHAIN: {
        const commits = this.runners.get(id)?.core.answerChain(remote.toString(), Number(request.epoch))
        return commits == null ? { refused: true } : { commits: chainToWire(commits, this.codec) }
      }
      default: return { refused: true }
    }
  }

  private async answerInvitation (request: GroupRequest, remote: PeerId): Promise<Partial<GroupReply>> {
    const invitation: Invitation = { groupId: toHex(request.groupId), name: request.name, from: remote, suite: request.suite === 0 ? DEFAULT_SUITE : request.suite }
    const accepted = request.groupId.byteLength === GROUP_ID_LENGTH && await (this.init.acceptInvitation?.(invitation) ?? true)
    this.safeDispatchEvent('invitation', { detail: { ...invitation, accepted } })
    if (!accepted) {
      this.refuse('invitation-refused')
      return { refused: true }
    }
    const own = await (await this.provider(invitation.suite)).createKeyPackage()
    const now = Date.now()
    for (const [key, p] of this.pending) {
      if (p.at + INVITATION_TTL < now || this.pending.size >= MAX_PENDING_INVITATIONS) {
        this.pending.delete(key)
      }
    }
    this.pending.set(invitation.groupId, { own, suite: invitation.suite, at: now })
    return { keyPackage: own.keyPackage as Uint8Array<ArrayBuffer> }
  }

  /** A Welcome opens only with the key package we gave for that group (RFC 9420 §12.4.3.1) */
  private async answerWelcome (request: GroupRequest): Promise<Partial<GroupReply>> {
    const id = toHex(request.groupId)
    const pending = this.pending.get(id)
    if (pending == null) {
      this.refuse('welcome-not-for-us')
      return { refused: true }
    }
    const provider = await this.provider(pending.suite)
    let state
    try {
      state = await provider.join(request.mls, pending.own)
    } catch (err: any) {
      this.refuse(err instanceof MlsRefusedError ? err.reason : 'welcome-not-for-us')
      return { refused: true }
    }
    const epoch = provider.epoch(state)
    if (toHex(provider.groupId(state)) !== id || epoch !== Number(request.epoch) || !provider.members(state).includes(this.self) || request.parent.byteLength !== 32) {
      this.refuse('welcome-not-for-us')
      return { refused: true }
    }
    const existing = this.runners.get(id)
    if (existing != null && existing.core.status === 'member' && existing.core.epoch >= epoch) {
      this.refuse('replayed')
      return { refused: true }
    }
    // a re-add after our branch lost (§11.4) replaces the orphaned state
    this.forget(id)
    const runner = this.addRunner({ groupId: request.groupId, name: request.name, provider, root: toHex(request.parent), state })
    await this.save(runner)
    this.safeDispatchEvent('joined', { detail: this.info(runner) })
    return { refused: false }
  }

  private async sendWelcome (runner: GroupRunner, to: string, epoch: number, parent: CommitId, mls: Uint8Array): Promise<void> {
    const reply = await this.request(peerIdFromString(to), {
      type: GroupRequest.Type.WELCOME,
      groupId: runner.groupId as Uint8Array<ArrayBuffer>,
      name: runner.name,
      suite: runner.provider.suite,
      epoch,
      parent: fromHex(parent) as Uint8Array<ArrayBuffer>,
      mls: mls as Uint8Array<ArrayBuffer>
    })
    if (reply.refused) {
      throw new InvitationFailedError(`${to} refused the Welcome`)
    }
  }

  private requestChain (runner: GroupRunner, to: string, fromEpoch: number): void {
    this.request(peerIdFromString(to), { type: GroupRequest.Type.CHAIN, groupId: runner.groupId as Uint8Array<ArrayBuffer>, epoch: fromEpoch })
      .then(reply => {
        if (reply.refused) {
          return
        }
        let commits
        try {
          commits = chainFromWire(reply.commits, this.codec)
        } catch {
          this.refuse('malformed')
          return
        }
        runner.input({ type: 'chain-reply', from: to, commits })
      })
      .catch(err => { this.log('chain request to %s failed: %s', to, err.message) })
  }

  // --- groups --------------------------------------------------------------------------------------

  private addRunner (init: Omit<RunnerInit, 'self' | 'config'>): GroupRunner {
    const runner = new GroupRunner({ ...init, self: this.self, config: this.init.core }, this.host)
    const id = toHex(init.groupId)
    this.runners.set(id, runner)
    this.pubsubOrThrow().subscribe(topicOf(id))
    runner.start()
    return runner
  }

  private forget (id: string): void {
    const runner = this.runners.get(id)
    if (runner != null) {
      runner.stop()
      this.runners.delete(id)
      this.pubsub?.unsubscribe(topicOf(id))
    }
  }

  private onCoreEvent (runner: GroupRunner, event: GroupEvent<string>): void {
    const groupId = toHex(runner.groupId)
    switch (event.type) {
      case 'message': this.safeDispatchEvent('message', { detail: { groupId, from: peerIdFromString(event.from), epoch: event.epoch, data: event.data } }); break
      case 'epoch': this.safeDispatchEvent('epoch', { detail: { groupId, epoch: event.epoch } }); break
      case 'members-changed':
        this.safeDispatchEvent('members-changed', { detail: { groupId, added: event.added.map(p => peerIdFromString(p)), removed: event.removed.map(p => peerIdFromString(p)), members: event.members.map(p => peerIdFromString(p)) } })
        break
      case 'removed': this.safeDispatchEvent('removed', { detail: { groupId } }); void this.store?.remove(groupId); break
      case 'refused': this.safeDispatchEvent('refused', { detail: { groupId, from: event.from == null ? undefined : peerIdFromString(event.from), reason: event.reason } }); break
      case 'stranded':
        this.safeDispatchEvent('stranded', { detail: { groupId, peers: event.peers.map(p => peerIdFromString(p)), adder: peerIdFromString(event.adder) } })
        break
      case 're-add':
        // our turn to re-add a peer stranded on a losing branch (§11.4): a fresh invitation, so a fresh key package
        this.invite(groupId, peerIdFromString(event.peer))
          .catch(err => { this.log('re-adding %s to %s failed: %s', event.peer, groupId, err.message) })
        break
      default: this.log('group %s: %s', groupId, event.type); break
    }
  }

  private async commit (runner: GroupRunner, changes: Parameters<GroupRunner['commit']>[0]): Promise<void> {
    const outcome = await runner.commit(changes)
    if (!outcome.ok) {
      throw outcomeError(outcome.reason, 'Commit failed')
    }
  }

  private async save (runner: GroupRunner): Promise<void> {
    if (this.store == null || runner.core.status !== 'member' || this.runners.get(toHex(runner.groupId)) !== runner) {
      return
    }
    await this.store.save(toHex(runner.groupId), {
      groupId: runner.groupId as Uint8Array<ArrayBuffer>,
      name: runner.name,
      mlsState: runner.provider.encodeState(runner.headState) as Uint8Array<ArrayBuffer>,
      head: fromHex(runner.core.head) as Uint8Array<ArrayBuffer>,
      epoch: runner.core.epoch,
      suite: runner.provider.suite
    }).catch(err => { this.log.error('saving group failed: %s', err.message) })
  }

  private async provider (suite: number): Promise<MlsProvider> {
    const appData = this.init.appData ?? 'exporter'
    const key = `${suite}/${appData}`
    let provider = this.providers.get(key)
    if (provider == null) {
      const identity = this.identity
      if (identity == null) {
        throw new GroupsNotStartedError()
      }
      provider = createTsMlsProvider({ suite, appData, binding: identity.binding, sign: async (data) => identity.sign(data) })
      this.providers.set(key, provider)
      provider.catch(() => { this.providers.delete(key) })
    }
    return provider
  }

  private runner (groupId: string): GroupRunner {
    const runner = this.runners.get(groupId)
    if (runner == null) {
      throw new UnknownGroupError(`No group ${groupId}`)
    }
    return runner
  }

  private member (groupId: string): GroupRunner {
    const runner = this.runner(groupId)
    if (runner.core.status !== 'member') {
      throw new NotAMemberError(`Not a member of ${groupId}`)
    }
    return runner
  }

  private info (runner: GroupRunner): GroupInfo {
    const id = toHex(runner.groupId)
    return { id, name: runner.name, topic: topicOf(id), epoch: runner.core.epoch, members: runner.core.members.map(p => peerIdFromString(p)), suite: runner.provider.suite, member: runner.core.status === 'member' }
  }

  private refuse (reason: RefusalReason): void {
    this.adapterRefusals[reason]++
  }

  private pubsubOrThrow (): Pubsub {
    if (this.pubsub == null) {
      throw new GroupsNotStartedError()
    }
    return this.pubsub
  }

  private service<T> (key: string, factory: string): T {
    return siblingService<T>(this.components, key, () => new InvalidConfigError(`groups() needs ${factory} in the node's services under the key "${key}"`))
  }
}

function outcomeError (reason: 'not-in-group' | 'failed' | 'queue-full', failed: string): Error {
  switch (reason) {
    case 'not-in-group': return new NotAMemberError()
    case 'queue-full': return new GroupBusyError()
    default: return new GroupOperationError(failed)
  }
}

function topicOf (groupId: string): string {
  return `${TOPIC_PREFIX}${groupId}`
}
