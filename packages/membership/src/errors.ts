import { GossipError } from '@saorsa-gossip/core'

/** A membership frame could not be decoded, broke a size limit, or carried invalid fields */
export class InvalidFrameError extends GossipError {
  static readonly name = 'InvalidFrameError'
  static readonly code = 'ERR_INVALID_FRAME'

  constructor (message = 'Invalid membership frame', options?: ErrorOptions) {
    super('InvalidFrameError', 'ERR_INVALID_FRAME', message, options)
  }
}
