import { expect } from 'aegir/chai'
import { ConnectionSecrets, deriveConnectionSecret, NNpsk0HandshakeState, nativeAvailable, nativeBackend, nobleBackend, resumeChannel } from '../src/index.ts'
import { pipePair, readBytes } from './fixtures/components.ts'
import { flipBit, framedRelay } from './fixtures/relay.ts'
import type { ConnectionSecret } from '../src/index.ts'
import type { Tamper } from './fixtures/relay.ts'
import type { Connection, MessageStream } from '@libp2p/interface'

const crypto = nativeAvailable() ? nativeBackend : nobleBackend
const PROLOGUE = new TextEncoder().encode('test prologue')

function secret (fill: number): ConnectionSecret {
  return deriveConnectionSecret(crypto, new Uint8Array(32).fill(fill), [new Uint8Array(32).fill(fill + 1), new Uint8Array(32).fill(fill + 2)])
}

async function settle (p: Promise<unknown>): Promise<Error | undefined> {
  try {
    await p
    return undefined
  } catch (err: any) {
    return err
  }
}

/** Both ends of a resumed handshake; the responder holds `held` */
async function resume (initiatorSecret: ConnectionSecret | undefined, held: ConnectionSecret[], ends?: [MessageStream, MessageStream]): Promise<{ initiator?: Error, responder?: Error, streams: MessageStream[] }> {
  const [a, b] = ends ?? pipePair()
  const streams: MessageStream[] = []
  const [initiator, responder] = await Promise.all([
    settle(resumeChannel(a, true, { crypto, timeoutMs: 1500, secret: initiatorSecret }).then(s => { streams[0] = s })),
    settle(resumeChannel(b, false, { crypto, timeoutMs: 1500, lookup: async (id) => held.find(h => Buffer.from(h.id).equals(Buffer.from(id))) }).then(s => { streams[1] = s }))
  ])
  return { initiator, responder, streams }
}

describe('resumed stream handshakes (Noise_NNpsk0 from the connection secret)', function () {
  this.timeout(20_000)

  it('NNpsk0: both sides derive the same keys and hash; every handshake has fresh keys', () => {
    const run = (): { hashes: Uint8Array[], sealed: Uint8Array } => {
      const psk = secret(1).psk
      const i = new NNpsk0HandshakeState({ crypto, initiator: true, psk, prologue: PROLOGUE })
      const r = new NNpsk0HandshakeState({ crypto, initiator: false, psk, prologue: PROLOGUE })
      expect(r.readMessage(i.writeMessage(new Uint8Array(0)))).to.have.length(0)
      expect(i.readMessage(r.writeMessage(new Uint8Array(0)))).to.have.length(0)
      const ri = i.finish()
      const rr = r.finish()
      const sealed = ri.send.encryptWithAd(new Uint8Array(0), Uint8Array.of(1, 2, 3))
      expect(rr.receive.decryptWithAd(new Uint8Array(0), sealed)).to.equalBytes(Uint8Array.of(1, 2, 3))
      return { hashes: [ri.handshakeHash, rr.handshakeHash], sealed }
    }
    const first = run()
    const second = run()
    expect(first.hashes[0]).to.equalBytes(first.hashes[1])
    expect(first.hashes[0]).to.not.equalBytes(second.hashes[0])
    expect(first.sealed).to.not.equalBytes(second.sealed)
  })

  it('NNpsk0: a wrong psk or another prologue fails message A with DecryptionError', () => {
    for (const [psk, prologue] of [[secret(9).psk, PROLOGUE], [secret(1).psk, Uint8Array.of(0)]] as const) {
      const i = new NNpsk0HandshakeState({ crypto, initiator: true, psk: secret(1).psk, prologue: PROLOGUE })
      const r = new NNpsk0HandshakeState({ crypto, initiator: false, psk, prologue })
      expect(() => r.readMessage(i.writeMessage(new Uint8Array(0)))).to.throw().with.property('name', 'DecryptionError')
    }
  })

  it('NNpsk0: a psk of the wrong length and short messages are named errors', () => {
    expect(() => new NNpsk0HandshakeState({ crypto, initiator: true, psk: new Uint8Array(31), prologue: PROLOGUE })).to.throw().with.property('name', 'HandshakeStateError')
    const r = new NNpsk0HandshakeState({ crypto, initiator: false, psk: secret(1).psk, prologue: PROLOGUE })
    expect(() => r.readMessage(new Uint8Array(47))).to.throw().with.property('name', 'MalformedHandshakeMessageError')
  })

  it('resumeChannel: carries data both ways under the resumed keys', async () => {
    const s = secret(3)
    const { initiator, responder, streams } = await resume(s, [secret(4), s])
    expect(initiator).to.equal(undefined)
    expect(responder).to.equal(undefined)
    const atB = readBytes(streams[1], 70_000)
    const big = new Uint8Array(70_000).map((_, i) => i % 251)
    streams[0].send(big)
    expect(await atB).to.equalBytes(big)
  })

  it('resumeChannel: an id the responder does not hold is UnknownResumptionError; no id at all as well', async () => {
    const unknown = await resume(secret(5), [secret(6)])
    expect(unknown.responder?.name).to.equal('UnknownResumptionError')
    expect(unknown.initiator).to.be.an('error')
    const none = await resume(undefined, [secret(6)])
    expect(none.initiator?.name).to.equal('UnknownResumptionError')
  })

  it('resumeChannel: a flipped bit in the id, A or B fails the handshake with a named error on the side that reads it', async () => {
    const cases: Array<[Tamper, 'initiator' | 'responder', string]> = [
      [flipBit(0, 3), 'responder', 'UnknownResumptionError'],
      [flipBit(1, 5), 'responder', 'DecryptionError'],
      [flipBit(1, -1), 'responder', 'DecryptionError'],
      [flipBit(2, 5), 'initiator', 'DecryptionError'],
      [flipBit(2, -1), 'initiator', 'DecryptionError']
    ]
    for (const [tamper, side, name] of cases) {
      const s = secret(7)
      const relay = framedRelay(tamper)
      const result = await resume(s, [s], [relay.initiatorEnd, relay.responderEnd])
      expect(result[side]?.name, `${side} ${name}`).to.equal(name)
    }
  })

  it('resumeChannel: a silent peer is HandshakeTimeoutError, a truncated id MalformedHandshakeMessageError', async () => {
    const [a, b] = pipePair()
    const silent = await settle(resumeChannel(a, false, { crypto, timeoutMs: 300, lookup: async () => undefined }))
    expect(silent?.name).to.equal('HandshakeTimeoutError')
    b.abort(new Error('done'))
    const [c, d] = pipePair()
    const reading = settle(resumeChannel(d, false, { crypto, timeoutMs: 1500, lookup: async () => secret(1) }))
    c.send(Uint8Array.of(0, 3, 1, 2, 3))
    expect((await reading)?.name).to.equal('MalformedHandshakeMessageError')
  })

  it('ConnectionSecrets: waits for a full handshake in flight, forgets a failed secret, zeroes on drop', async () => {
    const secrets = new ConnectionSecrets()
    const connection = {} as unknown as Connection
    let finish!: () => void
    secrets.track(connection, new Promise<void>(resolve => { finish = resolve }))
    let settled = false
    const waiting = secrets.settled(connection).then(() => { settled = true })
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(settled).to.equal(false)
    const s1 = secret(1)
    const s2 = secret(2)
    secrets.add(connection, s1)
    secrets.add(connection, s2)
    finish()
    await waiting
    expect(secrets.latest(connection)).to.equal(s2)
    secrets.forget(connection, s2)
    expect(secrets.latest(connection)).to.equal(s1)
    expect(s2.psk.every(b => b === 0)).to.equal(true)
    secrets.drop(connection)
    expect(secrets.latest(connection)).to.equal(undefined)
    expect(s1.psk.every(b => b === 0)).to.equal(true)
  })
})
