/**
 * Named errors. Callers and tests match on `.name` or `.code`, never on
 * message text.
 *
 * Cores throw only on invalid *local* input (configuration, arguments the
 * caller controls). Bad *remote* input is dropped and counted, never thrown.
 */

/**
 * Base class of every error thrown by a Saorsa Gossip package. `name` is the
 * class name (`InvalidConfigError`), `code` a stable machine-readable string
 * (`ERR_INVALID_CONFIG`; pubsub's application-facing errors keep their
 * gossipsub-compatible codes such as `PublishError.NoPeersSubscribedToTopic`).
 * Match on `name` or `code`, never on `message`.
 */
export class GossipError extends Error {
  static readonly name: string = 'GossipError'

  /** Stable machine-readable error code */
  readonly code: string

  constructor (name: string, code: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = name
    this.code = code
  }
}

/** A configuration value or a caller-supplied argument is missing, out of range or inconsistent */
export class InvalidConfigError extends GossipError {
  static readonly name = 'InvalidConfigError'
  static readonly code = 'ERR_INVALID_CONFIG'

  constructor (message = 'Invalid configuration', options?: ErrorOptions) {
    super('InvalidConfigError', 'ERR_INVALID_CONFIG', message, options)
  }
}

/** Bytes that should be a 32-byte topic id are not */
export class InvalidTopicIdError extends GossipError {
  static readonly name = 'InvalidTopicIdError'
  static readonly code = 'ERR_INVALID_TOPIC_ID'

  constructor (message = 'Invalid topic id', options?: ErrorOptions) {
    super('InvalidTopicIdError', 'ERR_INVALID_TOPIC_ID', message, options)
  }
}

/** Bytes that should be a 32-byte message id are not, or an input to its derivation is invalid */
export class InvalidMessageIdError extends GossipError {
  static readonly name = 'InvalidMessageIdError'
  static readonly code = 'ERR_INVALID_MESSAGE_ID'

  constructor (message = 'Invalid message id', options?: ErrorOptions) {
    super('InvalidMessageIdError', 'ERR_INVALID_MESSAGE_ID', message, options)
  }
}

/** A seed given to the deterministic RNG is unusable */
export class InvalidSeedError extends GossipError {
  static readonly name = 'InvalidSeedError'
  static readonly code = 'ERR_INVALID_SEED'

  constructor (message = 'Invalid RNG seed', options?: ErrorOptions) {
    super('InvalidSeedError', 'ERR_INVALID_SEED', message, options)
  }
}
