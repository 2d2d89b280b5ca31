import { GossipError } from '@saorsa-gossip/core'
import { nativeAvailable, nativeBackend, nobleBackend, XXhfsHandshakeState } from '@saorsa-gossip/pq-noise'
import fc from 'fast-check'
import { bytesFrom, decodes, deterministicRandom } from '../engine.ts'
import type { Target } from '../engine.ts'

/**
 * node:crypto where the runtime has ML-KEM-768 (both backends give the same bytes, checked in
 * packages/pq-noise/test/noise.spec.ts): 4× the executions per second of @noble (1,065 against 264 here), so the long
 * run reaches its million
 */
const crypto = nativeAvailable() ? nativeBackend : nobleBackend

function state (initiator: boolean): XXhfsHandshakeState {
  return new XXhfsHandshakeState({
    crypto,
    initiator,
    staticKeys: crypto.x25519FromPrivate(new Uint8Array(32).fill(initiator ? 1 : 2)),
    random: deterministicRandom(initiator ? 11 : 22)
  })
}

const EMPTY = new Uint8Array(0)

/** Runs an honest handshake up to the message `step` is about to read */
function reader (step: number): XXhfsHandshakeState {
  const i = state(true)
  const r = state(false)
  const a = i.writeMessage(EMPTY)
  if (step === 0) {
    return r
  }
  r.readMessage(a)
  const b = r.writeMessage(EMPTY)
  if (step === 1) {
    return i
  }
  i.readMessage(b)
  return r
}

/** readMessage of each XXhfs message: named errors only (pq-noise's GossipError subclasses) */
export const pqNoiseHandshake: Target<{ step: number, bytes: Uint8Array }> = {
  name: 'pq-noise-handshake',
  async seeds () {
    const i = state(true)
    const r = state(false)
    const a = i.writeMessage(EMPTY)
    r.readMessage(a)
    const b = r.writeMessage(EMPTY)
    i.readMessage(b)
    const c = i.writeMessage(new Uint8Array([1, 2, 3]))
    return [a, b, c]
  },
  arbitrary: (corpus) => fc.record({ step: fc.nat(2), bytes: bytesFrom(corpus, 8192) }),
  run ({ step, bytes }) {
    const side = reader(step)
    decodes(() => side.readMessage(bytes), [GossipError])
  }
}
