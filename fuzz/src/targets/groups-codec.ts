import { InvalidGroupFrameError } from '@saorsa-gossip/groups'
import fc from 'fast-check'
import { bytesFrom, decodes, invariant } from '../engine.ts'
import { stringPeerCodec } from './peers.ts'
import type { Target } from '../engine.ts'
import type { ChainCommit, GroupWire } from '@saorsa-gossip/groups'

/** The groups wire codec, which the package keeps internal (its index does not export it) */
export interface GroupsCodec {
  encodeGroupMessage(groupId: Uint8Array, message: GroupWire): Uint8Array
  decodeGroupMessage(bytes: Uint8Array): { groupId: Uint8Array, message: GroupWire }
  decodeRequest(bytes: Uint8Array): unknown
  decodeReply(bytes: Uint8Array): { commits: unknown[] }
  chainFromWire(commits: unknown[], codec: typeof stringPeerCodec): Array<ChainCommit<string>>
  chainToWire(commits: Array<ChainCommit<string>>, codec: typeof stringPeerCodec): unknown[]
  GroupRequest: { encode(r: { type: number, groupId: Uint8Array, name: string, epoch: number, parent: Uint8Array, mls: Uint8Array, suite: number }): Uint8Array }
  GroupReply: { encode(r: { refused: boolean, keyPackage: Uint8Array, commits: unknown[] }): Uint8Array }
}

let loaded: Promise<GroupsCodec> | undefined

/** Loads dist/src/codec.js next to the package's entry point: the exports map hides it from a bare import */
export async function groupsCodec (): Promise<GroupsCodec> {
  loaded ??= import(new URL('./codec.js', import.meta.resolve('@saorsa-gossip/groups')).href) as Promise<GroupsCodec>
  return loaded
}

const PARENT = 'ab'.repeat(32)
const GROUP = new Uint8Array(16).fill(5)

export async function groupsSeeds (): Promise<Uint8Array[]> {
  const c = await groupsCodec()
  const chain = [{ epoch: 1, parent: PARENT, from: 'p01', mls: new Uint8Array([1, 2]) }, { epoch: 2, parent: PARENT, from: 'p02', mls: new Uint8Array([3]) }]
  return [
    c.encodeGroupMessage(GROUP, { kind: 'commit', epoch: 1, parent: PARENT, mls: new Uint8Array([1, 2, 3]) }),
    c.encodeGroupMessage(GROUP, { kind: 'application', epoch: 0, parent: PARENT, mls: new Uint8Array([4]) }),
    c.encodeGroupMessage(GROUP, { kind: 'head', epoch: 2, parent: PARENT }),
    c.encodeGroupMessage(GROUP, { kind: 'leave', epoch: 0, parent: PARENT }),
    c.GroupRequest.encode({ type: 2, groupId: GROUP, name: 'g', epoch: 1, parent: new Uint8Array(32), mls: new Uint8Array(0), suite: 0 }),
    c.GroupReply.encode({ refused: false, keyPackage: new Uint8Array(0), commits: c.chainToWire(chain, stringPeerCodec) })
  ]
}

/**
 * decodeGroupMessage / decodeRequest / decodeReply + chainFromWire: a value or a
 * InvalidGroupFrameError; a decoded message's parent is a 32-byte hex id and its epoch safe.
 */
export const groupsCodecTarget: Target<{ which: number, bytes: Uint8Array }> = {
  name: 'groups-codec',
  seeds: groupsSeeds,
  arbitrary: (corpus) => fc.record({ which: fc.nat(2), bytes: bytesFrom(corpus, 1024) }),
  async run ({ which, bytes }) {
    const c = await groupsCodec()
    if (which === 0) {
      const m = decodes(() => c.decodeGroupMessage(bytes), [InvalidGroupFrameError])
      if (m != null) {
        invariant(/^[0-9a-f]{64}$/.test(m.message.parent) && Number.isSafeInteger(m.message.epoch), () => 'decoded message with a bad parent or epoch')
      }
    } else if (which === 1) {
      decodes(() => c.decodeRequest(bytes), [InvalidGroupFrameError])
    } else {
      decodes(() => c.chainFromWire(c.decodeReply(bytes).commits, stringPeerCodec), [InvalidGroupFrameError])
    }
  }
}
