/**
 * Interoperability vectors published in SPEC.md §3. Another implementation
 * reproduces these from the same inputs.
 */
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { blake3 } from '@noble/hashes/blake3.js'
import { fromHex, toHex } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { bindingSigningBytes, createBinding, verifyBinding } from '../src/binding.ts'
import { PqIdentity } from '../src/identity.ts'
import { decryptIdentity } from '../src/keystore.ts'

const SEED = new Uint8Array(32).map((_, i) => i)
const CREATED_AT = 1_790_000_000_000

// SPEC.md §3.4: seed 00..1f encrypted under "saorsa test vector" with scrypt N=2^10, r=8, p=1
const KEYSTORE_VECTOR = '53474b5301010a0801c074cee439899c04503b585f9e5c50706f000dfe05343518ece53d1d60b1af3e3f1b53db52c5f3e857158e00b56e2231a585f0265fe76918f360ec365364a993402bfefe267ff9bdcff31e26040b0744bc7a94e3d2a561f83d79e5e762e07bdffd05e73772ccd84801ee981b'

describe('SPEC.md test vectors', () => {
  it('§3.2 binding signing bytes for seed 00..1f, Ed25519 seed 42×32, created 1790000000000', async () => {
    const identity = PqIdentity.fromSeed(SEED)
    const key = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(0x42))
    const record = await createBinding(identity, key, CREATED_AT)
    expect(toHex(record.peerId)).to.equal('0024080112202152f8d19b791d24453242e15f2eab6cb7cffa7b6a5ed30097960e069881db12')
    expect(toHex(record.libp2pPublicKey)).to.equal('080112202152f8d19b791d24453242e15f2eab6cb7cffa7b6a5ed30097960e069881db12')
    const signingBytes = bindingSigningBytes(record)
    expect(signingBytes.length).to.equal(2075)
    expect(toHex(signingBytes.subarray(0, 29))).to.equal(toHex(new TextEncoder().encode('saorsa-gossip/binding/v1\0')) + '00000001')
    expect(toHex(blake3(signingBytes))).to.equal('8e3ddb6a76616aa1bc1245d89c0ece5301c7f947cf8398d4ec13b74d8e5ec660')
    // Ed25519 signatures are deterministic, so this one is a vector too
    expect(toHex(record.libp2pSignature)).to.equal('a5f6c7d1455374efe0debee9c19a2a7b00eaa66aaf98a054949df013fa76158a037fb8d080222a5c2c3e18faf70943a37c8af4fb3b67509dd8e6dfe0f6611909')
    await verifyBinding(record)
  })

  it('§3.4 keystore file decrypts to seed 00..1f with either backend', async () => {
    const file = fromHex(KEYSTORE_VECTOR)
    if (file == null) {
      throw new Error('bad vector hex')
    }
    for (const backend of ['native', 'noble'] as const) {
      const identity = await decryptIdentity(file, 'saorsa test vector', { backend })
      expect(identity.exportSeed()).to.equalBytes(SEED)
      expect(toHex(blake3(identity.publicKey))).to.equal('66de1384e0ba89c45e52c0cb2b2072efd63e1137e37007b3bfa8738f20db11eb')
    }
  })
})
