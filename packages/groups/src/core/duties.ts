import type { GroupEffect } from './types.ts'

/**
 * A duty of the remaining members, taken in turn: `order` lists who shares it, first first; the
 * k-th present member does it once `since + k × dutyTimeout` has passed and it is still not done
 */
export interface Duty<P> { duty: 'remove' | 're-add', peer: P, since: number, order: P[] }

/** duties held at once (one per leaving or stranded peer, so a roster's worth); more are not taken */
const MAX_DUTIES = 1024

/** What a duty reads of its group and how it is carried out */
export interface DutyContext<P> {
  readonly self: P
  readonly dutyTimeout: number
  /** the current roster */
  roster(): readonly P[]
  isMember(): boolean
  /** timers go out with the group's other effects */
  out(effect: GroupEffect<P>): void
  /** our turn came and the duty is still not done */
  perform(duty: Duty<P>): void
}

/**
 * Duties shared by the remaining members of a group (SPEC.md §11.3, §11.4): removing a member that
 * asked to leave, re-adding one stranded by a fork switch. Each member waits its rank in the
 * duty's order times `dutyTimeout`, so one member does it and the others see it done.
 */
export class Duties<P> {
  private readonly held = new Map<string, Duty<P>>()
  private readonly ctx: DutyContext<P>

  constructor (ctx: DutyContext<P>) {
    this.ctx = ctx
  }

  take (duty: Duty<P>, now: number): void {
    const key = `${duty.duty}:${String(duty.peer)}`
    if (this.held.has(key) || this.held.size >= MAX_DUTIES) {
      return
    }
    this.held.set(key, duty)
    this.check(key, now)
  }

  /** Our turn at a duty: do it if it is still not done, else wait for our turn */
  check (key: string, now: number): void {
    const d = this.held.get(key)
    if (d == null) {
      return
    }
    const { self } = this.ctx
    const roster = this.ctx.roster()
    const done = d.duty === 'remove' ? !roster.includes(d.peer) : roster.includes(d.peer)
    // members gone since the duty began lose their turn: the next ones move up
    const rank = d.order.filter(p => roster.includes(p) || p === self).indexOf(self)
    if (!this.ctx.isMember() || done || rank < 0) {
      this.held.delete(key)
      return
    }
    const due = d.since + rank * this.ctx.dutyTimeout
    if (due > now) {
      this.ctx.out({ type: 'schedule-timer', key: `duty:${key}`, at: due, timer: { type: 'duty', duty: d.duty, peer: String(d.peer) } })
      return
    }
    this.held.delete(key)
    this.ctx.perform(d)
  }
}
