import { GossipError } from '@saorsa-gossip/core'

/** A received frame decodes but is not a valid delta or digest (never thrown to the application: counted as `malformed`) */
export class MalformedDeltaError extends GossipError {
  static readonly name = 'MalformedDeltaError'
  static readonly code = 'ERR_MALFORMED_DELTA'

  constructor (message = 'Malformed delta', options?: ErrorOptions) {
    super('MalformedDeltaError', 'ERR_MALFORMED_DELTA', message, options)
  }
}

/** `open(name, type)` for a document already open with another type, or a name attached twice */
export class DocumentTypeError extends GossipError {
  static readonly name = 'DocumentTypeError'
  static readonly code = 'ERR_DOCUMENT_TYPE'

  constructor (message = 'Document is open with another type', options?: ErrorOptions) {
    super('DocumentTypeError', 'ERR_DOCUMENT_TYPE', message, options)
  }
}

/** crdtSync() needs plumtree() in the node's services */
export class CrdtConfigError extends GossipError {
  static readonly name = 'CrdtConfigError'
  static readonly code = 'ERR_CRDT_CONFIG'

  constructor (message = 'Invalid crdtSync() configuration', options?: ErrorOptions) {
    super('CrdtConfigError', 'ERR_CRDT_CONFIG', message, options)
  }
}

/** An edit of a document that crdtSync() has not restored from the datastore yet (opened before the node started) */
export class DocumentNotReadyError extends GossipError {
  static readonly name = 'DocumentNotReadyError'
  static readonly code = 'ERR_DOCUMENT_NOT_READY'

  constructor (message = 'Document not restored yet', options?: ErrorOptions) {
    super('DocumentNotReadyError', 'ERR_DOCUMENT_NOT_READY', message, options)
  }
}

/** An edit of a document whose `writers` do not include this node: every member would refuse it */
export class NotWriterError extends GossipError {
  static readonly name = 'NotWriterError'
  static readonly code = 'ERR_NOT_WRITER'

  constructor (message = 'This node is not one of the document\'s writers', options?: ErrorOptions) {
    super('NotWriterError', 'ERR_NOT_WRITER', message, options)
  }
}
