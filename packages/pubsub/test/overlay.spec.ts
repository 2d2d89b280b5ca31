import { expect } from 'aegir/chai'
import { DEFAULT_PUBSUB_CONFIG } from '../src/core/config.ts'
import { Harness } from './harness.ts'

/** Topic overlays (src/core/overlay.ts, SPEC.md §7.4, §7.13) */

const T = 'topic'
const { joinTimeout } = DEFAULT_PUBSUB_CONFIG

describe('topic overlay: unreachable join candidates', () => {
  /** a with membership neighbours b and c, both subscribed; a wants one topic neighbour */
  function setup (): Harness {
    const h = new Harness()
    const init = { config: { topicActiveTarget: 1, topicActiveCapacity: 2 } }
    for (const name of ['a', 'b', 'c']) {
      h.add(name, init)
    }
    h.neighbours('a', 'b')
    h.neighbours('a', 'c')
    h.input('b', { type: 'subscribe', topic: T })
    h.input('c', { type: 'subscribe', topic: T })
    h.flush()
    // a's joins vanish, as they do when the driver cannot dial the candidate
    h.cut.add('a|b')
    h.cut.add('a|c')
    h.input('a', { type: 'subscribe', topic: T })
    return h
  }

  it('a join the driver could not deliver is given up at once and the next candidate asked', () => {
    const h = setup()
    const first = h.sentOfType('topic-join', 'a').map(s => s.to)
    expect(first).to.have.length(1)
    const other = first[0] === 'b' ? 'c' : 'b'
    h.cut.clear()
    h.input('a', { type: 'unreachable', peer: first[0] })
    // asked at once, not after joinTimeout
    expect(h.sentOfType('topic-join', 'a').map(s => s.to)).to.deep.equal([first[0], other])
    h.flush()
    expect(h.core('a').topicPeers(T)).to.deep.equal([other])
  })

  it('without the report, the next candidate waits for the join timeout', () => {
    const h = setup()
    expect(h.sentOfType('topic-join', 'a')).to.have.length(1)
    h.advance(h.now + joinTimeout / 2)
    expect(h.sentOfType('topic-join', 'a')).to.have.length(1)
  })

  it('an unreachable peer that is no join candidate changes nothing', () => {
    const h = setup()
    h.input('a', { type: 'unreachable', peer: 'z' })
    expect(h.sentOfType('topic-join', 'a')).to.have.length(1)
  })
})
