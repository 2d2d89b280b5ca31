/**
 * Named errors. Callers and tests match on `.name`, never on message text.
 *
 * Cores throw only on invalid *local* input (configuration, arguments the
 * caller controls). Bad *remote* input is dropped and counted, never thrown.
 */

/** A configuration value is missing, out of range or inconsistent */
export class InvalidConfigError extends Error {
  static name = 'InvalidConfigError'

  constructor (message = 'Invalid configuration') {
    super(message)
    this.name = 'InvalidConfigError'
  }
}

/** Bytes that should be a 32-byte topic id are not */
export class InvalidTopicIdError extends Error {
  static name = 'InvalidTopicIdError'

  constructor (message = 'Invalid topic id') {
    super(message)
    this.name = 'InvalidTopicIdError'
  }
}

/** Bytes that should be a 32-byte message id are not, or an input to its derivation is invalid */
export class InvalidMessageIdError extends Error {
  static name = 'InvalidMessageIdError'

  constructor (message = 'Invalid message id') {
    super(message)
    this.name = 'InvalidMessageIdError'
  }
}

/** A seed given to the deterministic RNG is unusable */
export class InvalidSeedError extends Error {
  static name = 'InvalidSeedError'

  constructor (message = 'Invalid RNG seed') {
    super(message)
    this.name = 'InvalidSeedError'
  }
}
