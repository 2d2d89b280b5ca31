import { NOISE_MAX_MESSAGE_LENGTH, TAG_LENGTH, X25519_KEY_LENGTH } from '../constants.ts'
import { HandshakeStateError, MalformedHandshakeMessageError } from '../errors.ts'
import { SymmetricState } from './symmetric-state.ts'
import type { CipherState } from './cipher-state.ts'
import type { RandomSource } from './handshake-state.ts'
import type { KeyPair, NoiseCryptoBackend } from '../crypto/backend.ts'

/** The protocol name hashed into h (Noise §8: the psk modifier names its position) */
export const NNPSK0_PROTOCOL_NAME = 'Noise_NNpsk0_25519_ChaChaPoly_SHA256'

/** Noise §9 psk keys are 32 bytes */
export const PSK_LENGTH = 32

export interface NNpsk0Init {
  crypto: NoiseCryptoBackend
  initiator: boolean
  /** The pre-shared key: here derived from the connection's XXhfs handshake (SPEC.md §10.6) */
  psk: Uint8Array
  prologue: Uint8Array
  /** Deterministic ephemeral keys for test vectors */
  random?: RandomSource
}

export interface NNpsk0Result {
  send: CipherState
  receive: CipherState
  handshakeHash: Uint8Array
}

/**
 * `Noise_NNpsk0` (Noise §9.4: `-> psk, e` / `<- e, ee`), sans I/O. Used to resume the PQ
 * channel on another stream of the same connection: the psk carries the hybrid X25519 +
 * ML-KEM-768 secret of that connection's XXhfs, the fresh `ee` gives the stream its own
 * forward-secret keys. With a psk, Noise §9.2 has every `e` token also MixKey(e.public), so
 * message A is already encrypted and authenticated under the psk: a wrong psk fails there.
 */
export class NNpsk0HandshakeState {
  private readonly crypto: NoiseCryptoBackend
  private readonly ss: SymmetricState
  private readonly initiator: boolean
  private readonly psk: Uint8Array
  private readonly random?: RandomSource
  private e?: KeyPair
  private re?: Uint8Array
  private step = 0

  constructor (init: NNpsk0Init) {
    if (init.psk.length !== PSK_LENGTH) {
      throw new HandshakeStateError(`psk must be ${PSK_LENGTH} bytes, got ${init.psk.length}`)
    }
    this.crypto = init.crypto
    this.initiator = init.initiator
    this.psk = init.psk
    this.random = init.random
    this.ss = new SymmetricState(init.crypto, NNPSK0_PROTOCOL_NAME)
    this.ss.mixHash(init.prologue)
  }

  get isComplete (): boolean {
    return this.step === 2
  }

  private newEphemeral (): Uint8Array {
    const drawn = this.random?.(X25519_KEY_LENGTH)
    if (drawn != null && drawn.length !== X25519_KEY_LENGTH) {
      throw new HandshakeStateError(`Random source returned ${drawn.length} bytes, expected ${X25519_KEY_LENGTH}`)
    }
    this.e = this.crypto.x25519FromPrivate(drawn ?? this.crypto.randomBytes(X25519_KEY_LENGTH))
    this.ss.mixHash(this.e.publicKey)
    this.ss.mixKey(this.e.publicKey)
    return this.e.publicKey
  }

  private remoteEphemeral (bytes: Uint8Array): void {
    this.re = bytes.slice()
    this.ss.mixHash(this.re)
    this.ss.mixKey(this.re)
  }

  /** Message A (initiator) or B (responder), carrying `payload` encrypted */
  writeMessage (payload: Uint8Array): Uint8Array {
    if (this.isComplete || (this.step === 0) !== this.initiator) {
      throw new HandshakeStateError(`Not this side's turn to write (message ${this.step})`)
    }
    if (this.step === 0) {
      this.ss.mixKeyAndHash(this.psk)
    }
    const e = this.newEphemeral()
    if (this.step === 1) {
      this.ss.mixKey(this.crypto.x25519(this.e!.privateKey, this.re!))
    }
    const sealed = this.ss.encryptAndHash(payload)
    if (e.length + sealed.length > NOISE_MAX_MESSAGE_LENGTH) {
      throw new MalformedHandshakeMessageError('Handshake message over the Noise limit')
    }
    const out = new Uint8Array(e.length + sealed.length)
    out.set(e)
    out.set(sealed, e.length)
    this.step++
    return out
  }

  /** Reads message A (responder) or B (initiator); returns its payload; a wrong psk or an altered bit is a DecryptionError */
  readMessage (message: Uint8Array): Uint8Array {
    if (this.isComplete || (this.step === 0) === this.initiator) {
      throw new HandshakeStateError(`Not this side's turn to read (message ${this.step})`)
    }
    if (message.length < X25519_KEY_LENGTH + TAG_LENGTH) {
      throw new MalformedHandshakeMessageError(`Message ${this.step} of ${message.length} bytes is shorter than e and a tag`)
    }
    if (this.step === 0) {
      this.ss.mixKeyAndHash(this.psk)
    }
    this.remoteEphemeral(message.subarray(0, X25519_KEY_LENGTH))
    if (this.step === 1) {
      this.ss.mixKey(this.crypto.x25519(this.e!.privateKey, this.re!))
    }
    const payload = this.ss.decryptAndHash(message.subarray(X25519_KEY_LENGTH))
    this.step++
    return payload
  }

  /** Split() after message B; the initiator sends with the first key */
  finish (): NNpsk0Result {
    if (!this.isComplete) {
      throw new HandshakeStateError('Handshake not complete')
    }
    const { states } = this.ss.split()
    return {
      send: this.initiator ? states[0] : states[1],
      receive: this.initiator ? states[1] : states[0],
      handshakeHash: this.ss.handshakeHash
    }
  }
}
