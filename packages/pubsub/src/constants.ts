/** Protocol id of the plumtree service (SPEC.md §7.8) */
export const PROTOCOL = '/saorsa-gossip/plumtree/1.0.0'

/**
 * Streams per connection: one each way carries every frame (SPEC.md §7.12); room for a
 * replacement opened while a failed one is still closing at the other end
 */
export const MAX_INBOUND_STREAMS = 4
export const MAX_OUTBOUND_STREAMS = 4

/** Messages waiting for their origin's binding: origins at once, and messages per origin */
export const MAX_HELD_ORIGINS = 256
export const MAX_HELD_PER_ORIGIN = 64

/** Frame bytes beyond the payload: header (≤ 8 KiB), topic (≤ 256 B) and fields, rounded up */
export const FRAME_OVERHEAD_BYTES = 16 * 1024
