import { expect } from 'aegir/chai'
import { Harness } from './harness.ts'
import type { PubsubEvent } from '../src/core/types.ts'

type Change = Extract<PubsubEvent<string>, { type: 'subscription-change' }>

function changes (h: Harness, name: string): string[] {
  return (h.events.get(name) ?? []).filter((e): e is Change => e.type === 'subscription-change').map(e => `${e.subscribed ? '+' : '-'}${e.peer}/${e.topic}`)
}

describe('subscription-change: one event per peer entering or leaving getSubscribers', () => {
  it('announces subscribers learnt from membership neighbours, and their departure', () => {
    const h = new Harness()
    h.add('a')
    h.add('b')
    h.input('b', { type: 'subscribe', topic: 't' })
    h.neighbours('a', 'b')
    h.flush()
    expect(changes(h, 'a')).to.deep.equal(['+b/t'])
    expect(h.core('a').knownSubscribers('t')).to.deep.equal(['b'])
    h.input('b', { type: 'unsubscribe', topic: 't' })
    h.flush()
    expect(changes(h, 'a')).to.deep.equal(['+b/t', '-b/t'])
    expect(h.core('a').knownSubscribers('t')).to.deep.equal([])
  })

  it('announces a subscriber that is no membership neighbour, learnt when it joins our topic view', () => {
    const h = new Harness()
    h.add('a')
    h.input('a', { type: 'subscribe', topic: 't' })
    // x found us through a topic walk and asks to join: never a membership neighbour of a
    h.input('a', { type: 'message', from: 'x', message: { type: 'topic-join', topic: 't', urgent: true } })
    expect(h.core('a').knownSubscribers('t')).to.include('x')
    expect(changes(h, 'a')).to.deep.equal(['+x/t'])
    // the same peer again: no second event
    h.input('a', { type: 'message', from: 'x', message: { type: 'topic-join', topic: 't', urgent: true } })
    expect(changes(h, 'a')).to.deep.equal(['+x/t'])
  })
})
