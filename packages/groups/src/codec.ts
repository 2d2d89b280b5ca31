import { fromHex, toHex } from '@saorsa-gossip/core'
import { MAX_CHAIN_COMMITS, MAX_NAME_BYTES } from './constants.ts'
import { InvalidGroupFrameError } from './errors.ts'
import { GroupMessage, GroupReply, GroupRequest } from './pb/groups.ts'
import type { ChainCommit, CommitId, GroupWire } from './core/types.ts'
import type { PeerIdCodec } from '@saorsa-gossip/kit'

export { GroupMessage, GroupReply, GroupRequest }

const KIND_TO_WIRE = { commit: GroupMessage.Kind.COMMIT, application: GroupMessage.Kind.APPLICATION, head: GroupMessage.Kind.HEAD, leave: GroupMessage.Kind.LEAVE } as const

/** A decoded topic message: the group it names and the core's view of it */
export interface DecodedGroupMessage { groupId: Uint8Array, message: GroupWire }

function parentBytes (parent: CommitId): Uint8Array<ArrayBuffer> {
  return (fromHex(parent) ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>
}

function checkParent (parent: Uint8Array): CommitId {
  if (parent.byteLength !== 32) {
    throw new InvalidGroupFrameError('parent must be 32 bytes')
  }
  return toHex(parent)
}

/** Epochs decode as JS numbers (jstype = JS_NUMBER): one in [2^53, 2^56) arrives rounded, so it is refused, not used */
function checkEpoch (epoch: number): number {
  if (!Number.isSafeInteger(epoch)) {
    throw new InvalidGroupFrameError('epoch out of range')
  }
  return epoch
}

export function encodeGroupMessage (groupId: Uint8Array, message: GroupWire): Uint8Array {
  return GroupMessage.encode({
    kind: KIND_TO_WIRE[message.kind],
    groupId: groupId as Uint8Array<ArrayBuffer>,
    epoch: message.epoch,
    parent: parentBytes(message.parent),
    mls: ('mls' in message ? message.mls : new Uint8Array(0)) as Uint8Array<ArrayBuffer>
  })
}

/**
 * Remote bytes reach protons and the field checks only through here, so whatever
 * they throw (a truncated varint is a RangeError) leaves as the one named error
 */
function decoding<T> (what: string, decode: () => T): T {
  try {
    return decode()
  } catch (err: any) {
    if (err instanceof InvalidGroupFrameError) {
      throw err
    }
    throw new InvalidGroupFrameError(`Undecodable ${what}: ${String(err?.message)}`, { cause: err })
  }
}

/** Throws InvalidGroupFrameError on anything malformed; the service counts it */
export function decodeGroupMessage (bytes: Uint8Array): DecodedGroupMessage {
  const m = decoding('group message', () => GroupMessage.decode(bytes))
  if (m.groupId.byteLength < 1 || m.groupId.byteLength > 64) {
    throw new InvalidGroupFrameError('group id length')
  }
  const epoch = checkEpoch(m.epoch)
  const parent = checkParent(m.parent)
  switch (m.kind) {
    case GroupMessage.Kind.COMMIT: return { groupId: m.groupId, message: { kind: 'commit', epoch, parent, mls: nonEmpty(m.mls) } }
    case GroupMessage.Kind.APPLICATION: return { groupId: m.groupId, message: { kind: 'application', epoch, parent, mls: nonEmpty(m.mls) } }
    case GroupMessage.Kind.HEAD: return { groupId: m.groupId, message: { kind: 'head', epoch, parent } }
    case GroupMessage.Kind.LEAVE: return { groupId: m.groupId, message: { kind: 'leave', epoch, parent } }
    default: throw new InvalidGroupFrameError('unknown kind')
  }
}

function nonEmpty (b: Uint8Array): Uint8Array {
  if (b.byteLength === 0) {
    throw new InvalidGroupFrameError('empty MLS message')
  }
  return b
}

export function decodeRequest (bytes: Uint8Array): GroupRequest {
  const r = decoding('group request', () => GroupRequest.decode(bytes))
  if (r.groupId.byteLength < 1 || r.groupId.byteLength > 64 || new TextEncoder().encode(r.name).byteLength > MAX_NAME_BYTES) {
    throw new InvalidGroupFrameError('bad group id or name')
  }
  checkEpoch(r.epoch)
  return r
}

export function decodeReply (bytes: Uint8Array): GroupReply {
  return decoding('group reply', () => GroupReply.decode(bytes, { limits: { commits: MAX_CHAIN_COMMITS } }))
}

export function chainToWire (commits: Array<ChainCommit<string>>, codec: PeerIdCodec): GroupReply['commits'] {
  return commits.slice(-MAX_CHAIN_COMMITS).map(c => ({ epoch: c.epoch, parent: parentBytes(c.parent), from: codec.toBytes(c.from) as Uint8Array<ArrayBuffer>, mls: c.mls as Uint8Array<ArrayBuffer> }))
}

export function chainFromWire (commits: GroupReply['commits'], codec: PeerIdCodec): Array<ChainCommit<string>> {
  return decoding('chain', () => commits.map(c => ({ epoch: checkEpoch(c.epoch), parent: checkParent(c.parent), from: codec.fromBytes(c.from), mls: nonEmpty(c.mls) })))
}
