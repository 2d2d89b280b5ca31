/**
 * @packageDocumentation
 *
 * Pubsub for Saorsa Gossip: Plumtree epidemic broadcast trees over per-topic
 * overlays with rateless-IBLT anti-entropy, as a pure protocol core
 * ({@link PubsubCore}). The libp2p service `plumtree()` drives it.
 *
 * @example
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
export type { PubsubInput, PubsubEvent, PubsubEffect, PubsubStats, PubsubTimer, ValidationResult, PenaltyReason } from './core/types.ts'
export { RibltEncoder, RibltDecoder, keyChecksum, symbolBytes, RIBLT_KEY_BYTES } from './core/riblt.ts'
export type { CodedSymbol } from './core/riblt.ts'
export { shortId } from './core/message-store.ts'
export { encodeRpc, decodeRpc, RPC_LIMITS } from './codec.ts'
export type { PubsubPeerCodec } from './codec.ts'
export { InvalidFrameError } from './errors.ts'
export { ORIGIN_DOMAIN, ORIGIN_LIMITS, originMessageId, originSigningBytes, encodeOriginHeader, decodeOriginHeader, signOrigin, checkOriginStructure } from './origin.ts'
export type { OriginFields, DecodedOrigin, CheckedOrigin } from './origin.ts'
export { PeerScores, DEFAULT_SCORE_CONFIG, resolveScoreConfig } from './core/score.ts'
export type { ScoreConfig, ScoreEvent } from './core/score.ts'
