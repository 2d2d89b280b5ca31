/** A membership frame could not be decoded, broke a size limit, or carried invalid fields */
export class InvalidFrameError extends Error {
  static name = 'InvalidFrameError'

  constructor (message = 'Invalid membership frame') {
    super(message)
    this.name = 'InvalidFrameError'
  }
}
