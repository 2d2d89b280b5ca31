/** Protocol id of the binding exchange (SPEC.md §3.3) */
export const PROTOCOL_NAME = 'saorsa-gossip/identity'
export const PROTOCOL_VERSION = '1.0.0'
export const PROTOCOL = `/${PROTOCOL_NAME}/${PROTOCOL_VERSION}`

/** Protocol id of third-party binding lookup (SPEC.md §3.5) */
export const LOOKUP_PROTOCOL_NAME = 'saorsa-gossip/identity-lookup'
export const LOOKUP_PROTOCOL_VERSION = '1.0.0'
export const LOOKUP_PROTOCOL = `/${LOOKUP_PROTOCOL_NAME}/${LOOKUP_PROTOCOL_VERSION}`

/** Largest lookup request accepted, bytes: a PeerId multihash (≤ 128) plus protobuf framing, with room to spare */
export const MAX_LOOKUP_REQUEST_BYTES = 256

/** Lookup streams per connection: answering is a cache read; a relay meeting a burst of new origins asks for each at once (measured: 4 made lookups fail under plumtree bursts at 30 nodes) */
export const DEFAULT_LOOKUP_MAX_INBOUND_STREAMS = 32
export const DEFAULT_LOOKUP_MAX_OUTBOUND_STREAMS = 32

/** FIPS 204, Table 2: ML-DSA-65 sizes in bytes */
export const ML_DSA_65_PUBLIC_KEY_LENGTH = 1952
export const ML_DSA_65_SECRET_KEY_LENGTH = 4032
export const ML_DSA_65_SIGNATURE_LENGTH = 3309
/** FIPS 204 §6.1: key generation from a 32-byte seed ξ */
export const ML_DSA_65_SEED_LENGTH = 32

/** The only binding record version defined (SPEC.md §3.2) */
export const BINDING_VERSION = 1

/**
 * Largest identity frame accepted, in bytes. Measured frame sizes
 * (IdentityExchange, this code): Ed25519 5,423; secp256k1 5,431; RSA-4096
 * 6,388 (RSA-4096 is the largest libp2p key). 8 KiB leaves headroom without
 * letting a peer make us buffer much.
 */
export const MAX_BINDING_FRAME_BYTES = 8192

/** Largest libp2p public key accepted in a record (RSA-4096 protobuf ≈ 550 bytes) */
export const MAX_LIBP2P_PUBLIC_KEY_BYTES = 1024
/** Largest libp2p signature accepted in a record (RSA-4096: 512 bytes) */
export const MAX_LIBP2P_SIGNATURE_BYTES = 1024
/** Largest PeerId multihash accepted (identity multihash of an RSA key is not used; sha256 is 34) */
export const MAX_PEER_ID_BYTES = 128

/** Secure-channel protocol ids a binding may advertise, and the longest one (bytes) */
export const MAX_SECURE_CHANNELS = 8
export const MAX_SECURE_CHANNEL_BYTES = 128

/** Default clock skew tolerated for a record created "in the future", ms (guess: NTP-less laptops drift minutes) */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 10 * 60 * 1000

/** Default time allowed for one binding exchange, ms (guess: two RTTs plus an ML-DSA verify) */
export const DEFAULT_EXCHANGE_TIMEOUT_MS = 10_000

/** Default number of verified remote bindings cached (guess: a few times the connection limit) */
export const DEFAULT_MAX_CACHED_BINDINGS = 4096

/** Default lifetime of a cached binding, ms; after it the binding is fetched again on demand (guess) */
export const DEFAULT_BINDING_CACHE_TTL_MS = 60 * 60 * 1000

/** Streams per connection: one exchange at a time in each direction suffices */
export const DEFAULT_MAX_INBOUND_STREAMS = 2
export const DEFAULT_MAX_OUTBOUND_STREAMS = 2
