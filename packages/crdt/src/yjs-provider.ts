/**
 * A Yjs provider in the spirit of y-webrtc: an existing Y.Doc syncs through crdtSync() over
 * plumtree, each update signed by its author's ML-DSA-65 key, with no server.
 *
 * Author check: the provider sets the doc's clientID to `yjsClientId(peerId)` (FNV-1a of the
 * PeerId string, so every peer computes everyone's), and an update whose new items name any
 * other client is refused. Deletions name no author (Yjs delete sets carry none): like an
 * OR-Set remove, any member may delete. Anti-entropy: the digest is the Yjs state vector; a
 * peer behind on our client gets an update holding our own items only, plus the delete set.
 */
import * as Y from 'yjs'
import { DigestGate } from './core/digest-gate.ts'
import { verdict } from './core/sync.ts'
import { CrdtConfigError } from './errors.ts'
import { Frame } from './pb/crdt.ts'
import type { ReceiveOutcome } from './core/replica.ts'
import type { Channel } from './documents.ts'
import type { CrdtSyncService } from './index.ts'
import type { PeerId } from '@libp2p/interface'

/** 32-bit FNV-1a of the PeerId string: the Yjs clientID bound to that peer */
export function yjsClientId (peer: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < peer.length; i++) {
    h ^= peer.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

export class SaorsaYjsProvider implements Channel {
  readonly type = Frame.Type.YJS
  private readonly crdt: CrdtSyncService
  private readonly client: number
  /** our own clock at the digest before the last (see ReplicaDocument: in-flight updates are not repaired) */
  private clockAtLastDigest = 0
  private clockAtDigestBefore = 0
  private repairedFrom = Infinity
  /** the encoded state vector and delete-set size at our last digest (see Channel.digest) */
  private lastDigest = ''
  /** when our digest is due: the same rule as the OR-Set and LWW documents (SPEC.md §9.4) */
  readonly gate: DigestGate
  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin !== this) {
      this.crdt.publish(this.name, { kind: Frame.Kind.DELTA, type: Frame.Type.YJS, context: [], orset: [], lww: [], yjs: update as Uint8Array<ArrayBuffer> })
    }
  }

  constructor (readonly doc: Y.Doc, node: { peerId: PeerId, services: Record<string, unknown> }, readonly name: string, options: { service?: string, sharedDigests?: number } = {}) {
    this.crdt = node.services[options.service ?? 'crdt'] as CrdtSyncService
    if (options.sharedDigests !== undefined && !(Number.isFinite(options.sharedDigests) && options.sharedDigests >= 1)) {
      throw new CrdtConfigError(`SaorsaYjsProvider({ sharedDigests }) must be a number >= 1, got ${String(options.sharedDigests)}`)
    }
    this.gate = new DigestGate(options.sharedDigests)
    this.client = yjsClientId(node.peerId.toString())
    // must precede local edits: items carry the clientID as their author
    doc.clientID = this.client
    this.crdt.attach(name, this)
    doc.on('update', this.onUpdate)
  }

  destroy (): void {
    this.doc.off('update', this.onUpdate)
  }

  onDelta (author: string, frame: Frame): ReceiveOutcome {
    const decoded = Y.decodeUpdate(frame.yjs)
    const client = yjsClientId(author)
    if (decoded.structs.some(s => s.id.client !== client)) {
      return 'forged-author'
    }
    const before = Y.encodeStateVector(this.doc)
    Y.applyUpdate(this.doc, frame.yjs, this)
    return equal(before, Y.encodeStateVector(this.doc)) && decoded.ds.clients.size === 0 ? 'duplicate' : 'applied'
  }

  onDigest (author: string, frame: Frame): Frame | undefined {
    const theirs = Y.decodeStateVector(frame.yjs)
    const mine = Y.decodeStateVector(Y.encodeStateVector(this.doc))
    const theirClock = theirs.get(this.client) ?? 0
    const behind = [...theirs].some(([client, clock]) => clock > (mine.get(client) ?? 0))
    this.gate.heard(verdict(!behind, theirClock < (mine.get(this.client) ?? 0)), author)
    if (theirClock >= this.clockAtDigestBefore || theirClock >= this.repairedFrom) {
      return undefined
    }
    this.repairedFrom = theirClock
    // target = everything we know of other clients, theirs of ours: the diff is our own items
    const target = Y.decodeStateVector(Y.encodeStateVector(this.doc))
    target.set(this.client, theirClock)
    let update = Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(target))
    // encodeStateAsUpdate also appends the doc's pending structs (others' items received out of
    // order): strip them, or every receiver refuses the repair as naming another author (on 20
    // loaded nodes, 1,600 repairs were refused that way)
    const others = new Map([[this.client, theirClock]])
    for (const struct of Y.decodeUpdate(update).structs) {
      if (struct.id.client !== this.client) {
        others.set(struct.id.client, Number.MAX_SAFE_INTEGER)
      }
    }
    if (others.size > 1) {
      update = Y.diffUpdate(update, Y.encodeStateVector(others))
    }
    return { kind: Frame.Kind.DELTA, type: Frame.Type.YJS, context: [], orset: [], lww: [], yjs: update as Uint8Array<ArrayBuffer> }
  }

  /** A new subscriber of the topic (a heal, a restart, a join): a reason for our digest */
  onPeer (): void {
    this.gate.need()
  }

  digest (_now: number, heartbeat: boolean, random: number): Frame | undefined {
    const sv = Y.encodeStateVector(this.doc)
    const clocks = Y.decodeStateVector(sv)
    this.clockAtDigestBefore = this.clockAtLastDigest
    this.clockAtLastDigest = clocks.get(this.client) ?? 0
    this.repairedFrom = Infinity
    // deletions do not move the state vector: count the delete set too
    const signature = `${sv.join(',')}/${Y.encodeStateAsUpdate(this.doc, sv).byteLength}`
    const store = this.doc.store as { pendingStructs: unknown, pendingDs: unknown }
    if (signature !== this.lastDigest && (store.pendingStructs != null || store.pendingDs != null)) {
      // items waiting for ones we never received: a gap, as in an OR-Set author's runs
      this.gate.need()
    }
    if (!this.gate.decide(clocks.size, heartbeat, random)) {
      return undefined
    }
    this.lastDigest = signature
    return { kind: Frame.Kind.DIGEST, type: Frame.Type.YJS, context: [], orset: [], lww: [], yjs: sv as Uint8Array<ArrayBuffer> }
  }
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((v, i) => v === b[i])
}
