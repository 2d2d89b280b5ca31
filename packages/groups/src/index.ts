/**
 * @packageDocumentation
 *
 * End-to-end encrypted groups for Saorsa Gossip: MLS (RFC 9420, via ts-mls 1.6.4) with a
 * post-quantum cipher suite by default (X-Wing + ML-DSA-87, suite 87), over plumtree topics.
 * Members are named by PeerId: every leaf carries the member's ML-DSA-65 binding record
 * (SPEC.md §3.2), and an authentication service refuses any leaf whose binding does not
 * verify. Commits are ordered without a server (SPEC.md §11.4). Non-members that relay a
 * group's topic see only sizes.
 *
 * - {@link groups}: the libp2p service (needs `pqIdentity()` and `plumtree()` in the node).
 * - {@link GroupCore}: the pure state machine (ordering, buffering, refusals), for simulators.
 *
 * @example
 *
 * ```TypeScript
 * import { groups } from '@saorsa-gossip/groups'
 *
 * const node = await createLibp2p({
 *   // ...transports, identify, pqIdentity(), membership(), plumtree() under `pubsub`
 *   services: { ..., groups: groups({ storeDir: './groups' }) }
 * })
 * const group = await node.services.groups.create('friends')
 * await node.services.groups.invite(group.id, otherPeerId) // fetches its key package, commits, sends the Welcome
 * node.services.groups.addEventListener('message', evt => { console.log(evt.detail.from.toString(), evt.detail.data) })
 * await node.services.groups.send(group.id, new TextEncoder().encode('hello'))
 * ```
 */

import { DefaultGroupsService } from './service.ts'
import type { GroupCoreConfig } from './core/config.ts'
import type { RefusalReason } from './core/types.ts'
import type { AppDataMode } from './mls/provider.ts'
import type { ComponentLogger, PeerId, TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { SecureStreamsCounters, SecureStreamsMode } from '@saorsa-gossip/kit'

export { GroupCore, REFUSAL_REASONS } from './core/group-core.ts'
export type { GroupStart } from './core/group-core.ts'
export { DEFAULT_GROUP_CORE_CONFIG } from './core/config.ts'
export type { GroupCoreConfig } from './core/config.ts'
export { beats, bestBranch } from './core/fork-choice.ts'
export { commitId, rootId } from './core/commit-id.ts'
export { fakeMls } from './core/fake-mls.ts'
export type { FakeMlsState } from './core/fake-mls.ts'
export type * from './core/types.ts'
export type { MlsProvider, MlsState, OwnKeyPackage, AppDataMode, CommitResult } from './mls/provider.ts'
export { createTsMlsProvider } from './mls/ts-mls.ts'
export type { TsMlsProviderInit } from './mls/ts-mls.ts'
export { CredentialVerifier, makeCredential, credentialPeer, leafSigningBytes } from './mls/credential.ts'
export { PROTOCOL, TOPIC_PREFIX, DEFAULT_SUITE } from './constants.ts'
export * from './errors.ts'

export interface GroupsInit {
  /**
   * MLS cipher suite for groups this node creates (RFC 9420 §17.1 id)
   *
   * @default 87 (X-Wing + ML-DSA-87)
   */
  suite?: number
  /**
   * How application data is protected (SPEC.md §11.8): sealed under the epoch's exporter key
   * and authenticated by plumtree's ML-DSA-65 origin signature, or MLS application messages
   *
   * @default 'exporter'
   */
  appData?: AppDataMode
  /** Directory where groups are saved, encrypted with a key derived from the identity (no persistence without it) */
  storeDir?: string
  /**
   * Whether to accept an invitation (asked when a peer requests our key package). Also
   * announced as an `invitation` event.
   *
   * @default accepts every invitation
   */
  acceptInvitation?(invitation: Invitation): boolean | Promise<boolean>
  /** The pure core's limits (rollback window, buffers, head interval) */
  core?: Partial<GroupCoreConfig>
  /** @default 'pubsub' */
  pubsubService?: string
  /** @default 'pqIdentity' */
  identityService?: string
  /**
   * Run this service's streams inside the PQ channel of `pqNoiseService()` on connections
   * that are not PQ Noise already (QUIC, whose TLS key exchange is classical; classic Noise):
   * `'prefer'` offers the secured protocol first and falls back to the plain one for peers
   * without it, `'require'` offers and accepts only the secured one there. One handshake per
   * request stream (invitations, welcomes and chains; group messages ride plumtree, whose own
   * `secureStreams` covers them) (≈ 4 ms of CPU for both ends, 2.9 KB; SPEC.md §2.9, §10.6)
   *
   * @default 'off'
   */
  secureStreams?: SecureStreamsMode
  /**
   * Key of the pqNoiseService() in libp2p's `services`, for `secureStreams`
   *
   * @default 'pqNoise'
   */
  pqNoiseService?: string
}

export interface GroupsComponents {
  peerId: PeerId
  registrar: Registrar
  connectionManager: ConnectionManager
  logger: ComponentLogger
}

export interface Invitation {
  /** group id, hex */
  groupId: string
  name: string
  from: PeerId
  suite: number
}

export interface GroupInfo {
  /** group id, hex (64 characters) */
  id: string
  name: string
  topic: string
  epoch: number
  members: PeerId[]
  suite: number
  /** false once removed */
  member: boolean
}

export interface ExportedSecret {
  /** group id, hex */
  groupId: string
  /** the epoch the secret belongs to */
  epoch: number
  secret: Uint8Array
}

export interface GroupMessageEvent { groupId: string, from: PeerId, epoch: number, data: Uint8Array }

export interface GroupsEvents {
  message: CustomEvent<GroupMessageEvent>
  'members-changed': CustomEvent<{ groupId: string, added: PeerId[], removed: PeerId[], members: PeerId[] }>
  /**
   * After a fork switch: peers a commit of the losing branch added, not members of the winning
   * chain (SPEC.md §11.4). They are re-added (by `adder`, or in turn by the others); listen to
   * tell them out of band if they are not
   */
  stranded: CustomEvent<{ groupId: string, peers: PeerId[], adder: PeerId }>
  epoch: CustomEvent<{ groupId: string, epoch: number }>
  invitation: CustomEvent<Invitation & { accepted: boolean }>
  joined: CustomEvent<GroupInfo>
  removed: CustomEvent<{ groupId: string }>
  refused: CustomEvent<{ groupId: string, from?: PeerId, reason: RefusalReason }>
}

export interface GroupsService extends TypedEventTarget<GroupsEvents> {
  /** Creates a group with this node as its only member (epoch 0) */
  create(name: string, options?: { suite?: number }): Promise<GroupInfo>
  /** Asks `peer` for a key package (it may refuse), commits its addition and sends it the Welcome */
  invite(groupId: string, peer: PeerId): Promise<GroupInfo>
  /** Commits the removal of `peer` */
  remove(groupId: string, peer: PeerId): Promise<GroupInfo>
  /** Asks the members to remove us (RFC 9420 §12.1.3: one cannot commit one's own removal) and forgets the group */
  leave(groupId: string): Promise<void>
  /** Commits a fresh update path: new keys for us and the group (RFC 9420 §12.4, post-compromise security) */
  update(groupId: string): Promise<GroupInfo>
  /**
   * MLS-Exporter(label, group id, length) of the group's current epoch (RFC 9420 §8.5), with that
   * epoch: every member of the epoch derives the same secret, nobody else can, and the next
   * commit replaces it. Labels starting `saorsa-gossip/groups/` are refused (ours), as is a
   * length outside 1..1,024 (`InvalidExportError`)
   */
  exportSecret(groupId: string, label: string, length: number): Promise<ExportedSecret>
  /** Encrypts `data` for the group's current epoch and publishes it on the group's topic */
  send(groupId: string, data: Uint8Array): Promise<{ epoch: number, bytes: number }>
  members(groupId: string): PeerId[]
  list(): GroupInfo[]
  /** Carries the group's topic without membership (a relay sees sizes only) */
  relay(groupId: string): void
  /** Refusals of remote input by reason, over all groups (and relayed topics) */
  refusals(): Record<RefusalReason, number>
  /** Request streams run inside the PQ channel or plain, refused and failed handshakes (`secureStreams`) */
  readonly secureStreamsStats: Readonly<SecureStreamsCounters>
}

/** Factory for libp2p's `services` map */
export function groups (init: GroupsInit = {}): (components: GroupsComponents) => GroupsService {
  return (components) => new DefaultGroupsService(components, init)
}
