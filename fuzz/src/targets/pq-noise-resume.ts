import { GossipError } from '@saorsa-gossip/core'
import { deriveConnectionSecret, NNpsk0HandshakeState, nobleBackend } from '@saorsa-gossip/pq-noise'
import fc from 'fast-check'
import { bytesFrom, decodes, deterministicRandom } from '../engine.ts'
import type { Target } from '../engine.ts'

const SECRET = deriveConnectionSecret(nobleBackend, new Uint8Array(32).fill(5), [new Uint8Array(32).fill(6), new Uint8Array(32).fill(7)])
const PROLOGUE = new TextEncoder().encode('fuzz pq-noise-psk')
const EMPTY = new Uint8Array(0)

function state (initiator: boolean): NNpsk0HandshakeState {
  return new NNpsk0HandshakeState({ crypto: nobleBackend, initiator, psk: SECRET.psk, prologue: PROLOGUE, random: deterministicRandom(initiator ? 33 : 44) })
}

/** An honest resumption up to the message `step` is about to read: 0 = A at the responder, 1 = B at the initiator */
function reader (step: number): NNpsk0HandshakeState {
  const i = state(true)
  const r = state(false)
  const a = i.writeMessage(EMPTY)
  if (step === 0) {
    return r
  }
  r.readMessage(a)
  r.writeMessage(EMPTY)
  return i
}

/** readMessage of the resumed stream handshake (Noise_NNpsk0, SPEC.md §10.6): named errors only */
export const pqNoiseResume: Target<{ step: number, bytes: Uint8Array }> = {
  name: 'pq-noise-resume',
  async seeds () {
    const i = state(true)
    const r = state(false)
    const a = i.writeMessage(EMPTY)
    r.readMessage(a)
    return [a, r.writeMessage(EMPTY)]
  },
  arbitrary: (corpus) => fc.record({ step: fc.nat(1), bytes: bytesFrom(corpus, 256) }),
  run ({ step, bytes }) {
    decodes(() => reader(step).readMessage(bytes), [GossipError])
  }
}
