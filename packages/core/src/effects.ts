/**
 * Effects: what a pure core asks its driver (a libp2p service or the
 * simulator) to do. Cores return arrays of these from
 * `handle(event, now)`; they never perform I/O themselves.
 *
 * Type parameters: `P` peer key, `M` wire message, `T` timer payload, `E`
 * application event. Times are milliseconds on the driver's clock; cores
 * only ever see them as numbers passed in.
 */

/** Send `message` to `to` over the protocol's stream */
export interface SendEffect<P, M> {
  type: 'send'
  to: P
  message: M
}

/**
 * Fire `timer-expired` with `timer` at absolute time `at`. Scheduling a key
 * that is already pending replaces it (one pending timer per key).
 */
export interface ScheduleTimerEffect<T> {
  type: 'schedule-timer'
  key: string
  at: number
  timer: T
}

/** Forget the pending timer with this key, if any */
export interface CancelTimerEffect {
  type: 'cancel-timer'
  key: string
}

/** Close the connection/streams to `peer` */
export interface DisconnectEffect<P> {
  type: 'disconnect'
  peer: P
  reason: string
}

/** Deliver an event to the application (e.g. `neighbor-up`, `message`) */
export interface EmitEffect<E> {
  type: 'emit'
  event: E
}

export type Effect<P, M, T, E> =
  | SendEffect<P, M>
  | ScheduleTimerEffect<T>
  | CancelTimerEffect
  | DisconnectEffect<P>
  | EmitEffect<E>

/** The input a driver feeds back when a scheduled timer fires */
export interface TimerExpiredEvent<T> {
  type: 'timer-expired'
  key: string
  timer: T
}

export function send<P, M> (to: P, message: M): SendEffect<P, M> {
  return { type: 'send', to, message }
}

export function scheduleTimer<T> (key: string, at: number, timer: T): ScheduleTimerEffect<T> {
  return { type: 'schedule-timer', key, at, timer }
}

export function cancelTimer (key: string): CancelTimerEffect {
  return { type: 'cancel-timer', key }
}

export function disconnect<P> (peer: P, reason: string): DisconnectEffect<P> {
  return { type: 'disconnect', peer, reason }
}

export function emit<E> (event: E): EmitEffect<E> {
  return { type: 'emit', event }
}
