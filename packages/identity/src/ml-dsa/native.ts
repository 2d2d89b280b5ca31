import crypto from 'node:crypto'
import { ML_DSA_65_PUBLIC_KEY_LENGTH, ML_DSA_65_SEED_LENGTH, ML_DSA_65_SIGNATURE_LENGTH } from '../constants.ts'
import { BackendUnavailableError, InvalidKeyError } from '../errors.ts'
import type { MlDsa65Backend, MlDsa65SigningKey } from './backend.ts'

interface NativeKey extends MlDsa65SigningKey {
  readonly keyObject: crypto.KeyObject
}

const ALGORITHM = 'ml-dsa-65'

let availability: boolean | undefined

/**
 * True when node:crypto can import an ML-DSA-65 key from a raw seed and sign
 * with it (Node >= 24.7 built against OpenSSL >= 3.5). Probed once.
 */
export function nativeAvailable (): boolean {
  if (availability == null) {
    try {
      const key = crypto.createPrivateKey({ key: Buffer.alloc(ML_DSA_65_SEED_LENGTH, 1), format: 'raw-seed', asymmetricKeyType: ALGORITHM } as any)
      const publicKey = crypto.createPublicKey(key).export({ format: 'raw-public' } as any)
      availability = publicKey.length === ML_DSA_65_PUBLIC_KEY_LENGTH && crypto.sign(null, Buffer.alloc(1), key).length === ML_DSA_65_SIGNATURE_LENGTH
    } catch {
      availability = false
    }
  }
  return availability
}

/**
 * Imported keys by the array that holds them: services verify many signatures under the
 * same cached binding, and importing a key cost about as much as the verification itself
 * (measured in a 100-node benchmark profile: 7.6% vs 8.5% of CPU). A WeakMap keeps nothing
 * alive; callers must not mutate a key array after verifying with it.
 */
const imported = new WeakMap<Uint8Array, crypto.KeyObject>()

function importPublicKey (publicKey: Uint8Array): crypto.KeyObject {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ML_DSA_65_PUBLIC_KEY_LENGTH) {
    throw new InvalidKeyError(`ML-DSA-65 public key must be ${ML_DSA_65_PUBLIC_KEY_LENGTH} bytes`)
  }
  let keyObject = imported.get(publicKey)
  if (keyObject == null) {
    keyObject = createPublicKeyObject(publicKey)
    imported.set(publicKey, keyObject)
  }
  return keyObject
}

function createPublicKeyObject (publicKey: Uint8Array): crypto.KeyObject {
  try {
    return crypto.createPublicKey({ key: Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength), format: 'raw-public', asymmetricKeyType: ALGORITHM } as any)
  } catch (err: any) {
    throw new InvalidKeyError(`Malformed ML-DSA-65 public key: ${err.message}`, { cause: err })
  }
}

/**
 * Native backend: node:crypto on OpenSSL 3.5. Keys cross the boundary only as
 * raw seeds and raw public keys, the formats both backends share.
 */
export const nativeBackend: MlDsa65Backend = {
  name: 'native',

  fromSeed (seed: Uint8Array): MlDsa65SigningKey {
    if (!nativeAvailable()) {
      throw new BackendUnavailableError(`node:crypto in Node ${process.versions.node} (OpenSSL ${process.versions.openssl}) has no ML-DSA-65`)
    }
    if (!(seed instanceof Uint8Array) || seed.length !== ML_DSA_65_SEED_LENGTH) {
      throw new InvalidKeyError(`ML-DSA-65 seed must be ${ML_DSA_65_SEED_LENGTH} bytes`)
    }
    const keyObject = crypto.createPrivateKey({ key: Buffer.from(seed), format: 'raw-seed', asymmetricKeyType: ALGORITHM } as any)
    const publicKey = new Uint8Array(crypto.createPublicKey(keyObject).export({ format: 'raw-public' } as any) as Buffer)
    const key: NativeKey = { backend: 'native', seed: new Uint8Array(seed), publicKey, keyObject }
    return key
  },

  sign (key: MlDsa65SigningKey, message: Uint8Array): Uint8Array {
    const keyObject = (key as Partial<NativeKey>).keyObject ?? (nativeBackend.fromSeed(key.seed) as NativeKey).keyObject
    return new Uint8Array(crypto.sign(null, message, keyObject))
  },

  verify (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (!nativeAvailable()) {
      throw new BackendUnavailableError('node:crypto has no ML-DSA-65')
    }
    const keyObject = importPublicKey(publicKey)
    if (!(signature instanceof Uint8Array) || signature.length !== ML_DSA_65_SIGNATURE_LENGTH) {
      return false
    }
    try {
      return crypto.verify(null, message, keyObject, signature)
    } catch {
      return false
    }
  }
}
