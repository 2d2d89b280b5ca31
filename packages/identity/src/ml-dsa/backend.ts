/**
 * The ML-DSA-65 backend interface. Two implementations read and write the
 * same bytes: raw public keys (1952 B), 32-byte seeds as private keys, and
 * standard FIPS 204 signatures (3309 B) with an empty context string.
 */

export type BackendName = 'native' | 'noble'

/** A private key ready for signing, as a backend holds it */
export interface MlDsa65SigningKey {
  readonly backend: BackendName
  /** FIPS 204 seed ξ (secret) */
  readonly seed: Uint8Array
  /** Raw public key derived from the seed */
  readonly publicKey: Uint8Array
}

export interface MlDsa65Backend {
  readonly name: BackendName
  /** Derives the key pair for a 32-byte seed (FIPS 204 ML-DSA.KeyGen_internal) */
  fromSeed(seed: Uint8Array): MlDsa65SigningKey
  /** Hedged (randomised) ML-DSA-65 signature with an empty context */
  sign(key: MlDsa65SigningKey, message: Uint8Array): Uint8Array
  /**
   * Verifies a signature. Returns false for a wrong signature, including one
   * of the wrong length; throws InvalidKeyError for a malformed public key.
   */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean
}
