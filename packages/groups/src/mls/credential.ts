import { blake3 } from '@noble/hashes/blake3.js'
import { bytesKey, concatBytes, LruTtlCache } from '@saorsa-gossip/core'
import { decodeBinding, encodeBinding, verifyBinding, verifyMlDsa65 } from '@saorsa-gossip/identity'
import { peerIdCodec } from '@saorsa-gossip/kit'
import { BadCredentialError } from '../errors.ts'
import { BoundCredential } from '../pb/groups.ts'
import type { BindingRecord } from '@saorsa-gossip/identity'

/**
 * Credentials bound to our identity (SPEC.md §11.2). A leaf's MLS signature key (ML-DSA-87
 * in the default suite) is not our ML-DSA-65 identity key, so the credential carries the
 * member's binding record (PeerId ↔ ML-DSA-65 key, §3.2) and an ML-DSA-65 signature over
 * the leaf's signature public key. RFC 9420 §5.3.1 leaves credential validation to the
 * application's authentication service; ours accepts a leaf only if both verify.
 */

const DOMAIN = new TextEncoder().encode('saorsa-gossip/groups/credential/v1\0')
const MAX_CREDENTIAL_BYTES = 12 * 1024
const codec = peerIdCodec()

/** Bytes the member's ML-DSA-65 key signs: domain ‖ u16be(suite) ‖ MLS signature public key */
export function leafSigningBytes (suite: number, signaturePublicKey: Uint8Array): Uint8Array {
  return concatBytes(DOMAIN, Uint8Array.of(suite >> 8, suite & 0xff), signaturePublicKey)
}

/** The credential identity bytes for our leaf */
export async function makeCredential (binding: BindingRecord, sign: (data: Uint8Array) => Promise<Uint8Array>, suite: number, signaturePublicKey: Uint8Array): Promise<Uint8Array> {
  const leafSignature = await sign(leafSigningBytes(suite, signaturePublicKey))
  return BoundCredential.encode({ binding: encodeBinding(binding) as Uint8Array<ArrayBuffer>, leafSignature: leafSignature as Uint8Array<ArrayBuffer> })
}

/** The PeerId a credential names, without verifying it (leaves in a tree were verified when they entered) */
export function credentialPeer (identity: Uint8Array): string {
  try {
    const credential = BoundCredential.decode(identity)
    return codec.fromBytes(decodeBinding(credential.binding).peerId)
  } catch (err: any) {
    throw new BadCredentialError('Undecodable credential', { cause: err })
  }
}

/**
 * The authentication service's check: the binding verifies (both signatures, §3.2) and its
 * ML-DSA-65 key signed this leaf's signature key for this suite. Returns the PeerId.
 * Verified pairs are cached (a join validates every leaf of the tree).
 */
export class CredentialVerifier {
  private readonly cache = new LruTtlCache<string, string>({ maxEntries: 4096, ttl: Number.MAX_SAFE_INTEGER })
  private readonly suite: number

  constructor (suite: number) {
    this.suite = suite
  }

  async verify (identity: Uint8Array, signaturePublicKey: Uint8Array): Promise<string> {
    const key = bytesKey(blake3(concatBytes(identity, signaturePublicKey)))
    const cached = this.cache.get(key, 0)
    if (cached != null) {
      return cached
    }
    if (identity.byteLength > MAX_CREDENTIAL_BYTES) {
      throw new BadCredentialError(`Credential is ${identity.byteLength} bytes`)
    }
    let credential: BoundCredential
    let binding: BindingRecord
    try {
      credential = BoundCredential.decode(identity)
      binding = decodeBinding(credential.binding)
    } catch (err: any) {
      throw new BadCredentialError('Undecodable credential', { cause: err })
    }
    let verified
    try {
      verified = await verifyBinding(binding)
    } catch (err: any) {
      throw new BadCredentialError(`Credential binding does not verify: ${String(err.name)}`, { cause: err })
    }
    if (!verifyMlDsa65(verified.mlDsaPublicKey, leafSigningBytes(this.suite, signaturePublicKey), credential.leafSignature)) {
      throw new BadCredentialError('The identity key did not sign this leaf\'s signature key')
    }
    const peer = verified.peerId.toString()
    this.cache.set(key, peer, 0)
    return peer
  }
}
