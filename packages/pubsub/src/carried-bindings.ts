import { LruTtlCache } from '@saorsa-gossip/core'
import { encodeCarriedKey } from '@saorsa-gossip/identity'
import type { BindingRecord } from '@saorsa-gossip/identity'

/** How long a (peer, origin) pair and an encoded record are remembered, ms */
const TTL = 10 * 60_000

/**
 * Which origin keys to attach to outgoing GOSSIP frames (SPEC.md §7.10): the origin's
 * binding record, without its ML-DSA signature (a carried key: the message's own signature
 * proves possession), goes with the first message of that origin on each link, so receivers
 * verify at once instead of asking the relay (a lookup round trip per hop and new origin,
 * seconds per hop on loaded nodes, issue 12). A peer holds an origin's binding once it sent
 * us, or we sent it, a message of that origin.
 */
export class CarriedBindings {
  /** "peer origin" pairs whose peer holds the origin's binding */
  private readonly heldBy = new LruTtlCache<string, true>({ maxEntries: 65_536, ttl: TTL })
  /** encoded carried keys of recent origins: encoded once, not once per link */
  private readonly encoded = new LruTtlCache<string, Uint8Array>({ maxEntries: 1024, ttl: TTL })
  private readonly recordOf: (origin: string) => BindingRecord | undefined

  constructor (recordOf: (origin: string) => BindingRecord | undefined) {
    this.recordOf = recordOf
  }

  /** `peer` relayed a message of `origin` to us: it verified, so it holds, the binding */
  held (peer: string, origin: string, now: number): void {
    this.heldBy.set(`${peer} ${origin}`, true, now)
  }

  /** The encoded carried key of `origin` when `to` may not hold it yet (then it will) */
  attachFor (to: string, origin: string, now: number): Uint8Array | undefined {
    const key = `${to} ${origin}`
    if (origin === to || this.heldBy.has(key, now)) {
      return undefined
    }
    let bytes = this.encoded.get(origin, now)
    if (bytes == null) {
      const record = this.recordOf(origin)
      if (record == null) {
        return undefined
      }
      bytes = encodeCarriedKey(record)
      this.encoded.set(origin, bytes, now)
    }
    this.heldBy.set(key, true, now)
    return bytes
  }
}
