import type { BeaconRecord } from './types.ts'

/**
 * The newest accepted beacon per peer, bounded in count: when full, the record that
 * expires first is evicted (it is the least useful one). Expired records are never
 * returned and are pruned on the `prune` timer.
 */
export class RecordCache<P> {
  private readonly records = new Map<P, BeaconRecord<P>>()
  private readonly max: number

  constructor (max: number) {
    this.max = max
  }

  get size (): number {
    return this.records.size
  }

  /** The newest seq seen from `peer`, expired or not (kept until pruned, so replays stay refused) */
  seq (peer: P): number | undefined {
    return this.records.get(peer)?.seq
  }

  get (peer: P, now: number): BeaconRecord<P> | undefined {
    const record = this.records.get(peer)
    return record != null && record.expiresAtMs > now ? record : undefined
  }

  set (record: BeaconRecord<P>): void {
    this.records.delete(record.peer)
    this.records.set(record.peer, record)
    if (this.records.size > this.max) {
      let first: BeaconRecord<P> | undefined
      for (const r of this.records.values()) {
        if (first == null || r.expiresAtMs < first.expiresAtMs) {
          first = r
        }
      }
      if (first != null) {
        this.records.delete(first.peer)
      }
    }
  }

  prune (now: number): number {
    let removed = 0
    for (const [peer, record] of this.records) {
      if (record.expiresAtMs <= now) {
        this.records.delete(peer)
        removed++
      }
    }
    return removed
  }
}
