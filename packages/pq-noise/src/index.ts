/**
 * @packageDocumentation
 *
 * Post-quantum secure channels for libp2p: the hybrid
 * `Noise_XXhfs_25519+MLKEM768_ChaChaPoly_SHA256` handshake of libp2p's PQ Noise
 * draft (libp2p/specs#727), X25519 and ML-KEM-768 mixed into one key schedule, so
 * a session recorded today stays secret unless *both* are broken.
 *
 * - {@link pqNoise}: a libp2p connection encrypter (`/noise-mlkem768-hfs/0.2.0`).
 * List it before `noise()`: two PQ peers pick it, a vanilla peer falls back to
 * `/noise` through multistream-select. Its handshake payload is libp2p Noise's
 * (identity key + signature over the static key, so PeerIds work unchanged) plus
 * our ML-DSA-65 binding record (SPEC.md §3.2), verified inside the handshake.
 * - {@link pqNoiseService}: downgrade detection (a peer whose binding arrived over
 * PQ Noise before, now connecting over classic Noise: `downgrade` event, counter,
 * closed under `requirePq`) and `openSecureChannel(peer)`: the same handshake
 * inside one libp2p stream, for QUIC, whose TLS 1.3 key exchange is X25519 only.
 *
 * Crypto is node:crypto (Node ≥ 24.7, OpenSSL 3.5) when present, else `@noble`;
 * both produce the same bytes.
 *
 * @example Adding it to a node
 *
 * ```TypeScript
 * import { noise } from '@libp2p/noise'
 * import { tcp } from '@libp2p/tcp'
 * import { yamux } from '@libp2p/yamux'
 * import { createLibp2p } from 'libp2p'
 * import { PqIdentity } from '@saorsa-gossip/identity'
 * import { pqNoise, pqNoiseService } from '@saorsa-gossip/pq-noise'
 *
 * const identity = PqIdentity.generate()
 * const node = await createLibp2p({
 *   addresses: { listen: ['/ip4/0.0.0.0/tcp/0'] },
 *   transports: [tcp()],
 *   connectionEncrypters: [pqNoise({ identity }), noise()],
 *   streamMuxers: [yamux()],
 *   services: { pqNoise: pqNoiseService({ identity, requirePq: false }) }
 * })
 *
 * node.services.pqNoise.addEventListener('downgrade', (evt) => {
 *   console.warn('PQ offer stripped for', evt.detail.remotePeer.toString())
 * })
 * ```
 *
 * @example A PQ channel inside a QUIC stream
 *
 * ```TypeScript
 * const channel = await node.services.pqNoise.openSecureChannel(remotePeerId)
 * channel.stream.send(new TextEncoder().encode('hello'))
 * ```
 */

import { PqNoise } from './encrypter.ts'
import { DefaultPqNoiseService } from './service.ts'
import type { NoiseCryptoBackend } from './crypto/backend.ts'
import type { CryptoChoice } from './crypto/select.ts'
import type { PqNoiseComponents } from './encrypter.ts'
import type { PqNoiseEvents, PqNoiseStats } from './monitor.ts'
import type { NoiseExtensions } from './pb/payload.ts'
import type { PqNoiseServiceComponents } from './service.ts'
import type { AbortOptions, Connection, ConnectionEncrypter, MessageStream, PeerId, Stream, TypedEventTarget } from '@libp2p/interface'
import type { BindingRecord, PqIdentity, VerifiedBinding } from '@saorsa-gossip/identity'

export { PqNoise } from './encrypter.ts'
export type { PqNoiseComponents, PqSecuredConnection, PqSecureOptions } from './encrypter.ts'
export { NNpsk0HandshakeState, NNPSK0_PROTOCOL_NAME } from './noise/nnpsk0.ts'
export { ConnectionSecrets, deriveConnectionSecret, resumeChannel } from './resumption.ts'
export type { ConnectionSecret, ResumeOptions } from './resumption.ts'
export type { PqNoiseServiceComponents } from './service.ts'
export { XXhfsHandshakeState, XXHFS_PATTERN } from './noise/handshake-state.ts'
export type { HandshakeResult, HandshakeStateInit, RandomSource, Token } from './noise/handshake-state.ts'
export { CipherState, MAX_NONCE } from './noise/cipher-state.ts'
export { SymmetricState, hkdf2 } from './noise/symmetric-state.ts'
export { nativeBackend, nativeAvailable } from './crypto/native.ts'
export { nobleBackend } from './crypto/noble.ts'
export { selectCrypto } from './crypto/select.ts'
export type { CryptoChoice } from './crypto/select.ts'
export type { NoiseCryptoBackend, KeyPair, KemEncapsulation, BackendName } from './crypto/backend.ts'
export { createPayload, verifyPayload, staticKeySignatureBytes } from './payload.ts'
export { NoiseHandshakePayload, NoiseExtensions } from './pb/payload.ts'
export { PqNoiseMonitor, monitorFor } from './monitor.ts'
export type { PqNoiseStats, PqNoiseEvents, HandshakeEventDetail, HandshakeFailedDetail, DowngradeEventDetail } from './monitor.ts'
export * from './errors.ts'
export * from './constants.ts'

export interface PqNoiseInit {
  /**
   * This node's ML-DSA-65 identity: its binding record (made once, signed with the
   * libp2p key too) travels in every handshake. Without it (and without `binding`)
   * the handshake carries no binding, and downgrade pins cannot be made by peers.
   */
  identity?: PqIdentity
  /** A ready binding record, instead of `identity` */
  binding?: BindingRecord
  /**
   * Fail handshakes with peers that send no binding record (MissingBindingError)
   *
   * @default false
   */
  requireBinding?: boolean
  /**
   * Crypto implementation
   *
   * @default 'auto'
   */
  crypto?: CryptoChoice | NoiseCryptoBackend
  /**
   * Whole-handshake timeout, ms
   *
   * @default 10000
   */
  handshakeTimeout?: number
  /**
   * Protocol id offered in multistream-select
   *
   * @default '/noise-mlkem768-hfs/0.2.0'
   */
  protocol?: string
  /** A fixed X25519 static private key (32 bytes); random per node otherwise */
  staticNoiseKey?: Uint8Array
}

export interface PqNoiseServiceInit extends PqNoiseInit {
  /**
   * Close connections from PQ-capable peers that arrive without PQ Noise
   *
   * @default false
   */
  requirePq?: boolean
  /**
   * Protocol of the stream-level channel
   *
   * @default '/saorsa-gossip/pq-channel/1.0.0'
   */
  channelProtocol?: string
  /**
   * Key of the pqIdentity() service in libp2p's `services`: bindings verified in a
   * handshake are handed to its cache (`acceptBinding`), so with
   * `pqIdentity({ exchangeOnConnect: false })` two PQ peers never run the separate
   * identity exchange. `false` turns this off; a missing service is ignored.
   *
   * @default 'pqIdentity'
   */
  identityService?: string | false
  /** @default 32 */
  maxInboundChannels?: number
  /** @default 32 */
  maxOutboundChannels?: number
}

/** An encrypted, authenticated duplex inside one libp2p stream */
export interface SecureChannel {
  /** Write and read plaintext here */
  stream: MessageStream
  remotePeer: PeerId
  /** The remote's binding record, verified inside the handshake */
  binding?: VerifiedBinding
  handshakeHash: Uint8Array
  connection: Connection
  /** The underlying libp2p stream (ciphertext) */
  rawStream: Stream
}

export interface PqNoiseServiceEvents extends PqNoiseEvents {
  /** A remote opened a secure channel to this node */
  channel: CustomEvent<SecureChannel>
}

export interface PqNoiseService extends TypedEventTarget<PqNoiseServiceEvents> {
  /** Counters shared with this node's encrypter */
  readonly stats: Readonly<PqNoiseStats>
  /** Runs the PQ handshake inside a new stream to `peer` (dialling if needed) */
  openSecureChannel(peer: PeerId, options?: AbortOptions): Promise<SecureChannel>
  /** True when `peer` is pinned as PQ-capable */
  isPqCapable(peer: PeerId): Promise<boolean>
  /**
   * The handshake inside one stream, for services that run their own streams in the channel
   * (`secureStreams` of membership(), plumtree(), groups()): the shape of the kit's
   * `StreamSecurity` (SPEC.md §2.9)
   */
  readonly streamSecurity: StreamSecurity
}

/** The kit's `StreamSecurity` (@saorsa-gossip/kit), restated so this package does not depend on the kit */
export interface StreamSecurity {
  /** `/pq-noise-psk` (resumed from the connection's first stream handshake) and `/pq-noise` (full XXhfs) */
  readonly protocolSuffixes: readonly string[]
  /** false when the connection is PQ Noise already */
  needed(connection: Connection): boolean
  /** the suffixes to offer on `connection`, after any full handshake in flight there */
  offer(connection: Connection, options?: AbortOptions): Promise<string[]>
  /** runs the handshake `suffix` names inside `stream`; resolves to the protected duplex */
  secure(stream: Stream, connection: Connection, initiator: boolean, suffix: string, options?: AbortOptions): Promise<MessageStream>
}

/** The connection encrypter, for `connectionEncrypters` (list it before `noise()`) */
export function pqNoise (init: PqNoiseInit = {}): (components: PqNoiseComponents) => ConnectionEncrypter<NoiseExtensions> {
  return (components) => new PqNoise(components, init)
}

/** Downgrade detection and the stream-level channel, for `services` */
export function pqNoiseService (init: PqNoiseServiceInit = {}): (components: PqNoiseServiceComponents) => PqNoiseService {
  return (components) => new DefaultPqNoiseService(components, init)
}
