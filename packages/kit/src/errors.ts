import { GossipError } from '@saorsa-gossip/core'

/**
 * Errors the kit hands to its caller (`onWriteError`) or gives as a stream's abort reason.
 * Match on `name` or `code`, never on message text.
 */

/** A write did not drain within `writeTimeout`: the peer reads too slowly (or not at all) */
export class WriteTimeoutError extends GossipError {
  static readonly name = 'WriteTimeoutError'
  static readonly code = 'ERR_WRITE_TIMEOUT'

  constructor (message = 'Write not drained in time', options?: ErrorOptions) {
    super('WriteTimeoutError', 'ERR_WRITE_TIMEOUT', message, options)
  }
}

/** The outbound stream closed while frames were still being written */
export class StreamClosedError extends GossipError {
  static readonly name = 'StreamClosedError'
  static readonly code = 'ERR_STREAM_CLOSED'

  constructor (message = 'Stream closed while writing', options?: ErrorOptions) {
    super('StreamClosedError', 'ERR_STREAM_CLOSED', message, options)
  }
}

/** Abort reason of an inbound stream whose frame the service could not decode */
export class MalformedFrameError extends GossipError {
  static readonly name = 'MalformedFrameError'
  static readonly code = 'ERR_MALFORMED_FRAME'

  constructor (message = 'Malformed frame', options?: ErrorOptions) {
    super('MalformedFrameError', 'ERR_MALFORMED_FRAME', message, options)
  }
}

/** Abort reason of the outbound streams of a service that is stopping */
export class ServiceStoppedError extends GossipError {
  static readonly name = 'ServiceStoppedError'
  static readonly code = 'ERR_SERVICE_STOPPED'

  constructor (message = 'Service stopped', options?: ErrorOptions) {
    super('ServiceStoppedError', 'ERR_SERVICE_STOPPED', message, options)
  }
}

/**
 * `OutboundStreams` did not dial: no connection to the peer and no address for it in the peer
 * store. A dial by id would only wait on libp2p's peer routing, and a dial the application
 * makes meanwhile would join it and fail with it (issue 16)
 */
export class NoKnownAddressesError extends GossipError {
  static readonly name = 'NoKnownAddressesError'
  static readonly code = 'ERR_NO_KNOWN_ADDRESSES'

  constructor (message = 'No connection to the peer and no known address', options?: ErrorOptions) {
    super('NoKnownAddressesError', 'ERR_NO_KNOWN_ADDRESSES', message, options)
  }
}

/**
 * Abort reason of a dial `OutboundStreams` abandoned because the peer's own connection to us
 * opened first (crossing dials, SPEC.md §2.10); the write goes over that connection instead
 */
export class DialSupersededError extends GossipError {
  static readonly name = 'DialSupersededError'
  static readonly code = 'ERR_DIAL_SUPERSEDED'

  constructor (message = 'The peer connected to us first', options?: ErrorOptions) {
    super('DialSupersededError', 'ERR_DIAL_SUPERSEDED', message, options)
  }
}

/**
 * Abort reason of an inbound stream that arrived under a service's plain protocol id on a
 * connection whose streams must run inside a secure channel (`secureStreams: 'require'`,
 * SPEC.md §2.9)
 */
export class PlainStreamRefusedError extends GossipError {
  static readonly name = 'PlainStreamRefusedError'
  static readonly code = 'ERR_PLAIN_STREAM_REFUSED'

  constructor (message = 'Stream arrived outside the secure channel', options?: ErrorOptions) {
    super('PlainStreamRefusedError', 'ERR_PLAIN_STREAM_REFUSED', message, options)
  }
}

/**
 * A service's `secureStreams` option is not one of 'off', 'prefer', 'require', or names a
 * provider the node does not have (`pqNoiseService()` missing from `services`)
 */
export class SecureStreamsConfigError extends GossipError {
  static readonly name = 'SecureStreamsConfigError'
  static readonly code = 'ERR_SECURE_STREAMS_CONFIG'

  constructor (message = 'Invalid secureStreams option', options?: ErrorOptions) {
    super('SecureStreamsConfigError', 'ERR_SECURE_STREAMS_CONFIG', message, options)
  }
}
