import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { concatBytes } from '@saorsa-gossip/core'
import { MlsRefusedError } from '../errors.ts'

/**
 * Application data sealed under the epoch's exporter key (SPEC.md §11.8): AES-256-GCM,
 * `0x01 ‖ nonce[12] ‖ ciphertext ‖ tag[16]` — 29 bytes over the plaintext. The first byte
 * tells it from an MLSMessage, which starts with the protocol version 0x0001.
 */
export const SEALED_VERSION = 0x01
const NONCE = 12
const TAG = 16
const DOMAIN = new TextEncoder().encode('saorsa-gossip/groups/app/v1\0')

export function sealAppData (key: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  // random nonces: 2^-32 collision risk after ~2^48 messages per epoch key (NIST SP 800-38D §8.3)
  const nonce = randomBytes(NONCE)
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG })
  cipher.setAAD(concatBytes(DOMAIN, aad))
  const body = cipher.update(plaintext)
  cipher.final()
  return concatBytes(Uint8Array.of(SEALED_VERSION), nonce, body, cipher.getAuthTag())
}

export function openSealed (key: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array {
  if (sealed.byteLength < 1 + NONCE + TAG || sealed[0] !== SEALED_VERSION) {
    throw new MlsRefusedError('malformed', 'Sealed data too short')
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + NONCE), { authTagLength: TAG })
    decipher.setAAD(concatBytes(DOMAIN, aad))
    decipher.setAuthTag(sealed.subarray(sealed.byteLength - TAG))
    const out = decipher.update(sealed.subarray(1 + NONCE, sealed.byteLength - TAG))
    decipher.final()
    return new Uint8Array(out)
  } catch (err: any) {
    throw new MlsRefusedError('forged', 'Sealed data does not open', { cause: err })
  }
}
