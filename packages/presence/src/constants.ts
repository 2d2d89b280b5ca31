/** One protocol for beacons, queries and replies (ARCHITECTURE.md: one versioned id per service) */
export const PROTOCOL = '/saorsa-gossip/presence/1.0.0'

/** Signature domains: a beacon signature can never be replayed as a query's, nor any other protocol's */
export const BEACON_DOMAIN = new TextEncoder().encode('saorsa-gossip/presence/beacon/v1\0')
export const QUERY_DOMAIN = new TextEncoder().encode('saorsa-gossip/presence/query/v1\0')

/**
 * Largest frame, bytes. A beacon is about 9 KiB (ML-DSA-65 signature 3,309 B plus the
 * binding record's key 1,952 B and signature 3,309 B); a reply carries at most
 * MAX_REPLY_BEACONS of them (measured sizes, SPEC.md §8.6).
 */
export const MAX_FRAME_BYTES = 64 * 1024
export const MAX_REPLY_BEACONS = 4
/** Decode limit of tags per query; the core's `maxTags` (default 8) refuses beyond its own bound and counts it */
export const MAX_QUERY_TAGS = 32
/** Decode limit of topic scopes per query; the core's `maxScopes` (default 8) refuses beyond it and counts it */
export const MAX_QUERY_SCOPES = 32
/** A topic scope: 128 bits of SHA-256 of the topic name (SPEC.md §8.4) */
export const SCOPE_BYTES = 16
export const SCOPE_DOMAIN = new TextEncoder().encode('saorsa-gossip/presence/scope/v1\0')
/** How often the topic views are read from the pubsub service (it has no event for them): a guess, well under a topic link's lifetime */
export const SCOPE_REFRESH_MS = 2_000
/** A group tag: 128 bits of keyed BLAKE3 is beyond guessing, and short on the wire */
export const TAG_BYTES = 16
/** 16 random bytes: collisions between honest queries are negligible */
export const QUERY_ID_BYTES = 16
/** Peer id multihash bytes: an Ed25519 identity multihash is 38, RSA up to ~300 */
export const MAX_PEER_ID_BYTES = 512
export const MAX_ADDR_BYTES = 256

export const MAX_INBOUND_STREAMS = 4
export const MAX_OUTBOUND_STREAMS = 4
/** guesses, as membership's: a stream that cannot be opened or drained in this time is dead */
export const DIAL_TIMEOUT_MS = 10_000
export const WRITE_TIMEOUT_MS = 10_000
/**
 * Queries carry no binding record (5.3 KiB of the 9 KiB a signed frame would be): each hop
 * asks the neighbour that forwarded the query for the origin's binding (identity lookup,
 * SPEC.md §3.5), within this time (guess: a few RTTs; the query's own deadline is 3 s)
 */
export const RESOLVE_TIMEOUT_MS = 1_000
