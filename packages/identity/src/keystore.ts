import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { blake3 } from '@noble/hashes/blake3.js'
import { bytesEqual, concatBytes } from '@saorsa-gossip/core'
import { ML_DSA_65_SEED_LENGTH } from './constants.ts'
import { CorruptKeystoreError, InvalidIdentityConfigError, UnsupportedKeystoreVersionError, WrongPassphraseError } from './errors.ts'
import { PqIdentity } from './identity.ts'
import type { PqIdentityOptions } from './identity.ts'

// Keystore file format v1 (SPEC.md §3.4), 117 bytes:
//
//   0   4  magic "SGKS"
//   4   1  version = 1
//   5   1  kdf = 1 (scrypt)
//   6   1  log2(N)      7  1  r      8  1  p
//   9  16  salt
//  25  12  nonce
//  37  48  ChaCha20-Poly1305(key, nonce, seed[32], aad = bytes 0..37) ‖ tag[16]
//  85  32  BLAKE3(bytes 0..85)
//
// The checksum tells a damaged file (CorruptKeystoreError) from a wrong
// passphrase (WrongPassphraseError); confidentiality and integrity against an
// attacker rest on the AEAD, not on the checksum.
const MAGIC = new TextEncoder().encode('SGKS')
export const KEYSTORE_VERSION = 1
const KDF_SCRYPT = 1
const HEADER_LENGTH = 37
const TAG_LENGTH = 16
const CHECKSUM_LENGTH = 32
export const KEYSTORE_FILE_LENGTH = HEADER_LENGTH + ML_DSA_65_SEED_LENGTH + TAG_LENGTH + CHECKSUM_LENGTH

export interface ScryptParams {
  /** log2 of the CPU/memory cost N; memory used is 128·N·r bytes */
  log2N: number
  r: number
  p: number
}

/**
 * Default scrypt cost: N = 2^17, r = 8, p = 1 → 128 MiB and roughly half a
 * second here. These are RFC 7914's interactive-login figures scaled to 2026
 * hardware (OWASP recommends N ≥ 2^17 with r = 8).
 */
export const DEFAULT_SCRYPT_PARAMS: Readonly<ScryptParams> = { log2N: 17, r: 8, p: 1 }

/** Bounds accepted when reading a file: a tampered header must not make us allocate gigabytes */
const LIMITS = { log2N: [10, 22], r: [1, 32], p: [1, 16] } as const

export interface KeystoreOptions extends PqIdentityOptions {
  /** scrypt cost for new files; files being read carry their own */
  scrypt?: ScryptParams
}

function checkParams (params: ScryptParams, ErrorClass: new (m: string) => Error): void {
  for (const name of ['log2N', 'r', 'p'] as const) {
    const [min, max] = LIMITS[name]
    const v = params[name]
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new ErrorClass(`scrypt ${name} must be an integer in [${min}, ${max}], got ${v}`)
    }
  }
}

function passphraseBytes (passphrase: string | Uint8Array): Uint8Array {
  if (typeof passphrase === 'string') {
    // NFKC so the same passphrase typed on different keyboards/OSes derives the same key
    return new TextEncoder().encode(passphrase.normalize('NFKC'))
  }
  if (passphrase instanceof Uint8Array) {
    return passphrase
  }
  throw new InvalidIdentityConfigError('Passphrase must be a string or Uint8Array')
}

async function deriveKey (passphrase: Uint8Array, salt: Uint8Array, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.log2N
  return new Promise((resolve, reject) => {
    crypto.scrypt(passphrase, salt, 32, { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 1024 * 1024 }, (err, key) => {
      if (err != null) {
        reject(err)
      } else {
        resolve(key)
      }
    })
  })
}

/** Encrypts an identity's seed under a passphrase into the v1 file bytes */
export async function encryptIdentity (identity: PqIdentity, passphrase: string | Uint8Array, options: KeystoreOptions = {}): Promise<Uint8Array> {
  const params = options.scrypt ?? DEFAULT_SCRYPT_PARAMS
  checkParams(params, InvalidIdentityConfigError)
  const salt = crypto.randomBytes(16)
  const nonce = crypto.randomBytes(12)
  const header = concatBytes(MAGIC, new Uint8Array([KEYSTORE_VERSION, KDF_SCRYPT, params.log2N, params.r, params.p]), salt, nonce)
  const key = await deriveKey(passphraseBytes(passphrase), salt, params)
  const cipher = crypto.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_LENGTH })
  cipher.setAAD(header, { plaintextLength: ML_DSA_65_SEED_LENGTH })
  const seed = identity.exportSeed()
  const ciphertext = concatBytes(cipher.update(seed), cipher.final(), cipher.getAuthTag())
  seed.fill(0)
  key.fill(0)
  const body = concatBytes(header, ciphertext)
  return concatBytes(body, blake3(body))
}

/** Decrypts v1 file bytes; named errors for every way it can fail */
export async function decryptIdentity (file: Uint8Array, passphrase: string | Uint8Array, options: PqIdentityOptions = {}): Promise<PqIdentity> {
  if (!(file instanceof Uint8Array) || file.length < 5 || !bytesEqual(file.subarray(0, 4), MAGIC)) {
    throw new CorruptKeystoreError('Not a Saorsa Gossip keystore file (bad magic or truncated)')
  }
  if (file[4] !== KEYSTORE_VERSION) {
    throw new UnsupportedKeystoreVersionError(`Keystore version ${file[4]} is not supported (this build reads version ${KEYSTORE_VERSION})`)
  }
  if (file.length !== KEYSTORE_FILE_LENGTH) {
    throw new CorruptKeystoreError(`Keystore file is ${file.length} bytes, expected ${KEYSTORE_FILE_LENGTH}`)
  }
  const body = file.subarray(0, KEYSTORE_FILE_LENGTH - CHECKSUM_LENGTH)
  if (!bytesEqual(blake3(body), file.subarray(body.length))) {
    throw new CorruptKeystoreError('Keystore checksum mismatch: the file is damaged')
  }
  if (file[5] !== KDF_SCRYPT) {
    throw new CorruptKeystoreError(`Unknown KDF ${file[5]}`)
  }
  const params = { log2N: file[6], r: file[7], p: file[8] }
  checkParams(params, CorruptKeystoreError)
  const header = file.subarray(0, HEADER_LENGTH)
  const salt = file.subarray(9, 25)
  const nonce = file.subarray(25, 37)
  const ciphertext = file.subarray(HEADER_LENGTH, HEADER_LENGTH + ML_DSA_65_SEED_LENGTH)
  const tag = file.subarray(HEADER_LENGTH + ML_DSA_65_SEED_LENGTH, body.length)
  const key = await deriveKey(passphraseBytes(passphrase), salt, params)
  const decipher = crypto.createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_LENGTH })
  decipher.setAAD(header, { plaintextLength: ML_DSA_65_SEED_LENGTH })
  decipher.setAuthTag(tag)
  let seed: Uint8Array
  try {
    seed = concatBytes(decipher.update(ciphertext), decipher.final())
  } catch {
    throw new WrongPassphraseError('Wrong passphrase for this keystore')
  } finally {
    key.fill(0)
  }
  const identity = PqIdentity.fromSeed(seed, options)
  seed.fill(0)
  return identity
}

/**
 * Saves an identity encrypted at rest. The write is atomic: a temporary file
 * in the same directory is written, flushed to disk and renamed over the
 * target, so a crash leaves either the old file or the new one, never half of
 * one. The file is created with mode 0600.
 */
export async function saveIdentity (file: string, identity: PqIdentity, passphrase: string | Uint8Array, options: KeystoreOptions = {}): Promise<void> {
  const bytes = await encryptIdentity(identity, passphrase, options)
  const dir = path.dirname(path.resolve(file))
  const tmp = path.join(dir, `.${path.basename(file)}.${crypto.randomBytes(6).toString('hex')}.tmp`)
  const handle = await fs.open(tmp, 'wx', 0o600)
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } catch (err) {
    await handle.close()
    await fs.rm(tmp, { force: true })
    throw err
  }
  await handle.close()
  try {
    await fs.rename(tmp, file)
  } catch (err) {
    await fs.rm(tmp, { force: true })
    throw err
  }
  // make the rename itself durable
  const dirHandle = await fs.open(dir, 'r')
  try {
    await dirHandle.sync()
  } finally {
    await dirHandle.close()
  }
}

/** Loads and decrypts an identity saved by `saveIdentity` */
export async function loadIdentity (file: string, passphrase: string | Uint8Array, options: PqIdentityOptions = {}): Promise<PqIdentity> {
  // read at most one byte more than a valid file, so a huge file cannot exhaust memory
  const handle = await fs.open(file, 'r')
  let bytes: Uint8Array
  try {
    const buf = Buffer.alloc(KEYSTORE_FILE_LENGTH + 1)
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0)
    bytes = new Uint8Array(buf.subarray(0, bytesRead))
  } finally {
    await handle.close()
  }
  return decryptIdentity(bytes, passphrase, options)
}
