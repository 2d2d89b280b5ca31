import { blake3 } from '@noble/hashes/blake3.js'
import { bytesEqual, GossipError } from '@saorsa-gossip/core'
import { decryptIdentity, encryptIdentity, KEYSTORE_FILE_LENGTH } from '@saorsa-gossip/identity'
import fc from 'fast-check'
import { bytesFrom, decodesAsync, invariant } from '../engine.ts'
import { makeBinding } from './identities.ts'
import type { Target } from '../engine.ts'

const PASSPHRASE = 'fuzz'
const CHECKSUM = 32
/** the cheapest scrypt the reader accepts, so an execution costs milliseconds */
const SCRYPT = { log2N: 10, r: 1, p: 1 }

/**
 * decryptIdentity on damaged files. Half the inputs get their checksum recomputed,
 * so header and ciphertext edits reach the KDF and AEAD checks instead of all
 * stopping at the checksum. scrypt cost bytes are clamped there: the format allows
 * up to N = 2^22, r = 32, which is a cost, not a bug, to spend per execution.
 */
export const keystore: Target<{ bytes: Uint8Array, fix: boolean }> = {
  name: 'keystore',
  async seeds () {
    const { identity } = await makeBinding()
    return [await encryptIdentity(identity, PASSPHRASE, { scrypt: SCRYPT })]
  },
  arbitrary: (corpus) => fc.record({ bytes: bytesFrom(corpus, 256), fix: fc.boolean() }),
  async run ({ bytes, fix }) {
    const file = Uint8Array.from(bytes)
    if (fix && file.length === KEYSTORE_FILE_LENGTH) {
      file[6] = Math.min(file[6], 12)
      file[7] = Math.min(file[7], 8)
      file[8] = Math.min(file[8], 2)
      const body = file.subarray(0, file.length - CHECKSUM)
      file.set(blake3(body), body.length)
    }
    const { identity } = await makeBinding()
    const opened = await decodesAsync(async () => decryptIdentity(file, PASSPHRASE), [GossipError])
    if (opened != null) {
      invariant(bytesEqual(opened.publicKey, identity.publicKey), () => 'a damaged keystore opened as another identity')
    }
  }
}
