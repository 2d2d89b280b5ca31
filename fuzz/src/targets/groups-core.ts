import { GroupCore } from '@saorsa-gossip/groups'
import fc from 'fast-check'
import { boundedOutput, field, steps } from '../driver.ts'
import { invariant } from '../engine.ts'
import { groupsCodec, groupsSeeds } from './groups-codec.ts'
import { POOL, SELF, sender, stringPeerCodec } from './peers.ts'
import type { Step } from '../driver.ts'
import type { Target } from '../engine.ts'
import type { GroupsCodec } from './groups-codec.ts'
import type { GroupEffect, GroupInput, MlsResult } from '@saorsa-gossip/groups'

type Core = GroupCore<string>

const ROOT = 'ab'.repeat(32)
/** Effects one input may cause: a chain reply applies at most its 64 commits, each with a few effects */
const MAX_EFFECTS = 1024
/**
 * Inputs waiting for an MLS operation. The core does not bound this queue: here MLS
 * answers come slower than inputs, so the long-lived core's queue grows about 0.4 per
 * execution (fuzz/README.md, findings). The bound only catches runaway growth.
 */
const MAX_QUEUE = 100_000

function check (core: Core): void {
  const c = core.config
  invariant(field<unknown[]>(core, 'future').length <= c.maxFutureMessages, () => 'future buffer over maxFutureMessages')
  invariant(field<Map<string, unknown>>(core, 'candidates').size <= c.maxCandidates, () => 'candidates over maxCandidates')
  invariant(field<Set<string>>(core, 'requested').size <= 1024, () => 'requested parents unbounded')
  invariant(field<unknown[]>(core, 'queue').length <= MAX_QUEUE, () => 'MLS wait queue unbounded')
  invariant(field<{ commits: unknown[] }>(core, 'chain').commits.length <= c.maxRollbackEpochs, () => 'chain keeps more commits than maxRollbackEpochs')
  invariant(Number.isSafeInteger(core.epoch) && core.epoch >= 0, () => `epoch ${core.epoch}`)
  invariant(/^[0-9a-f]{64}$/.test(core.head), () => `head ${core.head}`)
}

/**
 * A stand-in MLS provider's answer to the operation in flight: the kind it asked
 * for, or a refusal. Its content (rosters, removal of self) comes from the input.
 */
function answer (op: Extract<GroupEffect<string>, { type: 'mls' }>['op'], s: Step): MlsResult<string> {
  if (s.n % 4 === 0) {
    return { ok: false, reason: 'forged' }
  }
  const roster = POOL.filter((_, i) => ((s.n >> 2) & (1 << i)) !== 0 || i === 0)
  switch (op.kind) {
    case 'open': return op.wire === 'commit'
      ? { ok: true, kind: 'opened-commit', roster: s.n % 13 === 0 ? roster.slice(1) : roster, removedSelf: s.n % 13 === 0 }
      : { ok: true, kind: 'opened-application', plaintext: s.bytes.subarray(0, 16) }
    case 'commit': return { ok: true, kind: 'committed', mls: s.bytes.length > 0 ? s.bytes.subarray(0, 32) : new Uint8Array([1]), roster }
    default: return { ok: true, kind: 'sealed', mls: new Uint8Array([2, s.n & 0xff]) }
  }
}

class Run {
  readonly core: Core
  now = 1_000_000
  op = 0
  mls?: Extract<GroupEffect<string>, { type: 'mls' }>

  constructor (readonly codec: GroupsCodec) {
    this.core = new GroupCore({ self: SELF, root: ROOT, epoch: 0, roster: POOL.slice(0, 4) })
    this.feed(this.core.start(this.now))
  }

  feed (effects: Array<GroupEffect<string>>): void {
    boundedOutput(effects, MAX_EFFECTS, 'group core')
    for (const e of effects) {
      if (e.type === 'mls') {
        invariant(this.mls == null, () => 'a second MLS operation while one is in flight')
        this.mls = e
      }
      invariant((e.type !== 'request-chain' && e.type !== 'welcome') || e.to !== SELF, () => `${e.type} to self`)
    }
  }

  step (s: Step): void {
    const from = sender(s.peer)
    let input: GroupInput<string>
    switch (s.kind) {
      case 0: {
        try {
          input = { type: 'received', from, message: this.codec.decodeGroupMessage(s.bytes).message }
        } catch {
          return // the service counts it as malformed
        }
        break
      }
      case 1: {
        try {
          input = { type: 'chain-reply', from, commits: this.codec.chainFromWire(this.codec.decodeReply(s.bytes).commits, stringPeerCodec) }
        } catch {
          return
        }
        break
      }
      case 2: case 3: {
        if (this.mls == null) {
          return
        }
        input = { type: 'mls-done', ticket: this.mls.ticket, result: answer(this.mls.op, s) }
        this.mls = undefined
        break
      }
      case 4: input = { type: 'send', op: ++this.op, plaintext: s.bytes.subarray(0, 32) }; break
      case 5: input = { type: 'commit', op: ++this.op, changes: { add: s.n % 2 === 0 ? [{ peer: sender(s.peer + 1), keyPackage: new Uint8Array([1]) }] : [], remove: s.n % 3 === 0 ? [from] : [], update: s.n % 5 === 0 } }; break
      case 6: input = { type: 'timer-expired', key: 'head', timer: { type: 'head' } }; break
      default: this.now += s.n; return
    }
    this.feed(this.core.handle(input, this.now))
    check(this.core)
  }
}

let longLived: Run | undefined

/**
 * The group core (fork choice, future buffer, chain repair) fed decoded group
 * messages and chain replies from any member or stranger, MLS answers, local sends
 * and commits and timers in any order: no throw, one MLS operation at a time,
 * buffers within their limits, bounded effects per input.
 */
export const groupsCore: Target<{ steps: Step[] }> = {
  name: 'groups-core',
  seeds: groupsSeeds,
  arbitrary: (corpus) => fc.record({ steps: steps(corpus, 8) }),
  async run ({ steps }) {
    const codec = await groupsCodec()
    const run = new Run(codec)
    longLived ??= new Run(codec)
    for (const s of steps) {
      run.step(s)
      longLived.step(s)
    }
  },
  check () {
    if (longLived != null) {
      check(longLived.core)
    }
  },
  describe () {
    return longLived == null ? '' : `long-lived: epoch ${longLived.core.epoch}, ${longLived.core.status}, ${field<unknown[]>(longLived.core, 'future').length} buffered, ${field<Map<string, unknown>>(longLived.core, 'candidates').size} candidates, ${field<unknown[]>(longLived.core, 'queue').length} waiting for MLS`
  }
}
