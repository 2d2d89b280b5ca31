import { Chain } from './chain.ts'
import { commitId } from './commit-id.ts'
import { groupCoreConfig } from './config.ts'
import { Duties } from './duties.ts'
import { bestBranch } from './fork-choice.ts'
import type { CommitRecord } from './chain.ts'
import type { GroupCoreConfig } from './config.ts'
import type {
  ChainCommit, Changes, CommitId, GroupEffect, GroupEvent, GroupInput, GroupWire, LocalOutcome, MlsOp, MlsResult, RefusalReason
} from './types.ts'

export const REFUSAL_REASONS: readonly RefusalReason[] = [
  'not-a-member', 'forged', 'wrong-sender', 'replayed', 'stale-epoch', 'future-overflow', 'expired', 'removed-member',
  'malformed', 'oversize', 'bad-credential', 'not-in-group', 'welcome-not-for-us', 'invitation-refused', 'queue-full'
]

/** Where a member starts: its first state (group creation: epoch 0, root id; a welcome: the adding commit) */
export interface GroupStart<P> {
  self: P
  root: CommitId
  epoch: number
  roster: P[]
  config?: Partial<GroupCoreConfig>
}

/** The MLS operation in flight and what to do with its result */
type Pending<P> =
  | { ticket: number, kind: 'apply', record: CommitRecord<P>, rest: Array<CommitRecord<P>>, discarded?: Array<CommitRecord<P>> }
  | { ticket: number, kind: 'application', from: P, epoch: number }
  | { ticket: number, kind: 'seal', op: number }
  | { ticket: number, kind: 'commit', op: number, changes: Changes<P> }

type WithoutTicket<T> = T extends unknown ? Omit<T, 'ticket'> : never
type Waiting<P> = WithoutTicket<Pending<P>>

interface Buffered<P> { from: P, message: Extract<GroupWire, { kind: 'application' }>, at: number }

/** ops the core starts itself (re-proposals, removing a member that asked to leave): no `done` */
const INTERNAL_OP = -1
/** parents asked for at most once each; the set is cleared when it reaches this size */
const MAX_REQUESTED = 1024

/**
 * One group as seen by one member: the pure state machine of SPEC.md §11.4–11.6. It orders
 * commits without a server (fork-choice.ts), buffers messages of epochs it has not reached,
 * asks peers for commits it missed, and refuses bad input by name. MLS itself is asked for
 * as `mls` effects, one at a time: inputs arriving meanwhile wait in order.
 */
export class GroupCore<P> {
  readonly self: P
  readonly config: GroupCoreConfig
  status: 'member' | 'removed' = 'member'
  readonly refusals = Object.fromEntries(REFUSAL_REASONS.map(r => [r, 0])) as Record<RefusalReason, number>
  readonly stats = { commitsApplied: 0, forkSwitches: 0, opened: 0, sealed: 0, chainRequests: 0, queuePeak: 0, localQueueFull: 0, dutiesDone: 0 }
  private readonly chain: Chain<P>
  private readonly candidates = new Map<CommitId, CommitRecord<P>>()
  private readonly future: Array<Buffered<P>> = []
  private readonly requested = new Set<CommitId>()
  private readonly queue: Array<GroupInput<P>> = []
  /** MLS bytes carried by the inputs in `queue` */
  private queuedBytes = 0
  private readonly duties: Duties<P>
  private now = 0
  private pending?: Pending<P>
  private ticket = 0
  private out: Array<GroupEffect<P>> = []

  constructor (start: GroupStart<P>) {
    this.self = start.self
    this.config = groupCoreConfig(start.config)
    this.chain = new Chain(start.root, start.epoch, start.roster, this.config.maxRollbackEpochs)
    this.duties = new Duties({
      self: this.self,
      dutyTimeout: this.config.dutyTimeout,
      roster: () => this.chain.roster,
      isMember: () => this.status === 'member',
      out: (effect) => { this.out.push(effect) },
      perform: (d) => {
        this.stats.dutiesDone++
        if (d.duty === 'remove') {
          this.wait({ type: 'commit', op: INTERNAL_OP, changes: { add: [], remove: [d.peer], update: false } }, false)
        } else {
          this.emit({ type: 're-add', peer: d.peer })
        }
      }
    })
  }

  get epoch (): number { return this.chain.epoch }
  get head (): CommitId { return this.chain.head }
  get members (): P[] { return [...this.chain.roster] }
  /** an MLS operation is in flight */
  get busy (): boolean { return this.pending != null }

  /** Schedules the first head announcement */
  start (now: number): Array<GroupEffect<P>> {
    return [{ type: 'schedule-timer', key: 'head', at: now + this.config.headInterval, timer: { type: 'head' } }]
  }

  handle (input: GroupInput<P>, now: number): Array<GroupEffect<P>> {
    const out: Array<GroupEffect<P>> = []
    this.out = out
    this.now = now
    if (input.type === 'mls-done') {
      this.onMlsDone(input.ticket, input.result)
    } else if (this.pending != null && needsMls(input)) {
      this.wait(input, true)
    } else {
      this.dispatch(input, now)
    }
    while (this.pending == null && this.queue.length > 0) {
      const next = this.queue.shift() as GroupInput<P>
      this.queuedBytes -= inputBytes(next)
      this.dispatch(next, now)
    }
    if (this.pending == null) {
      this.evaluate()
    }
    return out
  }

  private dispatch (input: GroupInput<P>, now: number): void {
    switch (input.type) {
      case 'received': this.onReceived(input.from, input.message, now); break
      case 'chain-reply': this.onChainReply(input.commits); break
      case 'send': this.local(input.op, { kind: 'seal', plaintext: input.plaintext }, { kind: 'seal', op: input.op }); break
      case 'commit': this.local(input.op, { kind: 'commit', changes: input.changes }, { kind: 'commit', op: input.op, changes: input.changes }); break
      case 'timer-expired':
        if (input.timer.type === 'duty') {
          this.duties.check(`${input.timer.duty}:${input.timer.peer}`, now)
        } else {
          this.onHeadTimer(now)
        }
        break
      default: break
    }
  }

  /**
   * An input waits for the MLS operation in flight. Inputs from outside (received messages,
   * chain replies, the application's sends and commits) are bounded by maxQueuedInputs and
   * maxQueuedBytes and refused beyond (`queue-full`, SPEC.md §11.6); the core's own (messages
   * whose epoch arrived, from the bounded future buffer; re-proposals and duties, a few per
   * commit) always wait, so the queue stays within the bounds plus maxFutureMessages and those.
   */
  private wait (input: GroupInput<P>, bounded: boolean): void {
    const bytes = inputBytes(input)
    if (bounded && (this.queue.length >= this.config.maxQueuedInputs || this.queuedBytes + bytes > this.config.maxQueuedBytes)) {
      switch (input.type) {
        case 'received': this.refuse(input.from, 'queue-full'); break
        case 'chain-reply': this.refuse(input.from, 'queue-full'); break
        case 'send':
        case 'commit':
          this.stats.localQueueFull++
          this.done(input.op, { ok: false, reason: 'queue-full' })
          break
        default: break
      }
      return
    }
    this.queue.push(input)
    this.queuedBytes += bytes
    this.stats.queuePeak = Math.max(this.stats.queuePeak, this.queue.length)
  }

  private onReceived (from: P, message: GroupWire, now: number): void {
    if (this.status !== 'member') {
      this.refuse(from, 'not-in-group')
      return
    }
    switch (message.kind) {
      case 'commit': this.onCommit(from, message); break
      case 'application': this.onApplication(from, message, now); break
      case 'head': this.onHead(from, message.epoch, message.parent); break
      case 'leave': this.onLeave(from, now); break
      default: break
    }
  }

  // --- commits: RFC 9420 §12.4.2, ordered by §11.4 ---------------------------------------------

  private onCommit (from: P, m: Extract<GroupWire, { kind: 'commit' }>): void {
    const id = commitId(m.mls)
    if (this.chain.has(id) || this.candidates.has(id)) {
      this.refuse(from, 'replayed')
      return
    }
    if (m.epoch < this.chain.rootEpoch) {
      this.refuse(from, 'stale-epoch')
      return
    }
    const record: CommitRecord<P> = { id, epoch: m.epoch, parent: m.parent, from, mls: m.mls }
    const parentEpoch = this.chain.epochOf(m.parent)
    if (parentEpoch === undefined) {
      // a branch we have not seen, or commits we missed: keep it and ask its sender
      this.addCandidate(record)
      this.requestChain(from, m.parent)
      return
    }
    if (parentEpoch !== m.epoch) {
      this.refuse(from, 'malformed')
      return
    }
    // only members of the epoch may commit in it (RFC 9420 §6: the sender is a leaf of that epoch's tree)
    if (!(this.chain.rosterAt(m.epoch) ?? []).includes(from)) {
      this.refuse(from, this.wasMember(from) ? 'removed-member' : 'not-a-member')
      return
    }
    if (m.parent === this.chain.head) {
      this.applyPath([record])
    } else {
      this.addCandidate(record)
    }
  }

  /** Applies commits in order; those whose state the driver holds (ours, or applied before a switch) need no MLS */
  private applyPath (path: Array<CommitRecord<P>>, discarded?: Array<CommitRecord<P>>): void {
    while (path.length > 0) {
      const next = path[0]
      if (next.roster == null) {
        this.startMls(next.parent, { kind: 'open', from: next.from, wire: 'commit', mls: next.mls },
          { kind: 'apply', record: next, rest: path.slice(1), discarded })
        return
      }
      path.shift()
      this.extend(next)
    }
    if (discarded != null) {
      this.finishSwitch(discarded)
    }
  }

  /** Our chain grows by one applied commit */
  private extend (record: CommitRecord<P>): void {
    const before = this.chain.roster
    this.candidates.delete(record.id)
    for (const id of this.chain.push(record)) {
      this.out.push({ type: 'forget-state', id })
    }
    for (const c of [...this.candidates.values()]) {
      if (c.epoch < this.chain.rootEpoch) {
        this.dropCandidate(c.id)
      }
    }
    this.stats.commitsApplied++
    const after = record.roster ?? []
    this.emit({ type: 'epoch', epoch: this.chain.epoch, head: this.chain.head })
    const added = after.filter(p => !before.includes(p))
    const removed = before.filter(p => !after.includes(p))
    if (added.length + removed.length > 0) {
      this.emit({ type: 'members-changed', added, removed, members: [...after] })
    }
    // messages that waited for this epoch go again, in arrival order
    const ready = this.future.filter(b => this.chain.has(b.message.parent))
    for (const b of ready) {
      this.future.splice(this.future.indexOf(b), 1)
      this.wait({ type: 'received', from: b.from, message: b.message }, false)
    }
  }

  /** Switch to a better branch (§11.4): our commits after the fork point become candidates again */
  private evaluate (): void {
    if (this.status !== 'member') {
      return
    }
    const branch = bestBranch(this.chain, this.candidates)
    if (branch == null) {
      return
    }
    const discarded = this.chain.truncate(branch.forkEpoch)
    if (discarded.length > 0) {
      this.stats.forkSwitches++
    }
    for (const c of discarded) {
      this.candidates.set(c.id, c)
    }
    this.applyPath([...branch.path], discarded)
    if (this.pending == null) {
      this.evaluate()
    }
  }

  /** After a switch: our own commits that lost are proposed again on the winning chain; peers the losing branch added are stranded */
  private finishSwitch (discarded: Array<CommitRecord<P>>): void {
    this.strand(discarded)
    for (const c of discarded) {
      if (c.own == null || this.chain.has(c.id)) {
        continue
      }
      const roster = this.chain.roster
      const changes: Changes<P> = {
        add: c.own.add.filter(a => !roster.includes(a.peer)),
        remove: c.own.remove.filter(p => roster.includes(p)),
        update: c.own.update
      }
      this.emit({ type: 're-propose', changes })
      if (changes.add.length + changes.remove.length > 0 || changes.update) {
        this.wait({ type: 'commit', op: INTERNAL_OP, changes }, false)
      }
    }
  }

  /**
   * Peers added by commits of the branch we left and absent from the winning chain hold a state
   * nobody else follows (they cannot roll back past their join, §11.4). We tell the application
   * (`stranded`) and share the duty of re-adding them: the adder re-proposes its add at once if
   * it is us; the other members of the losing branch take over in turn if it does not come back.
   */
  private strand (discarded: Array<CommitRecord<P>>): void {
    if (discarded.length === 0) {
      return
    }
    let before = this.chain.rosterAt(discarded[0].epoch) ?? []
    const byAdder = new Map<P, P[]>()
    for (const c of discarded) {
      const after = c.roster ?? before
      const had = new Set(before)
      for (const p of after.filter(p => !had.has(p))) {
        byAdder.set(c.from, [...(byAdder.get(c.from) ?? []), p])
      }
      before = after
    }
    const roster = this.chain.roster
    // who knew of the adds: members of the losing branch's last state still in the group
    const witnesses = before.filter(p => roster.includes(p)).sort(byString)
    for (const [adder, added] of byAdder) {
      const peers = added.filter(p => !roster.includes(p) && p !== this.self)
      if (peers.length === 0) {
        continue
      }
      this.emit({ type: 'stranded', peers, adder })
      if (adder === this.self) {
        continue
      }
      for (const peer of peers) {
        this.duties.take({ duty: 're-add', peer, since: this.now, order: [adder, ...witnesses.filter(p => p !== adder)] }, this.now)
      }
    }
  }

  private addCandidate (record: CommitRecord<P>): void {
    if (this.candidates.size >= this.config.maxCandidates) {
      const oldest = this.candidates.keys().next().value
      if (oldest != null) {
        this.dropCandidate(oldest)
      }
    }
    this.candidates.set(record.id, record)
  }

  private dropCandidate (id: CommitId): void {
    const c = this.candidates.get(id)
    this.candidates.delete(id)
    if (c?.roster != null) {
      this.out.push({ type: 'forget-state', id })
    }
  }

  /** A commit that failed to open: it and every candidate built on it are dropped */
  private dropWithDescendants (id: CommitId): void {
    this.dropCandidate(id)
    for (const c of [...this.candidates.values()]) {
      if (c.parent === id) {
        this.dropWithDescendants(c.id)
      }
    }
  }

  // --- application messages (RFC 9420 §6.3.1) --------------------------------------------------

  private onApplication (from: P, m: Extract<GroupWire, { kind: 'application' }>, now: number): void {
    const at = this.chain.epochOf(m.parent)
    if (at === undefined) {
      if (m.epoch < this.chain.rootEpoch) {
        this.refuse(from, 'stale-epoch')
        return
      }
      this.buffer({ from, message: m, at: now }, now)
      this.requestChain(from, m.parent)
      return
    }
    if (at !== m.epoch) {
      this.refuse(from, 'malformed')
      return
    }
    if (!(this.chain.rosterAt(at) ?? []).includes(from)) {
      this.refuse(from, this.wasMember(from) ? 'removed-member' : 'not-a-member')
      return
    }
    this.startMls(m.parent, { kind: 'open', from, wire: 'application', mls: m.mls }, { kind: 'application', from, epoch: at })
  }

  private buffer (item: Buffered<P>, now: number): void {
    while (this.future.length > 0 && this.future[0].at + this.config.futureTtl <= now) {
      const old = this.future.shift() as Buffered<P>
      this.refuse(old.from, 'expired')
    }
    if (this.future.length >= this.config.maxFutureMessages) {
      this.refuse(item.from, 'future-overflow')
      return
    }
    this.future.push(item)
  }

  // --- heads, leaving, catching up ---------------------------------------------------------------

  /** A head we do not know, at least as high as ours, is a branch that may beat ours (§11.4): ask for it */
  private onHead (from: P, epoch: number, parent: CommitId): void {
    if (!this.chain.has(parent) && !this.candidates.has(parent) && epoch >= this.chain.epoch) {
      this.requestChain(from, parent)
    }
  }

  /**
   * The remaining member that sorts first commits the removal at once; if it is offline the next
   * one does after dutyTimeout, and so on (§11.3). A commit racing it is ordered by §11.4.
   */
  private onLeave (from: P, now: number): void {
    const roster = this.chain.roster
    if (!roster.includes(from)) {
      this.refuse(from, this.wasMember(from) ? 'removed-member' : 'not-a-member')
      return
    }
    this.duties.take({ duty: 'remove', peer: from, since: now, order: roster.filter(p => p !== from).sort(byString) }, this.now)
  }

  private requestChain (to: P, parent: CommitId): void {
    if (this.requested.has(parent) || to === this.self) {
      return
    }
    if (this.requested.size >= MAX_REQUESTED) {
      this.requested.clear()
    }
    this.requested.add(parent)
    this.stats.chainRequests++
    this.out.push({ type: 'request-chain', to, fromEpoch: this.chain.rootEpoch })
  }

  /**
   * The answer to a peer's chain request (a query: it changes nothing): our commits from
   * `fromEpoch` on. Answered to members and former members only, so a stranger learns nothing,
   * not even sizes; undefined means "refuse".
   */
  answerChain (from: P, fromEpoch: number): Array<ChainCommit<P>> | undefined {
    if (this.status !== 'member' || !this.wasMember(from)) {
      return undefined
    }
    return this.chain.commits.filter(c => c.epoch >= fromEpoch).map(c => ({ epoch: c.epoch, parent: c.parent, from: c.from, mls: c.mls }))
  }

  private onChainReply (commits: Array<ChainCommit<P>>): void {
    for (const c of commits) {
      if (this.chain.has(commitId(c.mls)) || this.candidates.has(commitId(c.mls))) {
        continue
      }
      this.wait({ type: 'received', from: c.from, message: { kind: 'commit', epoch: c.epoch, parent: c.parent, mls: c.mls } }, true)
    }
  }

  private onHeadTimer (now: number): void {
    if (this.status !== 'member') {
      return
    }
    this.out.push({ type: 'publish', message: { kind: 'head', epoch: this.chain.epoch, parent: this.chain.head } })
    this.out.push({ type: 'schedule-timer', key: 'head', at: now + this.config.headInterval, timer: { type: 'head' } })
  }

  // --- local operations and MLS results --------------------------------------------------------

  private local (op: number, mls: MlsOp<P>, waiting: Waiting<P>): void {
    if (this.status !== 'member') {
      this.done(op, { ok: false, reason: 'not-in-group' })
      return
    }
    this.startMls(this.chain.head, mls, waiting)
  }

  private startMls (base: CommitId, op: MlsOp<P>, waiting: Waiting<P>): void {
    const ticket = ++this.ticket
    this.pending = { ...waiting, ticket } as Pending<P>
    this.out.push({ type: 'mls', ticket, base, op })
  }

  private onMlsDone (ticket: number, result: MlsResult<P>): void {
    const p = this.pending
    if (p?.ticket !== ticket) {
      return
    }
    this.pending = undefined
    switch (p.kind) {
      case 'apply':
        if (result.ok && result.kind === 'opened-commit') {
          p.record.roster = result.roster
          this.extend(p.record)
          if (result.removedSelf) {
            this.status = 'removed'
            this.emit({ type: 'removed' })
            return
          }
          this.applyPath(p.rest, p.discarded)
        } else {
          this.refuse(p.record.from, result.ok ? 'malformed' : result.reason)
          this.dropWithDescendants(p.record.id)
        }
        return
      case 'application':
        if (result.ok && result.kind === 'opened-application') {
          this.stats.opened++
          this.emit({ type: 'message', from: p.from, epoch: p.epoch, data: result.plaintext })
        } else {
          this.refuse(p.from, result.ok ? 'malformed' : result.reason)
        }
        return
      case 'seal':
        if (result.ok && result.kind === 'sealed') {
          this.stats.sealed++
          this.out.push({ type: 'publish', message: { kind: 'application', epoch: this.chain.epoch, parent: this.chain.head, mls: result.mls } })
          this.done(p.op, { ok: true, epoch: this.chain.epoch, head: this.chain.head, bytes: result.mls.byteLength })
        } else {
          this.done(p.op, { ok: false, reason: 'failed' })
        }
        return
      case 'commit':
        if (result.ok && result.kind === 'committed') {
          const record: CommitRecord<P> = {
            id: commitId(result.mls), epoch: this.chain.epoch, parent: this.chain.head, from: this.self, mls: result.mls, roster: result.roster, own: p.changes
          }
          this.out.push({ type: 'publish', message: { kind: 'commit', epoch: record.epoch, parent: record.parent, mls: record.mls } })
          this.extend(record)
          if (result.welcome != null) {
            for (const { peer } of p.changes.add) {
              this.out.push({ type: 'welcome', to: peer, epoch: record.epoch + 1, parent: record.id, mls: result.welcome })
            }
          }
          this.done(p.op, { ok: true, epoch: this.chain.epoch, head: this.chain.head, bytes: result.mls.byteLength })
        } else {
          this.done(p.op, { ok: false, reason: 'failed' })
        }
        break
      default:
        break
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  private wasMember (peer: P): boolean {
    for (let e = this.chain.rootEpoch; e <= this.chain.epoch; e++) {
      if ((this.chain.rosterAt(e) ?? []).includes(peer)) {
        return true
      }
    }
    return false
  }

  private refuse (from: P | undefined, reason: RefusalReason): void {
    this.refusals[reason]++
    this.emit({ type: 'refused', from, reason })
  }

  private emit (event: GroupEvent<P>): void {
    this.out.push({ type: 'emit', event })
  }

  private done (op: number, outcome: LocalOutcome): void {
    if (op !== INTERNAL_OP) {
      this.out.push({ type: 'done', op, outcome })
    }
  }
}

/** Inputs that may start an MLS operation wait while one is in flight; the rest are handled at once */
function needsMls<P> (input: GroupInput<P>): boolean {
  return input.type !== 'timer-expired'
}

/** The bytes an input holds while it waits: MLS messages, key packages, plaintexts */
function inputBytes<P> (input: GroupInput<P>): number {
  switch (input.type) {
    case 'received': return 'mls' in input.message ? input.message.mls.byteLength : 0
    case 'chain-reply': return input.commits.reduce((n, c) => n + c.mls.byteLength, 0)
    case 'send': return input.plaintext.byteLength
    case 'commit': return input.changes.add.reduce((n, a) => n + a.keyPackage.byteLength, 0)
    default: return 0
  }
}

function byString<P> (a: P, b: P): number {
  const x = String(a)
  const y = String(b)
  if (x === y) {
    return 0
  }
  return x < y ? -1 : 1
}
