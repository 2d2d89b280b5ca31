/**
 * Documents in the node's datastore (SPEC.md §9.9), so that a restarted node resumes where it
 * stopped: its edits survive, and anti-entropy afterwards ships only what it missed.
 *
 * Two kinds of record per document. `own/<to>`: each own delta-group, written before it is
 * published. A restarted replica must never reuse one of its dots: if it published operation
 * n and forgot it, its next edit would take dot n again, and replicas that had the first n
 * would drop the second as a duplicate. Writing ahead of the publish makes every published
 * operation recoverable. `snapshot`: the whole replica (state, delivered operations,
 * own-delta log), at most once per `snapshotDelay` after a change, or at once when
 * `maxOwnRecords` own records are waiting; the own records it covers are then deleted.
 * Operations received after the last snapshot are not kept: anti-entropy fetches them again
 * after a restart.
 */
import { Key } from 'interface-datastore'
import { toString } from 'uint8arrays/to-string'
import { decodeFrame, decodeSnapshot, encodeFrame, encodeSnapshot, opsOf } from './codec.ts'
import { MalformedDeltaError } from './errors.ts'
import type { ReplicaSnapshot, CrdtKind, Replica } from './core/replica.ts'
import type { Frame } from './pb/crdt.ts'
import type { Datastore } from 'interface-datastore'

export const STORE_PREFIX = '/saorsa-crdt'

export interface PersistenceStats {
  snapshots: number
  ownRecords: number
  persistFailed: number
  /** stored documents that did not decode (their open() threw) */
  corrupt: number
}

/** What the store held for one document at start */
export interface Stored {
  snapshot?: Uint8Array
  /** own delta-groups, encoded DELTA frames, by their last operation */
  own: Map<number, Uint8Array>
}

interface Entry {
  replica: Replica
  /** writes of this document, in order */
  chain: Promise<void>
  timer?: ReturnType<typeof setTimeout>
  /** own records not yet covered by a snapshot: last operation → key */
  own: Map<number, Key>
}

function docPrefix (name: string): string {
  return `${STORE_PREFIX}/${toString(new TextEncoder().encode(name), 'base16')}`
}

export class DocumentStore {
  private readonly loaded = new Map<string, Stored>()
  private readonly entries = new Map<string, Entry>()

  constructor (private readonly datastore: Datastore, private readonly self: string, private readonly stats: PersistenceStats, private readonly snapshotDelay: number, private readonly maxOwnRecords: number, private readonly log: (msg: string) => void) {}

  /** Reads every stored record once, at start; `open()` then restores synchronously */
  async load (): Promise<void> {
    for await (const { key, value } of this.datastore.query({ prefix: STORE_PREFIX })) {
      const parts = key.toString().split('/')
      // ['', 'saorsa-crdt', <hex name>, 'snapshot' | 'own', <to>?]
      const dir = parts[2]
      if (dir == null) {
        continue
      }
      let stored = this.loaded.get(dir)
      if (stored == null) {
        stored = { own: new Map() }
        this.loaded.set(dir, stored)
      }
      if (parts[3] === 'snapshot') {
        stored.snapshot = value
      } else if (parts[3] === 'own' && Number.isSafeInteger(Number(parts[4]))) {
        stored.own.set(Number(parts[4]), value)
      }
    }
  }

  /**
   * The persisted replica of `name`, decoded; undefined when none. A record that does not
   * decode is counted and thrown (`MalformedDeltaError`): starting without it could make the
   * replica reuse one of its own dots, which no later repair can undo.
   */
  restore (name: string, kind: CrdtKind): { snapshot?: ReplicaSnapshot, own: Frame[] } | undefined {
    const stored = this.loaded.get(docPrefix(name).split('/')[2])
    if (stored == null) {
      return undefined
    }
    try {
      const snapshot = stored.snapshot == null ? undefined : decodeSnapshot(this.self, kind, stored.snapshot)
      const own: Frame[] = []
      for (const seq of [...stored.own.keys()].sort((a, b) => a - b)) {
        const frame = decodeFrame(stored.own.get(seq) as Uint8Array)
        if (opsOf(frame).replica !== this.self) {
          throw new MalformedDeltaError('stored operations of another replica')
        }
        own.push(frame)
      }
      return { snapshot, own }
    } catch (err: any) {
      this.stats.corrupt++
      this.log(`stored ${name} refused: ${err.message}`)
      throw err instanceof MalformedDeltaError ? err : new MalformedDeltaError(`stored document "${name}" does not decode: ${err.message}`, { cause: err })
    }
  }

  track (name: string, replica: Replica): void {
    const stored = this.loaded.get(docPrefix(name).split('/')[2])
    const own = new Map<number, Key>()
    // records restored from: the next snapshot covers them, so it deletes them
    for (const seq of stored?.own.keys() ?? []) {
      own.set(seq, new Key(`${docPrefix(name)}/own/${seq}`))
    }
    this.entries.set(name, { replica, chain: Promise.resolve(), own })
  }

  /** Writes an own delta-group; resolves when it is stored (or its write failed, counted) */
  async writeOwn (name: string, frame: Frame): Promise<void> {
    const entry = this.entries.get(name)
    if (entry == null) {
      return
    }
    const seq = opsOf(frame).to
    const key = new Key(`${docPrefix(name)}/own/${seq}`)
    const bytes = encodeFrame(frame)
    const write = entry.chain.then(async () => {
      try {
        await this.datastore.put(key, bytes)
        entry.own.set(seq, key)
        this.stats.ownRecords++
      } catch (err: any) {
        this.stats.persistFailed++
        this.log(`own record of ${name} not stored: ${err.message}`)
      }
    })
    entry.chain = write
    await write
    this.changed(name)
  }

  /** The document changed: snapshot within `snapshotDelay`, or now when too many own records wait */
  changed (name: string): void {
    const entry = this.entries.get(name)
    if (entry == null) {
      return
    }
    if (entry.own.size >= this.maxOwnRecords) {
      clearTimeout(entry.timer)
      entry.timer = undefined
      void this.snapshot(name, entry)
      return
    }
    entry.timer ??= setTimeout(() => {
      entry.timer = undefined
      void this.snapshot(name, entry)
    }, this.snapshotDelay)
  }

  /** Writes every document's snapshot now and waits for all writes (stop) */
  async flush (): Promise<void> {
    await Promise.all([...this.entries].map(async ([name, entry]) => {
      clearTimeout(entry.timer)
      entry.timer = undefined
      await this.snapshot(name, entry)
    }))
  }

  private async snapshot (name: string, entry: Entry): Promise<void> {
    const write = entry.chain.then(async () => {
      // encoded when its turn comes, so it holds every own record written before it
      const bytes = encodeSnapshot(this.self, entry.replica.kind, entry.replica.snapshot())
      const covered = entry.replica.delivered.max(this.self)
      try {
        await this.datastore.put(new Key(`${docPrefix(name)}/snapshot`), bytes)
        this.stats.snapshots++
        for (const [seq, key] of entry.own) {
          if (seq <= covered) {
            entry.own.delete(seq)
            await this.datastore.delete(key)
          }
        }
      } catch (err: any) {
        this.stats.persistFailed++
        this.log(`snapshot of ${name} not stored: ${err.message}`)
      }
    })
    entry.chain = write
    await write
  }
}
