/** A pubsub frame could not be decoded, broke a size or count limit, or carried invalid fields */
export class InvalidFrameError extends Error {
  static name = 'InvalidFrameError'

  constructor (message = 'Invalid pubsub frame') {
    super(message)
    this.name = 'InvalidFrameError'
  }
}
