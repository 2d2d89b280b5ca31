/** Stream protocol for invitations (key packages), welcomes and chain requests (SPEC.md §11.5) */
export const PROTOCOL = '/saorsa-gossip/groups/1.0.0'

/** Topic of a group: this prefix and the group id in hex (SPEC.md §11.3) */
export const TOPIC_PREFIX = 'saorsa-gossip/groups/v1/'

/** Group ids are 32 random bytes */
export const GROUP_ID_LENGTH = 32

/** MLS_256_XWING_AES256GCM_SHA512_MLDSA87: X-Wing KEM and ML-DSA-87 signatures, fully post-quantum (RFC 9420 §17.1 registry, ts-mls 1.6.4) */
export const DEFAULT_SUITE = 87

/** Largest GroupMessage, bytes: plumtree's default maxMessageSize (§7.12). A commit adding one member to 128 is ~60 KB in suite 87 (measured, §11.9) */
export const MAX_GROUP_MESSAGE_BYTES = 1024 * 1024

/** Largest request frame: a Welcome carries the ratchet tree, ~17 KB per leaf in suite 87 (measured), so 4 MiB holds ~200 members */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024

/** Largest reply frame: a key package (14.4 KB in suite 87) or up to MAX_CHAIN_COMMITS commits */
export const MAX_REPLY_BYTES = 4 * 1024 * 1024

/** Commits in one chain reply */
export const MAX_CHAIN_COMMITS = 64

/** Group names, bytes */
export const MAX_NAME_BYTES = 256

/** Time for one request on the stream protocol, ms (guess: a dial, a key package generation, two RTTs) */
export const REQUEST_TIMEOUT = 20_000

/** Our key packages kept for invitations not yet answered by a Welcome, and for how long (ms): guess */
export const MAX_PENDING_INVITATIONS = 64
export const INVITATION_TTL = 10 * 60_000

/**
 * Exporter labels under this prefix are this package's own (the application-data key, §11.8):
 * `exportSecret` refuses them so no other consumer shares a key with group messages
 */
export const RESERVED_EXPORTER_PREFIX = 'saorsa-gossip/groups/'

/** Exported secrets are keys: 1..1,024 bytes (RFC 9420's exporter allows up to 255 hash lengths) */
export const MAX_EXPORT_BYTES = 1024

/** Exporter labels, bytes of UTF-8 */
export const MAX_EXPORT_LABEL_BYTES = 256

/** Streams per connection each way: requests are short */
export const MAX_STREAMS = 16
