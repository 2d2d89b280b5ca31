import { generateKeyPair } from '@libp2p/crypto/keys'
import { lpStream } from '@libp2p/utils'
import { expect } from 'aegir/chai'
import { createBinding, encodeBinding } from '../src/binding.ts'
import { PROTOCOL } from '../src/constants.ts'
import { PqIdentity } from '../src/identity.ts'
import { IdentityExchange } from '../src/pb/identity.ts'
import { createIdentityNode, createPlainNode, waitFor } from './fixtures/nodes.ts'
import type { IdentityNode } from './fixtures/nodes.ts'
import type { Libp2p, PrivateKey, Stream } from '@libp2p/interface'

/** Resolves when the victim has closed or reset the stream (or after 5 s, failing) */
async function closedByRemote (stream: Stream): Promise<void> {
  await waitFor(() => stream.status !== 'open' || stream.readStatus !== 'readable', 5000, 'stream closed by the remote')
}

describe('pqIdentity under bad input', function () {
  this.timeout(30_000)
  let victim: IdentityNode
  let honest: IdentityNode
  let attacker: Libp2p
  let attackerKey: PrivateKey

  beforeEach(async () => {
    victim = await createIdentityNode('tcp', { exchangeOnConnect: false, exchangeTimeout: 1000 })
    honest = await createIdentityNode('tcp', { exchangeOnConnect: false })
    attackerKey = await generateKeyPair('Ed25519')
    attacker = await createPlainNode('tcp', attackerKey)
  })

  afterEach(async () => {
    await Promise.all([victim.stop(), honest.stop(), attacker.stop()])
  })

  async function attack (): Promise<Stream> {
    return attacker.dialProtocol(victim.getMultiaddrs(), PROTOCOL)
  }

  async function victimStillServes (): Promise<void> {
    await honest.dial(victim.getMultiaddrs())
    const key = await honest.services.pqIdentity.getPublicKey(victim.peerId)
    expect(key).to.equalBytes(victim.services.pqIdentity.identity.publicKey)
    expect(victim.services.pqIdentity.getCachedBinding(honest.peerId)?.mlDsaPublicKey).to.equalBytes(honest.services.pqIdentity.identity.publicKey)
  }

  it('undecodable frame: stream reset, counted as malformed, node keeps serving', async () => {
    const stream = await attack()
    await lpStream(stream).write(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]))
    await closedByRemote(stream)
    await waitFor(() => victim.services.pqIdentity.stats.malformedFrames === 1, 5000, 'malformed frame counted')
    await victimStillServes()
  })

  it('oversize length prefix: rejected before buffering, counted, node keeps serving', async () => {
    const stream = await attack()
    // varint 0x40000 = 262,144 bytes announced, far above the 8 KiB limit
    stream.send(new Uint8Array([0x80, 0x80, 0x10]))
    stream.send(new Uint8Array(1024))
    await closedByRemote(stream)
    await waitFor(() => victim.services.pqIdentity.stats.malformedFrames === 1, 5000, 'oversize frame counted')
    await victimStillServes()
  })

  it('replayed binding of another peer: rejected as invalid, the replayer learns nothing', async () => {
    const stream = await attack()
    const lp = lpStream(stream)
    await lp.write(IdentityExchange.encode({ binding: honest.services.pqIdentity.binding }))
    await closedByRemote(stream)
    await waitFor(() => victim.services.pqIdentity.stats.invalidRecords === 1, 5000, 'invalid record counted')
    expect(victim.services.pqIdentity.getCachedBinding(attacker.peerId)).to.equal(undefined)
    expect(victim.services.pqIdentity.getCachedBinding(honest.peerId)).to.equal(undefined)
    await expect(lp.read({ signal: AbortSignal.timeout(2000) })).to.eventually.be.rejected()
    await victimStillServes()
  })

  it('forged ML-DSA signature on the attacker\'s own record: rejected and counted', async () => {
    const record = await createBinding(PqIdentity.generate(), attackerKey, Date.now())
    record.mlDsaSignature[0] ^= 1
    const stream = await attack()
    await lpStream(stream).write(IdentityExchange.encode({ binding: record }))
    await closedByRemote(stream)
    await waitFor(() => victim.services.pqIdentity.stats.invalidRecords === 1, 5000, 'forged record counted')
    expect(victim.services.pqIdentity.getCachedBinding(attacker.peerId)).to.equal(undefined)
    await victimStillServes()
  })

  it('a silent peer is timed out: stream reset after exchangeTimeout, counted, no hang', async () => {
    const stream = await attack()
    const started = Date.now()
    await closedByRemote(stream)
    expect(Date.now() - started).to.be.below(4000)
    await waitFor(() => victim.services.pqIdentity.stats.exchangesFailed === 1, 5000, 'timeout counted')
    await victimStillServes()
  })

  it('a length prefix promising more than is sent before close: dropped and counted', async () => {
    const stream = await attack()
    stream.send(new Uint8Array([0xe8, 0x07])) // 1000 bytes announced
    stream.send(new Uint8Array(10))
    await stream.close()
    await closedByRemote(stream)
    await waitFor(() => victim.services.pqIdentity.stats.exchangesFailed + victim.services.pqIdentity.stats.malformedFrames === 1, 5000, 'short frame counted')
    await victimStillServes()
  })

  it('an exchange without a record: dropped and counted', async () => {
    const empty = await attack()
    await lpStream(empty).write(IdentityExchange.encode({}))
    await closedByRemote(empty)
    await waitFor(() => victim.services.pqIdentity.stats.invalidRecords === 1, 5000, 'empty exchange counted')
    await victimStillServes()
  })

  it('a record in a truncated frame is malformed, not a crash', async () => {
    const stream = await attack()
    const bytes = encodeBinding(honest.services.pqIdentity.binding)
    // a length prefix promising the whole record, then only part of it, then close
    const lp = lpStream(stream)
    await lp.write(bytes.subarray(0, 100))
    await closedByRemote(stream)
    await waitFor(() => victim.services.pqIdentity.stats.malformedFrames + victim.services.pqIdentity.stats.invalidRecords === 1, 5000, 'truncated record counted')
    await victimStillServes()
  })
})
