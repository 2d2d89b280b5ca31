/**
 * The primitives of `Noise_XXhfs_25519+MLKEM768_ChaChaPoly_SHA256`, as an injected
 * interface so the handshake state machine stays pure and both implementations
 * (node:crypto and `@noble`) can be checked against each other byte for byte.
 *
 * Every function is synchronous: Node's X25519, ML-KEM and ChaCha20-Poly1305 are
 * synchronous calls into OpenSSL, and noble's are plain JavaScript.
 */

import type { Uint8ArrayList } from 'uint8arraylist'

export type BackendName = 'native' | 'noble'

export interface KeyPair {
  publicKey: Uint8Array
  privateKey: Uint8Array
}

export interface KemEncapsulation {
  ciphertext: Uint8Array
  sharedSecret: Uint8Array
}

export interface NoiseCryptoBackend {
  readonly name: BackendName
  /** SHA-256 over the concatenation of `parts` */
  sha256(...parts: Uint8Array[]): Uint8Array
  /** HMAC-SHA-256(key, concatenation of `parts`) */
  hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array
  /** X25519 key pair from a 32-byte private key (RFC 7748 clamping applies) */
  x25519FromPrivate(privateKey: Uint8Array): KeyPair
  /** X25519(privateKey, publicKey); throws InvalidHandshakeKeyError on an all-zero result (low-order point) */
  x25519(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array
  /**
   * ML-KEM-768 key pair from the 64-byte FIPS 203 seed d ‖ z. `privateKey` is that
   * seed: both backends expand it the same way, and it is what Node imports.
   */
  kemFromSeed(seed: Uint8Array): KeyPair
  /**
   * ML-KEM-768 Encaps to `publicKey` (1184 bytes). With `message` (32 bytes, the
   * FIPS 203 m) the result is deterministic, for test vectors; without it the
   * randomness is fresh. Throws InvalidHandshakeKeyError on a malformed key.
   */
  kemEncapsulate(publicKey: Uint8Array, message?: Uint8Array): KemEncapsulation
  /** ML-KEM-768 Decaps with the 64-byte seed; implicit rejection, never throws on a well-sized ciphertext */
  kemDecapsulate(ciphertext: Uint8Array, seed: Uint8Array): Uint8Array
  /** ChaCha20-Poly1305 (RFC 8439) seal: ciphertext ‖ 16-byte tag */
  seal(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, plaintext: Uint8Array): Uint8Array
  /** ChaCha20-Poly1305 open; returns undefined when the tag does not verify */
  open(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, ciphertext: Uint8Array): Uint8Array | undefined
  /**
   * `seal` over a list of buffers, returning the ciphertext and tag as a list: the
   * transport phase uses it so that 64 KiB messages are never copied to be contiguous
   */
  sealList(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8ArrayList): Uint8ArrayList
  /** `open` over a list of buffers (empty associated data); undefined when the tag does not verify */
  openList(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8ArrayList): Uint8ArrayList | undefined
  /** `n` random bytes */
  randomBytes(n: number): Uint8Array
}
