import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { PqIdentity, createBinding, encodeBinding, encodeCarriedKey } from '@saorsa-gossip/identity'
import { expect } from 'aegir/chai'
import { OriginGate } from '../src/origin-gate.ts'
import { decodeOriginHeader, signOrigin } from '../src/origin.ts'
import { PlumtreeStats } from '../src/stats.ts'
import type { GossipMessage } from '../src/core/messages.ts'
import type { ReceivedOrigin } from '../src/decoded-origins.ts'
import type { Logger } from '@libp2p/interface'
import type { BindingRecord, PqIdentityService } from '@saorsa-gossip/identity'

interface Publisher { peer: string, identity: PqIdentity, record: BindingRecord }

async function publisher (): Promise<Publisher> {
  const key = await generateKeyPair('Ed25519')
  const identity = PqIdentity.generate()
  return { peer: peerIdFromPrivateKey(key).toString(), identity, record: await createBinding(identity, key, Date.now()) }
}

function message (from: Publisher, seqno: number, signer = from.identity): { message: GossipMessage, origin: ReceivedOrigin } {
  const fields = { topic: 'saorsa/chat', from: from.record.peerId, seqno: BigInt(seqno), publishedAt: Date.now(), payload: new TextEncoder().encode(`m${seqno}`) }
  const { id, header } = signOrigin(fields, bytes => signer.sign(bytes))
  return {
    message: { type: 'gossip', topic: fields.topic, id, round: 1, publishedAt: fields.publishedAt, payload: fields.payload, header },
    origin: { ...decodeOriginHeader(header), peer: from.peer }
  }
}

/**
 * The origin gate with an identity service that knows no binding and whose lookups fail:
 * whatever the gate lets through, it let through on what the frame carried
 */
function gate (): { gate: OriginGate, passed: GossipMessage[], blamed: string[], lookups: string[], stats: PlumtreeStats } {
  const passed: GossipMessage[] = []
  const blamed: string[] = []
  const lookups: string[] = []
  const stats = new PlumtreeStats(undefined, () => undefined, () => ({}))
  const identity = {
    getCachedBinding: () => undefined,
    acceptBinding: async () => { throw new Error('not used by carried keys') },
    resolveBinding: async (peer: { toString(): string }) => { lookups.push(peer.toString()); throw new Error('no lookups here') }
  } as unknown as PqIdentityService
  const g = new OriginGate({
    self: 'self',
    identity: () => identity,
    stats,
    log: Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false }) as unknown as Logger,
    lookupTimeout: 100,
    unknownOriginBackoff: 1000,
    pass: (_from, m) => { passed.push(m) },
    badBinding: (peer) => { blamed.push(peer) },
    needsOriginCheck: () => true,
    acceptsForwarded: () => false
  })
  return { gate: g, passed, blamed, lookups, stats }
}

const settle = async (): Promise<void> => new Promise(resolve => setTimeout(resolve, 50))

describe('origin gate: carried keys (SPEC.md §7.10)', () => {
  let alice: Publisher
  let mallory: Publisher
  /** the peer that relayed the frames (a lookup asks it first) */
  let relay: string

  before(async () => {
    alice = await publisher()
    mallory = await publisher()
    relay = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  })

  it('takes a carried key with a message that proves it, and checks that origin\'s later messages with it', async () => {
    const t = gate()
    const first = message(alice, 1)
    t.gate.admit(relay, first.message, first.origin, { key: encodeCarriedKey(alice.record) })
    await settle()
    expect(t.passed).to.deep.equal([first.message])
    // the proving message is not checked twice; a later message is checked with the key
    expect(t.gate.verify(first.message, first.origin)).to.equal(true)
    const second = message(alice, 2)
    t.gate.admit(relay, second.message, second.origin)
    expect(t.passed).to.have.length(2)
    expect(t.gate.verify(second.message, second.origin)).to.equal(true)
    expect(t.gate.verify({ ...second.message, publishedAt: second.message.publishedAt + 1 }, second.origin)).to.equal(false)
    expect(t.gate.provenRecord(alice.peer)?.mlDsaSignature).to.have.length(0)
    expect(t.stats.originsCarried).to.equal(1)
    expect(t.lookups).to.be.empty()
  })

  it('a key claimed for an origin whose messages it did not sign is not taken, nor anyone blamed for it', async () => {
    // mallory binds alice's ML-DSA key to its own PeerId (its libp2p signature is genuine) and
    // sends a message signed with its own ML-DSA key under that PeerId: no proof of possession
    const key = await generateKeyPair('Ed25519')
    const stolen = await createBinding(alice.identity, key, Date.now())
    const claimant: Publisher = { peer: peerIdFromPrivateKey(key).toString(), identity: mallory.identity, record: stolen }
    const t = gate()
    const forged = message(claimant, 1)
    t.gate.admit(relay, forged.message, forged.origin, { key: encodeCarriedKey(stolen) })
    await settle()
    expect(t.gate.keyOf(claimant.peer)).to.equal(undefined)
    expect(t.stats.drops['unproven-origin-key']).to.equal(1)
    // the origin is looked up instead (the message may be the forgery); nothing passes here
    expect(t.lookups).to.deep.equal([claimant.peer])
    expect(t.passed).to.be.empty()
    expect(t.blamed).to.be.empty()
  })

  it('a forged message with a genuine carried key proves nothing: the key is not taken from it', async () => {
    const t = gate()
    const forged = message(alice, 3, mallory.identity)
    t.gate.admit(relay, forged.message, forged.origin, { key: encodeCarriedKey(alice.record) })
    await settle()
    expect(t.gate.keyOf(alice.peer)).to.equal(undefined)
    expect(t.stats.drops['unproven-origin-key']).to.equal(1)
    expect(t.passed).to.be.empty()
  })

  it('a carried key whose libp2p signature fails, or that names another origin, blames the relay', async () => {
    for (const bad of [
      encodeCarriedKey({ ...alice.record, libp2pSignature: new Uint8Array(alice.record.libp2pSignature.length) }),
      encodeCarriedKey(mallory.record),
      new Uint8Array([1, 2, 3]),
      // a whole record in the carried-key field is not a carried key
      encodeBinding(alice.record)
    ]) {
      const t = gate()
      const first = message(alice, 4)
      t.gate.admit(relay, first.message, first.origin, { key: bad })
      await settle()
      expect(t.blamed).to.deep.equal([relay])
      expect(t.stats.drops['bad-origin-binding']).to.equal(1)
      expect(t.gate.keyOf(alice.peer)).to.equal(undefined)
      expect(t.passed).to.be.empty()
    }
  })
})
