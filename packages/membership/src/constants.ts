import { Key } from 'interface-datastore'

/** One protocol for HyParView and SWIM, which share one composed core (SPEC.md §5.3) */
export const PROTOCOL = '/saorsa-gossip/membership/1.0.0'

/** Inbound / outbound streams per connection: one long-lived stream each way, plus slack for a reconnect race */
export const MAX_INBOUND_STREAMS = 4
export const MAX_OUTBOUND_STREAMS = 4

/** Peer-store tag that keeps active-view connections from being pruned */
export const TAG_ACTIVE = 'saorsa-gossip-active'

/** Datastore key of the remembered views, read on start when no bootstrap is given */
export const PASSIVE_VIEW_KEY = new Key('/saorsa-gossip/membership/views')

/** Addresses remembered and sent per peer (the wire limit of a peer record is 8, SPEC.md §5.3) */
export const MAX_ADDRS_PER_PEER = 8
