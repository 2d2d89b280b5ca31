import { expect } from 'aegir/chai'
import type { PlumtreeInit } from '../src/index.ts'

describe('PlumtreeInit: gossipsub options by name, typed', () => {
  it('accepts an unmodified gossipsub options object, and a mistyped option does not compile', () => {
    // what a gossipsub 17 application passes to gossipsub(): it must compile unchanged
    const fromGossipsubApp: PlumtreeInit = { emitSelf: false, allowPublishToZeroTopicPeers: true, D: 8, Dlo: 6, Dhi: 12, heartbeatInterval: 700, floodPublish: false, doPX: true, scoreParams: {}, scoreThresholds: {}, globalSignaturePolicy: 'StrictSign', asyncValidation: false }
    expect(fromGossipsubApp.D).to.equal(8)
    // @ts-expect-error a misspelt option is a compile error (this line fails the build if it compiles)
    const misspelt: PlumtreeInit = { emitSelff: true }
    // @ts-expect-error a known option with the wrong type is a compile error too
    const wrongType: PlumtreeInit = { floodPublish: 'yes' }
    expect([misspelt, wrongType]).to.have.length(2)
  })
})
