import { expect } from 'aegir/chai'
import { rootId } from '../src/core/commit-id.ts'
import { GroupCore } from '../src/core/group-core.ts'
import type { GroupEffect, GroupInput } from '../src/core/types.ts'

const ROOT = rootId(new TextEncoder().encode('g'))
const ROSTER = ['p0', 'p1', 'p2']

/** A core whose MLS never answers until told: everything after the first input waits in its queue */
function busyCore (config: Partial<GroupCore<string>['config']> = {}): { core: GroupCore<string>, ticket: number } {
  const core = new GroupCore({ self: 'p0', root: ROOT, epoch: 0, roster: ROSTER, config })
  const effects = core.handle({ type: 'send', op: 1, plaintext: new Uint8Array(1) }, 0)
  const mls = effects.find((e): e is Extract<GroupEffect<string>, { type: 'mls' }> => e.type === 'mls')
  expect(core.busy).to.equal(true)
  return { core, ticket: mls?.ticket ?? -1 }
}

function app (from: string, bytes: number): GroupInput<string> {
  return { type: 'received', from, message: { kind: 'application', epoch: 0, parent: ROOT, mls: new Uint8Array(bytes) } }
}

function queued (core: GroupCore<string>): number {
  return (core as unknown as { queue: unknown[] }).queue.length
}

describe('group core: the MLS wait queue is bounded (SPEC.md §11.6)', () => {
  it('a flood while MLS is busy: maxQueuedInputs wait, the rest are refused as queue-full and counted', () => {
    const { core, ticket } = busyCore()
    const max = core.config.maxQueuedInputs
    const flood = max * 5
    for (let i = 0; i < flood; i++) {
      core.handle(app('p1', 64), i)
    }
    expect(queued(core)).to.equal(max)
    expect(core.refusals['queue-full']).to.equal(flood - max)
    expect(core.stats.queuePeak).to.equal(max)
    // the group state did not move
    expect(core.epoch).to.equal(0)
    expect(core.head).to.equal(ROOT)
    // the application's own operations are refused too, without counting them as remote refusals
    const out = core.handle({ type: 'send', op: 2, plaintext: new Uint8Array(1) }, flood)
    expect(out).to.deep.include({ type: 'done', op: 2, outcome: { ok: false, reason: 'queue-full' } })
    expect(core.stats.localQueueFull).to.equal(1)
    expect(core.refusals['queue-full']).to.equal(flood - max)
    // once MLS answers, the queue drains and takes input again
    const next = core.handle({ type: 'mls-done', ticket, result: { ok: true, kind: 'sealed', mls: new Uint8Array(2) } }, flood)
    expect(next.some(e => e.type === 'mls')).to.equal(true)
    expect(queued(core)).to.equal(max - 1)
    core.handle(app('p2', 64), flood + 1)
    expect(queued(core)).to.equal(max)
    expect(core.refusals['queue-full']).to.equal(flood - max)
  })

  it('bytes are bounded too: large messages are refused once maxQueuedBytes is reached, whatever their count', () => {
    const { core } = busyCore({ maxQueuedBytes: 1024 * 1024 })
    const big = 256 * 1024
    for (let i = 0; i < 10; i++) {
      core.handle(app('p1', big), i)
    }
    expect(queued(core)).to.equal(4)
    expect(core.refusals['queue-full']).to.equal(6)
    // a small message still fits in the count bound but not in the bytes bound
    core.handle(app('p2', 1), 11)
    expect(core.refusals['queue-full']).to.equal(7)
  })

  it('a chain reply expanding to more commits than fit is cut at the bound', () => {
    const { core } = busyCore({ maxQueuedInputs: 8 })
    const commits = Array.from({ length: 20 }, (_, i) => ({ epoch: 0, parent: ROOT, from: 'p1', mls: Uint8Array.of(i) }))
    core.handle({ type: 'chain-reply', from: 'p1', commits }, 0)
    // the reply itself waits as one input
    expect(queued(core)).to.equal(1)
    for (let i = 0; i < 20; i++) {
      core.handle(app('p1', 1), i)
    }
    expect(queued(core)).to.equal(8)
    expect(core.refusals['queue-full']).to.equal(13)
  })
})
