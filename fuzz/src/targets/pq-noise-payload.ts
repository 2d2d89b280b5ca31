import { GossipError } from '@saorsa-gossip/core'
import { createPayload, verifyPayload } from '@saorsa-gossip/pq-noise'
import { bytesFrom, decodesAsync, invariant } from '../engine.ts'
import { CREATED_AT, makeBinding } from './identities.ts'
import type { Target } from '../engine.ts'

const STATIC_KEY = new Uint8Array(32).fill(3)

/**
 * The handshake payload reader (decode, identity key, static-key signature, binding):
 * a named error for every refusal, and what verifies is the signer's PeerId.
 */
export const pqNoisePayload: Target<Uint8Array> = {
  name: 'pq-noise-payload',
  async seeds () {
    const { privateKey, bytes } = await makeBinding()
    return [
      await createPayload(privateKey, STATIC_KEY, { streamMuxers: ['/yamux/1.0.0'], binding: bytes }),
      await createPayload(privateKey, STATIC_KEY, { streamMuxers: [] })
    ]
  },
  arbitrary: (corpus) => bytesFrom(corpus, 8192),
  async run (bytes) {
    const { privateKey } = await makeBinding()
    const verified = await decodesAsync(async () => verifyPayload(bytes, STATIC_KEY, { now: CREATED_AT + 1000 }), [GossipError])
    if (verified != null) {
      invariant(verified.remotePublicKey.equals(privateKey.publicKey), () => 'a mutated payload verified for another key')
    }
  }
}
