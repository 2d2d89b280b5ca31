import { blake3 } from '@noble/hashes/blake3.js'
import { toHex } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { ML_DSA_65_PUBLIC_KEY_LENGTH, ML_DSA_65_SIGNATURE_LENGTH } from '../src/constants.ts'
import { PqIdentity, verifyMlDsa65 } from '../src/identity.ts'
import { nativeAvailable, nativeBackend } from '../src/ml-dsa/native.ts'
import { nobleBackend } from '../src/ml-dsa/noble.ts'
import { selectBackend } from '../src/ml-dsa/select.ts'

const seed = new Uint8Array(32).map((_, i) => i)
const message = new TextEncoder().encode('saorsa gossip backend cross-check')

describe('ML-DSA-65 backends', () => {
  before(function () {
    // the suite pins Node 24 through the `node` devDependency, so native must be there
    expect(nativeAvailable(), `node:crypto ML-DSA-65 on Node ${process.versions.node} / OpenSSL ${process.versions.openssl}`).to.be.true()
  })

  it('auto selects native on this runtime; explicit choices are honoured', () => {
    expect(selectBackend().name).to.equal('native')
    expect(selectBackend('noble').name).to.equal('noble')
    expect(selectBackend('native').name).to.equal('native')
    expect(() => selectBackend('bogus' as any)).to.throw().with.property('name', 'InvalidIdentityConfigError')
  })

  it('derives the same key pair from a seed in both backends (SPEC.md §3.1 vector)', () => {
    const a = nativeBackend.fromSeed(seed)
    const b = nobleBackend.fromSeed(seed)
    expect(a.publicKey).to.have.lengthOf(ML_DSA_65_PUBLIC_KEY_LENGTH)
    expect(a.publicKey).to.equalBytes(b.publicKey)
    expect(toHex(blake3(a.publicKey))).to.equal('66de1384e0ba89c45e52c0cb2b2072efd63e1137e37007b3bfa8738f20db11eb')
  })

  for (const [signer, verifier] of [[nativeBackend, nobleBackend], [nobleBackend, nativeBackend], [nativeBackend, nativeBackend], [nobleBackend, nobleBackend]]) {
    it(`signatures by ${signer.name} verify in ${verifier.name}, and tampering is caught`, () => {
      const key = signer.fromSeed(seed)
      const signature = signer.sign(key, message)
      expect(signature).to.have.lengthOf(ML_DSA_65_SIGNATURE_LENGTH)
      expect(verifier.verify(key.publicKey, message, signature)).to.be.true()

      const badMessage = message.slice()
      badMessage[0] ^= 1
      expect(verifier.verify(key.publicKey, badMessage, signature)).to.be.false()
      const badSignature = signature.slice()
      badSignature[100] ^= 0x40
      expect(verifier.verify(key.publicKey, message, badSignature)).to.be.false()
      expect(verifier.verify(key.publicKey, message, signature.subarray(0, 3308))).to.be.false()
      expect(verifier.verify(key.publicKey, message, new Uint8Array(0))).to.be.false()
      const otherKey = verifier.fromSeed(new Uint8Array(32).fill(1))
      expect(verifier.verify(otherKey.publicKey, message, signature)).to.be.false()
    })
  }

  for (const backend of [nativeBackend, nobleBackend]) {
    it(`${backend.name}: rejects truncated keys and seeds with InvalidKeyError`, () => {
      const key = backend.fromSeed(seed)
      const signature = backend.sign(key, message)
      expect(() => backend.verify(key.publicKey.subarray(0, 1951), message, signature)).to.throw().with.property('name', 'InvalidKeyError')
      expect(() => backend.verify(new Uint8Array(0), message, signature)).to.throw().with.property('name', 'InvalidKeyError')
      expect(() => backend.fromSeed(new Uint8Array(31))).to.throw().with.property('name', 'InvalidKeyError')
      expect(() => backend.fromSeed(new Uint8Array(33))).to.throw().with.property('name', 'InvalidKeyError')
    })
  }
})

describe('PqIdentity', () => {
  it('keys made by one backend load in the other through the seed', () => {
    const native = PqIdentity.generate({ backend: 'native' })
    const noble = PqIdentity.fromSeed(native.exportSeed(), { backend: 'noble' })
    expect(noble.publicKey).to.equalBytes(native.publicKey)
    expect(native.verify(message, noble.sign(message))).to.be.true()
    expect(noble.verify(message, native.sign(message))).to.be.true()
    expect(verifyMlDsa65(native.publicKey, message, native.sign(message), 'noble')).to.be.true()
  })

  it('generates distinct identities and never serialises the seed', () => {
    const a = PqIdentity.generate()
    const b = PqIdentity.generate()
    expect(a.publicKey).to.not.equalBytes(b.publicKey)
    const json = JSON.stringify(a)
    expect(json).to.not.include(toHex(a.exportSeed()))
    expect(JSON.parse(json)).to.deep.equal({ publicKeyLength: 1952, backend: 'native' })
  })

  it('exportSeed returns a copy', () => {
    const a = PqIdentity.fromSeed(seed)
    const exported = a.exportSeed()
    exported.fill(0)
    expect(a.exportSeed()).to.equalBytes(seed)
  })

  it('rejects seeds of the wrong length with InvalidKeyError', () => {
    expect(() => PqIdentity.fromSeed(new Uint8Array(16))).to.throw().with.property('name', 'InvalidKeyError')
    expect(() => PqIdentity.fromSeed('x' as any)).to.throw().with.property('name', 'InvalidKeyError')
  })
})
