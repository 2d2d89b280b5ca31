/**
 * Application messages over the simulated Plumtree (the crdt and groups scenarios): an id
 * unique per publisher, the origin as a 4-byte node id in the header (where the services
 * carry their signed origin), and the broadcast events a BroadcastNode's effects carry.
 */
import { nodeIdCodec } from '../run-membership.ts'
import type { NodeEvent } from './node.ts'
import type { BroadcastEvent } from './types.ts'
import type { NodeId } from '../network.ts'
import type { Effect, Rng } from '@saorsa-gossip/core'

/** A 32-byte message id: the publisher, its `seq`-th message, and randomness */
export function appMessageId (node: NodeId, seq: number, rng: Rng): Uint8Array {
  const id = new Uint8Array(32)
  const view = new DataView(id.buffer)
  view.setUint32(0, node)
  view.setUint32(4, seq)
  view.setUint32(8, rng.nextU32())
  return id
}

/** The header naming `node` as the origin */
export function originHeader (node: NodeId): Uint8Array {
  return nodeIdCodec.toBytes(node)
}

/** The origin a header names, or undefined when it is not a node id */
export function originOf (header: Uint8Array | undefined): NodeId | undefined {
  return header?.byteLength === 4 ? nodeIdCodec.fromBytes(header) : undefined
}

/** The broadcast layer's events among a node's effects (deliveries, subscription changes) */
export function * broadcastEvents (effects: Array<Effect<NodeId, unknown, unknown, NodeEvent>>): Generator<BroadcastEvent> {
  for (const effect of effects) {
    if (effect.type === 'emit' && effect.event.layer === 'broadcast') {
      yield effect.event.event
    }
  }
}
