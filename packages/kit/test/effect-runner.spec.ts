import { cancelTimer, emit, scheduleTimer, send } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { EffectRunner } from '../src/effect-runner.ts'

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

describe('EffectRunner', () => {
  it('hands sends, emits and disconnects to the service in the order the core returned them', () => {
    const seen: string[] = []
    const runner = new EffectRunner<string, string, string, string>({
      send: (to, message) => seen.push(`send ${to} ${message}`),
      emit: (event) => seen.push(`emit ${event}`),
      disconnect: (peer, reason) => seen.push(`disconnect ${peer} ${reason}`)
    }, () => {})
    runner.run([send('a', 'hi'), emit('up'), { type: 'disconnect', peer: 'b', reason: 'bye' }, send('c', 'x')])
    expect(seen).to.deep.equal(['send a hi', 'emit up', 'disconnect b bye', 'send c x'])
  })

  it('fires a timer once at its time; re-scheduling a key replaces it; cancel and clear drop timers', async () => {
    const fired: Array<[string, string]> = []
    let now = 1_000
    const runner = new EffectRunner<string, string, string, string>({ send: () => {}, emit: () => {} }, (key, timer) => fired.push([key, timer]), () => now)
    runner.run([scheduleTimer('t', 1_020, 'first'), scheduleTimer('t', 1_030, 'second'), scheduleTimer('u', 1_010, 'u'), cancelTimer('u')])
    expect(runner.pending).to.equal(1)
    await sleep(80)
    expect(fired).to.deep.equal([['t', 'second']])
    expect(runner.pending).to.equal(0)
    now = 5_000
    runner.run([scheduleTimer('v', 5_010, 'v'), scheduleTimer('w', 4_000, 'past')])
    runner.clear()
    await sleep(40)
    expect(fired, 'nothing fires after clear').to.have.length(1)
  })
})
