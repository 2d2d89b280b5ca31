/**
 * @packageDocumentation
 *
 * ML-DSA-65 (FIPS 204) identities for Saorsa Gossip, bound to libp2p PeerIds.
 *
 * - {@link PqIdentity}: a key pair from a 32-byte seed, with two backends that
 * read and write the same bytes: node:crypto (Node ≥ 24.7 with OpenSSL 3.5,
 * about 1 ms per signature) and `@noble/post-quantum` (portable, about ten times
 * slower). `'auto'` picks native when present.
 * - Binding records: the ML-DSA public key, the PeerId, its libp2p public key
 * and a creation time, signed by *both* keys, verifiable from the record alone.
 * - A keystore that saves the seed encrypted at rest (scrypt → ChaCha20-Poly1305),
 * written atomically.
 * - {@link pqIdentity}: a libp2p service that exchanges binding records on every
 * connection over `/saorsa-gossip/identity/1.0.0`, caches verified ones, and
 * signs and verifies for the other Saorsa Gossip services. It also answers
 * and asks `/saorsa-gossip/identity-lookup/1.0.0`, so a node can learn the key
 * of a peer it is not connected to from a neighbour that knows it
 * ({@link PqIdentityService.resolveBinding}).
 *
 * @example Adding the service to a libp2p node
 *
 * ```TypeScript
 * import { noise } from '@libp2p/noise'
 * import { tcp } from '@libp2p/tcp'
 * import { yamux } from '@libp2p/yamux'
 * import { createLibp2p } from 'libp2p'
 * import { pqIdentity } from '@saorsa-gossip/identity'
 *
 * const node = await createLibp2p({
 *   addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
 *   transports: [tcp()],
 *   connectionEncrypters: [noise()],
 *   streamMuxers: [yamux()],
 *   services: {
 *     pqIdentity: pqIdentity({ keystore: { path: './identity.key', passphrase: process.env.PASSPHRASE ?? '' } })
 *   }
 * })
 *
 * // after connecting to `other`, its ML-DSA-65 key is known and verified
 * const key = await node.services.pqIdentity.getPublicKey(otherPeerId)
 * const signature = await node.services.pqIdentity.sign(data)
 * ```
 *
 * @example Identities, bindings and the keystore without libp2p
 *
 * ```TypeScript
 * import { PqIdentity, saveIdentity, loadIdentity } from '@saorsa-gossip/identity'
 *
 * const identity = PqIdentity.generate()           // native when available
 * const sig = identity.sign(new TextEncoder().encode('hello'))
 * await saveIdentity('./id.key', identity, 'correct horse battery staple')
 * const again = await loadIdentity('./id.key', 'correct horse battery staple', { backend: 'noble' })
 * again.verify(new TextEncoder().encode('hello'), sig) // true: same key, other backend
 * ```
 */

import { DefaultPqIdentityService } from './service.ts'
import type { VerifiedBinding } from './binding.ts'
import type { PqIdentity } from './identity.ts'
import type { ScryptParams } from './keystore.ts'
import type { MlDsa65Backend } from './ml-dsa/backend.ts'
import type { BackendChoice } from './ml-dsa/select.ts'
import type { BindingRecord } from './pb/identity.ts'
import type { IdentityStats } from './stats.ts'
import type { AbortOptions, ComponentLogger, Libp2pEvents, Metrics, PeerId, PrivateKey, TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'

export { PqIdentity, verifyMlDsa65 } from './identity.ts'
export type { PqIdentityOptions } from './identity.ts'
export { nobleBackend } from './ml-dsa/noble.ts'
export { nativeBackend, nativeAvailable } from './ml-dsa/native.ts'
export { selectBackend } from './ml-dsa/select.ts'
export type { MlDsa65Backend, MlDsa65SigningKey, BackendName } from './ml-dsa/backend.ts'
export type { BackendChoice } from './ml-dsa/select.ts'
export { createBinding, verifyBinding, verifyCarriedKey, encodeBinding, encodeCarriedKey, decodeBinding, bindingSigningBytes } from './binding.ts'
export type { VerifiedBinding, VerifyBindingOptions } from './binding.ts'
export { BindingRecord, IdentityExchange, BindingLookup, BindingLookupReply } from './pb/identity.ts'
export { saveIdentity, loadIdentity, encryptIdentity, decryptIdentity, DEFAULT_SCRYPT_PARAMS, KEYSTORE_VERSION, KEYSTORE_FILE_LENGTH } from './keystore.ts'
export type { ScryptParams, KeystoreOptions } from './keystore.ts'
export type { IdentityStats } from './stats.ts'
export * from './errors.ts'
export {
  PROTOCOL, LOOKUP_PROTOCOL, MAX_LOOKUP_REQUEST_BYTES, ML_DSA_65_PUBLIC_KEY_LENGTH, ML_DSA_65_SECRET_KEY_LENGTH, ML_DSA_65_SIGNATURE_LENGTH,
  ML_DSA_65_SEED_LENGTH, MAX_BINDING_FRAME_BYTES, BINDING_VERSION
} from './constants.ts'

export interface PqIdentityKeystoreInit {
  /** Path of the encrypted key file */
  path: string
  /** Passphrase the file is encrypted with */
  passphrase: string | Uint8Array
  /**
   * Create a new identity and save it when the file does not exist
   *
   * @default true
   */
  create?: boolean
  /** scrypt cost for a newly created file (default N = 2^17, r = 8, p = 1) */
  scrypt?: ScryptParams
}

export interface PqIdentityInit {
  /** Use this identity. Without it (and without `keystore`) a fresh one is generated at start. */
  identity?: PqIdentity
  /** Load the identity from (or create it in) an encrypted keystore file */
  keystore?: PqIdentityKeystoreInit
  /**
   * ML-DSA-65 implementation
   *
   * @default 'auto'
   */
  backend?: BackendChoice | MlDsa65Backend
  /**
   * Secure-channel protocol ids this node accepts, advertised in its signed binding record
   * (SPEC.md §3.2): a peer that verifies the record and finds itself connected over a weaker
   * channel knows the connection was downgraded. With `pqNoise()`:
   * `[PQ_NOISE_PROTOCOL]` from `@saorsa-gossip/pq-noise`.
   *
   * @default []
   */
  secureChannels?: string[]
  /**
   * Exchange binding records automatically on every outbound connection. Without it a peer's
   * binding is fetched when a service first needs it (`getPublicKey`, `verify`,
   * `fetchBinding`). A node that runs only plumtree (which carries its origins' bindings with
   * their messages) can turn it off: on 100 nodes forming an overlay the exchange was about a
   * tenth of the CPU (5.4 KB and one ML-DSA-65 verification each way per connection; SPEC.md
   * §3.3). Keep it on with presence() (FOAF replies carry the bindings their repliers hold)
   * and with downgrade detection (`secureChannels`).
   *
   * @default true
   */
  exchangeOnConnect?: boolean
  /**
   * Time allowed for one exchange, ms
   *
   * @default 10000
   */
  exchangeTimeout?: number
  /**
   * Verified remote bindings kept
   *
   * @default 4096
   */
  maxCachedBindings?: number
  /**
   * Lifetime of a cached binding, ms
   *
   * @default 3600000
   */
  bindingCacheTtl?: number
  /**
   * Accept records whose creation time is at most this far in the future, ms
   *
   * @default 600000
   */
  maxClockSkew?: number
  /** @default 2 */
  maxInboundStreams?: number
  /** @default 2 */
  maxOutboundStreams?: number
  /**
   * Also run over limited (relayed) connections
   *
   * @default false
   */
  runOnLimitedConnection?: boolean
}

export interface PqIdentityComponents {
  peerId: PeerId
  privateKey: PrivateKey
  registrar: Registrar
  connectionManager: ConnectionManager
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
  metrics?: Metrics
}

export interface ResolveBindingOptions extends AbortOptions {
  /**
   * A connected peer to ask first, typically the neighbour that relayed a
   * message from `peer`. Asked only over an already open connection.
   */
  via?: PeerId
}

export interface PqIdentityServiceEvents {
  /** A remote peer's binding record was received and verified */
  binding: CustomEvent<VerifiedBinding>
}

export interface PqIdentityService extends TypedEventTarget<PqIdentityServiceEvents> {
  /** This node's ML-DSA-65 identity (after start) */
  readonly identity: PqIdentity
  /** This node's binding record (after start) */
  readonly binding: BindingRecord
  /** Counters of exchanges, drops and verifications */
  readonly stats: Readonly<IdentityStats>
  /** Signs with this node's ML-DSA-65 key */
  sign(data: Uint8Array): Promise<Uint8Array>
  /** Verifies `signature` under `peer`'s bound ML-DSA-65 key, fetching the binding if needed (UnknownPeerKeyError if impossible) */
  verify(peer: PeerId, data: Uint8Array, signature: Uint8Array, options?: AbortOptions): Promise<boolean>
  /** The verified ML-DSA-65 public key of `peer`, fetching its binding if needed */
  getPublicKey(peer: PeerId, options?: AbortOptions): Promise<Uint8Array>
  /** The cached verified binding of `peer`, if any */
  getCachedBinding(peer: PeerId | string): VerifiedBinding | undefined
  /** Runs a binding exchange with `peer` now */
  fetchBinding(peer: PeerId, options?: AbortOptions): Promise<VerifiedBinding>
  /**
   * The verified binding of `peer`: from the cache; else asked of `via` over an
   * open connection (never dialled) and checked against `peer`; else by
   * {@link fetchBinding}, which may dial `peer`. Concurrent calls for one peer
   * share one attempt. Throws UnknownPeerKeyError when all fail.
   */
  resolveBinding(peer: PeerId, options?: ResolveBindingOptions): Promise<VerifiedBinding>
  /**
   * Verifies a binding record that another protocol carried (plumtree attaches an origin's
   * record to the first message from that origin on each link), and caches it. The record
   * certifies itself, so who carried it does not matter; `expected` is the peer it must be
   * for. Throws one of the binding errors (InvalidBindingError, BindingSignatureError,
   * BindingPeerIdMismatchError, UnsupportedBindingVersionError, BindingFromTheFutureError)
   * when it is not valid.
   */
  acceptBinding(record: BindingRecord, expected: PeerId | string): Promise<VerifiedBinding>
}

/** Factory for libp2p's `services` map */
export function pqIdentity (init: PqIdentityInit = {}): (components: PqIdentityComponents) => PqIdentityService {
  return (components) => new DefaultPqIdentityService(components, init)
}
