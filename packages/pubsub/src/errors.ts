/** A pubsub frame could not be decoded, broke a size or count limit, or carried invalid fields */
export class InvalidFrameError extends Error {
  static name = 'InvalidFrameError'

  constructor (message = 'Invalid pubsub frame') {
    super(message)
    this.name = 'InvalidFrameError'
  }
}

/**
 * Errors thrown to applications carry gossipsub's code string in `code` (and at
 * the start of the message), so code written against gossipsub's
 * `err.message.startsWith('PublishError.…')` or `err.code` keeps working.
 */
abstract class PlumtreeError extends Error {
  readonly code: string

  constructor (code: string, message: string) {
    super(`${code}: ${message}`)
    this.code = code
  }
}

/** subscribe/unsubscribe/publish before start() (or after stop()) */
export class NotStartedError extends PlumtreeError {
  static name = 'NotStartedError'

  constructor (what: string) {
    super('PublishError.Uninitialized', `plumtree has not started: ${what} needs a started node (call libp2p.start())`)
    this.name = 'NotStartedError'
  }
}

/** publish() found no peer to send to and the configuration does not allow that */
export class NoPeersSubscribedToTopicError extends PlumtreeError {
  static name = 'NoPeersSubscribedToTopicError'
  readonly topic: string

  constructor (topic: string, subscribed: boolean) {
    super('PublishError.NoPeersSubscribedToTopic', subscribed
      ? `no topic neighbour for "${topic}" yet, and allowPublishToZeroTopicPeers is false; set it to true to keep the message and let anti-entropy deliver it once subscribers are linked`
      : `no subscriber of "${topic}" is known yet, and allowPublishToZeroTopicPeers is false; set it to true to queue the message while a random walk looks for one`)
    this.name = 'NoPeersSubscribedToTopicError'
    this.topic = topic
  }
}

/** publish() with a payload over `maxMessageSize` */
export class MessageTooLargeError extends PlumtreeError {
  static name = 'MessageTooLargeError'

  constructor (size: number, limit: number) {
    super('PublishError.MessageTooLarge', `message of ${size} bytes exceeds maxMessageSize ${limit} (raise it in plumtree({ maxMessageSize }) on every node: receivers drop larger ones)`)
    this.name = 'MessageTooLargeError'
  }
}

/** The same message was published twice (only possible when two publishes give one id) */
export class DuplicatePublishError extends PlumtreeError {
  static name = 'DuplicatePublishError'

  constructor (topic: string) {
    super('PublishError.Duplicate', `this message on "${topic}" was already published (set ignoreDuplicatePublishError to resolve with no recipients instead)`)
    this.name = 'DuplicatePublishError'
  }
}

/** A topic name that cannot travel: empty, or over 256 UTF-8 bytes (SPEC.md §7.8) */
export class InvalidTopicError extends PlumtreeError {
  static name = 'InvalidTopicError'

  constructor (topic: unknown) {
    super('InvalidTopic', `topic must be a non-empty string of at most 256 UTF-8 bytes, got ${typeof topic === 'string' ? `${topic.length} characters` : typeof topic}`)
    this.name = 'InvalidTopicError'
  }
}

/** Invalid plumtree() options, or a service it needs is missing from the node */
export class PlumtreeConfigError extends PlumtreeError {
  static name = 'PlumtreeConfigError'

  constructor (message: string) {
    super('InvalidConfig', message)
    this.name = 'PlumtreeConfigError'
  }
}
