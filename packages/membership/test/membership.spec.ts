import { createRng } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { Membership } from '../src/core/membership.ts'
import type { Effects } from './helpers.ts'

function disconnects (effects: Effects): Array<[string, string]> {
  return effects.flatMap(e => e.type === 'disconnect' ? [[e.peer, e.reason] as [string, string]] : [])
}

describe('Membership (HyParView + SWIM composed)', () => {
  it('a neighbour leaving the active view comes with a disconnect effect for the driver, and SWIM stops probing it', () => {
    const m = new Membership('a', createRng('a'))
    m.start(0, [])
    // b becomes a neighbour through an accepted high-priority NEIGHBOR
    m.handle({ type: 'message', from: 'b', message: { proto: 'hpv', type: 'neighbor', priority: 'high' } }, 10)
    expect(m.hyparview.activeView()).to.deep.equal(['b'])
    const gone = m.handle({ type: 'message', from: 'b', message: { proto: 'hpv', type: 'disconnect', alive: true } }, 20)
    expect(disconnects(gone)).to.deep.equal([['b', 'disconnected']])
    expect(m.swim.statusOf('b')).to.not.equal('suspect')
    const lost = m.handle({ type: 'connection-lost', peer: 'b' }, 30)
    expect(disconnects(lost), 'no longer a neighbour: nothing to close').to.deep.equal([])
  })

  it('a connected peer that runs the protocol is a contact: JOIN through it while alone', () => {
    const m = new Membership('a', createRng('a'))
    m.start(0, [])
    const out = m.handle({ type: 'contact', peer: 'c' }, 5)
    expect(out.some(e => e.type === 'send' && e.to === 'c' && e.message.type === 'join')).to.equal(true)
  })
})
