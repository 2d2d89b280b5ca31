import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { blake3 } from '@noble/hashes/blake3.js'
import { concatBytes, u64be } from '@saorsa-gossip/core'
import { TAG_BYTES } from './constants.ts'
import { InvalidGroupSecretError } from './errors.ts'

export { TAG_BYTES }

/** MLS-Exporter label a group's presence secret is exported under (RFC 9420 §8.5), 32 bytes */
export const PRESENCE_EXPORTER_LABEL = 'saorsa-gossip/presence/v1'
export const HOUR_MS = 3_600_000
const NONCE = 12
const GCM_TAG = 16
const TAG_CONTEXT = new TextEncoder().encode('saorsa-gossip/presence/tag/v1')
const SEAL_CONTEXT = new TextEncoder().encode('saorsa-gossip/presence/seal/v1')
const SEAL_DOMAIN = new TextEncoder().encode('saorsa-gossip/presence/sealed/v1\0')

/** One group's exporter secret for presence: what the groups() service exports for `PRESENCE_EXPORTER_LABEL` */
export interface GroupPresenceSecret {
  groupId: string
  secret: Uint8Array
}

/** Where presence() gets the current secrets of the groups this node is a member of; read at every beacon and lookup */
export type GroupSecretSource = () => GroupPresenceSecret[]

/**
 * A group's two presence keys, derived from its exporter secret with BLAKE3's derive-key mode
 * (one context each, so the tag key never encrypts and the sealing key never tags):
 *
 * - tag = BLAKE3-keyed(tagKey, peer id bytes ‖ u64be(hour slice))[0..16]: only a member can
 * compute a peer's tag, it changes every hour, and two tags of one peer do not link.
 * - sealed = nonce ‖ AES-256-GCM(sealKey, nonce, beacon, AAD = domain ‖ tag) ‖ gcm tag: a
 * non-member stores and returns it by tag, but learns neither who nor where.
 */
export class GroupKey {
  readonly groupId: string
  private readonly tagKey: Uint8Array
  private readonly sealKey: Uint8Array

  constructor ({ groupId, secret }: GroupPresenceSecret) {
    // upstream fell back to an all-zero key: a key anyone can compute is no key, so refuse it
    if (secret.byteLength !== 32 || secret.every(b => b === 0)) {
      throw new InvalidGroupSecretError(`group ${groupId}: the presence secret must be 32 bytes from the MLS exporter`)
    }
    this.groupId = groupId
    this.tagKey = blake3(secret, { context: TAG_CONTEXT })
    this.sealKey = blake3(secret, { context: SEAL_CONTEXT })
  }

  tag (peer: Uint8Array, hourSlice: number): Uint8Array {
    return blake3(concatBytes(peer, u64be(BigInt(hourSlice))), { key: this.tagKey, dkLen: TAG_BYTES })
  }

  /** Tags of `peer` for this hour and the previous one (a beacon sealed just before the hour turned, or a skewed clock) */
  tagsAround (peer: Uint8Array, now: number): Uint8Array[] {
    const slice = Math.floor(now / HOUR_MS)
    return [this.tag(peer, slice), this.tag(peer, slice - 1)]
  }

  seal (tag: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const nonce = randomBytes(NONCE)
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, nonce, { authTagLength: GCM_TAG })
    cipher.setAAD(concatBytes(SEAL_DOMAIN, tag))
    const body = cipher.update(plaintext)
    cipher.final()
    return concatBytes(nonce, body, cipher.getAuthTag())
  }

  /** The plaintext, or undefined when this is not our group's (or it was altered) */
  open (tag: Uint8Array, sealed: Uint8Array): Uint8Array | undefined {
    if (sealed.byteLength < NONCE + GCM_TAG) {
      return undefined
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.sealKey, sealed.subarray(0, NONCE), { authTagLength: GCM_TAG })
      decipher.setAAD(concatBytes(SEAL_DOMAIN, tag))
      decipher.setAuthTag(sealed.subarray(sealed.byteLength - GCM_TAG))
      const out = decipher.update(sealed.subarray(NONCE, sealed.byteLength - GCM_TAG))
      decipher.final()
      return new Uint8Array(out)
    } catch {
      return undefined
    }
  }
}
