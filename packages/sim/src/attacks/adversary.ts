import { BroadcastNode } from '../broadcast/node.ts'
import type { NodeEvent, NodeMessage, NodeTimer } from '../broadcast/node.ts'
import type { CoreInput, NodeId, SimCore } from '../network.ts'
import type { Effect, Rng } from '@saorsa-gossip/core'

export type NodeEffect = Effect<NodeId, NodeMessage<any>, NodeTimer<any>, NodeEvent>

/** A genuine message as an adversary captured it (the protocol's own payload message object) */
export interface Captured {
  id: Uint8Array
  publishedAt: number
  /** the wire message as received: replayed as is */
  message: any
}

/**
 * What the colluding adversaries know: who they are, whom they attack, and every genuine
 * message any of them has received (they share captures, as one operator's nodes would).
 */
export interface Intel {
  protocol: 'plumtree' | 'mesh'
  topic: string
  adversaries: Set<NodeId>
  honest: NodeId[]
  target: NodeId | undefined
  captured: Captured[]
  capturedIds: Set<string>
  rng: Rng
}

/**
 * One attack, for both protocols. `filter` rewrites the honest core's own effects (a
 * black hole drops its payload sends); `onInput` sees each input first and may add
 * messages (a forger races every genuine copy it receives); `tick` runs every
 * `tickMs` from the attack's start (spam, floods, poisoning).
 */
export interface Behaviour {
  tickMs: number
  filter?(self: AdversaryNode, effect: NodeEffect, now: number): NodeEffect | undefined
  onInput?(self: AdversaryNode, input: CoreInput<NodeMessage<any>, NodeTimer<any>>, now: number): NodeEffect[]
  tick?(self: AdversaryNode, now: number, tickNo: number): NodeEffect[]
}

/**
 * An adversary's host: the honest membership and broadcast cores (so it joins the
 * overlay and the topic like anyone and keeps its links alive), wrapped so that the
 * behaviour can drop or rewrite what they send and add its own messages.
 */
export class AdversaryNode implements SimCore<NodeMessage<any>, NodeTimer<any>, NodeEvent> {
  readonly id: NodeId
  readonly inner: BroadcastNode<any, any>
  readonly intel: Intel
  behaviour: Behaviour | undefined
  /** attack-specific scratch state (sessions opened, counters) */
  readonly memo = new Map<string, any>()

  constructor (id: NodeId, inner: BroadcastNode<any, any>, intel: Intel) {
    this.id = id
    this.inner = inner
    this.intel = intel
  }

  start (now: number, contacts: NodeId[]): NodeEffect[] {
    return this.rewrite(this.inner.start(now, contacts), now)
  }

  handle (input: CoreInput<NodeMessage<any>, NodeTimer<any>>, now: number): NodeEffect[] {
    if (input.type === 'message' && input.message.layer === 'broadcast') {
      this.capture(input.message.message)
    }
    const extra = this.behaviour?.onInput?.(this, input, now) ?? []
    return [...this.rewrite(this.inner.handle(input, now), now), ...extra]
  }

  application (input: any, now: number): NodeEffect[] {
    return this.rewrite(this.inner.application(input, now), now)
  }

  tick (now: number, tickNo: number): NodeEffect[] {
    return this.behaviour?.tick?.(this, now, tickNo) ?? []
  }

  /** Topic neighbours (plumtree) or subscribed membership neighbours (mesh): whom the adversary can reach in the topic */
  topicPeers (): NodeId[] {
    const core = this.inner.broadcast as any
    if (this.intel.protocol === 'plumtree') {
      return core.topicPeers(this.intel.topic) as NodeId[]
    }
    return core.subscribers(this.intel.topic) as NodeId[]
  }

  membershipPeers (): NodeId[] {
    return [...this.inner.membership.hyparview.activeView()]
  }

  private capture (message: any): void {
    const payload = this.intel.protocol === 'plumtree' ? message?.type === 'gossip' : message?.kind === 'publish'
    if (!payload || message.forged === true) {
      return
    }
    const key = hex(message.id)
    if (this.intel.capturedIds.has(key)) {
      return
    }
    this.intel.capturedIds.add(key)
    this.intel.captured.push({ id: message.id, publishedAt: message.publishedAt, message })
  }

  private rewrite (effects: NodeEffect[], now: number): NodeEffect[] {
    const filter = this.behaviour?.filter
    if (filter == null) {
      return effects
    }
    const out: NodeEffect[] = []
    for (const effect of effects) {
      const kept = filter(this, effect, now)
      if (kept !== undefined) {
        out.push(kept)
      }
    }
    return out
  }
}

export function hex (id: Uint8Array): string {
  let s = ''
  for (const b of id) {
    s += b.toString(16).padStart(2, '0')
  }
  return s
}

export function bsend (to: NodeId, message: any): NodeEffect {
  return { type: 'send', to, message: { layer: 'broadcast', message } }
}

export function msend (to: NodeId, message: any): NodeEffect {
  return { type: 'send', to, message: { layer: 'membership', message } }
}
