import { expect } from 'aegir/chai'
import { DEFAULT_PUBSUB_CONFIG } from '../src/core/config.ts'
import { T, deliveredId, gossip, line, sameId } from './harness-helpers.ts'
import { Harness, newId } from './harness.ts'

/** Deferred validation in the core (src/core/validation.ts, SPEC.md §7.7): bounded, and forgotten when unanswered */

describe('deferred validation', () => {
  it('is bounded: beyond maxPendingValidation messages are dropped, entries older than validationTimeout are forgotten', () => {
    const h = new Harness()
    h.now = 100_000
    line(h, ['a', 'b'], { deferValidation: true, config: { maxPendingValidation: 8 } })
    const ids = Array.from({ length: 9 }, () => newId())
    for (const id of ids) {
      h.input('b', { type: 'message', from: 'a', message: gossip(h, id) })
    }
    const validating = (): Uint8Array[] => (h.events.get('b') ?? []).flatMap(e => e.type === 'validate' ? [e.id] : [])
    expect(validating().length, 'validate events').to.be.at.most(8)
    expect(validating().some(id => sameId(id, ids[8])), 'the 9th is validated').to.equal(false)
    // validationTimeout (30 s) passes, then a maintenance tick
    h.advance(h.now + 30_000 + 2 * DEFAULT_PUBSUB_CONFIG.maintenanceInterval)
    for (const id of ids) {
      h.input('b', { type: 'validation-result', topic: T, id, result: 'accept' })
    }
    h.flush()
    expect(h.delivered('b'), 'delivered after late accepts').to.have.length(0)
    // the slots are free again
    const next = newId()
    h.input('b', { type: 'message', from: 'a', message: gossip(h, next) })
    expect(validating().some(id => sameId(id, next)), 'a new message is validated').to.equal(true)
    h.input('b', { type: 'validation-result', topic: T, id: next, result: 'accept' })
    expect(deliveredId(h, 'b', next)).to.equal(1)
  })
})
