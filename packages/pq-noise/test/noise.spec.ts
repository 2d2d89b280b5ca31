import { expect } from 'aegir/chai'
import { Uint8ArrayList } from 'uint8arraylist'
import {
  CipherState, MAX_NONCE, nativeAvailable, nativeBackend, nobleBackend, SymmetricState, XXhfsHandshakeState, NOISE_MAX_MESSAGE_LENGTH,
  PROTOCOL_NAME
} from '../src/index.ts'
import type { NoiseCryptoBackend } from '../src/index.ts'

const fill = (v: number, n: number): Uint8Array => new Uint8Array(n).fill(v)
const backends: NoiseCryptoBackend[] = nativeAvailable() ? [nobleBackend, nativeBackend] : [nobleBackend]

function handshakePair (crypto: NoiseCryptoBackend): [XXhfsHandshakeState, XXhfsHandshakeState] {
  return [
    new XXhfsHandshakeState({ crypto, initiator: true, staticKeys: crypto.x25519FromPrivate(crypto.randomBytes(32)) }),
    new XXhfsHandshakeState({ crypto, initiator: false, staticKeys: crypto.x25519FromPrivate(crypto.randomBytes(32)) })
  ]
}

describe('crypto backends', () => {
  before(function () {
    if (!nativeAvailable()) {
      this.skip()
    }
  })

  it('agree on SHA-256, HMAC, X25519 and ChaCha20-Poly1305 byte for byte', () => {
    const data = fill(7, 1000)
    expect(nativeBackend.sha256(data, data)).to.equalBytes(nobleBackend.sha256(data, data))
    expect(nativeBackend.hmacSha256(fill(1, 32), data)).to.equalBytes(nobleBackend.hmacSha256(fill(1, 32), data))
    const a = nativeBackend.x25519FromPrivate(fill(3, 32))
    const b = nobleBackend.x25519FromPrivate(fill(4, 32))
    expect(nobleBackend.x25519FromPrivate(fill(3, 32)).publicKey).to.equalBytes(a.publicKey)
    expect(nativeBackend.x25519(a.privateKey, b.publicKey)).to.equalBytes(nobleBackend.x25519(b.privateKey, a.publicKey))
    const key = fill(9, 32)
    const nonce = fill(0, 12)
    const sealed = nativeBackend.seal(key, nonce, fill(2, 5), data)
    expect(sealed).to.equalBytes(nobleBackend.seal(key, nonce, fill(2, 5), data))
    expect(nobleBackend.open(key, nonce, fill(2, 5), sealed)).to.equalBytes(data)
    expect(nativeBackend.open(key, nonce, fill(2, 5), sealed)).to.equalBytes(data)
    // the buffer-list forms used by the transport phase give the same bytes
    const parts = new Uint8ArrayList(data.subarray(0, 300), data.subarray(300))
    const sealedList = nativeBackend.sealList(key, nonce, parts)
    expect(sealedList.subarray()).to.equalBytes(nobleBackend.seal(key, nonce, new Uint8Array(0), data))
    expect(nobleBackend.sealList(key, nonce, parts).subarray()).to.equalBytes(sealedList.subarray())
    const split = new Uint8ArrayList(sealedList.subarray(0, 17), sealedList.subarray(17))
    expect(nativeBackend.openList(key, nonce, split)?.subarray()).to.equalBytes(data)
    expect(nobleBackend.openList(key, nonce, split)?.subarray()).to.equalBytes(data)
    const bad = split.subarray()
    bad[0] ^= 1
    expect(nativeBackend.openList(key, nonce, new Uint8ArrayList(bad))).to.equal(undefined)
  })

  it('agree on ML-KEM-768: same key from a seed, and each decapsulates the other\'s ciphertext', () => {
    const seed = fill(0x15, 64)
    const native = nativeBackend.kemFromSeed(seed)
    const noble = nobleBackend.kemFromSeed(fill(0x15, 64))
    expect(native.publicKey).to.equalBytes(noble.publicKey)
    const fromNative = nativeBackend.kemEncapsulate(noble.publicKey)
    expect(nobleBackend.kemDecapsulate(fromNative.ciphertext, noble.privateKey)).to.equalBytes(fromNative.sharedSecret)
    const fromNoble = nobleBackend.kemEncapsulate(native.publicKey, fill(0x16, 32))
    expect(nativeBackend.kemDecapsulate(fromNoble.ciphertext, native.privateKey)).to.equalBytes(fromNoble.sharedSecret)
  })

  it('complete a handshake with each other (native initiator, noble responder)', () => {
    const i = new XXhfsHandshakeState({ crypto: nativeBackend, initiator: true, staticKeys: nativeBackend.x25519FromPrivate(fill(5, 32)) })
    const r = new XXhfsHandshakeState({ crypto: nobleBackend, initiator: false, staticKeys: nobleBackend.x25519FromPrivate(fill(6, 32)) })
    r.readMessage(i.writeMessage(new Uint8Array(0)))
    i.readMessage(r.writeMessage(fill(1, 10)))
    r.readMessage(i.writeMessage(fill(2, 10)))
    const fi = i.finish()
    const fr = r.finish()
    expect(fi.handshakeHash).to.equalBytes(fr.handshakeHash)
    expect(fr.receive.decryptWithAd(new Uint8Array(0), fi.send.encryptWithAd(new Uint8Array(0), fill(8, 100)))).to.equalBytes(fill(8, 100))
  })
})

for (const crypto of backends) {
  describe(`Noise state machine (${crypto.name})`, () => {
    it('hashes a protocol name longer than 32 bytes into h (Noise §5.2)', () => {
      const ss = new SymmetricState(crypto, PROTOCOL_NAME)
      expect(ss.handshakeHash).to.equalBytes(crypto.sha256(new TextEncoder().encode(PROTOCOL_NAME)))
      const short = new SymmetricState(crypto, 'Noise_NN')
      expect(short.handshakeHash.subarray(0, 8)).to.equalBytes(new TextEncoder().encode('Noise_NN'))
      expect(short.handshakeHash.subarray(8)).to.equalBytes(new Uint8Array(24))
    })

    it('encodes the nonce as 4 zero bytes and a little-endian u64 (Noise §12.3)', () => {
      const key = fill(1, 32)
      const n = 0x1_0000_0002
      const cs = new CipherState(crypto, key, n)
      const nonce = new Uint8Array(12)
      new DataView(nonce.buffer).setBigUint64(4, BigInt(n), true)
      expect(cs.encryptWithAd(new Uint8Array(0), fill(3, 4))).to.equalBytes(crypto.seal(key, nonce, new Uint8Array(0), fill(3, 4)))
      expect(cs.nonce).to.equal(n + 1)
    })

    it('refuses to use the last nonce, and a failed decryption does not advance the nonce', () => {
      const cs = new CipherState(crypto, fill(1, 32), MAX_NONCE)
      expect(() => cs.encryptWithAd(new Uint8Array(0), fill(3, 4))).to.throw().with.property('name', 'NonceExhaustedError')
      const good = new CipherState(crypto, fill(1, 32))
      const sealed = good.encryptWithAd(new Uint8Array(0), fill(3, 4))
      sealed[0] ^= 1
      const reader = new CipherState(crypto, fill(1, 32))
      expect(() => reader.decryptWithAd(new Uint8Array(0), sealed)).to.throw().with.property('name', 'DecryptionError')
      expect(reader.nonce).to.equal(0)
    })

    it('rekeys both sides to the same new key (Noise §11.3)', () => {
      const a = new CipherState(crypto, fill(1, 32))
      const b = new CipherState(crypto, fill(1, 32))
      a.rekey()
      b.rekey()
      expect(b.decryptWithAd(new Uint8Array(0), a.encryptWithAd(new Uint8Array(0), fill(4, 4)))).to.equalBytes(fill(4, 4))
      const stale = new CipherState(crypto, fill(1, 32))
      expect(() => stale.decryptWithAd(new Uint8Array(0), a.encryptWithAd(new Uint8Array(0), fill(4, 4)))).to.throw().with.property('name', 'DecryptionError')
    })

    it('produces the sizes of the draft: A 1216, B 1200 + payload, C 64 + payload', () => {
      const [i, r] = handshakePair(crypto)
      const a = i.writeMessage(new Uint8Array(0))
      r.readMessage(a)
      const b = r.writeMessage(fill(1, 100))
      i.readMessage(b)
      const c = i.writeMessage(fill(2, 50))
      r.readMessage(c)
      expect([a.length, b.length, c.length]).to.deep.equal([1216, 1300, 114])
    })

    it('refuses to write a message over 65535 bytes and to read one', () => {
      const [i, r] = handshakePair(crypto)
      r.readMessage(i.writeMessage(new Uint8Array(0)))
      expect(() => r.writeMessage(new Uint8Array(NOISE_MAX_MESSAGE_LENGTH))).to.throw().with.property('name', 'MalformedHandshakeMessageError')
      const [i2] = handshakePair(crypto)
      i2.writeMessage(new Uint8Array(0))
      expect(() => i2.readMessage(new Uint8Array(NOISE_MAX_MESSAGE_LENGTH + 1))).to.throw().with.property('name', 'MalformedHandshakeMessageError')
    })

    it('rejects steps out of order with HandshakeStateError', () => {
      const [i, r] = handshakePair(crypto)
      expect(() => r.writeMessage(new Uint8Array(0))).to.throw().with.property('name', 'HandshakeStateError')
      expect(() => i.readMessage(new Uint8Array(1216))).to.throw().with.property('name', 'HandshakeStateError')
      expect(() => i.finish()).to.throw().with.property('name', 'HandshakeStateError')
    })

    it('rejects a low-order X25519 ephemeral and a malformed ML-KEM key with InvalidHandshakeKeyError', () => {
      const [i, r] = handshakePair(crypto)
      const a = i.writeMessage(new Uint8Array(0))
      const lowOrder = a.slice()
      lowOrder.fill(0, 0, 32) // the point 0 has order 4
      r.readMessage(lowOrder)
      expect(() => r.writeMessage(new Uint8Array(0))).to.throw().with.property('name', 'InvalidHandshakeKeyError')
      const [, r2] = handshakePair(crypto)
      const badKem = a.slice()
      badKem.fill(0xff, 32, 32 + 384) // coefficients ≥ q fail the FIPS 203 modulus check
      r2.readMessage(badKem)
      expect(() => r2.writeMessage(new Uint8Array(0))).to.throw().with.property('name', 'InvalidHandshakeKeyError')
    })

    it('rejects a KEM ciphertext of the wrong length', () => {
      const kem = crypto.kemFromSeed(fill(1, 64))
      expect(() => crypto.kemDecapsulate(new Uint8Array(1087), kem.privateKey)).to.throw().with.property('name', 'InvalidKemCiphertextError')
      expect(() => crypto.kemEncapsulate(new Uint8Array(1183))).to.throw().with.property('name', 'InvalidHandshakeKeyError')
    })

    it('fails on truncated messages with MalformedHandshakeMessageError', () => {
      const [i, r] = handshakePair(crypto)
      const a = i.writeMessage(new Uint8Array(0))
      expect(() => r.readMessage(a.subarray(0, 1215))).to.throw().with.property('name', 'MalformedHandshakeMessageError')
      const [i2, r2] = handshakePair(crypto)
      r2.readMessage(i2.writeMessage(new Uint8Array(0)))
      const b = r2.writeMessage(new Uint8Array(0))
      expect(() => i2.readMessage(b.subarray(0, 1199))).to.throw().with.property('name', 'MalformedHandshakeMessageError')
    })
  })
}
