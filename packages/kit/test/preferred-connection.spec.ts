import { expect } from 'aegir/chai'
import { preferredConnection } from '../src/preferred-connection.ts'
import type { Connection } from '@libp2p/interface'

interface Fake {
  name: string
  direction: 'inbound' | 'outbound'
  status?: 'open' | 'closing' | 'closed'
  opened?: number
  limited?: boolean
}

/** `remote`'s connections as `self` sees them, and the same pair as `remote` sees them (directions swapped) */
function pair (self: string, remote: string, fakes: Fake[]): { mine: Connection[], theirs: Connection[] } {
  const make = (f: Fake, peer: string, flip: boolean): Connection => ({
    id: f.name,
    remotePeer: { toString: () => peer },
    direction: flip ? (f.direction === 'inbound' ? 'outbound' : 'inbound') : f.direction,
    status: f.status ?? 'open',
    limits: f.limited === true ? { bytes: 1024n } : undefined,
    timeline: { open: f.opened ?? 0 }
  }) as unknown as Connection
  return { mine: fakes.map(f => make(f, remote, false)), theirs: fakes.map(f => make(f, self, true)) }
}

const name = (c: Connection | undefined): string | undefined => c?.id

describe('preferredConnection', () => {
  it('both ends pick the connection dialled by the smaller PeerId, whichever end they are', () => {
    for (const [self, remote] of [['12D3KooWA', '12D3KooWB'], ['12D3KooWB', '12D3KooWA']]) {
      // 'x' was dialled by self, 'y' by remote
      const { mine, theirs } = pair(self, remote, [{ name: 'x', direction: 'outbound', opened: 2 }, { name: 'y', direction: 'inbound', opened: 1 }])
      const expected = self < remote ? 'x' : 'y'
      expect(name(preferredConnection(mine, self)), `at ${self}`).to.equal(expected)
      expect(name(preferredConnection(theirs, remote)), `at ${remote}`).to.equal(expected)
    }
  })

  it('prefers a connection without limits, then the older of two dialled by the same end, and skips closed ones', () => {
    const self = 'a'
    expect(name(preferredConnection(pair(self, 'b', [{ name: 'limited', direction: 'outbound', limited: true }, { name: 'full', direction: 'inbound' }]).mine, self))).to.equal('full')
    expect(name(preferredConnection(pair(self, 'b', [{ name: 'new', direction: 'outbound', opened: 5 }, { name: 'old', direction: 'outbound', opened: 3 }]).mine, self))).to.equal('old')
    expect(name(preferredConnection(pair(self, 'b', [{ name: 'gone', direction: 'outbound', status: 'closed' }, { name: 'left', direction: 'inbound' }]).mine, self))).to.equal('left')
    expect(preferredConnection(pair(self, 'b', [{ name: 'gone', direction: 'outbound', status: 'closing' }]).mine, self)).to.equal(undefined)
    expect(preferredConnection([], self)).to.equal(undefined)
  })
})
