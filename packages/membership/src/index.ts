/**
 * @packageDocumentation
 *
 * Membership for Saorsa Gossip: HyParView partial views with SWIM failure
 * detection (and Lifeguard), as pure state machines. The libp2p services that
 * drive them over real streams come in a later release; today the cores run
 * in `@saorsa-gossip/sim`.
 *
 * @example
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
export type { MembershipTimer, MembershipEvent, MembershipEffect, NeighborDownReason, DropCounters } from './core/types.ts'
export { IndexedSet } from './core/indexed-set.ts'
export { encodeFrame, decodeFrame, MAX_FRAME_BYTES, FRAME_LIMITS } from './codec.ts'
export type { PeerCodec, DecodedFrame } from './codec.ts'
export { InvalidFrameError } from './errors.ts'
export { Frame, FrameType, MemberStatus as WireMemberStatus } from './pb/membership.ts'
export { isPeerKey } from './core/hyparview.ts'
