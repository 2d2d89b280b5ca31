import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { bytesEqual, concatBytes, u64be } from '@saorsa-gossip/core'
import {
  BINDING_VERSION, DEFAULT_MAX_CLOCK_SKEW_MS, MAX_BINDING_FRAME_BYTES, MAX_LIBP2P_PUBLIC_KEY_BYTES,
  MAX_LIBP2P_SIGNATURE_BYTES, MAX_PEER_ID_BYTES, MAX_SECURE_CHANNEL_BYTES, MAX_SECURE_CHANNELS, ML_DSA_65_PUBLIC_KEY_LENGTH, ML_DSA_65_SIGNATURE_LENGTH
} from './constants.ts'
import {
  BindingFromTheFutureError, BindingPeerIdMismatchError, BindingSignatureError, InvalidBindingError,
  UnsupportedBindingVersionError
} from './errors.ts'
import { selectBackend } from './ml-dsa/select.ts'
import { BindingRecord } from './pb/identity.ts'
import type { PqIdentity } from './identity.ts'
import type { MlDsa65Backend } from './ml-dsa/backend.ts'
import type { BackendChoice } from './ml-dsa/select.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'

export { BindingRecord }

/** Domain separation for the bytes both keys sign (SPEC.md §3.2) */
const BINDING_DOMAIN = new TextEncoder().encode('saorsa-gossip/binding/v1\0')

/** A binding record whose signatures and PeerId have been checked */
export interface VerifiedBinding {
  peerId: PeerId
  mlDsaPublicKey: Uint8Array
  /** ms since the Unix epoch, as claimed by the record's creator */
  createdAtMs: number
  record: BindingRecord
}

export interface VerifyBindingOptions {
  /** Reject a record for any other PeerId (e.g. the remote peer of the connection it arrived on) */
  expectedPeerId?: PeerId
  /** Current time in ms; with it, records created more than `maxClockSkewMs` in the future are rejected */
  now?: number
  /** @default 600000 (10 minutes) */
  maxClockSkewMs?: number
  /** @default 'auto' */
  backend?: BackendChoice | MlDsa65Backend
}

function u32be (n: number): Uint8Array {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, n, false)
  return out
}

/**
 * The canonical bytes both keys sign:
 *
 * `"saorsa-gossip/binding/v1\0" ‖ u32be(version) ‖ u32be(|mlDsaPk|) ‖ mlDsaPk
 * ‖ u32be(|peerId|) ‖ peerId ‖ u32be(|libp2pPk|) ‖ libp2pPk ‖ u64be(createdAtMs)`
 *
 * Explicit lengths, not protobuf, so the signed bytes do not depend on any
 * encoder's field ordering or varint choices.
 */
export function bindingSigningBytes (record: Pick<BindingRecord, 'version' | 'mlDsaPublicKey' | 'peerId' | 'libp2pPublicKey' | 'createdAtMs'> & { secureChannels?: string[] }): Uint8Array {
  const channels = record.secureChannels ?? []
  // advertised secure channels are appended only when present, so a record without them signs
  // exactly the bytes it always did (the §3.2 vector is unchanged)
  const advertised = channels.length === 0
    ? []
    : [u32be(channels.length), ...channels.flatMap(c => { const b = utf8.encode(c); return [u32be(b.length), b] })]
  return concatBytes(
    BINDING_DOMAIN,
    u32be(record.version),
    u32be(record.mlDsaPublicKey.length), record.mlDsaPublicKey,
    u32be(record.peerId.length), record.peerId,
    u32be(record.libp2pPublicKey.length), record.libp2pPublicKey,
    u64be(BigInt(record.createdAtMs)),
    ...advertised
  )
}

const utf8 = new TextEncoder()

/**
 * Creates a binding record signed by the ML-DSA identity and the libp2p private key,
 * advertising `secureChannels` (protocol ids of the secure channels this node accepts)
 */
export async function createBinding (identity: PqIdentity, privateKey: PrivateKey, createdAtMs: number, secureChannels: string[] = []): Promise<BindingRecord> {
  if (!Number.isSafeInteger(createdAtMs) || createdAtMs < 0) {
    throw new InvalidBindingError('createdAtMs must be a non-negative safe integer')
  }
  if (!secureChannelsValid(secureChannels)) {
    throw new InvalidBindingError(`At most ${MAX_SECURE_CHANNELS} secure channels of at most ${MAX_SECURE_CHANNEL_BYTES} bytes each`)
  }
  const unsigned = {
    version: BINDING_VERSION,
    mlDsaPublicKey: identity.publicKey as Uint8Array<ArrayBuffer>,
    peerId: peerIdFromPublicKey(privateKey.publicKey).toMultihash().bytes as Uint8Array<ArrayBuffer>,
    libp2pPublicKey: publicKeyToProtobuf(privateKey.publicKey) as Uint8Array<ArrayBuffer>,
    createdAtMs,
    secureChannels: [...secureChannels]
  }
  const message = bindingSigningBytes(unsigned)
  return {
    ...unsigned,
    mlDsaSignature: identity.sign(message) as Uint8Array<ArrayBuffer>,
    // copied: some libp2p keys return views into pooled Buffers
    libp2pSignature: new Uint8Array(await privateKey.sign(message))
  }
}

/** Encodes a record as protobuf (the form carried on the wire and in the peer store) */
export function encodeBinding (record: BindingRecord): Uint8Array {
  return BindingRecord.encode(record)
}

/** Decodes a record with size limits; malformed input throws InvalidBindingError */
export function decodeBinding (bytes: Uint8Array): BindingRecord {
  if (bytes.length > MAX_BINDING_FRAME_BYTES) {
    throw new InvalidBindingError(`Binding record is ${bytes.length} bytes, the limit is ${MAX_BINDING_FRAME_BYTES}`)
  }
  let record: BindingRecord
  try {
    record = BindingRecord.decode(bytes, { limits: { secureChannels: MAX_SECURE_CHANNELS } })
  } catch (err: any) {
    throw new InvalidBindingError(`Undecodable binding record: ${err.message}`, { cause: err })
  }
  if (!(record.secureChannels ?? []).every(wellFormed)) {
    throw new InvalidBindingError('A secure channel is not well-formed UTF-8')
  }
  return record
}

/**
 * Bytes that are not UTF-8 (a CESU-8 surrogate, say) decode to lone surrogates, which encode
 * back to other bytes: a record would change when relayed or stored. Found by the fuzzer
 * (fuzz/known-bugs/identity-secure-channel-utf8); the signature could not be forged that way,
 * since signing bytes use the same encoder, but a record must mean one thing (SPEC.md §3.2).
 */
function wellFormed (channel: string): boolean {
  return !/\p{Cs}/u.test(channel)
}

function secureChannelsValid (channels: string[]): boolean {
  return channels.length <= MAX_SECURE_CHANNELS && channels.every(c => c.length > 0 && wellFormed(c) && utf8.encode(c).length <= MAX_SECURE_CHANNEL_BYTES)
}

/**
 * Checks field presence and sizes; cheap, runs before any signature check. A carried key
 * (`possession: false`) has no ML-DSA signature at all.
 */
function checkShape (record: BindingRecord, possession = true): void {
  if (record.version !== BINDING_VERSION) {
    throw new UnsupportedBindingVersionError(`Binding record version ${record.version} is not supported (expected ${BINDING_VERSION})`)
  }
  const signatureLength = possession ? ML_DSA_65_SIGNATURE_LENGTH : 0
  const checks: Array<[boolean, string]> = [
    [record.mlDsaPublicKey.length === ML_DSA_65_PUBLIC_KEY_LENGTH, `ML-DSA public key must be ${ML_DSA_65_PUBLIC_KEY_LENGTH} bytes`],
    [record.mlDsaSignature.length === signatureLength, `ML-DSA signature must be ${signatureLength} bytes`],
    [record.peerId.length > 0 && record.peerId.length <= MAX_PEER_ID_BYTES, 'PeerId missing or too long'],
    [record.libp2pPublicKey.length > 0 && record.libp2pPublicKey.length <= MAX_LIBP2P_PUBLIC_KEY_BYTES, 'libp2p public key missing or too long'],
    [record.libp2pSignature.length > 0 && record.libp2pSignature.length <= MAX_LIBP2P_SIGNATURE_BYTES, 'libp2p signature missing or too long'],
    [Number.isSafeInteger(record.createdAtMs) && record.createdAtMs > 0, 'createdAtMs out of range'],
    [secureChannelsValid(record.secureChannels ?? []), 'too many or too long secure channels']
  ]
  for (const [ok, why] of checks) {
    if (!ok) {
      throw new InvalidBindingError(why)
    }
  }
}

/**
 * Verifies a binding record from the record alone: shape, that the PeerId is
 * the one the libp2p key gives, optionally that it is the expected peer and
 * not from the future, then both signatures over the canonical bytes.
 */
export async function verifyBinding (record: BindingRecord, options: VerifyBindingOptions = {}): Promise<VerifiedBinding> {
  return verifyRecord(record, options, true)
}

/**
 * A binding record without its ML-DSA signature (SPEC.md §3.2, "carried keys"): the form
 * plumtree attaches to a publisher's first message on a link, 3,309 bytes shorter
 */
export function encodeCarriedKey (record: BindingRecord): Uint8Array {
  return BindingRecord.encode({ ...record, mlDsaSignature: new Uint8Array(0) })
}

/**
 * Verifies a carried key (`encodeCarriedKey`): shape, PeerId and the libp2p signature, as
 * {@link verifyBinding}, but not proof of possession of the ML-DSA key, which the record no
 * longer carries. Only for a caller that proves possession itself before trusting the key:
 * plumtree accepts it only together with a message whose ML-DSA-65 signature, over the
 * origin's PeerId, verifies under it (SPEC.md §3.2, §7.10). Never cache the result as a
 * verified binding for other uses.
 */
export async function verifyCarriedKey (record: BindingRecord, options: VerifyBindingOptions = {}): Promise<VerifiedBinding> {
  return verifyRecord(record, options, false)
}

async function verifyRecord (record: BindingRecord, options: VerifyBindingOptions, possession: boolean): Promise<VerifiedBinding> {
  checkShape(record, possession)

  let peerId: PeerId
  let libp2pKey
  try {
    libp2pKey = publicKeyFromProtobuf(record.libp2pPublicKey)
    peerId = peerIdFromPublicKey(libp2pKey)
  } catch (err: any) {
    throw new InvalidBindingError(`Unreadable libp2p public key: ${err.message}`, { cause: err })
  }
  if (!bytesEqual(peerId.toMultihash().bytes, record.peerId)) {
    throw new BindingPeerIdMismatchError('The record\'s PeerId is not the one its libp2p public key gives')
  }
  if (options.expectedPeerId != null && !options.expectedPeerId.equals(peerId)) {
    throw new BindingPeerIdMismatchError(`Record is for ${peerId.toString()}, expected ${options.expectedPeerId.toString()}`)
  }
  const createdAtMs = Number(record.createdAtMs)
  if (options.now != null && createdAtMs > options.now + (options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS)) {
    throw new BindingFromTheFutureError(`Record created at ${createdAtMs}, ${createdAtMs - options.now} ms in the future`)
  }

  const message = bindingSigningBytes(record)
  let libp2pOk: boolean
  try {
    libp2pOk = await libp2pKey.verify(message, record.libp2pSignature)
  } catch {
    libp2pOk = false
  }
  if (!libp2pOk) {
    throw new BindingSignatureError('libp2p signature does not verify')
  }
  if (possession && !selectBackend(options.backend).verify(record.mlDsaPublicKey, message, record.mlDsaSignature)) {
    throw new BindingSignatureError('ML-DSA-65 signature does not verify')
  }
  return { peerId, mlDsaPublicKey: record.mlDsaPublicKey, createdAtMs, record }
}
