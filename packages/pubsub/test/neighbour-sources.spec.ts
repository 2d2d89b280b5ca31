import { expect } from 'aegir/chai'
import { NeighbourSources, TopicLinkCounts } from '../src/neighbour-sources.ts'

describe('neighbour sources', () => {
  it('a peer stays a neighbour until its last source goes, and every up is passed on', () => {
    const sources = new NeighbourSources()
    expect(sources.update('p', 'membership', true)).to.equal('neighbor-up')
    expect(sources.monitored('p'), 'membership watches it').to.equal(true)
    // a second source: the core ignores a neighbour it has, or re-adds one a dead verdict removed
    expect(sources.update('p', 'connection', true)).to.equal('neighbor-up')
    expect(sources.update('p', 'membership', false), 'the connection still holds it; no longer watched').to.equal('neighbor-unwatched')
    expect(sources.monitored('p')).to.equal(false)
    expect(sources.update('p', 'membership', false), 'membership was gone already').to.equal(undefined)
    expect(sources.update('p', 'membership', true)).to.equal('neighbor-up')
    expect(sources.update('p', 'connection', false), 'membership still holds it: nothing changes').to.equal(undefined)
    expect(sources.monitored('p')).to.equal(true)
    expect(sources.update('p', 'connection', true)).to.equal('neighbor-up')
    expect(sources.update('p', 'membership', false)).to.equal('neighbor-unwatched')
    expect(sources.update('p', 'connection', false)).to.equal('neighbor-down')
    expect(sources.monitored('p')).to.equal(false)
    expect(sources.update('p', 'connection', false), 'a down for a peer with no source').to.equal(undefined)
  })

  it('clear forgets every source', () => {
    const sources = new NeighbourSources()
    sources.update('p', 'membership', true)
    sources.clear()
    expect(sources.update('p', 'membership', false)).to.equal(undefined)
  })
})

describe('topic link counts', () => {
  it('a peer is held while it has a topic link in any topic', () => {
    const links = new TopicLinkCounts()
    expect(links.add('p', 1)).to.equal(true)
    expect(links.add('p', 1)).to.equal(true)
    expect(links.add('p', -1)).to.equal(true)
    expect(links.add('p', -1)).to.equal(false)
    expect(links.add('q', -1), 'a down for a peer with no link').to.equal(false)
    expect(links.add('q', 1)).to.equal(true)
  })
})
