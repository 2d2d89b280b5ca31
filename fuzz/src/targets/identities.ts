import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { createBinding, encodeBinding, PqIdentity } from '@saorsa-gossip/identity'
import type { PrivateKey } from '@libp2p/interface'
import type { BindingRecord } from '@saorsa-gossip/identity'

/**
 * One identity and binding per process (ML-DSA-65 signing is too slow to do per
 * execution), from fixed seeds so the committed corpus was signed by these keys
 */
let made: Promise<{ identity: PqIdentity, privateKey: PrivateKey, record: BindingRecord, bytes: Uint8Array }> | undefined

export const CREATED_AT = 1_700_000_000_000

export async function makeBinding (): Promise<{ identity: PqIdentity, privateKey: PrivateKey, record: BindingRecord, bytes: Uint8Array }> {
  made ??= (async () => {
    const identity = PqIdentity.fromSeed(new Uint8Array(32).fill(7))
    const privateKey = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(9))
    const record = await createBinding(identity, privateKey, CREATED_AT, ['/saorsa/pq-noise/1'])
    return { identity, privateKey, record, bytes: encodeBinding(record) }
  })()
  return made
}
