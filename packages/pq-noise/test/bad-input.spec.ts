import { generateKeyPair } from '@libp2p/crypto/keys'
import { createBinding, encodeBinding, PqIdentity } from '@saorsa-gossip/identity'
import { expect } from 'aegir/chai'
import { frame } from '../src/handshake.ts'
import { createPayload, monitorFor, nativeAvailable, nativeBackend, nobleBackend, XXhfsHandshakeState } from '../src/index.ts'
import { encrypter, pipePair, testPeer } from './fixtures/components.ts'
import { flipBit, framedRelay } from './fixtures/relay.ts'
import type { TestPeer } from './fixtures/components.ts'
import type { Tamper } from './fixtures/relay.ts'
import type { PqNoiseInit } from '../src/index.ts'
import type { MessageStream } from '@libp2p/interface'

const crypto = nativeAvailable() ? nativeBackend : nobleBackend
const SHORT = { handshakeTimeout: 1500 }

async function settle (p: Promise<unknown>): Promise<Error | undefined> {
  try {
    await p
    return undefined
  } catch (err: any) {
    return err
  }
}

/** An honest initiator and responder through a tampering relay; resolves with each side's error */
async function throughRelay (tamper: Tamper): Promise<{ initiator?: Error, responder?: Error, a: TestPeer, b: TestPeer }> {
  const a = await testPeer()
  const b = await testPeer()
  const relay = framedRelay(tamper)
  const [initiator, responder] = await Promise.all([
    settle(encrypter(a, SHORT).secureOutbound(relay.initiatorEnd, { remotePeer: b.peerId })),
    settle(encrypter(b, SHORT).secureInbound(relay.responderEnd))
  ])
  return { initiator, responder, a, b }
}

/** An attacker that drives the raw state machine as initiator against an honest responder */
async function attackResponder (attack: (io: { write(m: Uint8Array): Promise<void>, read(): Promise<Uint8Array>, hs: XXhfsHandshakeState, staticKey: Uint8Array }) => Promise<void>, init: PqNoiseInit = {}): Promise<{ error?: Error, victim: TestPeer }> {
  const victim = await testPeer()
  const [attackerEnd, victimEnd] = pipePair()
  const framed = frame(attackerEnd as MessageStream)
  const staticKeys = crypto.x25519FromPrivate(crypto.randomBytes(32))
  const hs = new XXhfsHandshakeState({ crypto, initiator: true, staticKeys })
  const result = settle(encrypter(victim, { ...SHORT, ...init }).secureInbound(victimEnd))
  await attack({
    write: async (m) => { await framed.write(m) },
    read: async () => (await framed.read()).subarray(),
    hs,
    staticKey: staticKeys.publicKey
  }).catch(() => {})
  return { error: await result, victim }
}

function failures (peer: TestPeer, code: string): number {
  return monitorFor(peer.peerId).stats.failures[code] ?? 0
}

describe('bad input', function () {
  this.timeout(30_000)

  describe('a flipped bit in each handshake message fails the handshake with a named error', () => {
    // [message, byte offset, side that must detect it]: offsets fall in each token of the pattern
    const cases: Array<[number, number, 'initiator' | 'responder', string]> = [
      [0, 5, 'initiator', 'A: e'],
      [0, 1215, 'initiator', 'A: e1 (last byte, inside rho)'],
      [1, 3, 'initiator', 'B: e'],
      [1, 32 + 100, 'initiator', 'B: ekem1 ciphertext'],
      [1, 32 + 1103, 'initiator', 'B: ekem1 tag'],
      [1, 32 + 1104 + 10, 'initiator', 'B: s'],
      [1, 32 + 1104 + 48 + 5, 'initiator', 'B: payload'],
      [1, -1, 'initiator', 'B: payload tag'],
      [2, 3, 'responder', 'C: s'],
      [2, 60, 'responder', 'C: payload'],
      [2, -1, 'responder', 'C: payload tag']
    ]
    for (const [message, offset, detector, what] of cases) {
      it(what, async () => {
        const result = await throughRelay(flipBit(message, offset))
        const detected = result[detector]
        expect(detected?.name).to.equal('DecryptionError')
        const peer = detector === 'initiator' ? result.a : result.b
        expect(failures(peer, 'ERR_PQ_NOISE_DECRYPT')).to.equal(1)
        for (const err of [result.initiator, result.responder]) {
          if (err != null) {
            expect((err as any).code).to.match(/^ERR_PQ_NOISE_/)
          }
        }
      })
    }
  })

  it('a truncated message A fails with MalformedHandshakeMessageError', async () => {
    const { error, victim } = await attackResponder(async ({ write, hs }) => {
      await write(hs.writeMessage(new Uint8Array(0)).subarray(0, 1000))
    })
    expect(error?.name).to.equal('MalformedHandshakeMessageError')
    expect(failures(victim, 'ERR_PQ_NOISE_MALFORMED_MESSAGE')).to.equal(1)
  })

  it('an oversize message A (payload in clear) fails with MalformedHandshakeMessageError', async () => {
    const { error } = await attackResponder(async ({ write, hs }) => {
      await write(hs.writeMessage(new Uint8Array(10)))
    })
    expect(error?.name).to.equal('MalformedHandshakeMessageError')
  })

  it('a length prefix that promises more than is sent times out instead of hanging', async () => {
    const victim = await testPeer()
    const [attackerEnd, victimEnd] = pipePair()
    const result = settle(encrypter(victim, { handshakeTimeout: 300 }).secureInbound(victimEnd))
    attackerEnd.send(Uint8Array.of(0x04, 0xc0, 1, 2, 3))
    expect((await result)?.name).to.equal('HandshakeTimeoutError')
    expect(failures(victim, 'ERR_PQ_NOISE_TIMEOUT')).to.equal(1)
  })

  it('a KEM ciphertext one byte short in message B fails with DecryptionError', async () => {
    const result = await throughRelay((index, message) => {
      if (index !== 1) {
        return message
      }
      const shorter = new Uint8Array(message.length - 1)
      shorter.set(message.subarray(0, 32 + 1087))
      shorter.set(message.subarray(32 + 1088), 32 + 1087)
      return shorter
    })
    expect(result.initiator?.name).to.equal('DecryptionError')
  })

  it('a truncated message B fails with MalformedHandshakeMessageError', async () => {
    const result = await throughRelay((index, message) => index === 1 ? message.subarray(0, 1150) : message)
    expect(result.initiator?.name).to.equal('MalformedHandshakeMessageError')
  })

  it('a static key the identity key did not sign fails with StaticKeySignatureError', async () => {
    const attackerKey = await generateKeyPair('Ed25519')
    const { error, victim } = await attackResponder(async ({ write, read, hs }) => {
      await write(hs.writeMessage(new Uint8Array(0)))
      hs.readMessage(await read())
      const otherStatic = crypto.x25519FromPrivate(crypto.randomBytes(32)).publicKey
      await write(hs.writeMessage(await createPayload(attackerKey, otherStatic, { streamMuxers: [] })))
    })
    expect(error?.name).to.equal('StaticKeySignatureError')
    expect(failures(victim, 'ERR_PQ_NOISE_STATIC_KEY_SIGNATURE')).to.equal(1)
  })

  it('a binding record for another key fails with HandshakeBindingError', async () => {
    const attackerKey = await generateKeyPair('Ed25519')
    const someoneElse = await generateKeyPair('Ed25519')
    const binding = encodeBinding(await createBinding(PqIdentity.generate(), someoneElse, Date.now()))
    const { error } = await attackResponder(async ({ write, read, hs, staticKey }) => {
      await write(hs.writeMessage(new Uint8Array(0)))
      hs.readMessage(await read())
      await write(hs.writeMessage(await createPayload(attackerKey, staticKey, { streamMuxers: [], binding })))
    })
    expect(error?.name).to.equal('HandshakeBindingError')
    expect((error?.cause as Error)?.name).to.equal('BindingPeerIdMismatchError')
  })

  it('an undecodable payload fails with InvalidPayloadError', async () => {
    const { error } = await attackResponder(async ({ write, read, hs }) => {
      await write(hs.writeMessage(new Uint8Array(0)))
      hs.readMessage(await read())
      await write(hs.writeMessage(Uint8Array.of(0x0a, 0xff, 0xff, 0x03)))
    })
    expect(error?.name).to.equal('InvalidPayloadError')
  })

  it('a payload listing more than 16 stream muxers fails with InvalidPayloadError', async () => {
    const attackerKey = await generateKeyPair('Ed25519')
    const { error } = await attackResponder(async ({ write, read, hs, staticKey }) => {
      await write(hs.writeMessage(new Uint8Array(0)))
      hs.readMessage(await read())
      const muxers = Array.from({ length: 17 }, (_, i) => `/muxer/${i}`)
      await write(hs.writeMessage(await createPayload(attackerKey, staticKey, { streamMuxers: muxers })))
    })
    expect(error?.name).to.equal('InvalidPayloadError')
  })

  it('disjoint stream muxer lists fail with NoCommonMuxerError (inlined muxer negotiation)', async () => {
    const a = await testPeer()
    const b = await testPeer()
    const muxer = (protocol: string): any => ({ protocol, createStreamMuxer: () => { throw new Error('unused') } })
    a.components.upgrader = { getStreamMuxers: () => new Map([['/a/1.0.0', muxer('/a/1.0.0')]]) } as any
    b.components.upgrader = { getStreamMuxers: () => new Map([['/b/1.0.0', muxer('/b/1.0.0')]]) } as any
    const [out, inb] = pipePair()
    const [initiator, responder] = await Promise.all([
      settle(encrypter(a, SHORT).secureOutbound(out)),
      settle(encrypter(b, SHORT).secureInbound(inb))
    ])
    expect(initiator?.name).to.equal('NoCommonMuxerError')
    expect(responder?.name).to.be.oneOf(['NoCommonMuxerError', 'MalformedHandshakeMessageError'])
  })

  it('no binding under requireBinding fails with MissingBindingError', async () => {
    const attackerKey = await generateKeyPair('Ed25519')
    const { error } = await attackResponder(async ({ write, read, hs, staticKey }) => {
      await write(hs.writeMessage(new Uint8Array(0)))
      hs.readMessage(await read())
      await write(hs.writeMessage(await createPayload(attackerKey, staticKey, { streamMuxers: [] })))
    }, { requireBinding: true })
    expect(error?.name).to.equal('MissingBindingError')
  })

  it('a peer that authenticates as someone other than the dialled PeerId fails with UnexpectedPeerError', async () => {
    const a = await testPeer()
    const b = await testPeer()
    const c = await testPeer()
    const [out, inb] = pipePair()
    const [initiator] = await Promise.all([
      settle(encrypter(a, SHORT).secureOutbound(out, { remotePeer: c.peerId })),
      settle(encrypter(b, SHORT).secureInbound(inb))
    ])
    expect(initiator?.name).to.equal('UnexpectedPeerError')
  })

  it('a replayed handshake (recorded A and C) fails with DecryptionError', async () => {
    const a = await testPeer()
    const b = await testPeer()
    const relay = framedRelay((_, m) => m)
    await Promise.all([encrypter(a).secureOutbound(relay.initiatorEnd), encrypter(b).secureInbound(relay.responderEnd)])
    const [recordedA, , recordedC] = relay.captured
    const { error } = await attackResponder(async ({ write, read }) => {
      await write(recordedA)
      await read()
      await write(recordedC)
    })
    expect(error?.name).to.equal('DecryptionError')
  })
})
