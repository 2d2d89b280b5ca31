import { GossipError } from '@saorsa-gossip/core'

/** presence() is missing a service it needs (membership(), pqIdentity()) */
export class PresenceConfigError extends GossipError {
  static readonly name = 'PresenceConfigError'
  static readonly code = 'ERR_PRESENCE_CONFIG'

  constructor (message = 'Invalid presence configuration', options?: ErrorOptions) {
    super('PresenceConfigError', 'ERR_PRESENCE_CONFIG', message, options)
  }
}

/** A presence frame could not be decoded or broke a size limit */
export class InvalidPresenceFrameError extends GossipError {
  static readonly name = 'InvalidPresenceFrameError'
  static readonly code = 'ERR_INVALID_PRESENCE_FRAME'

  constructor (message = 'Invalid presence frame', options?: ErrorOptions) {
    super('InvalidPresenceFrameError', 'ERR_INVALID_PRESENCE_FRAME', message, options)
  }
}

/** findPeer() called while the service is stopped */
export class PresenceNotStartedError extends GossipError {
  static readonly name = 'PresenceNotStartedError'
  static readonly code = 'ERR_PRESENCE_NOT_STARTED'

  constructor (message = 'presence() is not started', options?: ErrorOptions) {
    super('PresenceNotStartedError', 'ERR_PRESENCE_NOT_STARTED', message, options)
  }
}

/** A group presence secret that is not 32 bytes, or all zero (a key anyone could compute) */
export class InvalidGroupSecretError extends GossipError {
  static readonly name = 'InvalidGroupSecretError'
  static readonly code = 'ERR_INVALID_GROUP_SECRET'

  constructor (message = 'Invalid group presence secret', options?: ErrorOptions) {
    super('InvalidGroupSecretError', 'ERR_INVALID_GROUP_SECRET', message, options)
  }
}
