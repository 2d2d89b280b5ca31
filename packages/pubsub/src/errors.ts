import { GossipError } from '@saorsa-gossip/core'

/** A pubsub frame could not be decoded, broke a size or count limit, or carried invalid fields */
export class InvalidFrameError extends GossipError {
  static readonly name = 'InvalidFrameError'
  static readonly code = 'ERR_INVALID_FRAME'

  constructor (message = 'Invalid pubsub frame', options?: ErrorOptions) {
    super('InvalidFrameError', 'ERR_INVALID_FRAME', message, options)
  }
}

/**
 * Errors thrown to applications carry gossipsub's code string in `code` (and at
 * the start of the message), so code written against gossipsub's
 * `err.message.startsWith('PublishError.…')` or `err.code` keeps working.
 * These codes are part of the API: never change them.
 */
abstract class PlumtreeError extends GossipError {
  constructor (name: string, code: string, message: string, options?: ErrorOptions) {
    super(name, code, `${code}: ${message}`, options)
  }
}

/** subscribe/unsubscribe/publish before start() (or after stop()) */
export class NotStartedError extends PlumtreeError {
  static readonly name = 'NotStartedError'
  static readonly code = 'PublishError.Uninitialized'

  constructor (what: string, options?: ErrorOptions) {
    super('NotStartedError', 'PublishError.Uninitialized', `plumtree has not started: ${what} needs a started node (call libp2p.start())`, options)
  }
}

/** publish() found no peer to send to and the configuration does not allow that */
export class NoPeersSubscribedToTopicError extends PlumtreeError {
  static readonly name = 'NoPeersSubscribedToTopicError'
  static readonly code = 'PublishError.NoPeersSubscribedToTopic'
  /** the topic published to */
  readonly topic: string

  constructor (topic: string, subscribed: boolean, options?: ErrorOptions) {
    super('NoPeersSubscribedToTopicError', 'PublishError.NoPeersSubscribedToTopic', subscribed
      ? `no topic neighbour for "${topic}" yet, and allowPublishToZeroTopicPeers is false; set it to true to keep the message and let anti-entropy deliver it once subscribers are linked`
      : `no subscriber of "${topic}" is known yet, and allowPublishToZeroTopicPeers is false; set it to true to queue the message while a random walk looks for one`, options)
    this.topic = topic
  }
}

/** publish() with a payload over `maxMessageSize` */
export class MessageTooLargeError extends PlumtreeError {
  static readonly name = 'MessageTooLargeError'
  static readonly code = 'PublishError.MessageTooLarge'
  /** the payload's size, bytes */
  readonly size: number
  /** the `maxMessageSize` it broke, bytes */
  readonly limit: number

  constructor (size: number, limit: number, options?: ErrorOptions) {
    super('MessageTooLargeError', 'PublishError.MessageTooLarge', `message of ${size} bytes exceeds maxMessageSize ${limit} (raise it in plumtree({ maxMessageSize }) on every node: receivers drop larger ones)`, options)
    this.size = size
    this.limit = limit
  }
}

/** The same message was published twice (only possible when two publishes give one id) */
export class DuplicatePublishError extends PlumtreeError {
  static readonly name = 'DuplicatePublishError'
  static readonly code = 'PublishError.Duplicate'

  constructor (topic: string, options?: ErrorOptions) {
    super('DuplicatePublishError', 'PublishError.Duplicate', `this message on "${topic}" was already published (set ignoreDuplicatePublishError to resolve with no recipients instead)`, options)
  }
}

/** A topic name that cannot travel: empty, or over 256 UTF-8 bytes (SPEC.md §7.8) */
export class InvalidTopicError extends PlumtreeError {
  static readonly name = 'InvalidTopicError'
  static readonly code = 'InvalidTopic'

  constructor (topic: unknown, options?: ErrorOptions) {
    super('InvalidTopicError', 'InvalidTopic', `topic must be a non-empty string of at most 256 UTF-8 bytes, got ${typeof topic === 'string' ? `${topic.length} characters` : typeof topic}`, options)
  }
}

/** Invalid plumtree() options, or a service it needs is missing from the node */
export class PlumtreeConfigError extends PlumtreeError {
  static readonly name = 'PlumtreeConfigError'
  static readonly code = 'InvalidConfig'

  constructor (message = 'Invalid plumtree() configuration', options?: ErrorOptions) {
    super('PlumtreeConfigError', 'InvalidConfig', message, options)
  }
}

/** forwardSigned(): the message is not signed, or its author's libp2p signature does not verify */
export class InvalidSignatureError extends PlumtreeError {
  static readonly name = 'InvalidSignatureError'
  static readonly code = 'PublishError.InvalidSignature'

  constructor (message = 'the message does not carry a valid libp2p signature of its author', options?: ErrorOptions) {
    super('InvalidSignatureError', 'PublishError.InvalidSignature', message, options)
  }
}
