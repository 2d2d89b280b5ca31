import { peerIdFromString } from '@libp2p/peer-id'
import { decodeBinding, encodeBinding, verifyMlDsa65 } from '@saorsa-gossip/identity'
import { signingBytes } from './codec.ts'
import { RESOLVE_TIMEOUT_MS } from './constants.ts'
import type { PqIdentityService } from '@saorsa-gossip/identity'

/**
 * ML-DSA-65 signing and checking for beacons and queries. A beacon or query carries its
 * signer's binding record, so a node that never met the signer can still check it (the
 * record certifies itself, SPEC.md §3.2); a binding already cached is used instead and the
 * carried one is not re-verified. Anything that does not verify is `false`, never thrown:
 * the core counts it.
 */
export class Signatures {
  private readonly identity: PqIdentityService

  constructor (identity: PqIdentityService) {
    this.identity = identity
  }

  /** Our binding record, carried beside what we sign */
  binding (): Uint8Array {
    return encodeBinding(this.identity.binding)
  }

  /** The binding record of `peer` if we hold a verified one, encoded; else undefined */
  cachedBinding (peer: string): Uint8Array | undefined {
    const cached = this.identity.getCachedBinding(peer)
    return cached == null ? undefined : encodeBinding(cached.record)
  }

  async sign (domain: Uint8Array, body: Uint8Array): Promise<Uint8Array> {
    return this.identity.sign(signingBytes(domain, body))
  }

  /**
   * `via` is the neighbour the frame came from: when no binding is carried or cached, it is asked
   * for the signer's over the open connection (it checked the same signature, so it holds it).
   */
  async verify (signer: string, domain: Uint8Array, body: Uint8Array, signature: Uint8Array, binding: Uint8Array, via?: string): Promise<boolean> {
    let key = this.identity.getCachedBinding(signer)?.mlDsaPublicKey
    try {
      if (key == null && binding.byteLength > 0) {
        key = (await this.identity.acceptBinding(decodeBinding(binding), signer)).mlDsaPublicKey
      } else if (key == null && via != null) {
        key = (await this.identity.resolveBinding(peerIdFromString(signer), { via: peerIdFromString(via), signal: AbortSignal.timeout(RESOLVE_TIMEOUT_MS) })).mlDsaPublicKey
      }
    } catch {
      return false
    }
    if (key == null) {
      return false
    }
    try {
      return verifyMlDsa65(key, signingBytes(domain, body), signature)
    } catch {
      return false
    }
  }
}
