import { chacha20poly1305 } from '@noble/ciphers/chacha.js'
import { x25519 } from '@noble/curves/ed25519.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { randomBytes } from '@noble/hashes/utils.js'
import { ml_kem768 as mlKem768 } from '@noble/post-quantum/ml-kem.js'
import { Uint8ArrayList } from 'uint8arraylist'
import { InvalidHandshakeKeyError } from '../errors.ts'
import { checkKemCiphertext, checkKemPublicKey, checkKemSeed, checkSharedSecret, checkX25519Key } from './check.ts'
import type { KemEncapsulation, KeyPair, NoiseCryptoBackend } from './backend.ts'

const EMPTY = new Uint8Array(0)

/** Expanded FIPS 203 decapsulation keys by the seed that made them (keygen is the costly part) */
const expanded = new WeakMap<Uint8Array, Uint8Array>()

function expandedKey (seed: Uint8Array): Uint8Array {
  let secretKey = expanded.get(seed)
  if (secretKey == null) {
    secretKey = mlKem768.keygen(seed).secretKey
    expanded.set(seed, secretKey)
  }
  return secretKey
}

/** Portable backend: `@noble/post-quantum`, `@noble/curves`, `@noble/ciphers`, `@noble/hashes` */
export const nobleBackend: NoiseCryptoBackend = {
  name: 'noble',

  sha256 (...parts) {
    const h = sha256.create()
    for (const p of parts) {
      h.update(p)
    }
    return h.digest()
  },

  hmacSha256 (key, ...parts) {
    const h = hmac.create(sha256, key)
    for (const p of parts) {
      h.update(p)
    }
    return h.digest()
  },

  x25519FromPrivate (privateKey): KeyPair {
    checkX25519Key(privateKey, 'X25519 private key')
    return { publicKey: x25519.getPublicKey(privateKey), privateKey }
  },

  x25519 (privateKey, publicKey) {
    checkX25519Key(privateKey, 'X25519 private key')
    checkX25519Key(publicKey, 'X25519 public key')
    let secret: Uint8Array
    try {
      secret = x25519.getSharedSecret(privateKey, publicKey)
    } catch (err: any) {
      throw new InvalidHandshakeKeyError(`X25519 failed: ${err.message}`, { cause: err })
    }
    return checkSharedSecret(secret)
  },

  kemFromSeed (seed): KeyPair {
    checkKemSeed(seed)
    const { publicKey, secretKey } = mlKem768.keygen(seed)
    expanded.set(seed, secretKey)
    return { publicKey, privateKey: seed }
  },

  kemEncapsulate (publicKey, message): KemEncapsulation {
    checkKemPublicKey(publicKey)
    try {
      const { cipherText, sharedSecret } = mlKem768.encapsulate(publicKey, message)
      return { ciphertext: cipherText, sharedSecret }
    } catch (err: any) {
      // FIPS 203 §7.2 modulus check on the encapsulation key
      throw new InvalidHandshakeKeyError(`Invalid ML-KEM-768 encapsulation key: ${err.message}`, { cause: err })
    }
  },

  kemDecapsulate (ciphertext, seed) {
    checkKemCiphertext(ciphertext)
    checkKemSeed(seed)
    return mlKem768.decapsulate(ciphertext, expandedKey(seed))
  },

  seal (key, nonce, ad, plaintext) {
    return chacha20poly1305(key, nonce, ad).encrypt(plaintext)
  },

  open (key, nonce, ad, ciphertext) {
    try {
      return chacha20poly1305(key, nonce, ad).decrypt(ciphertext)
    } catch {
      return undefined
    }
  },

  sealList (key, nonce, plaintext) {
    return new Uint8ArrayList(chacha20poly1305(key, nonce, EMPTY).encrypt(plaintext.subarray()))
  },

  openList (key, nonce, ciphertext) {
    try {
      return new Uint8ArrayList(chacha20poly1305(key, nonce, EMPTY).decrypt(ciphertext.subarray()))
    } catch {
      return undefined
    }
  },

  randomBytes (n) {
    return randomBytes(n)
  }
}
