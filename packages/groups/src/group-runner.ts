import { EffectRunner } from '@saorsa-gossip/kit'
import { commitId } from './core/commit-id.ts'
import { GroupCore } from './core/group-core.ts'
import { MlsRefusedError } from './errors.ts'
import type { GroupCoreConfig } from './core/config.ts'
import type { Changes, CommitId, GroupEffect, GroupEvent, GroupInput, GroupTimer, GroupWire, LocalOutcome, MlsOp, MlsResult } from './core/types.ts'
import type { MlsProvider, MlsState } from './mls/provider.ts'

/** What a runner needs from the service: the network side of its effects */
export interface RunnerHost {
  publish(runner: GroupRunner, message: GroupWire): void
  requestChain(runner: GroupRunner, to: string, fromEpoch: number): void
  welcome(runner: GroupRunner, to: string, epoch: number, parent: CommitId, mls: Uint8Array): Promise<void>
  event(runner: GroupRunner, event: GroupEvent<string>): void
  /** the MLS state of the head changed (persist it); resolves once saved */
  changed(runner: GroupRunner): Promise<void>
}

export interface RunnerInit {
  self: string
  groupId: Uint8Array
  name: string
  provider: MlsProvider
  /** the state to start from, named by the commit that made it (or the group's root id) */
  root: CommitId
  state: MlsState
  config?: Partial<GroupCoreConfig>
}

/**
 * One group on one node: the pure core plus the MLS states it names. Runs the core's effects:
 * MLS operations on the provider (one at a time, as the core asks), publishes on the group's
 * topic, chain requests and welcomes through the service, timers and events through the kit's
 * EffectRunner.
 */
export class GroupRunner {
  readonly groupId: Uint8Array
  readonly name: string
  readonly provider: MlsProvider
  readonly core: GroupCore<string>
  private readonly states = new Map<CommitId, MlsState>()
  private readonly host: RunnerHost
  private readonly self: string
  private readonly runner: EffectRunner<string, never, GroupTimer, GroupEvent<string>>
  private readonly ops = new Map<number, (outcome: LocalOutcome) => void>()
  private readonly welcomes = new Map<string, Promise<void>>()
  /** the save of the last sealed state: in 'mls' mode a message goes out only once its generation is on disk */
  private saved: Promise<void> = Promise.resolve()
  private nextOp = 0

  constructor (init: RunnerInit, host: RunnerHost) {
    this.groupId = init.groupId
    this.name = init.name
    this.provider = init.provider
    this.host = host
    this.self = init.self
    this.states.set(init.root, init.state)
    const provider = init.provider
    this.core = new GroupCore({ self: init.self, root: init.root, epoch: provider.epoch(init.state), roster: provider.members(init.state), config: init.config })
    this.runner = new EffectRunner<string, never, GroupTimer, GroupEvent<string>>(
      { send: () => {}, emit: (event) => { this.host.event(this, event) } },
      (key, timer) => { this.input({ type: 'timer-expired', key, timer }) }
    )
  }

  start (): void {
    this.run(this.core.start(Date.now()))
  }

  /** Clears timers; operations still waiting resolve as failed (their results would reach a core nobody runs) */
  stop (): void {
    this.runner.clear()
    for (const resolve of this.ops.values()) {
      resolve({ ok: false, reason: 'failed' })
    }
    this.ops.clear()
  }

  /** The MLS state of the head */
  get headState (): MlsState {
    return this.states.get(this.core.head) as MlsState
  }

  input (input: GroupInput<string>): void {
    this.run(this.core.handle(input, Date.now()))
  }

  async send (plaintext: Uint8Array): Promise<LocalOutcome> {
    const op = ++this.nextOp
    const done = new Promise<LocalOutcome>(resolve => this.ops.set(op, resolve))
    this.input({ type: 'send', op, plaintext })
    return done
  }

  async commit (changes: Partial<Changes<string>>): Promise<LocalOutcome> {
    const op = ++this.nextOp
    const done = new Promise<LocalOutcome>(resolve => this.ops.set(op, resolve))
    this.input({ type: 'commit', op, changes: { add: [], remove: [], update: false, ...changes } })
    return done
  }

  /** MLS-Exporter of the head's epoch, with that epoch (read together: the head may move while the export runs) */
  async exportSecret (label: string, length: number): Promise<{ epoch: number, secret: Uint8Array }> {
    const epoch = this.core.epoch
    const secret = await this.provider.exportSecret(this.headState, label, this.groupId, length)
    return { epoch, secret }
  }

  /** The delivery of the Welcome sent to `peer` by the last commit that added it */
  welcomeTo (peer: string): Promise<void> | undefined {
    return this.welcomes.get(peer)
  }

  private run (effects: Array<GroupEffect<string>>): void {
    for (const e of effects) {
      switch (e.type) {
        case 'mls': void this.runMls(e.ticket, e.base, e.op); break
        case 'publish':
          if (e.message.kind === 'application' && this.provider.appData === 'mls') {
            const message = e.message
            void this.saved.then(() => { this.host.publish(this, message) })
          } else {
            this.host.publish(this, e.message)
          }
          break
        case 'request-chain': this.host.requestChain(this, e.to, e.fromEpoch); break
        case 'welcome': {
          const delivery = this.host.welcome(this, e.to, e.epoch, e.parent, e.mls)
          delivery.catch(() => {})
          this.welcomes.set(e.to, delivery)
          break
        }
        case 'forget-state': this.states.delete(e.id); break
        case 'done': this.ops.get(e.op)?.(e.outcome); this.ops.delete(e.op); break
        case 'emit':
          this.runner.run([e])
          if (e.event.type === 'epoch') {
            void this.host.changed(this)
          }
          break
        default: this.runner.run([e]); break
      }
    }
  }

  /** One MLS operation against the state the core named; its result goes back to the core */
  private async runMls (ticket: number, base: CommitId, op: MlsOp<string>): Promise<void> {
    let result: MlsResult<string>
    try {
      result = await this.mls(base, op)
    } catch (err: any) {
      result = { ok: false, reason: err instanceof MlsRefusedError ? err.reason : 'forged' }
    }
    this.input({ type: 'mls-done', ticket, result })
  }

  private async mls (base: CommitId, op: MlsOp<string>): Promise<MlsResult<string>> {
    const state = this.states.get(base)
    if (state == null) {
      throw new MlsRefusedError('stale-epoch', 'State no longer kept')
    }
    const p = this.provider
    switch (op.kind) {
      case 'open': {
        if (op.wire === 'application') {
          const opened = await p.openApplication(state, op.mls, op.from)
          this.states.set(base, opened.state)
          return { ok: true, kind: 'opened-application', plaintext: opened.plaintext }
        }
        const next = await p.openCommit(state, op.mls, op.from)
        this.states.set(commitId(op.mls), next)
        const roster = p.members(next)
        return { ok: true, kind: 'opened-commit', roster, removedSelf: !roster.includes(this.self) }
      }
      case 'seal': {
        const sealed = await p.seal(state, op.plaintext, this.self)
        this.states.set(base, sealed.state)
        if (p.appData === 'mls') {
          // the secret tree moved: a restart must not reuse this generation's key and nonce (RFC 9420 §9.1)
          this.saved = this.host.changed(this)
        }
        return { ok: true, kind: 'sealed', mls: sealed.message }
      }
      case 'commit': {
        const made = await p.commit(state, { add: op.changes.add.map(a => a.keyPackage), remove: op.changes.remove })
        this.states.set(commitId(made.commit), made.state)
        return { ok: true, kind: 'committed', mls: made.commit, roster: p.members(made.state), welcome: made.welcome }
      }
      default:
        throw new MlsRefusedError('malformed')
    }
  }
}
