import { createRng } from '@saorsa-gossip/core'
import { decodeRpc, PubsubCore } from '@saorsa-gossip/pubsub'
import { boundedOutput, field, steps, Timers } from '../driver.ts'
import { invariant } from '../engine.ts'
import { pubsubSeeds } from './messages.ts'
import { POOL, SELF, sender, stringPeerCodec } from './peers.ts'
import type { Step } from '../driver.ts'
import type { Target } from '../engine.ts'
import type { PubsubEffect, PubsubInput, PubsubTimer, ValidationResult } from '@saorsa-gossip/pubsub'

type Core = PubsubCore<string>

const TOPICS = ['t1', 't2', 't3']
const RESULTS: ValidationResult[] = ['accept', 'ignore', 'reject']
/** Effects one input may cause: a message to a topic's active view plus flushes and repairs */
const MAX_EFFECTS = 1024
/** Topic states the core may hold: remote frames name any topic, each must not cost memory forever */
const MAX_TOPIC_STATES = 4096
/** frames fed and frames that decoded: a corpus that stops decoding stops testing the core */
const frames = { fed: 0, decoded: 0 }

interface TopicState { active: { size: number, has(p: string): boolean }, passive: { size: number, has(p: string): boolean }, eager: Set<string>, lazy: Set<string>, pending: unknown[], pendingJoins: Map<string, number>, missing: Map<string, unknown>, walks: Map<number, number> }

function check (core: Core): void {
  const ctx = field<Record<string, any>>(core, 'ctx')
  const config = core.config
  const topics = ctx.topics as Map<string, TopicState>
  invariant(topics.size <= MAX_TOPIC_STATES, () => `${topics.size} topic states kept`)
  for (const [name, t] of topics) {
    invariant(t.active.size <= config.topicActiveCapacity, () => `topic ${name} active view ${t.active.size} > ${config.topicActiveCapacity}`)
    invariant(t.passive.size <= config.topicPassiveCapacity, () => `topic ${name} passive view ${t.passive.size} > ${config.topicPassiveCapacity}`)
    invariant(!t.active.has(SELF) && !t.passive.has(SELF) && !t.eager.has(SELF) && !t.lazy.has(SELF), () => `self in topic ${name}'s views`)
    invariant(![...t.eager].some(p => t.lazy.has(p)), () => `a peer both eager and lazy in ${name}`)
    invariant(t.pending.length <= config.maxPendingPublishes, () => `topic ${name} holds ${t.pending.length} pending publishes`)
    invariant(t.walks.size <= config.maxConcurrentWalks + 1, () => `topic ${name} runs ${t.walks.size} walks`)
    invariant(t.missing.size <= config.maxIHaveIds * 4, () => `topic ${name} tracks ${t.missing.size} missing ids`)
  }
  invariant(ctx.store.size <= config.cacheMaxMessages, () => `message store ${String(ctx.store.size)} > ${config.cacheMaxMessages}`)
  invariant(ctx.seen.size <= config.seenMaxEntries, () => `seen ids ${String(ctx.seen.size)} > ${config.seenMaxEntries}`)
  invariant(ctx.overlay.neighbors.size <= POOL.length, () => 'neighbors the driver never reported')
}

class Run {
  readonly core: Core
  readonly timers = new Timers<PubsubTimer>()
  now = 1_000_000

  constructor (seed: number) {
    // validation is deferred for t2, so validation-result inputs meet pending messages
    this.core = new PubsubCore(SELF, createRng(seed), { deferValidation: topic => topic === 't2', verify: m => m.payload[0] !== 0xee })
    this.feed(() => this.core.start(this.now))
  }

  feed (fn: () => PubsubEffect<string>[]): void {
    const effects = fn()
    boundedOutput(effects, MAX_EFFECTS, 'pubsub core')
    for (const e of effects) {
      invariant(e.type !== 'send' || e.to !== SELF, () => `sent ${String((e as any).message?.type)} to self`)
    }
    this.timers.apply(effects)
  }

  step (s: Step): void {
    const peer = sender(s.peer)
    const topic = TOPICS[s.n % TOPICS.length]
    let input: PubsubInput<string>
    switch (s.kind) {
      case 0: {
        let message
        frames.fed++
        try {
          message = decodeRpc(s.bytes, stringPeerCodec)
          frames.decoded++
        } catch {
          input = { type: 'bad-frame', peer }
          break
        }
        if (message.type === 'gossip' && s.n % 4 !== 0) {
          // corpus messages carry fixed publish times; without this the replay window
          // drops every gossip once the clock has moved on and the store stays empty
          message.publishedAt = this.now - (s.n % 1000)
        }
        input = { type: 'message', from: peer, message }
        break
      }
      case 1: case 2: {
        const t = this.timers.take(s.n)
        if (t == null) {
          return
        }
        this.now = Math.max(this.now, t.at)
        input = { type: 'timer-expired', key: t.key, timer: t.timer }
        break
      }
      case 3: input = { type: 'neighbor-up', peer }; break
      case 4: input = { type: 'neighbor-down', peer }; break
      case 5: input = { type: 'peer-down', peer }; break
      case 6: input = { type: 'unreachable', peer }; break
      case 7: input = { type: 'subscribe', topic }; break
      case 8: input = { type: 'unsubscribe', topic }; break
      case 9: input = { type: 'publish', topic, id: new Uint8Array(32).fill(s.n & 0xff), payload: s.bytes.subarray(0, 64), publishedAt: this.now }; break
      case 10: input = { type: 'validation-result', topic, id: new Uint8Array(32).fill(s.peer % 4), result: RESULTS[s.n % 3] }; break
      default: this.now += s.n; return
    }
    const i = input
    this.feed(() => this.core.handle(i, this.now))
    check(this.core)
  }
}

let longLived: Run | undefined

/**
 * The plumtree core fed decoded frames (and bad-frame reports) from any peer, timers,
 * neighbour churn, subscriptions, publishes and validation results in any order:
 * no throw, topic views within capacity and without self, caches within their
 * limits, no send to self, bounded effects per input.
 */
export const pubsubCore: Target<{ seed: number, steps: Step[] }> = {
  name: 'pubsub-core',
  seeds: async () => pubsubSeeds(),
  arbitrary: (corpus) => steps(corpus, 12).map(s => ({ seed: s.length, steps: s })),
  run ({ seed, steps }) {
    const run = new Run(seed)
    longLived ??= new Run(1)
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
    if (longLived == null) {
      return ''
    }
    const ctx = field<Record<string, any>>(longLived.core, 'ctx')
    return `frames decoded ${Math.round(100 * frames.decoded / Math.max(1, frames.fed))}%, long-lived: dropped ${JSON.stringify(longLived.core.stats.dropped)}, topics ${String(ctx.topics.size)}, store ${String(ctx.store.size)}, seen ${String(ctx.seen.size)}, timers ${longLived.timers.pending.size}`
  }
}
