import { createRng } from '@saorsa-gossip/core'
import { PubsubCore } from '../src/core/pubsub.ts'
import type { PubsubMessage } from '../src/core/messages.ts'
import type { PubsubCoreInit } from '../src/core/pubsub.ts'
import type { PubsubEffect, PubsubEvent, PubsubInput, PubsubTimer } from '../src/core/types.ts'

export interface Sent { from: string, to: string, message: PubsubMessage<string> }

/**
 * A few cores wired together by hand: sends are queued and delivered in FIFO
 * order by `flush`, timers fire in time order by `advance`. Small enough to
 * follow message by message in a test.
 */
export class Harness {
  now = 0
  readonly cores = new Map<string, PubsubCore<string>>()
  readonly sent: Sent[] = []
  readonly events = new Map<string, Array<PubsubEvent<string>>>()
  /** links that drop everything (both directions) */
  readonly cut = new Set<string>()
  private readonly queue: Sent[] = []
  private readonly timers = new Map<string, Map<string, { at: number, timer: PubsubTimer }>>()

  add (name: string, init: PubsubCoreInit = {}): PubsubCore<string> {
    const core = new PubsubCore<string>(name, createRng(`harness/${name}`), init)
    this.cores.set(name, core)
    this.events.set(name, [])
    this.timers.set(name, new Map())
    this.apply(name, core.start(this.now))
    return core
  }

  input (name: string, input: PubsubInput<string>): Array<PubsubEffect<string>> {
    const effects = this.core(name).handle(input, this.now)
    this.apply(name, effects)
    return effects
  }

  /** Makes a and b membership neighbours of each other */
  neighbours (a: string, b: string): void {
    this.input(a, { type: 'neighbor-up', peer: b })
    this.input(b, { type: 'neighbor-up', peer: a })
  }

  core (name: string): PubsubCore<string> {
    const core = this.cores.get(name)
    if (core == null) {
      throw new Error(`no core ${name}`)
    }
    return core
  }

  delivered (name: string): Array<Extract<PubsubEvent<string>, { type: 'message' }>> {
    return (this.events.get(name) ?? []).filter((e): e is Extract<PubsubEvent<string>, { type: 'message' }> => e.type === 'message')
  }

  /** Delivers queued messages until none is left (max `limit` deliveries) */
  flush (limit = 100_000): void {
    for (let i = 0; i < limit && this.queue.length > 0; i++) {
      const next = this.queue.shift() as Sent
      if (this.cut.has(`${next.from}|${next.to}`) || this.cut.has(`${next.to}|${next.from}`) || !this.cores.has(next.to)) {
        continue
      }
      this.input(next.to, { type: 'message', from: next.from, message: next.message })
    }
  }

  /** Moves time to `until`, firing due timers in order and flushing messages after each */
  advance (until: number): void {
    this.flush()
    for (;;) {
      let best: { name: string, key: string, at: number, timer: PubsubTimer } | undefined
      for (const [name, timers] of this.timers) {
        for (const [key, t] of timers) {
          if (t.at <= until && (best == null || t.at < best.at)) {
            best = { name, key, ...t }
          }
        }
      }
      if (best == null) {
        break
      }
      this.timers.get(best.name)?.delete(best.key)
      this.now = Math.max(this.now, best.at)
      this.input(best.name, { type: 'timer-expired', key: best.key, timer: best.timer })
      this.flush()
    }
    this.now = until
  }

  sentOfType (type: PubsubMessage<string>['type'], from?: string): Sent[] {
    return this.sent.filter(s => s.message.type === type && (from == null || s.from === from))
  }

  private apply (name: string, effects: Array<PubsubEffect<string>>): void {
    for (const effect of effects) {
      if (effect.type === 'send') {
        const sent = { from: name, to: effect.to, message: effect.message }
        this.sent.push(sent)
        this.queue.push(sent)
      } else if (effect.type === 'schedule-timer') {
        this.timers.get(name)?.set(effect.key, { at: effect.at, timer: effect.timer })
      } else if (effect.type === 'cancel-timer') {
        this.timers.get(name)?.delete(effect.key)
      } else if (effect.type === 'emit') {
        this.events.get(name)?.push(effect.event)
      }
    }
  }
}

let counter = 0
/** A fresh 32-byte message id */
export function newId (): Uint8Array {
  const id = new Uint8Array(32)
  counter++
  new DataView(id.buffer).setUint32(0, counter)
  new DataView(id.buffer).setUint32(28, counter * 2654435761 >>> 0)
  return id
}
