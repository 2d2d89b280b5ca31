/**
 * Named errors of `@saorsa-gossip/identity`. Match on `.name`, never on message text.
 */

function named (name: string): new (message?: string) => Error {
  const Named = class extends Error {
    static name = name

    constructor (message: string = name) {
      super(message)
      this.name = name
    }
  }
  return Named
}

/** A key, seed or signature has the wrong size or cannot be parsed */
export class InvalidKeyError extends named('InvalidKeyError') {}
/** The native (node:crypto) ML-DSA-65 backend was requested but this runtime lacks it */
export class BackendUnavailableError extends named('BackendUnavailableError') {}
/** A binding record is malformed: missing fields, wrong lengths, undecodable */
export class InvalidBindingError extends named('InvalidBindingError') {}
/** A binding record's version is not one this implementation knows */
export class UnsupportedBindingVersionError extends named('UnsupportedBindingVersionError') {}
/** One of a binding record's two signatures does not verify */
export class BindingSignatureError extends named('BindingSignatureError') {}
/** A binding record names a different PeerId than its libp2p key, or than the peer that sent it */
export class BindingPeerIdMismatchError extends named('BindingPeerIdMismatchError') {}
/** A binding record was created further in the future than the allowed clock skew */
export class BindingFromTheFutureError extends named('BindingFromTheFutureError') {}
/** The keystore file could not be decrypted with the passphrase given */
export class WrongPassphraseError extends named('WrongPassphraseError') {}
/** The keystore file is truncated, altered or not a keystore file */
export class CorruptKeystoreError extends named('CorruptKeystoreError') {}
/** The keystore file has a format version this implementation cannot read */
export class UnsupportedKeystoreVersionError extends named('UnsupportedKeystoreVersionError') {}
/** No verified ML-DSA key is known for a peer, and none could be fetched */
export class UnknownPeerKeyError extends named('UnknownPeerKeyError') {}
/** The service was used before start() or after stop() */
export class NotStartedError extends named('NotStartedError') {}
/** An option passed to the service or a helper is invalid */
export class InvalidIdentityConfigError extends named('InvalidIdentityConfigError') {}
