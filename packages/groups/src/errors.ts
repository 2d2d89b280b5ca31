import { GossipError } from '@saorsa-gossip/core'
import type { RefusalReason } from './core/types.ts'

/**
 * Remote input the MLS layer refused, with the reason the core counts (SPEC.md §11.6). Thrown
 * by the MLS wrapper to the service only; never to the application.
 */
export class MlsRefusedError extends GossipError {
  static readonly name = 'MlsRefusedError'
  static readonly code = 'ERR_MLS_REFUSED'
  readonly reason: RefusalReason

  constructor (reason: RefusalReason, message = `MLS input refused: ${reason}`, options?: ErrorOptions) {
    super('MlsRefusedError', 'ERR_MLS_REFUSED', message, options)
    this.reason = reason
  }
}

/** A key package or leaf credential whose identity binding does not verify (§11.2) */
export class BadCredentialError extends GossipError {
  static readonly name = 'BadCredentialError'
  static readonly code = 'ERR_BAD_CREDENTIAL'

  constructor (message = 'Credential binding does not verify', options?: ErrorOptions) {
    super('BadCredentialError', 'ERR_BAD_CREDENTIAL', message, options)
  }
}

/** No group with that id on this node */
export class UnknownGroupError extends GossipError {
  static readonly name = 'UnknownGroupError'
  static readonly code = 'ERR_UNKNOWN_GROUP'

  constructor (message = 'Unknown group', options?: ErrorOptions) {
    super('UnknownGroupError', 'ERR_UNKNOWN_GROUP', message, options)
  }
}

/** The operation needs membership of the group, and this node is not (or no longer) a member */
export class NotAMemberError extends GossipError {
  static readonly name = 'NotAMemberError'
  static readonly code = 'ERR_NOT_A_MEMBER'

  constructor (message = 'Not a member of the group', options?: ErrorOptions) {
    super('NotAMemberError', 'ERR_NOT_A_MEMBER', message, options)
  }
}

/** An invitation the invitee declined, or that could not reach it */
export class InvitationFailedError extends GossipError {
  static readonly name = 'InvitationFailedError'
  static readonly code = 'ERR_INVITATION_FAILED'

  constructor (message = 'Invitation failed', options?: ErrorOptions) {
    super('InvitationFailedError', 'ERR_INVITATION_FAILED', message, options)
  }
}

/** A local group operation (commit, send) failed in MLS */
export class GroupOperationError extends GossipError {
  static readonly name = 'GroupOperationError'
  static readonly code = 'ERR_GROUP_OPERATION'

  constructor (message = 'Group operation failed', options?: ErrorOptions) {
    super('GroupOperationError', 'ERR_GROUP_OPERATION', message, options)
  }
}

/** The group's MLS wait queue is full (SPEC.md §11.6, maxQueuedInputs / maxQueuedBytes): try again once it drains */
export class GroupBusyError extends GossipError {
  static readonly name = 'GroupBusyError'
  static readonly code = 'ERR_GROUP_BUSY'

  constructor (message = 'Group busy: too many operations waiting for MLS', options?: ErrorOptions) {
    super('GroupBusyError', 'ERR_GROUP_BUSY', message, options)
  }
}

/** An exporter request refused: a label this package uses itself, an empty label, or a length out of range (SPEC.md §11.8) */
export class InvalidExportError extends GossipError {
  static readonly name = 'InvalidExportError'
  static readonly code = 'ERR_INVALID_EXPORT'

  constructor (message = 'Invalid exporter request', options?: ErrorOptions) {
    super('InvalidExportError', 'ERR_INVALID_EXPORT', message, options)
  }
}

/** A saved group file that does not decrypt or decode */
export class CorruptGroupStateError extends GossipError {
  static readonly name = 'CorruptGroupStateError'
  static readonly code = 'ERR_CORRUPT_GROUP_STATE'

  constructor (message = 'Saved group state is corrupt', options?: ErrorOptions) {
    super('CorruptGroupStateError', 'ERR_CORRUPT_GROUP_STATE', message, options)
  }
}

/** groups() used before start or after stop */
export class GroupsNotStartedError extends GossipError {
  static readonly name = 'GroupsNotStartedError'
  static readonly code = 'ERR_GROUPS_NOT_STARTED'

  constructor (message = 'groups() is not started', options?: ErrorOptions) {
    super('GroupsNotStartedError', 'ERR_GROUPS_NOT_STARTED', message, options)
  }
}

/** Remote bytes that are not a valid groups frame: undecodable, or a field out of range. The service counts it as `malformed` */
export class InvalidGroupFrameError extends GossipError {
  static readonly name = 'InvalidGroupFrameError'
  static readonly code = 'ERR_INVALID_GROUP_FRAME'

  constructor (message = 'Invalid groups frame', options?: ErrorOptions) {
    super('InvalidGroupFrameError', 'ERR_INVALID_GROUP_FRAME', message, options)
  }
}
