import {
  KEM_CIPHERTEXT_LENGTH, KEM_MESSAGE_LENGTH, KEM_PUBLIC_KEY_LENGTH, KEM_SEED_LENGTH, NOISE_MAX_MESSAGE_LENGTH,
  PROTOCOL_NAME, TAG_LENGTH, X25519_KEY_LENGTH
} from '../constants.ts'
import { HandshakeStateError, MalformedHandshakeMessageError } from '../errors.ts'
import { SymmetricState } from './symmetric-state.ts'
import type { CipherState } from './cipher-state.ts'
import type { KeyPair, NoiseCryptoBackend } from '../crypto/backend.ts'

/**
 * The Noise tokens of XXhfs. `e1` and `ekem1` are the Hybrid Forward Secrecy
 * extension's: e1 sends a fresh KEM public key, ekem1 answers it with an
 * encapsulation whose shared secret is mixed into the chaining key.
 */
export type Token = 'e' | 's' | 'ee' | 'es' | 'se' | 'e1' | 'ekem1'

/**
 * `Noise_XXhfs`: XX with HFS (libp2p/specs#727; Noise HFS §5):
 * `-> e, e1` / `<- e, ee, ekem1, s, es` / `-> s, se`
 */
export const XXHFS_PATTERN: readonly Token[][] = [
  ['e', 'e1'],
  ['e', 'ee', 'ekem1', 's', 'es'],
  ['s', 'se']
]

/**
 * Where ephemeral randomness comes from, in draw order: the initiator draws its
 * X25519 ephemeral (32 bytes) then its ML-KEM seed d ‖ z (64); the responder its
 * X25519 ephemeral (32) then the Encaps randomness m (32). Inject a fixed source
 * to reproduce test vectors; production uses the backend's CSPRNG (and, for
 * Encaps, the KEM's own randomness).
 */
export type RandomSource = (length: number) => Uint8Array

export interface HandshakeStateInit {
  crypto: NoiseCryptoBackend
  initiator: boolean
  /** Local static X25519 key pair */
  staticKeys: KeyPair
  /** Noise prologue; libp2p uses the empty string */
  prologue?: Uint8Array
  /** Deterministic randomness for test vectors */
  random?: RandomSource
  /**
   * Protocol name hashed into h
   *
   * @default PROTOCOL_NAME
   */
  protocolName?: string
}

export interface HandshakeResult {
  /** Encrypts what this side sends */
  send: CipherState
  /** Decrypts what this side receives */
  receive: CipherState
  /** Final h: identical on both sides of a successful handshake */
  handshakeHash: Uint8Array
  /** Split() keys, initiator→responder then responder→initiator (test vectors only; never log) */
  keys: [Uint8Array, Uint8Array]
  remoteStaticKey: Uint8Array
}

/**
 * Noise §5.3 HandshakeState for XXhfs, sans I/O: `writeMessage(payload)` returns
 * the bytes to send, `readMessage(bytes)` returns the payload; each throws a named
 * error on bad input and the state must then be discarded.
 */
export class XXhfsHandshakeState {
  private readonly crypto: NoiseCryptoBackend
  private readonly ss: SymmetricState
  private readonly initiator: boolean
  private readonly s: KeyPair
  private readonly random?: RandomSource
  private e?: KeyPair
  private e1?: KeyPair
  private re?: Uint8Array
  private re1?: Uint8Array
  private rs?: Uint8Array
  private step = 0

  constructor (init: HandshakeStateInit) {
    this.crypto = init.crypto
    this.initiator = init.initiator
    this.s = init.staticKeys
    this.random = init.random
    this.ss = new SymmetricState(init.crypto, init.protocolName ?? PROTOCOL_NAME)
    // XX has no pre-messages, so only the prologue is mixed before message A
    this.ss.mixHash(init.prologue ?? new Uint8Array(0))
  }

  /** True when the next message is ours to write */
  get isMyTurn (): boolean {
    return (this.step % 2 === 0) === this.initiator
  }

  get isComplete (): boolean {
    return this.step === XXHFS_PATTERN.length
  }

  get handshakeHash (): Uint8Array {
    return this.ss.handshakeHash
  }

  /** The remote static key, once its `s` token has been read */
  get remoteStaticKey (): Uint8Array | undefined {
    return this.rs
  }

  private draw (length: number): Uint8Array | undefined {
    if (this.random == null) {
      return undefined
    }
    const bytes = this.random(length)
    if (bytes.length !== length) {
      throw new HandshakeStateError(`Random source returned ${bytes.length} bytes, expected ${length}`)
    }
    return bytes
  }

  /** The DH of a token, from this side's point of view (Noise §5.3 "ee", "es", "se") */
  private dh (token: 'ee' | 'es' | 'se'): Uint8Array {
    const need = (v: Uint8Array | KeyPair | undefined): any => {
      if (v == null) {
        throw new HandshakeStateError(`Token ${token} before its keys`)
      }
      return v
    }
    switch (token) {
      case 'ee':
        return this.crypto.x25519(need(this.e).privateKey, need(this.re))
      case 'es':
        return this.initiator
          ? this.crypto.x25519(need(this.e).privateKey, need(this.rs))
          : this.crypto.x25519(this.s.privateKey, need(this.re))
      case 'se':
        return this.initiator
          ? this.crypto.x25519(this.s.privateKey, need(this.re))
          : this.crypto.x25519(need(this.e).privateKey, need(this.rs))
      default:
        throw new HandshakeStateError(`Unknown DH token ${String(token)}`)
    }
  }

  writeMessage (payload: Uint8Array): Uint8Array {
    if (this.isComplete || !this.isMyTurn) {
      throw new HandshakeStateError(`Not this side's turn to write (message ${this.step})`)
    }
    const parts: Uint8Array[] = []
    for (const token of XXHFS_PATTERN[this.step]) {
      switch (token) {
        case 'e': {
          const priv = this.draw(X25519_KEY_LENGTH) ?? this.crypto.randomBytes(X25519_KEY_LENGTH)
          this.e = this.crypto.x25519FromPrivate(priv)
          parts.push(this.e.publicKey)
          this.ss.mixHash(this.e.publicKey)
          break
        }
        case 'e1': {
          // HFS: EncryptAndHash(e1.public_key); message A has no key yet, so this is MixHash and e1 travels in clear
          const seed = this.draw(KEM_SEED_LENGTH) ?? this.crypto.randomBytes(KEM_SEED_LENGTH)
          this.e1 = this.crypto.kemFromSeed(seed)
          parts.push(this.ss.encryptAndHash(this.e1.publicKey))
          break
        }
        case 'ekem1': {
          // HFS: (ct, ss) = Encaps(re1); EncryptAndHash(ct); then MixKey(ss). The order matters:
          // ct is sealed under the ee-derived key, and everything after it under ee + KEM.
          if (this.re1 == null) {
            throw new HandshakeStateError('ekem1 before e1')
          }
          const { ciphertext, sharedSecret } = this.crypto.kemEncapsulate(this.re1, this.draw(KEM_MESSAGE_LENGTH))
          parts.push(this.ss.encryptAndHash(ciphertext))
          this.ss.mixKey(sharedSecret)
          break
        }
        case 's':
          parts.push(this.ss.encryptAndHash(this.s.publicKey))
          break
        default:
          this.ss.mixKey(this.dh(token))
      }
    }
    parts.push(this.ss.encryptAndHash(payload))
    const length = parts.reduce((n, p) => n + p.length, 0)
    if (length > NOISE_MAX_MESSAGE_LENGTH) {
      throw new MalformedHandshakeMessageError(`Handshake message would be ${length} bytes, over the Noise limit of ${NOISE_MAX_MESSAGE_LENGTH}`)
    }
    const out = new Uint8Array(length)
    let offset = 0
    for (const p of parts) {
      out.set(p, offset)
      offset += p.length
    }
    this.step++
    return out
  }

  readMessage (message: Uint8Array): Uint8Array {
    if (this.isComplete || this.isMyTurn) {
      throw new HandshakeStateError(`Not this side's turn to read (message ${this.step})`)
    }
    if (message.length > NOISE_MAX_MESSAGE_LENGTH) {
      throw new MalformedHandshakeMessageError(`Handshake message of ${message.length} bytes is over the Noise limit`)
    }
    let offset = 0
    const take = (n: number, what: string): Uint8Array => {
      if (offset + n > message.length) {
        throw new MalformedHandshakeMessageError(`Message ${this.step} truncated: ${what} needs ${n} bytes at offset ${offset}, message is ${message.length}`)
      }
      const out = message.subarray(offset, offset + n)
      offset += n
      return out
    }
    const tag = (): number => this.ss.cipher.hasKey() ? TAG_LENGTH : 0
    for (const token of XXHFS_PATTERN[this.step]) {
      switch (token) {
        case 'e':
          this.re = take(X25519_KEY_LENGTH, 'e').slice()
          this.ss.mixHash(this.re)
          break
        case 'e1':
          this.re1 = this.ss.decryptAndHash(take(KEM_PUBLIC_KEY_LENGTH + tag(), 'e1')).slice()
          break
        case 'ekem1': {
          if (this.e1 == null) {
            throw new HandshakeStateError('ekem1 before e1')
          }
          const ciphertext = this.ss.decryptAndHash(take(KEM_CIPHERTEXT_LENGTH + tag(), 'ekem1'))
          this.ss.mixKey(this.crypto.kemDecapsulate(ciphertext, this.e1.privateKey))
          break
        }
        case 's':
          this.rs = this.ss.decryptAndHash(take(X25519_KEY_LENGTH + tag(), 's')).slice()
          break
        default:
          this.ss.mixKey(this.dh(token))
      }
    }
    const rest = message.subarray(offset)
    if (rest.length < tag()) {
      throw new MalformedHandshakeMessageError(`Message ${this.step} truncated: payload shorter than its tag`)
    }
    const payload = this.ss.decryptAndHash(rest)
    this.step++
    return payload
  }

  /** Split() after the last message; the initiator sends with the first key */
  finish (): HandshakeResult {
    if (!this.isComplete || this.rs == null) {
      throw new HandshakeStateError('Handshake not complete')
    }
    const { keys, states } = this.ss.split()
    return {
      send: this.initiator ? states[0] : states[1],
      receive: this.initiator ? states[1] : states[0],
      handshakeHash: this.ss.handshakeHash,
      keys,
      remoteStaticKey: this.rs
    }
  }
}
