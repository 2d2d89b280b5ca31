import { CipherState } from './cipher-state.ts'
import type { NoiseCryptoBackend } from '../crypto/backend.ts'

const HASHLEN = 32
const EMPTY = new Uint8Array(0)
const ONE = Uint8Array.of(1)
const TWO = Uint8Array.of(2)
const THREE = Uint8Array.of(3)

/** Noise §4.3 HKDF with HMAC-SHA256, two outputs (the only count this pattern uses) */
export function hkdf2 (crypto: NoiseCryptoBackend, chainingKey: Uint8Array, ikm: Uint8Array): [Uint8Array, Uint8Array] {
  const tempKey = crypto.hmacSha256(chainingKey, ikm)
  const out1 = crypto.hmacSha256(tempKey, ONE)
  const out2 = crypto.hmacSha256(tempKey, out1, TWO)
  return [out1, out2]
}

/** Noise §4.3 HKDF, three outputs (MixKeyAndHash, for the psk token) */
export function hkdf3 (crypto: NoiseCryptoBackend, chainingKey: Uint8Array, ikm: Uint8Array): [Uint8Array, Uint8Array, Uint8Array] {
  const tempKey = crypto.hmacSha256(chainingKey, ikm)
  const out1 = crypto.hmacSha256(tempKey, ONE)
  const out2 = crypto.hmacSha256(tempKey, out1, TWO)
  const out3 = crypto.hmacSha256(tempKey, out2, THREE)
  return [out1, out2, out3]
}

/** Noise §5.2 SymmetricState: chaining key ck, handshake hash h, and a CipherState */
export class SymmetricState {
  private ck: Uint8Array
  private h: Uint8Array
  readonly cipher: CipherState
  private readonly crypto: NoiseCryptoBackend

  /** InitializeSymmetric(protocol_name) */
  constructor (crypto: NoiseCryptoBackend, protocolName: string) {
    this.crypto = crypto
    const name = new TextEncoder().encode(protocolName)
    if (name.length <= HASHLEN) {
      this.h = new Uint8Array(HASHLEN)
      this.h.set(name)
    } else {
      // our 44-byte name takes this branch
      this.h = crypto.sha256(name)
    }
    this.ck = this.h
    this.cipher = new CipherState(crypto)
  }

  /** The handshake hash; after the last message it is the channel binding value (Noise §11.2) */
  get handshakeHash (): Uint8Array {
    return this.h
  }

  mixKey (ikm: Uint8Array): void {
    const [ck, tempK] = hkdf2(this.crypto, this.ck, ikm)
    this.ck = ck
    this.cipher.initializeKey(tempK)
  }

  /** MixKeyAndHash(ikm): the psk token (Noise §5.2, §9) */
  mixKeyAndHash (ikm: Uint8Array): void {
    const [ck, tempH, tempK] = hkdf3(this.crypto, this.ck, ikm)
    this.ck = ck
    this.mixHash(tempH)
    this.cipher.initializeKey(tempK)
  }

  mixHash (data: Uint8Array): void {
    this.h = this.crypto.sha256(this.h, data)
  }

  encryptAndHash (plaintext: Uint8Array): Uint8Array {
    const ciphertext = this.cipher.encryptWithAd(this.h, plaintext)
    this.mixHash(ciphertext)
    return ciphertext
  }

  decryptAndHash (ciphertext: Uint8Array): Uint8Array {
    const plaintext = this.cipher.decryptWithAd(this.h, ciphertext)
    this.mixHash(ciphertext)
    return plaintext
  }

  /** Split(): the two transport cipher states, initiator→responder first */
  split (): { keys: [Uint8Array, Uint8Array], states: [CipherState, CipherState] } {
    const [k1, k2] = hkdf2(this.crypto, this.ck, EMPTY)
    return { keys: [k1, k2], states: [new CipherState(this.crypto, k1), new CipherState(this.crypto, k2)] }
  }
}
