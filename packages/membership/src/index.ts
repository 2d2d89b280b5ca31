/**
 * @packageDocumentation
 *
 * Membership for Saorsa Gossip: HyParView partial views with SWIM failure
 * detection (and Lifeguard), as pure state machines, and `membership()`, the
 * libp2p service that runs them over `/saorsa-gossip/membership/1.0.0`.
 *
 * @example Adding the service to a libp2p node
 *
 * ```TypeScript
 * import { identify } from '@libp2p/identify'
 * import { membership } from '@saorsa-gossip/membership'
 *
 * const node = await createLibp2p({
 *   // transports, connectionEncrypters, streamMuxers as usual
 *   services: {
 *     identify: identify(),
 *     membership: membership({ bootstrap: ['/ip4/192.0.2.1/tcp/4001/p2p/12D3KooW...'] })
 *   }
 * })
 * node.services.membership.addEventListener('neighbor-up', (evt) => { console.log('neighbour', evt.detail.peer) })
 * node.services.membership.activeView()
 * ```
 *
 * @example The pure core
 *
 * ```TypeScript
 * import { Membership } from '@saorsa-gossip/membership'
 * import { createRng } from '@saorsa-gossip/core'
 *
 * const node = new Membership('a', createRng(1))
 * let effects = node.start(0, ['contact'])
 * // deliver effects: send → network, schedule-timer → timers, emit → application
 * effects = node.handle({ type: 'message', from: 'contact', message: { proto: 'hpv', type: 'neighbor-reply', accepted: true } }, 10)
 * ```
 */

export { HyParView, MAX_SHUFFLE_PEERS } from './core/hyparview.ts'
export { DEFAULT_HYPARVIEW_CONFIG, resolveHyParViewConfig } from './core/hyparview-config.ts'
export type { HyParViewConfig } from './core/hyparview-config.ts'
export { Swim } from './core/swim.ts'
export type { SwimStats } from './core/swim.ts'
export { DEFAULT_SWIM_CONFIG, resolveSwimConfig } from './core/swim-config.ts'
export type { SwimConfig } from './core/swim-config.ts'
export { suspicionTimeout, scaledTimeout, adjustLocalHealth } from './core/suspicion.ts'
export { Membership } from './core/membership.ts'
export type { MembershipConfig, MembershipInput } from './core/membership.ts'
export type { HyParViewMessage, SwimMessage, MembershipMessage, MemberUpdate, MemberStatus } from './core/messages.ts'
export type { MembershipTimer, MembershipEvent, MembershipEffect, CoreEffect, InternalEvent, NeighborDownReason, DropCounters } from './core/types.ts'
export { IndexedSet } from '@saorsa-gossip/core'
export { encodeFrame, decodeFrame, MAX_FRAME_BYTES, FRAME_LIMITS } from './codec.ts'
export type { PeerCodec, DecodedFrame } from './codec.ts'
export { InvalidFrameError } from './errors.ts'
export { Frame, FrameType, MemberStatus as WireMemberStatus } from './pb/membership.ts'
export { isPeerKey } from './core/hyparview.ts'

export { PROTOCOL as MEMBERSHIP_PROTOCOL, TAG_ACTIVE } from './constants.ts'
export { MembershipStats } from './stats.ts'
export { libp2pPeerCodec } from './peer-codec.ts'

import { peerDiscoverySymbol } from '@libp2p/interface'
import { DefaultMembershipService } from './service.ts'
import type { HyParViewConfig as HvConfig } from './core/hyparview-config.ts'
import type { SwimConfig as SwConfig } from './core/swim-config.ts'
import type { SwimStats as SwStats } from './core/swim.ts'
import type { NeighborDownReason as DownReason } from './core/types.ts'
import type { MembershipStats as Stats } from './stats.ts'
import type { ComponentLogger, Libp2pEvents, Metrics, PeerDiscovery, PeerDiscoveryEvents, PeerId, PeerStore, TypedEventTarget } from '@libp2p/interface'
import type { AddressManager, ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { OutboundCounters, SecureStreamsCounters, SecureStreamsMode } from '@saorsa-gossip/kit'
import type { Datastore } from 'interface-datastore'

export interface MembershipInit {
  /**
   * Multiaddrs (with /p2p/) to join through. Without any: the views saved by the last run,
   * then peers that libp2p's bootstrap discovery tagged `bootstrap` in the peer store.
   */
  bootstrap?: string[]
  /** HyParView parameters (SPEC.md §5.2) */
  hyparview?: Partial<HvConfig>
  /** SWIM parameters (SPEC.md §6.6) */
  swim?: Partial<SwConfig>
  /** Seed of the core's RNG (default: peer id and start time) */
  seed?: string
  /**
   * Largest frame accepted, bytes
   *
   * @default 65536
   */
  maxFrameBytes?: number
  /**
   * How often the views are saved to the datastore, ms
   *
   * @default 30000
   */
  persistInterval?: number
  /** @default 10000 */
  dialTimeout?: number
  /** @default 10000 */
  writeTimeout?: number
  /**
   * After a peer leaves the active view, its stream (and the connection, if only this
   * protocol uses it) is closed after this delay, ms
   *
   * @default 1000
   */
  releaseDelay?: number
  /**
   * Close a connection this service dialled (a SHUFFLE_REPLY to a walk's origin, a NEIGHBOR
   * request that was refused) once no service holds the peer and no other protocol's stream
   * is open on it, after 30 s (SPEC.md §2.8); HyParView's temporary connections
   *
   * @default true
   */
  closeIdleConnections?: boolean
  /**
   * Run this service's streams inside the PQ channel of `pqNoiseService()` on connections
   * that are not PQ Noise already (QUIC, whose TLS key exchange is classical; classic Noise):
   * `'prefer'` offers the secured protocol first and falls back to the plain one for peers
   * without it, `'require'` offers and accepts only the secured one there. One handshake per
   * stream (≈ 4 ms of CPU for both ends, 2.9 KB; SPEC.md §2.9, §10.6)
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

export interface MembershipComponents {
  peerId: PeerId
  registrar: Registrar
  connectionManager: ConnectionManager
  addressManager: AddressManager
  peerStore: PeerStore
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
  datastore?: Datastore
  metrics?: Metrics
}

export interface MembershipServiceEvents {
  'neighbor-up': CustomEvent<{ peer: PeerId }>
  'neighbor-down': CustomEvent<{ peer: PeerId, reason: DownReason }>
  'peer-suspect': CustomEvent<{ peer: PeerId, incarnation: number }>
  'peer-alive': CustomEvent<{ peer: PeerId, incarnation: number }>
  'peer-dead': CustomEvent<{ peer: PeerId, incarnation: number }>
  /**
   * a membership frame from the peer arrived (a SWIM ping or ack, a shuffle…): it is alive now.
   * Other services take it as liveness of their own links with the peer (pubsub's topic links
   * are not pinged while it keeps coming: SPEC.md §7.13)
   */
  'peer-heard': CustomEvent<{ peer: PeerId }>
}

export interface MembershipService extends TypedEventTarget<MembershipServiceEvents & PeerDiscoveryEvents> {
  /** libp2p peer discovery: peers learnt from the overlay are emitted as `peer` events */
  readonly [peerDiscoverySymbol]: PeerDiscovery
  /**
   * Another service read a frame from `peer` (pubsub calls it for each of its frames): SWIM
   * takes it as a sign of life and skips a probe that frame already answered (SPEC.md §6.2)
   */
  heard(peer: PeerId | string): void
  /** Peers in the HyParView active view (connected, monitored by SWIM) */
  activeView(): PeerId[]
  /** Peers in the passive view (known, used for repair) */
  passiveView(): PeerId[]
  /** Message, byte, drop and event counters */
  readonly stats: Stats
  /** Streams run inside the PQ channel or plain, refused and failed handshakes (`secureStreams`) */
  readonly secureStreamsStats: Readonly<SecureStreamsCounters>
  /** SWIM's probe and verdict counters (probes, probes answered by traffic, suspicions…); undefined before start */
  readonly swimStats: Readonly<SwStats> | undefined
  /** Outbound writes and frames, and dials abandoned because the peer connected to us first (SPEC.md §2.10) */
  readonly outboundStats: Readonly<OutboundCounters>
}

/** HyParView + SWIM as one libp2p service (SPEC.md §5.3: one protocol for the composed core) */
export function membership (init: MembershipInit = {}): (components: MembershipComponents) => MembershipService {
  return (components) => new DefaultMembershipService(components, init)
}
