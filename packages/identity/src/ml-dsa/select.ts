import { BackendUnavailableError, InvalidIdentityConfigError } from '../errors.ts'
import { nativeAvailable, nativeBackend } from './native.ts'
import { nobleBackend } from './noble.ts'
import type { MlDsa65Backend } from './backend.ts'

/** 'auto' picks native when the runtime has it, noble otherwise */
export type BackendChoice = 'auto' | 'native' | 'noble'

/**
 * Resolves a backend choice. An explicit 'native' on a runtime without
 * ML-DSA-65 in node:crypto throws BackendUnavailableError rather than quietly
 * running ten times slower.
 */
export function selectBackend (choice: BackendChoice | MlDsa65Backend = 'auto'): MlDsa65Backend {
  if (typeof choice === 'object' && choice != null) {
    return choice
  }
  switch (choice) {
    case 'auto':
      return nativeAvailable() ? nativeBackend : nobleBackend
    case 'native':
      if (!nativeAvailable()) {
        throw new BackendUnavailableError('The native ML-DSA-65 backend needs Node >= 24.7 with OpenSSL >= 3.5')
      }
      return nativeBackend
    case 'noble':
      return nobleBackend
    default:
      throw new InvalidIdentityConfigError(`Unknown ML-DSA backend "${String(choice)}"`)
  }
}
