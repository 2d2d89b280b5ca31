import { decodeBinding, encodeBinding, InvalidBindingError, UnsupportedBindingVersionError } from '@saorsa-gossip/identity'
import { bytesFrom, canonical, decodes, invariant } from '../engine.ts'
import { makeBinding } from './identities.ts'
import type { Target } from '../engine.ts'

/** decodeBinding: a record or a named error; a decoded record re-encodes to bytes that decode to the same record */
export const identityBinding: Target<Uint8Array> = {
  name: 'identity-binding',
  async seeds () {
    const { bytes } = await makeBinding()
    return [bytes, bytes.subarray(0, 100)]
  },
  arbitrary: (corpus) => bytesFrom(corpus, 8192),
  run (bytes) {
    const record = decodes(() => decodeBinding(bytes), [InvalidBindingError, UnsupportedBindingVersionError])
    if (record != null) {
      const encoded = encodeBinding(record)
      const again = decodes(() => decodeBinding(encoded), [])
      invariant(canonical(again) === canonical(record), () => `binding ${canonical(record).slice(0, 200)} does not survive re-encoding`)
    }
  }
}
