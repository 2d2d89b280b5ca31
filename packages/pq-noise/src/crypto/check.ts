import { KEM_CIPHERTEXT_LENGTH, KEM_PUBLIC_KEY_LENGTH, KEM_SEED_LENGTH, X25519_KEY_LENGTH } from '../constants.ts'
import { InvalidHandshakeKeyError, InvalidKemCiphertextError } from '../errors.ts'

/** Argument checks both backends share, so they fail the same way on the same input */

export function checkX25519Key (key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array) || key.length !== X25519_KEY_LENGTH) {
    throw new InvalidHandshakeKeyError(`${what} must be ${X25519_KEY_LENGTH} bytes`)
  }
}

/** Noise §12.1 lets X25519 implementations reject the all-zero output of a low-order point; we do */
export function checkSharedSecret (secret: Uint8Array): Uint8Array {
  let acc = 0
  for (const b of secret) {
    acc |= b
  }
  if (acc === 0) {
    throw new InvalidHandshakeKeyError('X25519 produced the all-zero shared secret (low-order public key)')
  }
  return secret
}

export function checkKemPublicKey (key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== KEM_PUBLIC_KEY_LENGTH) {
    throw new InvalidHandshakeKeyError(`ML-KEM-768 encapsulation key must be ${KEM_PUBLIC_KEY_LENGTH} bytes`)
  }
}

export function checkKemSeed (seed: Uint8Array): void {
  if (!(seed instanceof Uint8Array) || seed.length !== KEM_SEED_LENGTH) {
    throw new InvalidHandshakeKeyError(`ML-KEM-768 seed must be ${KEM_SEED_LENGTH} bytes`)
  }
}

export function checkKemCiphertext (ciphertext: Uint8Array): void {
  if (!(ciphertext instanceof Uint8Array) || ciphertext.length !== KEM_CIPHERTEXT_LENGTH) {
    throw new InvalidKemCiphertextError(`ML-KEM-768 ciphertext must be ${KEM_CIPHERTEXT_LENGTH} bytes, got ${ciphertext?.length}`)
  }
}
