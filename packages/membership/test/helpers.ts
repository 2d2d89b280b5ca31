import type { CoreEffect } from '../src/core/types.ts'

export type Effects = Array<CoreEffect<string>>

/** Messages sent, as [to, type] pairs */
export function sent (effects: Effects): Array<[string, string]> {
  return effects.flatMap(e => e.type === 'send' ? [[e.to, e.message.type] as [string, string]] : [])
}

export function sentTo (effects: Effects, to: string, type?: string): any[] {
  return effects.flatMap(e => e.type === 'send' && e.to === to && (type == null || e.message.type === type) ? [e.message] : [])
}

export function emitted (effects: Effects, type?: string): any[] {
  return effects.flatMap(e => e.type === 'emit' && (type == null || e.event.type === type) ? [e.event] : [])
}

export function timers (effects: Effects): Array<{ key: string, at: number, timer: any }> {
  return effects.flatMap(e => e.type === 'schedule-timer' ? [{ key: e.key, at: e.at, timer: e.timer }] : [])
}
