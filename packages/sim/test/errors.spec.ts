import { expect } from 'aegir/chai'
import { protocolFor } from '../src/broadcast/run-broadcast.ts'
import { Network } from '../src/network.ts'
import { nodeIdCodec } from '../src/run-membership.ts'
import type { BroadcastScenario } from '../src/broadcast/scenario.ts'

describe('simulator errors', () => {
  it('an unusable network or protocol is an InvalidConfigError', () => {
    for (const nodesPerCore of [0, 1.5]) {
      expect(() => new Network({
        seed: 1,
        latency: { min: 1, max: 1 },
        createCore: () => { throw new Error('not reached') },
        messageType: () => 'msg',
        messageBytes: () => 1,
        processing: { cost: () => 1, nodesPerCore }
      })).to.throw().that.includes({ name: 'InvalidConfigError', code: 'ERR_INVALID_CONFIG' })
    }
    expect(() => protocolFor('gossipsub' as any, {} as unknown as BroadcastScenario)).to.throw().that.includes({ name: 'InvalidConfigError', code: 'ERR_INVALID_CONFIG' })
  })

  it('a node id that is not 4 bytes is an InvalidFrameError', () => {
    expect(nodeIdCodec.fromBytes(nodeIdCodec.toBytes(7))).to.equal(7)
    expect(() => nodeIdCodec.fromBytes(new Uint8Array(3))).to.throw().that.includes({ name: 'InvalidFrameError', code: 'ERR_INVALID_FRAME' })
  })
})
