import { generateKeyPairFromSeed, privateKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { bytesEqual } from '@saorsa-gossip/core'
import { InvalidFrameError, checkOriginFields, decodeOriginHeader, encodeLibp2pOrigin, libp2pSigningBytes, verifyLibp2pOrigin } from '@saorsa-gossip/pubsub'
import { bytesFrom, decodes, invariant } from '../engine.ts'
import type { Target } from '../engine.ts'
import type { GossipMessage, SignedMessage } from '@saorsa-gossip/pubsub'

const TOPIC = 'fuzz/bridged'
const DATA = new TextEncoder().encode('bridged payload')

const made = new Map<string, Promise<{ header: Uint8Array, id: Uint8Array, from: Uint8Array }>>()

/** An origin header of a message bridged from gossipsub (SPEC.md §7.14), signed by a fixed key (made once) */
async function bridged (type: 'Ed25519' | 'secp256k1'): Promise<{ header: Uint8Array, id: Uint8Array, from: Uint8Array }> {
  let seed = made.get(type)
  if (seed == null) {
    seed = makeBridged(type)
    made.set(type, seed)
  }
  return seed
}

async function makeBridged (type: 'Ed25519' | 'secp256k1'): Promise<{ header: Uint8Array, id: Uint8Array, from: Uint8Array }> {
  // secp256k1 has no seed derivation: a fixed 32-byte private key is one
  const key = type === 'Ed25519' ? await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(5)) : privateKeyFromRaw(new Uint8Array(32).fill(6))
  const from = peerIdFromPrivateKey(key)
  const seqno = 7n
  const seqnoBytes = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 7])
  const signature = await key.sign(libp2pSigningBytes(TOPIC, from.toMultihash().bytes, seqnoBytes, DATA))
  const message: SignedMessage = { type: 'signed', from, topic: TOPIC, data: DATA, sequenceNumber: seqno, signature, key: key.publicKey }
  const { header, id } = encodeLibp2pOrigin(message)
  return { header, id, from: from.toMultihash().bytes }
}

/**
 * decodeOriginHeader, checkOriginFields and verifyLibp2pOrigin on mutated bridged headers:
 * only InvalidFrameError; a header that still verifies names the original author (a mutation
 * that verifies for anyone else is a forgery).
 */
export const pubsubOrigin: Target<Uint8Array> = {
  name: 'pubsub-origin',
  seeds: async () => [(await bridged('Ed25519')).header, (await bridged('secp256k1')).header],
  arbitrary: (corpus) => bytesFrom(corpus, 1024),
  async run (bytes) {
    const origin = decodes(() => decodeOriginHeader(bytes), [InvalidFrameError])
    if (origin?.libp2p == null) {
      return
    }
    invariant(origin.libp2p.seqno.length === 8, () => `decoded a libp2p seqno of ${origin.libp2p?.seqno.length} bytes`)
    const { id } = await bridged('Ed25519')
    const message: GossipMessage = { type: 'gossip', topic: TOPIC, id, round: 1, publishedAt: 0, payload: DATA, header: bytes }
    const checked = checkOriginFields(message, origin)
    if (checked == null || !await verifyLibp2pOrigin(origin.from, origin.libp2p, origin.signature, checked.signingBytes)) {
      return
    }
    const seeds = [await bridged('Ed25519'), await bridged('secp256k1')]
    invariant(seeds.some(seed => bytesEqual(seed.from, origin.from)), () => 'a mutated header verified for another author')
  }
}
