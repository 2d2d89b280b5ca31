/**
 * What a node observes of its own load and of its peers' round trips, and the
 * timeouts that follow from it. Pure: every sample comes with the time it was
 * taken. Both membership (SWIM) and pubsub (topic links, grafts) stretch their
 * timeouts by it, so that a loaded event loop (every timer late, every reply
 * queued) is not mistaken for dead peers (SPEC.md §2.6).
 *
 * Local lag: how late our own timers fire (`observeTimer(due, now)`). On a
 * loaded Node.js process this is the event-loop delay every message waits
 * behind too. Kept as a decaying peak: overload comes in bursts, and a
 * timeout must cover the next burst, not the average (half-life 10 s, guess).
 *
 * Round trip: smoothed RTT and its variation from request/answer pairs, as
 * TCP's retransmission timer (RFC 6298 §2: α = 1/8, β = 1/4, RTO = SRTT + 4·RTTVAR).
 *
 * Send delay: how long our frames wait in our own transport before it takes them
 * (`observeSendDelay`), smoothed over all writes (weight 1/8, as SRTT). A transport that
 * works on other threads (QUIC's native side) can be saturated while the event loop is
 * not: on 100 QUIC nodes at 5 msg/s the event-loop delay was 10 ms at P50 while writes
 * took 30–200 ms to drain (SPEC.md §2.6). Smoothed, not a peak: one slow peer's writes must
 * not stretch every timer. `lag` is the larger of the two.
 */
export class LoadEstimate {
  /** decaying peak of our own timer lateness, ms */
  private peak = 0
  private peakAt = 0
  private srtt = 0
  private rttvar = 0
  private samples = 0
  private sendDelay = 0
  private readonly halfLife: number
  private readonly maxSample: number

  constructor (init: { halfLife?: number, maxSample?: number } = {}) {
    this.halfLife = init.halfLife ?? 10_000
    // one absurd sample (a suspended laptop, a debugger) must not stretch every timeout for minutes
    this.maxSample = init.maxSample ?? 30_000
  }

  /** A timer due at `due` fired at `now` */
  observeTimer (due: number, now: number): void {
    if (!Number.isFinite(due) || due > now) {
      return
    }
    const sample = Math.min(this.maxSample, now - due)
    const current = this.lag(now)
    if (sample >= current) {
      this.peak = sample
      this.peakAt = now
    }
  }

  /** A request sent at `sentAt` was answered, read at `now` */
  observeRtt (sentAt: number, now: number): void {
    if (!Number.isFinite(sentAt) || sentAt > now) {
      return
    }
    const sample = Math.min(this.maxSample, now - sentAt)
    if (this.samples === 0) {
      this.srtt = sample
      this.rttvar = sample / 2
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - sample)
      this.srtt = 0.875 * this.srtt + 0.125 * sample
    }
    this.samples++
  }

  /** A frame queued `ms` ago has just been taken by the transport (its write drained) */
  observeSendDelay (ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      return
    }
    this.sendDelay = 0.875 * this.sendDelay + 0.125 * Math.min(this.maxSample, ms)
  }

  /** Our own lag now: the last timer-lateness peak, halved every `halfLife` ms since, or the smoothed send delay if larger */
  lag (now: number): number {
    const timers = this.peak === 0 ? 0 : this.peak * Math.pow(0.5, Math.max(0, now - this.peakAt) / this.halfLife)
    return Math.max(timers, this.sendDelay)
  }

  /** Retransmission timeout from the round trips seen (0 before the first sample) */
  rto (): number {
    return this.samples === 0 ? 0 : this.srtt + 4 * this.rttvar
  }

  /** Smoothed round trip, ms (0 before the first sample) */
  rtt (): number {
    return this.srtt
  }

  /**
   * A timeout for an answer: the configured floor, or what observed round trips and our own
   * lag say an answer can take, whichever is longer (an answer waits behind our own queue
   * once it arrives, so our lag is added to the round trip)
   */
  timeout (floor: number, now: number): number {
    return Math.max(floor, Math.ceil(this.rto() + this.lag(now)))
  }
}
