import { GossipError } from '@saorsa-gossip/core'

/**
 * Named errors of `@saorsa-gossip/identity`. Match on `name` or `code`, never on message text.
 */

/** A key, seed or signature has the wrong size or cannot be parsed */
export class InvalidKeyError extends GossipError {
  static readonly name = 'InvalidKeyError'
  static readonly code = 'ERR_INVALID_KEY'

  constructor (message = 'Invalid ML-DSA-65 key, seed or signature', options?: ErrorOptions) {
    super('InvalidKeyError', 'ERR_INVALID_KEY', message, options)
  }
}

/** The native (node:crypto) ML-DSA-65 backend was requested but this runtime lacks it */
export class BackendUnavailableError extends GossipError {
  static readonly name = 'BackendUnavailableError'
  static readonly code = 'ERR_BACKEND_UNAVAILABLE'

  constructor (message = 'The native ML-DSA-65 backend is not available', options?: ErrorOptions) {
    super('BackendUnavailableError', 'ERR_BACKEND_UNAVAILABLE', message, options)
  }
}

/** A binding record is malformed: missing fields, wrong lengths, undecodable */
export class InvalidBindingError extends GossipError {
  static readonly name = 'InvalidBindingError'
  static readonly code = 'ERR_INVALID_BINDING'

  constructor (message = 'Invalid binding record', options?: ErrorOptions) {
    super('InvalidBindingError', 'ERR_INVALID_BINDING', message, options)
  }
}

/** A binding record's version is not one this implementation knows */
export class UnsupportedBindingVersionError extends GossipError {
  static readonly name = 'UnsupportedBindingVersionError'
  static readonly code = 'ERR_UNSUPPORTED_BINDING_VERSION'

  constructor (message = 'Unsupported binding record version', options?: ErrorOptions) {
    super('UnsupportedBindingVersionError', 'ERR_UNSUPPORTED_BINDING_VERSION', message, options)
  }
}

/** One of a binding record's two signatures does not verify */
export class BindingSignatureError extends GossipError {
  static readonly name = 'BindingSignatureError'
  static readonly code = 'ERR_BINDING_SIGNATURE'

  constructor (message = 'Binding record signature does not verify', options?: ErrorOptions) {
    super('BindingSignatureError', 'ERR_BINDING_SIGNATURE', message, options)
  }
}

/** A binding record names a different PeerId than its libp2p key, or than the peer that sent it */
export class BindingPeerIdMismatchError extends GossipError {
  static readonly name = 'BindingPeerIdMismatchError'
  static readonly code = 'ERR_BINDING_PEER_ID_MISMATCH'

  constructor (message = 'Binding record is for another PeerId', options?: ErrorOptions) {
    super('BindingPeerIdMismatchError', 'ERR_BINDING_PEER_ID_MISMATCH', message, options)
  }
}

/** A binding record was created further in the future than the allowed clock skew */
export class BindingFromTheFutureError extends GossipError {
  static readonly name = 'BindingFromTheFutureError'
  static readonly code = 'ERR_BINDING_FROM_THE_FUTURE'

  constructor (message = 'Binding record created in the future', options?: ErrorOptions) {
    super('BindingFromTheFutureError', 'ERR_BINDING_FROM_THE_FUTURE', message, options)
  }
}

/** The keystore file could not be decrypted with the passphrase given */
export class WrongPassphraseError extends GossipError {
  static readonly name = 'WrongPassphraseError'
  static readonly code = 'ERR_WRONG_PASSPHRASE'

  constructor (message = 'Wrong passphrase for this keystore', options?: ErrorOptions) {
    super('WrongPassphraseError', 'ERR_WRONG_PASSPHRASE', message, options)
  }
}

/** The keystore file is truncated, altered or not a keystore file */
export class CorruptKeystoreError extends GossipError {
  static readonly name = 'CorruptKeystoreError'
  static readonly code = 'ERR_CORRUPT_KEYSTORE'

  constructor (message = 'Corrupt keystore file', options?: ErrorOptions) {
    super('CorruptKeystoreError', 'ERR_CORRUPT_KEYSTORE', message, options)
  }
}

/** The keystore file has a format version this implementation cannot read */
export class UnsupportedKeystoreVersionError extends GossipError {
  static readonly name = 'UnsupportedKeystoreVersionError'
  static readonly code = 'ERR_UNSUPPORTED_KEYSTORE_VERSION'

  constructor (message = 'Unsupported keystore version', options?: ErrorOptions) {
    super('UnsupportedKeystoreVersionError', 'ERR_UNSUPPORTED_KEYSTORE_VERSION', message, options)
  }
}

/** No verified ML-DSA key is known for a peer, and none could be fetched */
export class UnknownPeerKeyError extends GossipError {
  static readonly name = 'UnknownPeerKeyError'
  static readonly code = 'ERR_UNKNOWN_PEER_KEY'

  constructor (message = 'No verified ML-DSA-65 key for the peer', options?: ErrorOptions) {
    super('UnknownPeerKeyError', 'ERR_UNKNOWN_PEER_KEY', message, options)
  }
}

/** A binding lookup through a relay got no record: no open connection to the relay, or the relay does not know the peer (SPEC.md §3.5) */
export class LookupFailedError extends GossipError {
  static readonly name = 'LookupFailedError'
  static readonly code = 'ERR_LOOKUP_FAILED'

  constructor (message = 'Binding lookup failed', options?: ErrorOptions) {
    super('LookupFailedError', 'ERR_LOOKUP_FAILED', message, options)
  }
}

/** The service was used before start() or after stop() */
export class NotStartedError extends GossipError {
  static readonly name = 'NotStartedError'
  static readonly code = 'ERR_NOT_STARTED'

  constructor (message = 'pqIdentity has not started', options?: ErrorOptions) {
    super('NotStartedError', 'ERR_NOT_STARTED', message, options)
  }
}

/** An option passed to the service or a helper is invalid */
export class InvalidIdentityConfigError extends GossipError {
  static readonly name = 'InvalidIdentityConfigError'
  static readonly code = 'ERR_INVALID_IDENTITY_CONFIG'

  constructor (message = 'Invalid pqIdentity configuration', options?: ErrorOptions) {
    super('InvalidIdentityConfigError', 'ERR_INVALID_IDENTITY_CONFIG', message, options)
  }
}
