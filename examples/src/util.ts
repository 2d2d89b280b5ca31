import { toHex } from '@saorsa-gossip/core'

export { pqIdentity } from '@saorsa-gossip/identity'

/** First bytes of a key as hex, for log lines */
export function toHexPrefix (bytes: Uint8Array, length = 8): string {
  return toHex(bytes.subarray(0, length))
}
