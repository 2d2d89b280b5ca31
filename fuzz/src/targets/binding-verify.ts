import { GossipError, bytesEqual } from '@saorsa-gossip/core'
import { decodeBinding, verifyBinding } from '@saorsa-gossip/identity'
import { bytesFrom, decodesAsync, invariant } from '../engine.ts'
import { CREATED_AT, makeBinding } from './identities.ts'
import type { Target } from '../engine.ts'

/**
 * verifyBinding on mutated records: every refusal is a named error, and a record
 * that verifies names the signer's keys (a mutation that still verifies is a forgery).
 */
export const bindingVerify: Target<Uint8Array> = {
  name: 'binding-verify',
  async seeds () {
    return [(await makeBinding()).bytes]
  },
  arbitrary: (corpus) => bytesFrom(corpus, 8192),
  async run (bytes) {
    const { identity, record: signed } = await makeBinding()
    const verified = await decodesAsync(async () => verifyBinding(decodeBinding(bytes), { now: CREATED_AT + 1000 }), [GossipError])
    if (verified != null) {
      invariant(bytesEqual(verified.mlDsaPublicKey, identity.publicKey) && bytesEqual(verified.record.peerId, signed.peerId), () => 'a mutated binding verified for other keys')
      invariant(Number.isSafeInteger(verified.createdAtMs), () => `a binding verified with createdAtMs ${verified.createdAtMs}`)
    }
  }
}
