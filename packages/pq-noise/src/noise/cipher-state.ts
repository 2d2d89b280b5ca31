import { DecryptionError, NonceExhaustedError } from '../errors.ts'
import type { NoiseCryptoBackend } from '../crypto/backend.ts'
import type { Uint8ArrayList } from 'uint8arraylist'

/**
 * Noise §5.1 CipherState for ChaChaPoly: a 32-byte key k and a 64-bit counter n.
 *
 * The nonce is 32 zero bits followed by n as a little-endian 64-bit integer
 * (Noise §12.3). n is kept as a JavaScript number, so this implementation stops at
 * 2^53 − 1 messages instead of Noise's 2^64 − 1: stricter than the spec allows,
 * and unreachable in practice (2^53 messages at 10^6 per second is 285 years).
 */
export const MAX_NONCE = Number.MAX_SAFE_INTEGER

export class CipherState {
  private k: Uint8Array | undefined
  private n: number
  private readonly nonceBytes = new Uint8Array(12)
  private readonly nonceView = new DataView(this.nonceBytes.buffer)
  private readonly crypto: NoiseCryptoBackend

  constructor (crypto: NoiseCryptoBackend, key?: Uint8Array, nonce = 0) {
    this.crypto = crypto
    this.k = key
    this.n = nonce
  }

  /** InitializeKey(key): sets k and resets n to 0 */
  initializeKey (key: Uint8Array): void {
    this.k = key
    this.n = 0
  }

  hasKey (): boolean {
    return this.k != null
  }

  /** The next nonce that will be used (tests and diagnostics) */
  get nonce (): number {
    return this.n
  }

  private nextNonce (): Uint8Array {
    if (this.n >= MAX_NONCE) {
      throw new NonceExhaustedError(`Nonce reached ${this.n}; the session must be replaced`)
    }
    // 4 zero bytes, then n as u64 little-endian (Noise §12.3)
    this.nonceView.setUint32(4, this.n % 0x1_0000_0000, true)
    this.nonceView.setUint32(8, Math.floor(this.n / 0x1_0000_0000), true)
    return this.nonceBytes
  }

  /** EncryptWithAd: with no key, returns the plaintext (Noise §5.1) */
  encryptWithAd (ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    if (this.k == null) {
      return plaintext
    }
    const out = this.crypto.seal(this.k, this.nextNonce(), ad, plaintext)
    this.n++
    return out
  }

  /** DecryptWithAd: a failed tag leaves n unchanged and throws DecryptionError (Noise §5.1) */
  decryptWithAd (ad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    if (this.k == null) {
      return ciphertext
    }
    const out = this.crypto.open(this.k, this.nextNonce(), ad, ciphertext)
    if (out == null) {
      throw new DecryptionError(`Tag did not verify at nonce ${this.n}`)
    }
    this.n++
    return out
  }

  /** EncryptWithAd with empty associated data over a buffer list (transport messages, Noise §5.1) */
  encryptList (plaintext: Uint8ArrayList): Uint8ArrayList {
    if (this.k == null) {
      throw new DecryptionError('Transport phase without a key')
    }
    const out = this.crypto.sealList(this.k, this.nextNonce(), plaintext)
    this.n++
    return out
  }

  /** DecryptWithAd with empty associated data over a buffer list; a failed tag leaves n unchanged */
  decryptList (ciphertext: Uint8ArrayList): Uint8ArrayList {
    if (this.k == null) {
      throw new DecryptionError('Transport phase without a key')
    }
    const out = this.crypto.openList(this.k, this.nextNonce(), ciphertext)
    if (out == null) {
      throw new DecryptionError(`Tag did not verify at nonce ${this.n}`)
    }
    this.n++
    return out
  }

  /**
   * Rekey() (Noise §4.2, §11.3): k = first 32 bytes of ENCRYPT(k, 2^64 − 1, ε, 0^32).
   * Provided for applications that agree on when to call it; the libp2p Noise
   * spec defines no rekeying, so the connection encrypter never calls it.
   */
  rekey (): void {
    if (this.k == null) {
      return
    }
    const maxNonce = new Uint8Array(12).fill(0xff, 4)
    this.k = this.crypto.seal(this.k, maxNonce, new Uint8Array(0), new Uint8Array(32)).subarray(0, 32)
  }
}
