import type { Effect } from '@saorsa-gossip/core'

/** What a service does with the effects only it understands */
export interface EffectHandlers<P, M, E> {
  send(to: P, message: M): void
  emit(event: E): void
  /** `disconnect` effects; services whose cores never emit them may leave this out */
  disconnect?(peer: P, reason: string): void
}

/**
 * Runs a pure core's effects in a libp2p service: `schedule-timer` / `cancel-timer` become
 * one `setTimeout` per key (scheduling a pending key replaces it, as core/effects.ts
 * promises), and an expired timer comes back through `onTimer`; sends, emits and
 * disconnects go to the service's handlers, in the order the core returned them.
 *
 * Every adapter had its own copy of this loop (issue 13); a new service passes its
 * handlers here instead of writing one.
 */
export class EffectRunner<P, M, T, E> {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>()
  private readonly handlers: EffectHandlers<P, M, E>
  private readonly onTimer: (key: string, timer: T) => void
  private readonly clock: () => number

  /** `clock` is the same clock the service passes to its core as `now` */
  constructor (handlers: EffectHandlers<P, M, E>, onTimer: (key: string, timer: T) => void, clock: () => number = Date.now) {
    this.handlers = handlers
    this.onTimer = onTimer
    this.clock = clock
  }

  run (effects: Iterable<Effect<P, M, T, E>>): void {
    for (const effect of effects) {
      switch (effect.type) {
        case 'send': this.handlers.send(effect.to, effect.message); break
        case 'emit': this.handlers.emit(effect.event); break
        case 'schedule-timer': this.schedule(effect.key, effect.at, effect.timer); break
        case 'cancel-timer': this.cancel(effect.key); break
        case 'disconnect': this.handlers.disconnect?.(effect.peer, effect.reason); break
        default: break
      }
    }
  }

  /** Timers pending (tests, stats) */
  get pending (): number {
    return this.timers.size
  }

  /** Drops every pending timer: nothing fires after the service stopped */
  clear (): void {
    for (const timer of this.timers.values()) {
      clearTimeout(timer)
    }
    this.timers.clear()
  }

  private schedule (key: string, at: number, payload: T): void {
    clearTimeout(this.timers.get(key))
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key)
      this.onTimer(key, payload)
    }, Math.max(0, at - this.clock())))
  }

  private cancel (key: string): void {
    clearTimeout(this.timers.get(key))
    this.timers.delete(key)
  }
}
