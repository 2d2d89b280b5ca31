import { ml_dsa65 as mlDsa65 } from '@noble/post-quantum/ml-dsa.js'
import { ML_DSA_65_PUBLIC_KEY_LENGTH, ML_DSA_65_SEED_LENGTH, ML_DSA_65_SIGNATURE_LENGTH } from '../constants.ts'
import { InvalidKeyError } from '../errors.ts'
import type { MlDsa65Backend, MlDsa65SigningKey } from './backend.ts'

interface NobleKey extends MlDsa65SigningKey {
  /** noble's expanded secret key (4032 B), derived once */
  readonly secretKey: Uint8Array
}

/**
 * Portable backend: `@noble/post-quantum` (pure JavaScript, audited). About
 * ten times slower than OpenSSL but runs anywhere.
 */
export const nobleBackend: MlDsa65Backend = {
  name: 'noble',

  fromSeed (seed: Uint8Array): MlDsa65SigningKey {
    if (!(seed instanceof Uint8Array) || seed.length !== ML_DSA_65_SEED_LENGTH) {
      throw new InvalidKeyError(`ML-DSA-65 seed must be ${ML_DSA_65_SEED_LENGTH} bytes`)
    }
    const { publicKey, secretKey } = mlDsa65.keygen(seed)
    const key: NobleKey = { backend: 'noble', seed: new Uint8Array(seed), publicKey, secretKey }
    return key
  },

  sign (key: MlDsa65SigningKey, message: Uint8Array): Uint8Array {
    const secretKey = (key as Partial<NobleKey>).secretKey ?? mlDsa65.keygen(key.seed).secretKey
    return mlDsa65.sign(message, secretKey)
  },

  verify (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (!(publicKey instanceof Uint8Array) || publicKey.length !== ML_DSA_65_PUBLIC_KEY_LENGTH) {
      throw new InvalidKeyError(`ML-DSA-65 public key must be ${ML_DSA_65_PUBLIC_KEY_LENGTH} bytes`)
    }
    if (!(signature instanceof Uint8Array) || signature.length !== ML_DSA_65_SIGNATURE_LENGTH) {
      return false
    }
    try {
      return mlDsa65.verify(signature, message, publicKey)
    } catch {
      return false
    }
  }
}
