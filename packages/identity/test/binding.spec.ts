import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { expect } from 'aegir/chai'
import { createBinding, decodeBinding, encodeBinding, encodeCarriedKey, verifyBinding, verifyCarriedKey } from '../src/binding.ts'
import { MAX_BINDING_FRAME_BYTES } from '../src/constants.ts'
import { PqIdentity } from '../src/identity.ts'
import type { BindingRecord } from '../src/pb/identity.ts'
import type { PrivateKey } from '@libp2p/interface'

const NOW = 1_790_000_000_000

async function expectRejected (record: BindingRecord, name: string, options = {}): Promise<void> {
  await expect(verifyBinding(record, options)).to.eventually.be.rejected().with.property('name', name)
}

function flip (bytes: Uint8Array, index = 10): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes)
  out[index] ^= 1
  return out
}

describe('binding records', () => {
  let identity: PqIdentity
  let key: PrivateKey
  let record: BindingRecord

  before(async () => {
    identity = PqIdentity.generate()
    key = await generateKeyPair('Ed25519')
    record = await createBinding(identity, key, NOW)
  })

  it('verifies from the record alone and names the PeerId and key', async () => {
    const verified = await verifyBinding(record, { now: NOW, expectedPeerId: peerIdFromPrivateKey(key) })
    expect(verified.peerId.equals(peerIdFromPrivateKey(key))).to.be.true()
    expect(verified.mlDsaPublicKey).to.equalBytes(identity.publicKey)
    expect(verified.createdAtMs).to.equal(NOW)
  })

  it('round-trips through protobuf and verifies with either backend', async () => {
    const bytes = encodeBinding(record)
    expect(bytes.length).to.be.below(MAX_BINDING_FRAME_BYTES)
    const decoded = decodeBinding(bytes)
    await verifyBinding(decoded, { backend: 'noble' })
    await verifyBinding(decoded, { backend: 'native' })
  })

  it('works with secp256k1 and RSA libp2p keys too', async () => {
    for (const other of [await generateKeyPair('secp256k1'), await generateKeyPair('RSA', 2048)]) {
      const r = await createBinding(identity, other, NOW)
      const verified = await verifyBinding(decodeBinding(encodeBinding(r)))
      expect(verified.peerId.equals(peerIdFromPrivateKey(other))).to.be.true()
    }
  })

  it('rejects every tampered field', async () => {
    const otherKey = await generateKeyPair('Ed25519')
    await expectRejected({ ...record, version: 2 }, 'UnsupportedBindingVersionError')
    await expectRejected({ ...record, mlDsaPublicKey: flip(record.mlDsaPublicKey) }, 'BindingSignatureError')
    await expectRejected({ ...record, mlDsaPublicKey: PqIdentity.generate().publicKey as Uint8Array<ArrayBuffer> }, 'BindingSignatureError')
    await expectRejected({ ...record, peerId: new Uint8Array(peerIdFromPrivateKey(otherKey).toMultihash().bytes) }, 'BindingPeerIdMismatchError')
    await expectRejected({ ...record, libp2pPublicKey: new Uint8Array(publicKeyToProtobuf(otherKey.publicKey)) }, 'BindingPeerIdMismatchError')
    await expectRejected({ ...record, createdAtMs: record.createdAtMs + 1 }, 'BindingSignatureError')
    await expectRejected({ ...record, mlDsaSignature: flip(record.mlDsaSignature) }, 'BindingSignatureError')
    await expectRejected({ ...record, libp2pSignature: flip(record.libp2pSignature) }, 'BindingSignatureError')
  })

  it('carries a key without the ML-DSA signature, 3,309 bytes shorter, checked by its libp2p signature alone', async () => {
    const carried = decodeBinding(encodeCarriedKey(record))
    expect(encodeBinding(record).length - encodeCarriedKey(record).length).to.be.at.least(3309)
    expect(carried.mlDsaSignature.length).to.equal(0)
    const verified = await verifyCarriedKey(carried, { now: NOW })
    expect(verified.peerId.equals(peerIdFromPrivateKey(key))).to.be.true()
    expect(verified.mlDsaPublicKey).to.equalBytes(identity.publicKey)
    // never a whole binding: without proof of possession verifyBinding refuses it
    await expectRejected(carried, 'InvalidBindingError')
    // and a whole record is not a carried key
    await expect(verifyCarriedKey(record)).to.eventually.be.rejected().with.property('name', 'InvalidBindingError')
    // the libp2p signature still covers the ML-DSA key and the PeerId: another key, or the key
    // claimed for another PeerId, does not verify
    const otherKey = await generateKeyPair('Ed25519')
    for (const [bad, name] of [
      [{ ...carried, mlDsaPublicKey: PqIdentity.generate().publicKey as Uint8Array<ArrayBuffer> }, 'BindingSignatureError'],
      [{ ...carried, libp2pSignature: flip(carried.libp2pSignature) }, 'BindingSignatureError'],
      [{ ...carried, peerId: new Uint8Array(peerIdFromPrivateKey(otherKey).toMultihash().bytes) }, 'BindingPeerIdMismatchError']
    ] as Array<[BindingRecord, string]>) {
      await expect(verifyCarriedKey(bad)).to.eventually.be.rejected().with.property('name', name)
    }
  })

  it('rejects a record re-keyed consistently to another libp2p key (signature no longer matches)', async () => {
    const otherKey = await generateKeyPair('Ed25519')
    await expectRejected({
      ...record,
      peerId: new Uint8Array(peerIdFromPrivateKey(otherKey).toMultihash().bytes),
      libp2pPublicKey: new Uint8Array(publicKeyToProtobuf(otherKey.publicKey))
    }, 'BindingSignatureError')
  })

  it('rejects malformed shapes with InvalidBindingError', async () => {
    await expectRejected({ ...record, mlDsaPublicKey: record.mlDsaPublicKey.subarray(0, 100) }, 'InvalidBindingError')
    await expectRejected({ ...record, mlDsaSignature: record.mlDsaSignature.subarray(1) }, 'InvalidBindingError')
    await expectRejected({ ...record, peerId: new Uint8Array(0) }, 'InvalidBindingError')
    await expectRejected({ ...record, libp2pPublicKey: new Uint8Array(0) }, 'InvalidBindingError')
    await expectRejected({ ...record, libp2pPublicKey: new Uint8Array([1, 2, 3]) }, 'InvalidBindingError')
    await expectRejected({ ...record, libp2pSignature: new Uint8Array(2000) }, 'InvalidBindingError')
    await expectRejected({ ...record, createdAtMs: 0 }, 'InvalidBindingError')
    await expectRejected({ ...record, createdAtMs: 2 ** 60 }, 'InvalidBindingError')
    await expectRejected({ ...record, createdAtMs: 2 ** 53 }, 'InvalidBindingError')
    await expectRejected({ ...record, createdAtMs: 1.5 }, 'InvalidBindingError')
  })

  it('rejects a record for another peer than expected, and one from the future', async () => {
    const otherKey = await generateKeyPair('Ed25519')
    await expectRejected(record, 'BindingPeerIdMismatchError', { expectedPeerId: peerIdFromPrivateKey(otherKey) })
    await expectRejected(record, 'BindingFromTheFutureError', { now: NOW - 11 * 60_000 })
    await verifyBinding(record, { now: NOW - 9 * 60_000 })
    await expectRejected(record, 'BindingFromTheFutureError', { now: NOW - 2000, maxClockSkewMs: 1000 })
  })

  it('decodeBinding rejects garbage and oversize input with InvalidBindingError', () => {
    expect(() => decodeBinding(new Uint8Array([0xff, 0xff, 0xff]))).to.throw().with.property('name', 'InvalidBindingError')
    expect(() => decodeBinding(new Uint8Array(MAX_BINDING_FRAME_BYTES + 1))).to.throw().with.property('name', 'InvalidBindingError')
    const truncated = encodeBinding(record).subarray(0, 1000)
    expect(() => decodeBinding(truncated)).to.throw().with.property('name', 'InvalidBindingError')
  })

  it('advertised secure channels are signed: they verify, round-trip, and cannot be added, removed or changed', async () => {
    const advertising = await createBinding(identity, key, NOW, ['/noise-mlkem768-hfs/0.2.0'])
    const verified = await verifyBinding(decodeBinding(encodeBinding(advertising)))
    expect(verified.record.secureChannels).to.deep.equal(['/noise-mlkem768-hfs/0.2.0'])
    // a record without channels signs exactly the bytes it always did
    expect(record.secureChannels).to.deep.equal([])
    await expectRejected({ ...advertising, secureChannels: [] }, 'BindingSignatureError')
    await expectRejected({ ...advertising, secureChannels: ['/noise-mlkem768-hfs/0.2.1'] }, 'BindingSignatureError')
    await expectRejected({ ...record, secureChannels: ['/noise-mlkem768-hfs/0.2.0'] }, 'BindingSignatureError')
  })

  it('limits advertised secure channels to 8 of at most 128 bytes', async () => {
    await expect(createBinding(identity, key, NOW, Array.from({ length: 9 }, (_, i) => `/p/${i}`))).to.eventually.be.rejected().with.property('name', 'InvalidBindingError')
    await expect(createBinding(identity, key, NOW, ['x'.repeat(129)])).to.eventually.be.rejected().with.property('name', 'InvalidBindingError')
    await expectRejected({ ...record, secureChannels: [''] }, 'InvalidBindingError')
    const nine = encodeBinding({ ...record, secureChannels: Array.from({ length: 9 }, (_, i) => `/p/${i}`) })
    expect(() => decodeBinding(nine)).to.throw().with.property('name', 'InvalidBindingError')
  })

  it('a secure channel that is not well-formed UTF-8 is refused (it would change when re-encoded)', async () => {
    // field 8 (secure_channels), length 3: a CESU-8 surrogate, which no UTF-8 encoder writes
    const encoded = encodeBinding(record)
    const withSurrogate = new Uint8Array([...encoded, 0x42, 0x03, 0xed, 0xa0, 0x80])
    expect(() => decodeBinding(withSurrogate)).to.throw(/well-formed UTF-8/).with.property('name', 'InvalidBindingError')
    await expect(createBinding(identity, key, NOW, ['/p/\ud800'])).to.eventually.be.rejected().with.property('name', 'InvalidBindingError')
    await expectRejected({ ...record, secureChannels: ['/p/\udfff'] }, 'InvalidBindingError')
  })

  it('createBinding rejects an invalid creation time', async () => {
    await expect(createBinding(identity, key, -1)).to.eventually.be.rejected().with.property('name', 'InvalidBindingError')
    await expect(createBinding(identity, key, 1.5)).to.eventually.be.rejected().with.property('name', 'InvalidBindingError')
  })
})
