import { expect } from 'aegir/chai'
import { LocalHealth } from '../src/core/local-health.ts'
import { scaledTimeout } from '../src/core/suspicion.ts'

describe('LocalHealth (Lifeguard LHM, missed nacks judged later)', () => {
  it('direct evidence moves the multiplier within [0, max] and scales timeouts by (LHM + 1)', () => {
    const health = new LocalHealth<string>(3, 10_000)
    health.adjust(-1)
    expect(health.multiplier).to.equal(0)
    health.adjust(5)
    expect(health.multiplier).to.equal(3)
    // the probe's waits and the suspicion timeout are stretched this way (swim.ts, swim-members.ts)
    expect(scaledTimeout(200, health.multiplier)).to.equal(800)
  })

  it('a missed nack counts only once the helper is heard from, as often as it was missed', () => {
    const health = new LocalHealth<string>(8, 10_000)
    health.missedNacks(['a', 'b'], 0)
    health.missedNacks(['a'], 500)
    expect(health.multiplier).to.equal(0)
    expect(health.heldCount).to.equal(2)
    health.heardFrom('a', 1_000)
    expect(health.multiplier).to.equal(2)
    health.heardFrom('a', 1_100)
    expect(health.multiplier, 'judged once').to.equal(2)
  })

  it('a helper later suspected, dead or unwatched is forgiven; one silent past the horizon too', () => {
    const health = new LocalHealth<string>(8, 10_000)
    health.missedNacks(['dead', 'silent', 'late'], 0)
    health.forgive('dead')
    health.heardFrom('dead', 100)
    expect(health.multiplier).to.equal(0)
    health.heardFrom('late', 10_001)
    expect(health.multiplier, 'heard after the horizon').to.equal(0)
    health.expire(20_000)
    expect(health.heldCount).to.equal(0)
  })

  it('holds a bounded number of helpers', () => {
    const health = new LocalHealth<number>(8, 10_000)
    health.missedNacks(Array.from({ length: 1000 }, (_, i) => i), 0)
    expect(health.heldCount).to.be.at.most(64)
  })
})
