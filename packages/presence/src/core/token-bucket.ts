/**
 * Per-peer token buckets: `rate` tokens per second up to `burst`. Bounded: the
 * least recently refilled buckets go first when more than `maxPeers` exist
 * (a full bucket is what a forgotten peer gets back, so eviction only forgives).
 */
export class TokenBuckets<P> {
  private readonly buckets = new Map<P, { tokens: number, at: number }>()
  private readonly rate: number
  private readonly burst: number
  private readonly maxPeers: number

  constructor (rate: number, burst: number, maxPeers = 4096) {
    this.rate = rate
    this.burst = burst
    this.maxPeers = maxPeers
  }

  /** Takes one token from `peer`'s bucket; false when empty */
  take (peer: P, now: number): boolean {
    const bucket = this.buckets.get(peer) ?? { tokens: this.burst, at: now }
    bucket.tokens = Math.min(this.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.rate / 1000)
    bucket.at = now
    this.buckets.delete(peer)
    this.buckets.set(peer, bucket)
    if (this.buckets.size > this.maxPeers) {
      this.buckets.delete(this.buckets.keys().next().value as P)
    }
    if (bucket.tokens < 1) {
      return false
    }
    bucket.tokens -= 1
    return true
  }
}
