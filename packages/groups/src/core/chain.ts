import type { Changes, CommitId } from './types.ts'

/** A commit the core knows: on its chain, or a candidate from another branch */
export interface CommitRecord<P> {
  id: CommitId
  /** the epoch the commit was made in (applying it gives epoch + 1) */
  epoch: number
  /** the commit that made `epoch` (or the root) */
  parent: CommitId
  /** claimed author; MLS checks it against the sender's leaf when the commit is opened */
  from: P
  mls: Uint8Array
  /** members after applying it; set once applied (the driver then holds its state) */
  roster?: P[]
  /** the changes, when this node made the commit (re-proposed if it loses, §11.4) */
  own?: Changes<P>
}

/**
 * The branch this member follows: a root state (the oldest kept) and the commits applied
 * since, each with the roster it produced. At most `window` commits are kept: older states
 * are forgotten, so a fork older than that cannot be switched to (SPEC.md §11.4).
 */
export class Chain<P> {
  root: CommitId
  rootEpoch: number
  private rootRoster: P[]
  readonly commits: Array<CommitRecord<P>> = []
  private readonly window: number

  constructor (root: CommitId, rootEpoch: number, roster: P[], window: number) {
    this.root = root
    this.rootEpoch = rootEpoch
    this.rootRoster = roster
    this.window = window
  }

  get epoch (): number {
    return this.rootEpoch + this.commits.length
  }

  get head (): CommitId {
    return this.commits.at(-1)?.id ?? this.root
  }

  get roster (): P[] {
    return this.commits.at(-1)?.roster ?? this.rootRoster
  }

  /** The epoch whose state `id` names, if `id` is on this chain */
  epochOf (id: CommitId): number | undefined {
    if (id === this.root) {
      return this.rootEpoch
    }
    const i = this.commits.findIndex(c => c.id === id)
    return i < 0 ? undefined : this.rootEpoch + i + 1
  }

  /** Roster at `epoch` on this chain */
  rosterAt (epoch: number): P[] | undefined {
    if (epoch === this.rootEpoch) {
      return this.rootRoster
    }
    return this.commits[epoch - this.rootEpoch - 1]?.roster
  }

  /** Our commit made in `epoch`, if any */
  commitIn (epoch: number): CommitRecord<P> | undefined {
    return this.commits[epoch - this.rootEpoch]
  }

  has (id: CommitId): boolean {
    return this.epochOf(id) !== undefined
  }

  /** Appends an applied commit; returns the ids of states that fell out of the window */
  push (record: CommitRecord<P>): CommitId[] {
    this.commits.push(record)
    const forgotten: CommitId[] = []
    while (this.commits.length > this.window) {
      const first = this.commits.shift()
      if (first?.roster == null) {
        break
      }
      forgotten.push(this.root)
      this.root = first.id
      this.rootRoster = first.roster
      this.rootEpoch++
    }
    return forgotten
  }

  /** Removes every commit made at or after `epoch` and returns them, oldest first */
  truncate (epoch: number): Array<CommitRecord<P>> {
    return this.commits.splice(Math.max(0, epoch - this.rootEpoch))
  }
}
