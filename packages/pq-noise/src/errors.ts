import { GossipError } from '@saorsa-gossip/core'

/**
 * Named errors of `@saorsa-gossip/pq-noise`. A failed handshake rejects with one
 * of these (libp2p then closes the connection) and is counted by its `code`.
 * Match on `name` or `code`, never on message text.
 */

/** The handshake did not finish in time (a peer that stops sending must not hold the connection) */
export class HandshakeTimeoutError extends GossipError {
  static readonly name = 'HandshakeTimeoutError'
  static readonly code = 'ERR_PQ_NOISE_TIMEOUT'

  constructor (message = 'PQ Noise handshake timed out', options?: ErrorOptions) {
    super('HandshakeTimeoutError', 'ERR_PQ_NOISE_TIMEOUT', message, options)
  }
}

/** A handshake message is shorter or longer than its pattern allows, or over 65535 bytes */
export class MalformedHandshakeMessageError extends GossipError {
  static readonly name = 'MalformedHandshakeMessageError'
  static readonly code = 'ERR_PQ_NOISE_MALFORMED_MESSAGE'

  constructor (message = 'Malformed PQ Noise handshake message', options?: ErrorOptions) {
    super('MalformedHandshakeMessageError', 'ERR_PQ_NOISE_MALFORMED_MESSAGE', message, options)
  }
}

/** An AEAD tag did not verify: the message was altered, or the two sides derived different keys */
export class DecryptionError extends GossipError {
  static readonly name = 'DecryptionError'
  static readonly code = 'ERR_PQ_NOISE_DECRYPT'

  constructor (message = 'ChaCha20-Poly1305 tag did not verify', options?: ErrorOptions) {
    super('DecryptionError', 'ERR_PQ_NOISE_DECRYPT', message, options)
  }
}

/** A public key is malformed: wrong length, a low-order X25519 point, an invalid ML-KEM encapsulation key */
export class InvalidHandshakeKeyError extends GossipError {
  static readonly name = 'InvalidHandshakeKeyError'
  static readonly code = 'ERR_PQ_NOISE_INVALID_KEY'

  constructor (message = 'Invalid handshake key', options?: ErrorOptions) {
    super('InvalidHandshakeKeyError', 'ERR_PQ_NOISE_INVALID_KEY', message, options)
  }
}

/** An ML-KEM-768 ciphertext is not 1088 bytes */
export class InvalidKemCiphertextError extends GossipError {
  static readonly name = 'InvalidKemCiphertextError'
  static readonly code = 'ERR_PQ_NOISE_INVALID_KEM_CIPHERTEXT'

  constructor (message = 'Invalid ML-KEM-768 ciphertext', options?: ErrorOptions) {
    super('InvalidKemCiphertextError', 'ERR_PQ_NOISE_INVALID_KEM_CIPHERTEXT', message, options)
  }
}

/** The decrypted handshake payload is not a libp2p NoiseHandshakePayload, or its identity key is unreadable */
export class InvalidPayloadError extends GossipError {
  static readonly name = 'InvalidPayloadError'
  static readonly code = 'ERR_PQ_NOISE_INVALID_PAYLOAD'

  constructor (message = 'Invalid PQ Noise handshake payload', options?: ErrorOptions) {
    super('InvalidPayloadError', 'ERR_PQ_NOISE_INVALID_PAYLOAD', message, options)
  }
}

/** The identity key's signature does not cover the Noise static key that was used: the static key is not the PeerId's */
export class StaticKeySignatureError extends GossipError {
  static readonly name = 'StaticKeySignatureError'
  static readonly code = 'ERR_PQ_NOISE_STATIC_KEY_SIGNATURE'

  constructor (message = 'The identity key did not sign this Noise static key', options?: ErrorOptions) {
    super('StaticKeySignatureError', 'ERR_PQ_NOISE_STATIC_KEY_SIGNATURE', message, options)
  }
}

/** The remote authenticated as a different PeerId than the one dialled */
export class UnexpectedPeerError extends GossipError {
  static readonly name = 'UnexpectedPeerError'
  static readonly code = 'ERR_PQ_NOISE_UNEXPECTED_PEER'

  constructor (message = 'Remote peer is not the expected PeerId', options?: ErrorOptions) {
    super('UnexpectedPeerError', 'ERR_PQ_NOISE_UNEXPECTED_PEER', message, options)
  }
}

/** The binding record in the payload failed SPEC.md §3.2 (bad signature, another PeerId's record, malformed); `cause` is the identity error */
export class HandshakeBindingError extends GossipError {
  static readonly name = 'HandshakeBindingError'
  static readonly code = 'ERR_PQ_NOISE_BINDING'

  constructor (message = 'Invalid binding record in the handshake', options?: ErrorOptions) {
    super('HandshakeBindingError', 'ERR_PQ_NOISE_BINDING', message, options)
  }
}

/** `requireBinding` is set and the remote sent no binding record */
export class MissingBindingError extends GossipError {
  static readonly name = 'MissingBindingError'
  static readonly code = 'ERR_PQ_NOISE_MISSING_BINDING'

  constructor (message = 'The remote sent no binding record', options?: ErrorOptions) {
    super('MissingBindingError', 'ERR_PQ_NOISE_MISSING_BINDING', message, options)
  }
}

/** Both sides listed stream muxers in the handshake but none in common (inlined muxer negotiation: MUST fail) */
export class NoCommonMuxerError extends GossipError {
  static readonly name = 'NoCommonMuxerError'
  static readonly code = 'ERR_PQ_NOISE_NO_COMMON_MUXER'

  constructor (message = 'No stream muxer in common', options?: ErrorOptions) {
    super('NoCommonMuxerError', 'ERR_PQ_NOISE_NO_COMMON_MUXER', message, options)
  }
}

/** A cipher state reached nonce 2^64 − 1, which Noise §5.1 reserves: the session must end */
export class NonceExhaustedError extends GossipError {
  static readonly name = 'NonceExhaustedError'
  static readonly code = 'ERR_PQ_NOISE_NONCE_EXHAUSTED'

  constructor (message = 'Cipher state nonce exhausted', options?: ErrorOptions) {
    super('NonceExhaustedError', 'ERR_PQ_NOISE_NONCE_EXHAUSTED', message, options)
  }
}

/** The handshake state machine was driven out of order (a local bug, never remote input) */
export class HandshakeStateError extends GossipError {
  static readonly name = 'HandshakeStateError'
  static readonly code = 'ERR_PQ_NOISE_STATE'

  constructor (message = 'Handshake step out of order', options?: ErrorOptions) {
    super('HandshakeStateError', 'ERR_PQ_NOISE_STATE', message, options)
  }
}

/** A peer known to support PQ Noise connected over classic Noise while `requirePq` is set */
export class DowngradeError extends GossipError {
  static readonly name = 'DowngradeError'
  static readonly code = 'ERR_PQ_NOISE_DOWNGRADE'

  constructor (message = 'PQ-capable peer connected without PQ Noise', options?: ErrorOptions) {
    super('DowngradeError', 'ERR_PQ_NOISE_DOWNGRADE', message, options)
  }
}

/** The stream-level channel could not be opened or its stream failed */
export class ChannelError extends GossipError {
  static readonly name = 'ChannelError'
  static readonly code = 'ERR_PQ_NOISE_CHANNEL'

  constructor (message = 'PQ channel failed', options?: ErrorOptions) {
    super('ChannelError', 'ERR_PQ_NOISE_CHANNEL', message, options)
  }
}

/**
 * A resumed stream handshake (SPEC.md §10.6) named a connection secret this side does not
 * hold: the connection's full handshake failed here, or the id was made up
 */
export class UnknownResumptionError extends GossipError {
  static readonly name = 'UnknownResumptionError'
  static readonly code = 'ERR_PQ_NOISE_UNKNOWN_RESUMPTION'

  constructor (message = 'No connection secret with that id', options?: ErrorOptions) {
    super('UnknownResumptionError', 'ERR_PQ_NOISE_UNKNOWN_RESUMPTION', message, options)
  }
}
