import { blake3 } from '@noble/hashes/blake3.js'
import { concatBytes, toHex } from '@saorsa-gossip/core'
import type { CommitId } from './types.ts'

const COMMIT_DOMAIN = new TextEncoder().encode('saorsa-gossip/groups/commit/v1\0')
const ROOT_DOMAIN = new TextEncoder().encode('saorsa-gossip/groups/root/v1\0')

/**
 * A commit's id: `hex(BLAKE3("saorsa-gossip/groups/commit/v1\0" ‖ mls_message))` (SPEC.md §11.4).
 * Every member computes it from the bytes alone, so the ordering rule (lowest id among
 * siblings) needs no coordinator.
 */
export function commitId (mls: Uint8Array): CommitId {
  return toHex(blake3(concatBytes(COMMIT_DOMAIN, mls)))
}

/** The id naming epoch 0 of a group (the creator's state): `hex(BLAKE3("…/root/v1\0" ‖ group_id))` */
export function rootId (groupId: Uint8Array): CommitId {
  return toHex(blake3(concatBytes(ROOT_DOMAIN, groupId)))
}
