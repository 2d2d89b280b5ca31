import { expect } from 'aegir/chai'
import { LoadEstimate } from '../src/load-estimate.ts'

describe('LoadEstimate', () => {
  it('starts with no lag and no round-trip estimate: timeouts are the configured floors', () => {
    const est = new LoadEstimate()
    expect(est.lag(1_000)).to.equal(0)
    expect(est.rto()).to.equal(0)
    expect(est.timeout(200, 1_000)).to.equal(200)
  })

  it('a late timer raises the lag to its lateness, which then halves every half-life', () => {
    const est = new LoadEstimate({ halfLife: 10_000 })
    est.observeTimer(1_000, 2_500)
    expect(est.lag(2_500)).to.equal(1_500)
    expect(est.lag(12_500)).to.be.closeTo(750, 1e-9)
    expect(est.lag(22_500)).to.be.closeTo(375, 1e-9)
    // a smaller sample does not lower the decaying peak
    est.observeTimer(12_400, 12_500)
    expect(est.lag(12_500)).to.be.closeTo(750, 1e-9)
    // a larger one replaces it
    est.observeTimer(12_500, 14_500)
    expect(est.lag(14_500)).to.equal(2_000)
  })

  it('ignores timers that are not late, non-finite input and caps absurd samples', () => {
    const est = new LoadEstimate({ maxSample: 5_000 })
    est.observeTimer(2_000, 1_000)
    est.observeTimer(Number.NaN, 1_000)
    expect(est.lag(1_000)).to.equal(0)
    est.observeTimer(0, 1_000_000)
    expect(est.lag(1_000_000)).to.equal(5_000)
  })

  it('round trips follow RFC 6298: first sample sets SRTT and RTTVAR = R/2, then α = 1/8, β = 1/4', () => {
    const est = new LoadEstimate()
    est.observeRtt(0, 100)
    expect(est.rtt()).to.equal(100)
    expect(est.rto()).to.equal(100 + 4 * 50)
    est.observeRtt(1_000, 1_300)
    // rttvar = 0.75·50 + 0.25·|100 − 300| = 87.5; srtt = 0.875·100 + 0.125·300 = 125
    expect(est.rtt()).to.equal(125)
    expect(est.rto()).to.equal(125 + 4 * 87.5)
  })

  it('the timeout covers round trip plus our own lag, never below the floor', () => {
    const est = new LoadEstimate()
    est.observeRtt(0, 100)
    est.observeTimer(0, 400)
    expect(est.timeout(200, 400)).to.equal(300 + 400)
    expect(est.timeout(5_000, 400)).to.equal(5_000)
  })

  it('send delays are smoothed (weight 1/8) and the lag is the larger of them and the timer peak', () => {
    const est = new LoadEstimate({ maxSample: 1_000 })
    est.observeSendDelay(800)
    expect(est.lag(0)).to.equal(100)
    est.observeSendDelay(800)
    // 0.875·100 + 0.125·800
    expect(est.lag(0)).to.equal(187.5)
    // one absurd write is capped; bad input is ignored
    est.observeSendDelay(1e9)
    expect(est.lag(0)).to.equal(0.875 * 187.5 + 0.125 * 1_000)
    const before = est.lag(0)
    est.observeSendDelay(NaN)
    est.observeSendDelay(-5)
    expect(est.lag(0)).to.equal(before)
    // a later timer peak above it wins until it decays below the send delay
    est.observeTimer(0, 1_000)
    expect(est.lag(1_000)).to.equal(1_000)
    expect(est.lag(1_000 + 100_000)).to.equal(before)
  })
})
