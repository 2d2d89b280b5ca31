import { bytesKey } from '@saorsa-gossip/core'
import { keyFromBytes } from './riblt.ts'
import type { GossipMessage } from './messages.ts'

export interface StoredMessage {
  /** the message as we received it (`round` is our hop count); undefined for a tombstone */
  message: GossipMessage | undefined
  topic: string
  id: Uint8Array
  publishedAt: number
  receivedAt: number
  /** first 8 bytes of the id as two big-endian uint32: the anti-entropy short id */
  hi: number
  lo: number
}

export interface MessageStoreInit {
  retention: number
  maxMessages: number
  maxBytes: number
}

/** The anti-entropy short id of a message id: its first 8 bytes as two big-endian uint32 */
export function shortId (id: Uint8Array): { hi: number, lo: number } {
  return keyFromBytes(id.subarray(0, 8))
}

export function shortKey (hi: number, lo: number): string {
  return String.fromCharCode(hi >>> 16, hi & 0xffff, lo >>> 16, lo & 0xffff)
}

/**
 * Messages kept to answer grafts and anti-entropy pulls, bounded by age,
 * count and payload bytes (oldest first). Messages that failed validation
 * stay as payload-less tombstones so anti-entropy counts them as held and
 * never pulls them again.
 */
export class MessageStore {
  private readonly init: MessageStoreInit
  private readonly byId = new Map<string, StoredMessage>()
  private readonly byShort = new Map<string, string>()
  private bytes = 0
  /** keys of the entries that still hold their payload, oldest receipt first: eviction takes the first, in O(1) */
  private readonly withPayload = new Set<string>()

  constructor (init: MessageStoreInit) {
    this.init = init
  }

  get size (): number {
    return this.byId.size
  }

  get payloadBytes (): number {
    return this.bytes
  }

  get (key: string): StoredMessage | undefined {
    return this.byId.get(key)
  }

  getByShort (hi: number, lo: number): StoredMessage | undefined {
    const key = this.byShort.get(shortKey(hi, lo))
    return key == null ? undefined : this.byId.get(key)
  }

  /** Stores a message (or a tombstone with `message` undefined) received at `now` */
  put (key: string, topic: string, id: Uint8Array, publishedAt: number, message: GossipMessage | undefined, now: number): void {
    if (this.byId.has(key)) {
      return
    }
    const { hi, lo } = shortId(id)
    this.byId.set(key, { message, topic, id, publishedAt, receivedAt: now, hi, lo })
    this.byShort.set(shortKey(hi, lo), key)
    this.bytes += message?.payload.length ?? 0
    if (message != null) {
      this.withPayload.add(key)
    }
    this.prune(now)
  }

  /**
   * Removes entries past retention (oldest receipt first). Beyond the count or
   * byte bound the oldest payloads are dropped but their entries stay as
   * tombstones until retention: a message still inside the anti-entropy window
   * must keep counting as held, or every session would pull it again. Entries
   * of any kind are capped at 4 × `maxMessages`.
   */
  prune (now: number): void {
    for (const [key, entry] of this.byId) {
      if (entry.receivedAt + this.init.retention > now && this.byId.size <= 4 * this.init.maxMessages) {
        break
      }
      this.remove(key, entry)
    }
    while (this.withPayload.size > this.init.maxMessages || this.bytes > this.init.maxBytes) {
      const key = this.withPayload.values().next().value as string
      this.withPayload.delete(key)
      const entry = this.byId.get(key)
      if (entry?.message != null) {
        this.bytes -= entry.message.payload.length
        entry.message = undefined
      }
    }
  }

  /** Entries of `topic` published in [from, to) */
  window (topic: string, from: number, to: number, now: number): StoredMessage[] {
    this.prune(now)
    const out: StoredMessage[] = []
    for (const entry of this.byId.values()) {
      if (entry.topic === topic && entry.publishedAt >= from && entry.publishedAt < to) {
        out.push(entry)
      }
    }
    return out
  }

  static key (id: Uint8Array): string {
    return bytesKey(id)
  }

  private remove (key: string, entry: StoredMessage): void {
    this.byId.delete(key)
    this.byShort.delete(shortKey(entry.hi, entry.lo))
    this.bytes -= entry.message?.payload.length ?? 0
    this.withPayload.delete(key)
  }
}
