/**
 * @packageDocumentation
 *
 * Pubsub for Saorsa Gossip: Plumtree epidemic broadcast trees over per-topic
 * overlays with rateless-IBLT anti-entropy, as a pure protocol core
 * ({@link PubsubCore}), and `plumtree()`, the libp2p service with
 * `@libp2p/gossipsub` 17's API that drives it.
 *
 * @example Replacing gossipsub
 *
 * ```TypeScript
 * import { identify } from '@libp2p/identify'
 * import { pqIdentity } from '@saorsa-gossip/identity'
 * import { membership } from '@saorsa-gossip/membership'
 * import { plumtree } from '@saorsa-gossip/pubsub'
 *
 * const node = await createLibp2p({
 *   // transports, connectionEncrypters, streamMuxers as usual
 *   services: {
 *     identify: identify(),
 *     pqIdentity: pqIdentity(),
 *     membership: membership({ bootstrap: ['/ip4/192.0.2.1/tcp/4001/p2p/12D3KooW...'] }),
 *     pubsub: plumtree() // was: gossipsub()
 *   }
 * })
 * node.services.pubsub.subscribe('chat')
 * node.services.pubsub.addEventListener('message', (evt) => { console.log(evt.detail.from, evt.detail.data) })
 * await node.services.pubsub.publish('chat', new TextEncoder().encode('hello'))
 * ```
 *
 * @example The pure core
 *
 * ```TypeScript
 * import { PubsubCore } from '@saorsa-gossip/pubsub'
 * import { createRng } from '@saorsa-gossip/core'
 *
 * const core = new PubsubCore('me', createRng(1))
 * core.start(0)
 * core.handle({ type: 'subscribe', topic: 'chat' }, 0)
 * core.handle({ type: 'neighbor-up', peer: 'other' }, 5) // → SUBSCRIPTIONS to 'other'
 * ```
 */

export { PubsubCore } from './core/pubsub.ts'
export type { PubsubCoreInit } from './core/pubsub.ts'
export { DEFAULT_PUBSUB_CONFIG, resolvePubsubConfig } from './core/config.ts'
export type { PubsubConfig } from './core/config.ts'
export { ANTI_ENTROPY_TYPES } from './core/messages.ts'
export type * from './core/messages.ts'
export type { PubsubInput, PubsubEvent, PubsubEffect, PubsubStats, PubsubTimer, ValidationResult, PenaltyReason, PublishOutcome } from './core/types.ts'
export { RibltEncoder, RibltDecoder, keyChecksum, symbolBytes, RIBLT_KEY_BYTES } from './core/riblt.ts'
export type { CodedSymbol } from './core/riblt.ts'
export { shortId } from './core/message-store.ts'
export { encodeRpc, decodeRpc, RPC_LIMITS } from './codec.ts'
export type { PubsubPeerCodec } from './codec.ts'
export { InvalidFrameError } from './errors.ts'
export { ORIGIN_DOMAIN, ORIGIN_LIMITS, originMessageId, originSigningBytes, encodeOriginHeader, decodeOriginHeader, signOrigin, checkOriginStructure, checkOriginFields } from './origin.ts'
export type { OriginFields, DecodedOrigin, CheckedOrigin } from './origin.ts'
export { PeerScores, DEFAULT_SCORE_CONFIG, resolveScoreConfig } from './core/score.ts'
export type { ScoreConfig, ScoreEvent } from './core/score.ts'

export { PROTOCOL as PLUMTREE_PROTOCOL } from './constants.ts'
export { TopicValidatorResult } from './api.ts'
export type { Message, SignedMessage, UnsignedMessage, TopicValidatorFn, PublishResult, PublishOpts, Subscription, SubscriptionChangeData, PlumtreeServiceEvents, PlumtreeInit, PlumtreeComponents, PlumtreeService, ForwardResult } from './api.ts'
export { NotStartedError, NoPeersSubscribedToTopicError, MessageTooLargeError, DuplicatePublishError, InvalidTopicError, PlumtreeConfigError, InvalidSignatureError } from './errors.ts'
export { LIBP2P_SIGN_PREFIX, LIBP2P_SIGNER_PREFIX, libp2pMessageId, libp2pSigningBytes, encodeLibp2pOrigin, verifyLibp2pOrigin } from './libp2p-origin.ts'
export type { Libp2pOrigin } from './libp2p-origin.ts'
export { BridgeCore, DEFAULT_BRIDGE_CONFIG } from './core/bridge.ts'
export type { BridgeConfig } from './core/bridge.ts'
export { BRIDGE_TOPIC, MAX_BRIDGED_TOPICS } from './bridge.ts'
export type { BridgeInit, BridgeService, BridgeStats, BridgeComponents, LibP2pPubsubLike } from './bridge.ts'
export { PlumtreeStats, flattenCore } from './stats.ts'
export type { AdapterDrop } from './stats.ts'
export { libp2pPubsubCodec } from './peer-codec.ts'

import { DefaultBridgeService } from './bridge.ts'
import { DefaultPlumtreeService } from './service.ts'
import type { PlumtreeService as Service, PlumtreeComponents as Components, PlumtreeInit as Init } from './api.ts'
import type { BridgeComponents, BridgeInit, BridgeService } from './bridge.ts'

/**
 * Plumtree pubsub as a libp2p service, a drop-in for `gossipsub()`. Needs
 * `membership()` and `pqIdentity()` in the same node (keys configurable).
 */
export function plumtree (init: Init = {}): (components: Components) => Service {
  return (components) => new DefaultPlumtreeService(components, init)
}

/**
 * A gossipsub ↔ plumtree bridge, for a node running both during a migration (SPEC.md §7.14):
 * `services: { gossipsub: gossipsub(), plumtree: plumtree(), bridge: bridge({ topics: ['chat'] }) }`.
 * Gossipsub authors' messages reach plumtree under their own signatures; plumtree
 * publishers' messages reach gossipsub signed by the bridge. Several bridges may serve a
 * topic: each message is delivered once on each side.
 */
export function bridge (init: BridgeInit): (components: BridgeComponents) => BridgeService {
  return (components) => new DefaultBridgeService(components, init)
}
