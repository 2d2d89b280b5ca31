import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { decodeBinding, verifyBinding } from '@saorsa-gossip/identity'
import { STATIC_KEY_SIGNATURE_PREFIX } from './constants.ts'
import { HandshakeBindingError, InvalidPayloadError, MissingBindingError, StaticKeySignatureError, UnexpectedPeerError } from './errors.ts'
import { NoiseHandshakePayload } from './pb/payload.ts'
import type { NoiseExtensions } from './pb/payload.ts'
import type { PeerId, PrivateKey, PublicKey } from '@libp2p/interface'
import type { BackendChoice, MlDsa65Backend, VerifiedBinding } from '@saorsa-gossip/identity'

const PREFIX = new TextEncoder().encode(STATIC_KEY_SIGNATURE_PREFIX)

/** Limits on decoding a payload: a handshake message is at most 65535 bytes anyway */
const DECODE_LIMITS = {
  limits: {
    extensions: {
      webtransportCerthashes: 16,
      streamMuxers: 16
    }
  }
}

/** The bytes the libp2p identity key signs: "noise-libp2p-static-key:" ‖ Noise static public key */
export function staticKeySignatureBytes (staticPublicKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(PREFIX.length + staticPublicKey.length)
  out.set(PREFIX)
  out.set(staticPublicKey, PREFIX.length)
  return out
}

export interface PayloadExtensions {
  streamMuxers: string[]
  /** Encoded BindingRecord, SPEC.md §3.2 */
  binding?: Uint8Array
}

/** Builds the libp2p Noise handshake payload, with our binding record in NoiseExtensions */
export async function createPayload (privateKey: PrivateKey, staticPublicKey: Uint8Array, extensions: PayloadExtensions): Promise<Uint8Array> {
  const identitySig = await privateKey.sign(staticKeySignatureBytes(staticPublicKey))
  return NoiseHandshakePayload.encode({
    identityKey: publicKeyToProtobuf(privateKey.publicKey) as Uint8Array<ArrayBuffer>,
    identitySig: new Uint8Array(identitySig),
    extensions: {
      webtransportCerthashes: [],
      streamMuxers: extensions.streamMuxers,
      saorsaBinding: extensions.binding as Uint8Array<ArrayBuffer> | undefined
    }
  })
}

export interface VerifyPayloadOptions {
  /** The PeerId the remote must authenticate as (the dialled peer) */
  expectedPeer?: PeerId
  /** Fail with MissingBindingError when the remote sends no binding record */
  requireBinding?: boolean
  /** Current time for the binding's clock-skew check */
  now?: number
  mlDsaBackend?: BackendChoice | MlDsa65Backend
}

export interface VerifiedPayload {
  remotePeer: PeerId
  remotePublicKey: PublicKey
  extensions?: NoiseExtensions
  binding?: VerifiedBinding
}

/**
 * Checks a decrypted payload, cheapest first: decodes, reads the identity key,
 * compares the PeerId with the expected one, verifies the signature over the Noise
 * static key the handshake actually used, then the binding record (SPEC.md §3.2)
 * with the authenticated PeerId as the expected peer.
 */
export async function verifyPayload (bytes: Uint8Array, remoteStaticKey: Uint8Array, options: VerifyPayloadOptions = {}): Promise<VerifiedPayload> {
  let payload: NoiseHandshakePayload
  let remotePublicKey: PublicKey
  try {
    payload = NoiseHandshakePayload.decode(bytes, DECODE_LIMITS)
    remotePublicKey = publicKeyFromProtobuf(payload.identityKey)
  } catch (err: any) {
    throw new InvalidPayloadError(`Undecodable handshake payload: ${err.message}`, { cause: err })
  }
  const remotePeer = peerIdFromPublicKey(remotePublicKey)
  if (options.expectedPeer != null && !options.expectedPeer.equals(remotePeer)) {
    throw new UnexpectedPeerError(`Expected ${options.expectedPeer.toString()}, the remote is ${remotePeer.toString()}`)
  }
  let ok = false
  try {
    ok = await remotePublicKey.verify(staticKeySignatureBytes(remoteStaticKey), payload.identitySig)
  } catch {
    ok = false
  }
  if (!ok) {
    throw new StaticKeySignatureError(`${remotePeer.toString()}'s identity key did not sign the Noise static key it used`)
  }

  let binding: VerifiedBinding | undefined
  const encoded = payload.extensions?.saorsaBinding
  if (encoded != null && encoded.length > 0) {
    try {
      binding = await verifyBinding(decodeBinding(encoded), { expectedPeerId: remotePeer, now: options.now, backend: options.mlDsaBackend })
    } catch (err: any) {
      throw new HandshakeBindingError(`Binding record rejected (${String(err.name)}): ${err.message}`, { cause: err })
    }
  } else if (options.requireBinding === true) {
    throw new MissingBindingError(`${remotePeer.toString()} sent no binding record`)
  }
  return { remotePeer, remotePublicKey, extensions: payload.extensions, binding }
}
