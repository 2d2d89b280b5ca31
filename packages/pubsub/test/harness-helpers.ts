import { DEFAULT_PUBSUB_CONFIG } from '../src/core/config.ts'
import { newId } from './harness.ts'
import type { Harness } from './harness.ts'
import type { AeDigestMessage, GossipMessage, PubsubMessage } from '../src/core/messages.ts'
import type { PubsubCoreInit } from '../src/core/pubsub.ts'
import type { PubsubEffect } from '../src/core/types.ts'

/**
 * Topologies and message builders shared by the core specs that drive a Harness by hand
 * (anti-entropy, tree, validation, overlay, liveness): one copy, so the specs differ only
 * in what they assert.
 */

export const T = 'topic'
export const payload = new Uint8Array([1, 2, 3])

export type Effects = Array<PubsubEffect<string>>

/** `names` in a line a–b–c…, every one subscribed to `topics`, topic links formed */
export function line (h: Harness, names: string[], init: PubsubCoreInit = {}, topics: string[] = [T]): void {
  for (const name of names) {
    h.add(name, init)
  }
  for (let i = 1; i < names.length; i++) {
    h.neighbours(names[i - 1], names[i])
  }
  for (const name of names) {
    for (const topic of topics) {
      h.input(name, { type: 'subscribe', topic })
    }
  }
  h.flush()
}

/** `names` in a line, nobody subscribed */
export function chain (h: Harness, names: string[]): void {
  for (const name of names) {
    h.add(name)
  }
  for (let i = 1; i < names.length; i++) {
    h.neighbours(names[i - 1], names[i])
  }
  h.flush()
}

export function publish (h: Harness, from: string, topic = T, id = newId()): Uint8Array {
  h.input(from, { type: 'publish', topic, id, payload, publishedAt: h.now })
  return id
}

export function gossip (h: Harness, id: Uint8Array, extra: Partial<GossipMessage> = {}): GossipMessage {
  return { type: 'gossip', topic: T, id, round: 1, publishedAt: h.now, payload, ...extra }
}

export function sendsOf (effects: Effects, type?: PubsubMessage<string>['type']): Array<PubsubMessage<string>> {
  const messages: Array<PubsubMessage<string>> = []
  for (const effect of effects) {
    if (effect.type === 'send' && (type == null || effect.message.type === type)) {
      messages.push(effect.message)
    }
  }
  return messages
}

export function sameId (a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a != null && Buffer.from(a).equals(Buffer.from(b))
}

export function deliveredId (h: Harness, name: string, id: Uint8Array): number {
  return h.delivered(name).filter(e => sameId(e.id, id)).length
}

/** The anti-entropy window a core uses at `now` (default config) */
function aeWindow (now: number): { from: number, to: number } {
  const { aeGuard, aeWindow, aeAlign } = DEFAULT_PUBSUB_CONFIG
  const to = Math.floor((now - aeGuard) / aeAlign) * aeAlign
  return { from: to - aeWindow, to }
}

/** An AE_DIGEST for the window at `now`, with an all-zero digest */
export function digest (now: number, session: number, count: number): AeDigestMessage {
  return { type: 'ae-digest', topic: T, session, ...aeWindow(now), count, digest: new Uint8Array(32) }
}
