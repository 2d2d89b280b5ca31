import { peerIdFromString } from '@libp2p/peer-id'
import { expect } from 'aegir/chai'
import { bridge } from '../src/index.ts'

const peerId = peerIdFromString('12D3KooWRndVhVZPCiQwHBBBdg769GyrPUW13zxwqQyf9r3ANaba')
const silent = Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false })
const components = { logger: { forComponent: () => silent }, peerId } as any

describe('bridge() configuration', () => {
  it('refuses missing, empty, oversized or reserved topic lists and bad timers with PlumtreeConfigError', () => {
    const bad: any[] = [
      undefined,
      {},
      { topics: [] },
      { topics: [''] },
      { topics: ['saorsa-gossip/bridges/v1'] },
      { topics: Array.from({ length: 65 }, (_, i) => `t${i}`) },
      { topics: ['chat'], takeoverDelay: 0 },
      { topics: ['chat'], announceInterval: 1.5 }
    ]
    for (const init of bad) {
      expect(() => bridge(init)(components), JSON.stringify(init)).to.throw().with.property('name', 'PlumtreeConfigError')
    }
  })

  it('names the missing service and the option that points to it', async () => {
    const service = bridge({ topics: ['chat'] })({ ...components, plumtree: { acceptsForwarded: () => true } } as any) as any
    await expect(service.start()).to.eventually.be.rejected.with.property('message').that.matches(/gossipsub\(\).*"gossipsub".*gossipsubService/)
    const noPlumtree = bridge({ topics: ['chat'], plumtreeService: 'pt' })(components) as any
    await expect(noPlumtree.start()).to.eventually.be.rejected.with.property('message').that.matches(/plumtree\(\).*"pt"/)
    const notAccepting = bridge({ topics: ['chat', 'news'] })({ ...components, plumtree: { acceptsForwarded: (t: string) => t === 'chat' } } as any) as any
    await expect(notAccepting.start()).to.eventually.be.rejected.with.property('message').that.matches(/acceptForwarded.*missing: news/)
  })
})
