import { InvalidConfigError } from '@saorsa-gossip/core'
import { nativeAvailable, nativeBackend } from './native.ts'
import { nobleBackend } from './noble.ts'
import type { NoiseCryptoBackend } from './backend.ts'

export type CryptoChoice = 'auto' | 'native' | 'noble'

/** `auto`: node:crypto when it has ML-KEM-768 and ChaCha20-Poly1305, else noble */
export function selectCrypto (choice: CryptoChoice | NoiseCryptoBackend = 'auto'): NoiseCryptoBackend {
  if (typeof choice === 'object') {
    return choice
  }
  switch (choice) {
    case 'auto':
      return nativeAvailable() ? nativeBackend : nobleBackend
    case 'native':
      if (!nativeAvailable()) {
        throw new InvalidConfigError(`node:crypto in Node ${process.versions.node} has no ML-KEM-768`)
      }
      return nativeBackend
    case 'noble':
      return nobleBackend
    default:
      throw new InvalidConfigError(`Unknown crypto backend ${String(choice)}`)
  }
}
