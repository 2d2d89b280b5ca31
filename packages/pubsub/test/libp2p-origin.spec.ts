import { generateKeyPair, generateKeyPairFromSeed, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { RPC } from '@libp2p/gossipsub/message'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { expect } from 'aegir/chai'
import { encodeLibp2pOrigin, libp2pMessageId, libp2pSigningBytes, verifyLibp2pOrigin } from '../src/libp2p-origin.ts'
import { checkOriginStructure, decodeOriginHeader, originMessageId } from '../src/origin.ts'
import { OriginHeader } from '../src/pb/pubsub.ts'
import type { SignedMessage } from '../src/api.ts'
import type { GossipMessage } from '../src/core/messages.ts'
import type { PrivateKey } from '@libp2p/interface'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const utf8 = new TextEncoder()
const topic = 'saorsa/chat'

/** A message signed exactly as gossipsub 17 signs one (its own protobuf encoder, buildRawMessage's bytes) */
async function gossipsubSigned (key: PrivateKey, data: Uint8Array, seqno: bigint): Promise<SignedMessage> {
  const from = peerIdFromPrivateKey(key)
  const seqnoBytes = new Uint8Array(8)
  new DataView(seqnoBytes.buffer).setBigUint64(0, seqno)
  const signed = RPC.Message.encode({ from: from.toMultihash().bytes, data, seqno: seqnoBytes, topic })
  const signature = await key.sign(Uint8Array.from([...utf8.encode('libp2p-pubsub:'), ...signed]))
  return { type: 'signed', from, topic, data, sequenceNumber: seqno, signature, key: key.publicKey }
}

function asGossip (message: SignedMessage, overrides: Partial<GossipMessage> = {}): GossipMessage {
  const { id, header } = encodeLibp2pOrigin(message)
  return { type: 'gossip', topic: message.topic, id, round: 1, publishedAt: 1_700_000_000_000, payload: message.data, header, ...overrides }
}

async function verifies (message: GossipMessage): Promise<boolean> {
  const checked = checkOriginStructure(message)
  if (checked?.libp2p == null) {
    return false
  }
  return verifyLibp2pOrigin(checked.from, checked.libp2p, checked.signature, checked.signingBytes)
}

describe('messages bridged from gossipsub (SPEC.md §7.14)', () => {
  it('our signing bytes are gossipsub\'s: its signature verifies, for Ed25519, secp256k1 and RSA authors', async function () {
    this.timeout(30_000)
    for (const type of ['Ed25519', 'secp256k1', 'RSA'] as const) {
      const key = await generateKeyPair(type as any)
      const message = await gossipsubSigned(key, utf8.encode(`hello from ${type}`), 1_700_000_000_000_000_001n)
      const gossip = asGossip(message)
      const origin = decodeOriginHeader(gossip.header as Uint8Array)
      expect(origin.libp2p?.seqno.length).to.equal(8)
      // only RSA PeerIds cannot give the key: it travels in the header then
      expect(origin.libp2p?.key != null).to.equal(type === 'RSA')
      expect(await verifies(gossip), type).to.equal(true)
    }
  })

  it('a changed payload, topic, seqno or author fails; publishedAt is not signed', async () => {
    const key = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(3))
    const message = await gossipsubSigned(key, utf8.encode('hello world'), 7n)
    const good = asGossip(message)
    expect(await verifies({ ...good, publishedAt: 1 })).to.equal(true)
    // a forger that keeps the id fails the id check; one that recomputes it fails the signature
    expect(checkOriginStructure({ ...good, payload: utf8.encode('hello world!') })).to.equal(undefined)
    const forged = asGossip({ ...message, data: utf8.encode('hello world!') })
    expect(checkOriginStructure(forged)).to.not.equal(undefined)
    expect(await verifies(forged)).to.equal(false)
    expect(await verifies(asGossip({ ...message, topic: 'saorsa/other' }))).to.equal(false)
    expect(await verifies(asGossip({ ...message, sequenceNumber: 8n }))).to.equal(false)
    const other = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(4))
    expect(await verifies(asGossip({ ...message, from: peerIdFromPrivateKey(other), key: other.publicKey }))).to.equal(false)
  })

  it('the id names the author apart from a native origin with the same PeerId and seqno (vector)', async () => {
    const key = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(3))
    const from = peerIdFromPrivateKey(key).toMultihash().bytes
    const seqno = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 7])
    const payload = utf8.encode('hello world')
    const id = libp2pMessageId(topic, from, seqno, payload)
    expect(hex(id)).to.equal(hex(libp2pMessageId(topic, from, seqno, payload)))
    expect(hex(id)).to.not.equal(hex(originMessageId({ topic, from, seqno: 7n, payload })))
    expect(hex(id)).to.equal('88fcf02ee0c7c7cfbc4a1b4238856e416770966f9dd4e2350c765a09a2b85c5d')
    // "libp2p-pubsub:" then gossipsub's Message fields 1–4
    expect(hex(libp2pSigningBytes(topic, from, seqno, payload))).to.equal('6c69627032702d7075627375623a' + '0a26' + hex(from) + '120b68656c6c6f20776f726c64' + '1a080000000000000007' + '220b73616f7273612f63686174')
  })

  it('refuses headers that break the libp2p rules', async () => {
    const key = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(3))
    const message = await gossipsubSigned(key, utf8.encode('x'), 7n)
    const header = OriginHeader.decode(encodeLibp2pOrigin(message).header)
    const bad = (overrides: Partial<OriginHeader>): Uint8Array => OriginHeader.encode({ ...header, ...overrides })
    expect(() => decodeOriginHeader(bad({ libp2pSeqno: new Uint8Array(7) }))).to.throw(/8 bytes/)
    expect(() => decodeOriginHeader(bad({ seqno: 5 }))).to.throw(/seqno 0/)
    expect(() => decodeOriginHeader(bad({ libp2pSeqno: new Uint8Array(0), libp2pKey: new Uint8Array(5) }))).to.throw(/without a libp2p seqno/)
    expect(() => decodeOriginHeader(bad({ libp2pKey: new Uint8Array(4096) }))).to.throw(/at most/)
    // a key that is not the author's
    const other = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(4))
    const wrongKey = { ...asGossip(message), header: bad({ libp2pKey: publicKeyToProtobuf(other.publicKey) as Uint8Array<ArrayBuffer> }) }
    expect(await verifies(wrongKey)).to.equal(false)
  })
})
