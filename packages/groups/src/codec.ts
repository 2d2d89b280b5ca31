import { fromHex, toHex } from '@saorsa-gossip/core'
import { MAX_CHAIN_COMMITS, MAX_NAME_BYTES } from './constants.ts'
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
    throw new RangeError('parent must be 32 bytes')
  }
  return toHex(parent)
}

function checkEpoch (epoch: bigint): number {
  if (epoch > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError('epoch out of range')
  }
  return Number(epoch)
}

export function encodeGroupMessage (groupId: Uint8Array, message: GroupWire): Uint8Array {
  return GroupMessage.encode({
    kind: KIND_TO_WIRE[message.kind],
    groupId: groupId as Uint8Array<ArrayBuffer>,
    epoch: BigInt(message.epoch),
    parent: parentBytes(message.parent),
    mls: ('mls' in message ? message.mls : new Uint8Array(0)) as Uint8Array<ArrayBuffer>
  })
}

/** Throws on anything malformed; the service counts it */
export function decodeGroupMessage (bytes: Uint8Array): DecodedGroupMessage {
  const m = GroupMessage.decode(bytes)
  if (m.groupId.byteLength < 1 || m.groupId.byteLength > 64) {
    throw new RangeError('group id length')
  }
  const epoch = checkEpoch(m.epoch)
  const parent = checkParent(m.parent)
  switch (m.kind) {
    case GroupMessage.Kind.COMMIT: return { groupId: m.groupId, message: { kind: 'commit', epoch, parent, mls: nonEmpty(m.mls) } }
    case GroupMessage.Kind.APPLICATION: return { groupId: m.groupId, message: { kind: 'application', epoch, parent, mls: nonEmpty(m.mls) } }
    case GroupMessage.Kind.HEAD: return { groupId: m.groupId, message: { kind: 'head', epoch, parent } }
    case GroupMessage.Kind.LEAVE: return { groupId: m.groupId, message: { kind: 'leave', epoch, parent } }
    default: throw new RangeError('unknown kind')
  }
}

function nonEmpty (b: Uint8Array): Uint8Array {
  if (b.byteLength === 0) {
    throw new RangeError('empty MLS message')
  }
  return b
}

export function decodeRequest (bytes: Uint8Array): GroupRequest {
  const r = GroupRequest.decode(bytes)
  if (r.groupId.byteLength < 1 || r.groupId.byteLength > 64 || new TextEncoder().encode(r.name).byteLength > MAX_NAME_BYTES) {
    throw new RangeError('bad group id or name')
  }
  return r
}

export function decodeReply (bytes: Uint8Array): GroupReply {
  return GroupReply.decode(bytes, { limits: { commits: MAX_CHAIN_COMMITS } })
}

export function chainToWire (commits: Array<ChainCommit<string>>, codec: PeerIdCodec): GroupReply['commits'] {
  return commits.slice(-MAX_CHAIN_COMMITS).map(c => ({ epoch: BigInt(c.epoch), parent: parentBytes(c.parent), from: codec.toBytes(c.from) as Uint8Array<ArrayBuffer>, mls: c.mls as Uint8Array<ArrayBuffer> }))
}

export function chainFromWire (commits: GroupReply['commits'], codec: PeerIdCodec): Array<ChainCommit<string>> {
  return commits.map(c => ({ epoch: checkEpoch(c.epoch), parent: checkParent(c.parent), from: codec.fromBytes(c.from), mls: nonEmpty(c.mls) }))
}
