/**
 * @packageDocumentation
 *
 * `presence()`: libp2p peer routing and peer discovery without a DHT (SPEC.md §8). Every node
 * signs a presence beacon (ML-DSA-65, with its address hints) and sends it to its membership
 * neighbours and, with a pubsub service beside it, to its topic neighbours, which pass it on to
 * theirs; `findPeer(id)` answers from those records, else asks a friend-of-a-friend query,
 * signed by the origin, that walks the origin's topics first, travels at most 3 hops with
 * fan-out 3, and whose answers come straight back to the origin.
 *
 * @example Replacing `kadDHT()` in a services block
 *
 * ```TypeScript
 * import { createLibp2p } from 'libp2p'
 * import { pqIdentity } from '@saorsa-gossip/identity'
 * import { membership } from '@saorsa-gossip/membership'
 * import { presence } from '@saorsa-gossip/presence'
 *
 * const node = await createLibp2p({
 *   // transports, encrypters, muxers as usual
 *   services: {
 *     pqIdentity: pqIdentity(),
 *     membership: membership({ bootstrap: ['/ip4/192.0.2.1/tcp/4001/p2p/12D3KooW...'] }),
 *     presence: presence() // instead of kadDHT()
 *   }
 * })
 *
 * const info = await node.peerRouting.findPeer(somePeerId)
 * await node.dial(info.id)
 * ```
 */

import { DefaultPresenceService } from './service.ts'
import type { DropReason, PresenceConfig } from './core/index.ts'
import type { GroupSecretSource } from './group-keys.ts'
import type { ComponentLogger, Libp2pEvents, PeerDiscovery, PeerDiscoveryEvents, PeerId, PeerRouting, PeerStore, TypedEventTarget } from '@libp2p/interface'
import type { AddressManager, ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { SecureStreamsCounters, SecureStreamsMode } from '@saorsa-gossip/kit'

export { PresenceCore, DEFAULT_PRESENCE_CONFIG, presenceConfig, refuseBeacon, TokenBuckets, DROP_REASONS } from './core/index.ts'
export type { PresenceConfig, BeaconRecord, QueryRecord, PresenceInput, PresenceEvent, PresenceMessage, PresenceTimer, PresenceEffect, DropReason, DropCounts } from './core/index.ts'
export { Beacon, BeaconBody, Query, QueryBody, Reply, PresenceFrame, SealedBeacon } from './pb/presence.ts'
export { PROTOCOL, BEACON_DOMAIN, QUERY_DOMAIN, MAX_FRAME_BYTES, MAX_REPLY_BEACONS } from './constants.ts'
export * from './errors.ts'
export { GroupKey, PRESENCE_EXPORTER_LABEL, HOUR_MS } from './group-keys.ts'
export type { GroupPresenceSecret, GroupSecretSource } from './group-keys.ts'
export { GroupKeyring, GROUP_KEY_EVENTS } from './mls-keys.ts'
export type { GroupsSource } from './mls-keys.ts'

export interface PresenceInit {
  /** Core parameters (SPEC.md §8.7); each defaults to DEFAULT_PRESENCE_CONFIG */
  config?: Partial<PresenceConfig>
  /**
   * The 32-byte secrets of the groups this node is in, exported from each group's MLS state
   * under {@link PRESENCE_EXPORTER_LABEL} (RFC 9420 §8.5). With them beacons are sealed per
   * group and lookups carry tags instead of the target's id (SPEC.md §8.3).
   */
  groupSecrets?: GroupSecretSource
  /**
   * Which beacons to send: signed in clear ('public', for open topics), sealed per group
   * ('groups'), or both
   *
   * @default 'groups' with groupSecrets, else 'public'
   */
  mode?: 'public' | 'groups' | 'both'
  /**
   * Key of groups() (`@saorsa-gossip/groups`) in the node's services: the presence secret of
   * every group this node is a member of is exported from its MLS state (`exportSecret` with
   * {@link PRESENCE_EXPORTER_LABEL}) and follows its epochs, our beacon re-sealed at each
   * change; the previous epoch's key is still accepted for `groupEpochGraceMs` (SPEC.md §8.3).
   * Missing service: `PresenceConfigError` at start
   *
   * @default none (no keys from groups())
   */
  groupsService?: string
  /**
   * Key of the pubsub service (plumtree() or gossipsub(): anything with `getTopics()` and
   * `getMeshPeers(topic)`) whose topic views scope our lookups: topic neighbours get our beacon
   * and those of their other topic neighbours, and a lookup walks the topics we are in first
   * (SPEC.md §8.4). No service under the key: lookups walk the membership overlay only;
   * `false` turns scoping off
   *
   * @default 'pubsub'
   */
  pubsubService?: string | false
  /** Seed of the fan-out choice (default: peer id and start time) */
  seed?: string
  /**
   * Key of membership() in the node's services
   *
   * @default 'membership'
   */
  membershipService?: string
  /**
   * Key of pqIdentity() in the node's services
   *
   * @default 'pqIdentity'
   */
  identityService?: string
  /**
   * Run this service's streams inside the PQ channel of `pqNoiseService()` on connections
   * that are not PQ Noise already (QUIC, whose TLS key exchange is classical; classic Noise):
   * `'prefer'` offers the secured protocol first and falls back to the plain one for peers
   * without it, `'require'` offers and accepts only the secured one there. One handshake per
   * stream (beacons, queries and answers) (≈ 4 ms of CPU for both ends, 2.9 KB; SPEC.md §2.9, §10.6)
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

export interface PresenceComponents {
  peerId: PeerId
  registrar: Registrar
  connectionManager: ConnectionManager
  addressManager: AddressManager
  peerStore: PeerStore
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}

export interface PresenceStats {
  framesIn: number
  bytesIn: number
  framesOut: number
  bytesOut: number
  /** of those, lookup frames (asks, hints, queries, replies): what lookups cost, beacons apart */
  lookupFramesOut: number
  lookupBytesOut: number
  /** group beacons one of our group keys opened (before their signature check) */
  sealedOpened: number
  /** beacon records held */
  records: number
  beaconsAccepted: number
  /** beacons of topic neighbours passed on to our other neighbours in that topic (SPEC.md §8.4) */
  beaconsRelayed: number
  /** group beacons kept by tag (opaque or not) */
  sealedStored: number
  queriesForwarded: number
  queriesAnswered: number
  repliesAccepted: number
  /** asks we sent, asks we answered with a record, our lookups an asked neighbour's reply answered (SPEC.md §8.4) */
  asksSent: number
  asksAnswered: number
  asksReplied: number
  /** bad remote input dropped, by reason */
  drops: Record<DropReason, number>
}

export type PresenceServiceEvents = PeerDiscoveryEvents

export interface PresenceService extends PeerRouting, PeerDiscovery, TypedEventTarget<PresenceServiceEvents> {
  /** Frame, byte, acceptance and drop counters */
  readonly stats: PresenceStats
  /** Streams run inside the PQ channel or plain, refused and failed handshakes (`secureStreams`) */
  readonly secureStreamsStats: Readonly<SecureStreamsCounters>
}

/** Factory for libp2p's `services` map */
export function presence (init: PresenceInit = {}): (components: PresenceComponents) => PresenceService {
  return (components) => new DefaultPresenceService(components, init)
}
