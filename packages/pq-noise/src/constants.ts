/**
 * Protocol constants (SPEC.md §10). Sources: the Noise spec revision 34
 * ("Noise"), its Hybrid Forward Secrecy extension ("HFS"), libp2p/specs#727
 * ("the draft") and FIPS 203.
 */

/**
 * libp2p protocol id. The draft (#727) still writes `/noise-mlkem768-hfs/0.1.0`,
 * but that id has carried two wire-incompatible suite names (`ML-KEM-768`, then
 * `MLKEM768`); the implementations that cross-tested the renamed suite (js, py,
 * nim) moved to 0.2.0 so that mismatched builds fail at negotiation instead of
 * mid-handshake. We follow them; SPEC.md §10.1.
 */
export const PROTOCOL = '/noise-mlkem768-hfs/0.2.0'

/** Hashed into h by InitializeSymmetric (Noise §5.2): must match byte for byte */
export const PROTOCOL_NAME = 'Noise_XXhfs_25519+MLKEM768_ChaChaPoly_SHA256'

/** The classic libp2p Noise protocol id (libp2p/specs noise/README.md) */
export const CLASSIC_NOISE_PROTOCOL = '/noise'

/** Noise §3: every Noise message, handshake or transport, is at most 65535 bytes */
export const NOISE_MAX_MESSAGE_LENGTH = 65535
/** Poly1305 tag */
export const TAG_LENGTH = 16
/** Largest plaintext per transport message */
export const NOISE_MAX_PLAINTEXT_LENGTH = NOISE_MAX_MESSAGE_LENGTH - TAG_LENGTH

/** X25519 DHLEN (Noise §12.1) */
export const X25519_KEY_LENGTH = 32
/** FIPS 203 ML-KEM-768 sizes */
export const KEM_PUBLIC_KEY_LENGTH = 1184
export const KEM_CIPHERTEXT_LENGTH = 1088
export const KEM_SHARED_SECRET_LENGTH = 32
/** d ‖ z, FIPS 203 ML-KEM.KeyGen_internal */
export const KEM_SEED_LENGTH = 64
/** FIPS 203 Encaps randomness m */
export const KEM_MESSAGE_LENGTH = 32

/** Message A: e ‖ e1 (no key yet, so e1 is in clear) ‖ empty payload */
export const MESSAGE_A_LENGTH = X25519_KEY_LENGTH + KEM_PUBLIC_KEY_LENGTH
/** Message B with an empty payload: e ‖ enc(ct) ‖ enc(s) ‖ enc(payload) */
export const MESSAGE_B_MIN_LENGTH = X25519_KEY_LENGTH + KEM_CIPHERTEXT_LENGTH + TAG_LENGTH + X25519_KEY_LENGTH + TAG_LENGTH + TAG_LENGTH
/** Message C with an empty payload: enc(s) ‖ enc(payload) */
export const MESSAGE_C_MIN_LENGTH = X25519_KEY_LENGTH + TAG_LENGTH + TAG_LENGTH

/** libp2p Noise: the identity key signs this prefix ‖ the Noise static public key */
export const STATIC_KEY_SIGNATURE_PREFIX = 'noise-libp2p-static-key:'

/** Time allowed for a whole handshake, ms (guess: 3 messages, 2 signature checks, 1 ML-DSA verify, on a loaded node) */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000

/** Protocol of the stream-level channel (SPEC.md §10.6) */
export const CHANNEL_PROTOCOL = '/saorsa-gossip/pq-channel/1.0.0'

/** Peer store metadata key that pins a peer as PQ-capable (SPEC.md §10.5) */
export const PQ_PIN_METADATA_KEY = 'saorsa-gossip/pq-noise'

/**
 * Appended to a service's protocol id to name its streams that run inside the PQ channel,
 * e.g. `/saorsa-gossip/plumtree/1.0.0/pq-noise` (SPEC.md §2.9, §10.6)
 */
export const STREAM_PROTOCOL_SUFFIX = '/pq-noise'

/**
 * Appended to a service's protocol id for a stream whose handshake resumes the connection's
 * first PQ stream handshake (`Noise_NNpsk0`, SPEC.md §10.6)
 */
export const RESUME_PROTOCOL_SUFFIX = '/pq-noise-psk'

/** Length of a connection secret's id, sent in clear before a resumed handshake */
export const RESUMPTION_ID_LENGTH = 16
