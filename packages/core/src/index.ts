/**
 * @packageDocumentation
 *
 * Pure building blocks shared by every Saorsa Gossip protocol core. Nothing
 * here performs I/O, reads a clock or draws unseeded randomness: time is a
 * number passed in, randomness comes from a seeded {@link Rng}.
 *
 * - {@link TopicId}: 32-byte topic ids, from a name (BLAKE3) or from bytes.
 * - {@link deriveMessageId}: 32-byte message ids any receiver can recompute.
 * - {@link createRng}: a seeded, splittable deterministic RNG.
 * - Effect types (`send`, `schedule-timer`, `cancel-timer`, `disconnect`, `emit`).
 * - {@link LruTtlCache} and {@link SeenIds}: bounded caches keyed on `now`.
 *
 * @example
 *
 * ```TypeScript
 * import { TopicId, deriveMessageId, createRng, SeenIds } from '@saorsa-gossip/core'
 *
 * const topic = TopicId.fromString('chat')
 * const id = deriveMessageId({ topic, epoch: 1n, signer: new Uint8Array(32), payload: new TextEncoder().encode('hi') })
 *
 * const seen = new SeenIds({ maxEntries: 10_000, ttl: 120_000 })
 * seen.add(id, 0) // true: first sight
 * seen.add(id, 1_000) // false: duplicate
 *
 * const rng = createRng(42).fork('hyparview')
 * rng.int(10)
 * ```
 */

export { toHex, bytesKey, fromHex, bytesEqual, concatBytes, u64be } from './bytes.ts'
export { GossipError, InvalidConfigError, InvalidTopicIdError, InvalidMessageIdError, InvalidSeedError } from './errors.ts'
export { TopicId, TOPIC_ID_LENGTH } from './topic-id.ts'
export { deriveMessageId, payloadHash, assertMessageId, MESSAGE_ID_LENGTH, MAX_SIGNER_LENGTH } from './message-id.ts'
export type { MessageIdInput } from './message-id.ts'
export { createRng } from './rng.ts'
export type { Rng, RngSeed } from './rng.ts'
export { send, scheduleTimer, cancelTimer, disconnect, emit } from './effects.ts'
export type { Effect, SendEffect, ScheduleTimerEffect, CancelTimerEffect, DisconnectEffect, EmitEffect, TimerExpiredEvent } from './effects.ts'
export { LruTtlCache } from './lru-ttl-cache.ts'
export type { LruTtlCacheInit, LruTtlCacheStats } from './lru-ttl-cache.ts'
export { SeenIds } from './seen-ids.ts'
export type { SeenIdsInit } from './seen-ids.ts'
export { IndexedSet } from './indexed-set.ts'
export { percentile } from './stats.ts'
export { LoadEstimate } from './load-estimate.ts'
export type { PeerKeyCodec } from './peer-key-codec.ts'
