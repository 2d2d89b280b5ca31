import { expect } from 'aegir/chai'
import { BridgeCore, DEFAULT_BRIDGE_CONFIG } from '../src/core/bridge.ts'

const utf8 = new TextEncoder()
const config = { ...DEFAULT_BRIDGE_CONFIG, takeoverDelay: 1_000, bridgeTtl: 30_000 }
const id = (n: number): Uint8Array => new Uint8Array(32).fill(n)

function pair (now = 0): [BridgeCore<string>, BridgeCore<string>] {
  const a = new BridgeCore<string>('A', ['t'], config)
  const b = new BridgeCore<string>('B', ['t'], config)
  a.announced('B', ['t'], now)
  b.announced('A', ['t'], now)
  return [a, b]
}

describe('bridge decisions (SPEC.md §7.14)', () => {
  it('two bridges elect the same one per message, and both bridges get elected for some', () => {
    const [a, b] = pair()
    const counts = { A: 0, B: 0 }
    for (let n = 0; n < 100; n++) {
      expect(a.elected(id(n), 't', 0)).to.equal(b.elected(id(n), 't', 0))
      counts[a.elected(id(n), 't', 0) as 'A' | 'B']++
    }
    expect(counts.A).to.be.within(25, 75)
  })

  it('the elected bridge publishes; the other holds, and drops it when the copy shows up', () => {
    const [a, b] = pair()
    const n = [...Array(50).keys()].find(n => a.elected(id(n), 't', 0) === 'A') as number
    const data = utf8.encode('m')
    expect(a.fromPlumtree(id(n), 't', data, 'm', 0)).to.equal('publish')
    expect(b.fromPlumtree(id(n), 't', data, 'm', 0)).to.equal('held')
    // A's gossipsub copy reaches B: an echo, not injected back, and the held message is done
    expect(b.fromGossipsub('A', 't', data, 10)).to.equal('echo')
    expect(b.due(5_000)).to.deep.equal([])
    expect(b.heldCount()).to.equal(0)
  })

  it('takes over when the elected bridge\'s copy does not show up in time', () => {
    const [a, b] = pair()
    const n = [...Array(50).keys()].find(n => a.elected(id(n), 't', 0) === 'A') as number
    expect(b.fromPlumtree(id(n), 't', utf8.encode('m'), 'm', 0)).to.equal('held')
    expect(b.due(999)).to.deep.equal([])
    expect(b.due(1_000)).to.deep.equal(['m'])
  })

  it('a copy that arrives before the plumtree message still counts; equal payloads match one copy each', () => {
    const [a, b] = pair()
    const data = utf8.encode('same bytes')
    const electedA = [...Array(50).keys()].filter(n => a.elected(id(n), 't', 0) === 'A').slice(0, 2)
    expect(b.fromGossipsub('A', 't', data, 0)).to.equal('echo')
    expect(b.fromPlumtree(id(electedA[0]), 't', data, 'first', 1)).to.equal('echoed')
    // the second message with the same bytes is not taken for the first one's copy
    expect(b.fromPlumtree(id(electedA[1]), 't', data, 'second', 2)).to.equal('held')
    expect(b.due(2_000)).to.deep.equal(['second'])
  })

  it('a gossipsub author that is not a bridge is injected; a bridge that fell silent is forgotten', () => {
    const [, b] = pair()
    expect(b.fromGossipsub('C', 't', utf8.encode('x'), 0)).to.equal('inject')
    expect(b.bridges(30_000)).to.deep.equal(['A'])
    expect(b.bridges(30_001)).to.deep.equal([])
    expect(b.fromGossipsub('A', 't', utf8.encode('x'), 30_001)).to.equal('inject')
    // alone, it is elected for everything
    expect(b.fromPlumtree(id(1), 't', utf8.encode('y'), 'y', 30_001)).to.equal('publish')
  })

  it('a bridge that does not carry the topic is not elected for it', () => {
    const a = new BridgeCore<string>('A', ['t'], config)
    a.announced('B', ['other'], 0)
    for (let n = 0; n < 20; n++) {
      expect(a.elected(id(n), 't', 0)).to.equal('A')
    }
  })

  it('a copy of a message this bridge published too is absorbed, not kept to swallow the next one with the same bytes', () => {
    const [a, b] = pair()
    const n = [...Array(50).keys()].find(n => a.elected(id(n), 't', 0) === 'A') as number
    const data = utf8.encode('same')
    expect(b.fromPlumtree(id(n), 't', data, 'm', 0)).to.equal('held')
    // A's copy is late: B takes over and publishes
    expect(b.due(1_000)).to.deep.equal(['m'])
    b.publishedOwn('t', data, 1_000)
    expect(b.fromGossipsub('A', 't', data, 1_500)).to.equal('echo')
    // the next message with these bytes, elected to B, is still published
    const m = [...Array(50).keys()].find(k => a.elected(id(k), 't', 0) === 'B') as number
    expect(b.fromPlumtree(id(m), 't', data, 'm2', 2_000)).to.equal('publish')
  })

  it('keeps at most maxBridges announcers, and only the topics it carries', () => {
    const c = new BridgeCore<string>('C', ['t'], { ...config, maxBridges: 2 })
    c.announced('X', ['t'], 1)
    c.announced('Y', ['t'], 2)
    c.announced('Z', ['t'], 3)
    expect(c.bridges(3).sort()).to.deep.equal(['Y', 'Z'])
    c.announced('W', ['other'], 4)
    expect(c.bridges(4)).to.not.include('W')
  })

  it('holds at most maxHeld messages: past it, publishes at once (a duplicate at worst, never a loss)', () => {
    const b = new BridgeCore<string>('B', ['t'], { ...config, maxHeld: 3 })
    b.announced('A', ['t'], 0)
    const results = []
    for (let n = 0; n < 60; n++) {
      results.push(b.fromPlumtree(id(n), 't', utf8.encode(`m${n}`), `m${n}`, 0))
    }
    expect(results.filter(r => r === 'held')).to.have.length(3)
    expect(b.heldCount()).to.equal(3)
  })
})
