import crypto from 'node:crypto'
import { ML_DSA_65_SEED_LENGTH } from './constants.ts'
import { InvalidKeyError } from './errors.ts'
import { selectBackend } from './ml-dsa/select.ts'
import type { MlDsa65Backend, MlDsa65SigningKey } from './ml-dsa/backend.ts'
import type { BackendChoice } from './ml-dsa/select.ts'

export interface PqIdentityOptions {
  /**
   * Which ML-DSA-65 implementation signs and verifies.
   *
   * @default 'auto'
   */
  backend?: BackendChoice | MlDsa65Backend
}

/**
 * An ML-DSA-65 (FIPS 204) identity: a 32-byte secret seed and the public key
 * derived from it. The seed is the only secret; it is what the keystore saves,
 * and both backends derive the same key pair from it.
 */
export class PqIdentity {
  readonly backend: MlDsa65Backend
  private readonly key: MlDsa65SigningKey

  private constructor (backend: MlDsa65Backend, key: MlDsa65SigningKey) {
    this.backend = backend
    this.key = key
  }

  /** A new identity from 32 bytes of operating-system randomness */
  static generate (options: PqIdentityOptions = {}): PqIdentity {
    return PqIdentity.fromSeed(new Uint8Array(crypto.randomBytes(ML_DSA_65_SEED_LENGTH)), options)
  }

  /** The identity for a 32-byte seed; throws InvalidKeyError for any other length */
  static fromSeed (seed: Uint8Array, options: PqIdentityOptions = {}): PqIdentity {
    if (!(seed instanceof Uint8Array) || seed.length !== ML_DSA_65_SEED_LENGTH) {
      throw new InvalidKeyError(`ML-DSA-65 seed must be ${ML_DSA_65_SEED_LENGTH} bytes, got ${seed instanceof Uint8Array ? seed.length : typeof seed}`)
    }
    const backend = selectBackend(options.backend)
    return new PqIdentity(backend, backend.fromSeed(seed))
  }

  /** Raw ML-DSA-65 public key, 1952 bytes */
  get publicKey (): Uint8Array {
    return this.key.publicKey
  }

  /** Signs `message` (hedged ML-DSA-65, empty context) */
  sign (message: Uint8Array): Uint8Array {
    return this.backend.sign(this.key, message)
  }

  /** Verifies a signature made by this identity */
  verify (message: Uint8Array, signature: Uint8Array): boolean {
    return this.backend.verify(this.key.publicKey, message, signature)
  }

  /** The secret seed. Handle with care: anyone holding it is this identity. */
  exportSeed (): Uint8Array {
    return new Uint8Array(this.key.seed)
  }

  /** Never print the seed by accident */
  toJSON (): { publicKeyLength: number, backend: string } {
    return { publicKeyLength: this.key.publicKey.length, backend: this.backend.name }
  }
}

/** Verifies an ML-DSA-65 signature under a raw public key with the chosen backend */
export function verifyMlDsa65 (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, backend?: BackendChoice | MlDsa65Backend): boolean {
  return selectBackend(backend).verify(publicKey, message, signature)
}
