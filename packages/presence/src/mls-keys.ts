import { GroupKey, PRESENCE_EXPORTER_LABEL } from './group-keys.ts'

/**
 * What presence() needs of groups() (`@saorsa-gossip/groups`), by shape, so that presence does
 * not depend on the MLS stack: the groups this node is in, their exporter (RFC 9420 §8.5), and
 * the events that tell an epoch moved.
 */
export interface GroupsSource {
  list(): Array<{ id: string, epoch: number, member: boolean }>
  exportSecret(groupId: string, label: string, length: number): Promise<{ epoch: number, secret: Uint8Array }>
  addEventListener(type: string, listener: () => void): void
  removeEventListener(type: string, listener: () => void): void
}

/** groups() events after which the keys may have changed */
export const GROUP_KEY_EVENTS = ['epoch', 'joined', 'removed', 'members-changed']

interface EpochKey { epoch: number, secret: Uint8Array, key: GroupKey }

/**
 * Presence keys of the groups this node is a member of, exported from each group's MLS state
 * under PRESENCE_EXPORTER_LABEL and replaced when the group's epoch moves (SPEC.md §8.3). The
 * previous epoch's key still opens beacons and is still asked for in lookups for `graceMs`
 * after we moved: members apply a commit at different times, and until a member has, its
 * beacons are sealed under the old key. Sealing always uses the current key. A group we are
 * no longer in loses both keys at once.
 */
export class GroupKeyring {
  private readonly groups: GroupsSource
  private readonly graceMs: number
  private readonly onError: (groupId: string, err: Error) => void
  private readonly current = new Map<string, EpochKey>()
  private readonly previous = new Map<string, EpochKey & { until: number }>()
  /** refreshes run one at a time, so two events cannot export and store out of order */
  private running: Promise<boolean> = Promise.resolve(false)

  constructor (groups: GroupsSource, graceMs: number, onError: (groupId: string, err: Error) => void) {
    this.groups = groups
    this.graceMs = graceMs
    this.onError = onError
  }

  /**
   * Brings the keys to the groups' current epochs; true when a key changed (time to re-seal our
   * beacon). `recheck` exports even where the epoch number did not move: a fork switch between
   * branches of equal height keeps the number and changes the secret (SPEC.md §11.4)
   */
  async refresh (now: number, recheck = false): Promise<boolean> {
    const run = this.running.then(async () => this.update(now, recheck))
    this.running = run.catch(() => false)
    return run
  }

  /** Keys to seal our beacon with: the current epoch's of each group */
  sealing (): GroupKey[] {
    return [...this.current.values()].map(k => k.key)
  }

  /** Keys that open beacons and make lookup tags: the current ones, then the previous epoch's within the grace period */
  opening (now: number): GroupKey[] {
    const out = this.sealing()
    for (const [id, p] of this.previous) {
      if (p.until <= now) {
        this.previous.delete(id)
      } else {
        out.push(p.key)
      }
    }
    return out
  }

  private async update (now: number, recheck: boolean): Promise<boolean> {
    const groups = this.groups.list().filter(g => g.member)
    const ids = new Set(groups.map(g => g.id))
    let changed = false
    for (const id of [...this.current.keys()]) {
      if (!ids.has(id)) {
        // removed or left: no grace, we are out
        this.current.delete(id)
        this.previous.delete(id)
        changed = true
      }
    }
    for (const g of groups) {
      const held = this.current.get(g.id)
      if (held?.epoch === g.epoch && !recheck) {
        continue
      }
      let exported
      try {
        exported = await this.groups.exportSecret(g.id, PRESENCE_EXPORTER_LABEL, 32)
      } catch (err: any) {
        this.onError(g.id, err)
        continue
      }
      if (held != null && held.epoch === exported.epoch && equal(held.secret, exported.secret)) {
        continue
      }
      if (held != null) {
        this.previous.set(g.id, { ...held, until: now + this.graceMs })
      }
      this.current.set(g.id, { epoch: exported.epoch, secret: exported.secret, key: new GroupKey({ groupId: g.id, secret: exported.secret }) })
      changed = true
    }
    return changed
  }
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((x, i) => x === b[i])
}
