/**
 * @packageDocumentation
 *
 * The adapter kit: what every Saorsa Gossip libp2p service (pqIdentity(), membership(),
 * plumtree(), and the services to come) is built from, so that a new service is its pure core, its codec and
 * a short adapter (SPEC.md §2.7).
 *
 * - {@link EffectRunner}: runs a core's effects (timers, sends, emits, disconnects).
 * - {@link OutboundStreams}: one write-only stream per peer, frames coalesced per write.
 * - {@link IdleConnections}: closes the connections our services dialled once no service holds the peer.
 * - {@link readFrames}: the read loop of one inbound stream ({@link isOversizeError}).
 * - {@link peerIdCodec}: PeerId strings to and from their multihash bytes, cached.
 * - {@link requestFrame} / {@link respondFrame}: one frame each way on a stream of its own, for
 * protocols that ask and wait for one answer (identity's exchange and lookup).
 * - {@link siblingService}: another service of the same node, by its key, or the caller's named error.
 * - {@link AddressBook}: peers' listen addresses to send beside their ids, and those received written to the peer store.
 * - {@link SecureStreams}: a service's streams inside a stream-level secure channel ({@link StreamSecurity}, e.g. PQ Noise on QUIC) where the connection needs one.
 * - Named errors ({@link WriteTimeoutError}, {@link StreamClosedError}, ...): match on `name` or `code`.
 *
 * @example
 *
 * ```TypeScript
 * import { EffectRunner, OutboundStreams, readFrames, peerIdCodec } from '@saorsa-gossip/kit'
 *
 * // inside a service's constructor (components from libp2p):
 * const outbound = new OutboundStreams({
 *   connectionManager: components.connectionManager,
 *   protocol: '/my-protocol/1.0.0',
 *   maxDataLength: 64 * 1024,
 *   dialTimeout: 10_000,
 *   writeTimeout: 10_000,
 *   onWriteError: (peer, err) => { log('send to %s failed: %s', peer, err.message) }
 * })
 * const runner = new EffectRunner(
 *   { send: (to, message) => outbound.write(to, encode(message)), emit: (event) => dispatch(event) },
 *   (key, timer) => { runner.run(core.handle({ type: 'timer-expired', key, timer }, Date.now())) }
 * )
 * // and per inbound stream:
 * await readFrames(stream, { maxDataLength: 64 * 1024, onFrame: (bytes) => { runner.run(core.handle(decode(bytes), Date.now())) } })
 * ```
 */

export { EffectRunner } from './effect-runner.ts'
export type { EffectHandlers } from './effect-runner.ts'
export { OutboundStreams, concatFrames, varintLength } from './outbound-streams.ts'
export type { OutboundStreamsInit, OutboundCounters, ConnectionOpenEvents } from './outbound-streams.ts'
export { IdleConnections } from './idle-connections.ts'
export { preferredConnection } from './preferred-connection.ts'
export type { IdleConnectionsInit } from './idle-connections.ts'
export { readFrames, isOversizeError } from './frame-reader.ts'
export type { ReadFramesInit, ReadEnd } from './frame-reader.ts'
export { peerIdCodec } from './peer-codec.ts'
export { AddressBook } from './address-book.ts'
export type { AddressBookInit } from './address-book.ts'
export { WriteTimeoutError, StreamClosedError, MalformedFrameError, ServiceStoppedError, NoKnownAddressesError, DialSupersededError, PlainStreamRefusedError, SecureStreamsConfigError } from './errors.ts'
export { SecureStreams, SECURE_STREAMS_MODES } from './secure-streams.ts'
export type { StreamSecurity, SecureStreamsMode, SecureStreamsCounters } from './secure-streams.ts'
export type { PeerIdCodec } from './peer-codec.ts'
export { requestFrame, respondFrame } from './request-response.ts'
export { siblingService } from './sibling-service.ts'
export type { OneFrameInit, RequestFrameInit, RespondFrameInit } from './request-response.ts'
