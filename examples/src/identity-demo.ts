/**
 * `npm run identity -w examples`: pqIdentity() beside any other libp2p node.
 *
 * Starts three libp2p nodes on loopback in this process: two run pqIdentity
 * (one over TCP+noise+yamux, both also over QUIC), the third is a plain libp2p
 * node with only identify and ping, standing in for "any other libp2p node".
 * It connects them, shows the ML-DSA-65 bindings each side verified, a
 * signature checked across the overlay, and that the plain node is counted as
 * not speaking the protocol rather than breaking anything. Exits 0 on success.
 */
import { quic } from '@chainsafe/libp2p-quic'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import { pqIdentity, toHexPrefix } from './util.ts'

const log = (line: string): void => { process.stdout.write(line + '\n') }

async function main (): Promise<void> {
  const common = {
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/udp/0/quic-v1'] },
    transports: [tcp(), quic()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  }
  const alice = await createLibp2p({ ...common, services: { identify: identify(), ping: ping(), pqIdentity: pqIdentity() } })
  const bob = await createLibp2p({ ...common, services: { identify: identify(), ping: ping(), pqIdentity: pqIdentity() } })
  const plain = await createLibp2p({ ...common, services: { identify: identify(), ping: ping() } })

  try {
    log(`alice ${alice.peerId.toString()}  ML-DSA-65 ${toHexPrefix(alice.services.pqIdentity.identity.publicKey)}… (${alice.services.pqIdentity.identity.backend.name} backend)`)
    log(`bob   ${bob.peerId.toString()}  ML-DSA-65 ${toHexPrefix(bob.services.pqIdentity.identity.publicKey)}…`)
    log(`plain ${plain.peerId.toString()}  (no Saorsa Gossip services)`)

    const quicAddr = bob.getMultiaddrs().find(ma => ma.toString().includes('quic-v1'))
    const started = performance.now()
    await alice.dial(quicAddr ?? bob.getMultiaddrs())
    const binding = await alice.services.pqIdentity.fetchBinding(bob.peerId)
    log(`alice verified bob's binding over ${quicAddr != null ? 'QUIC' : 'TCP'} in ${(performance.now() - started).toFixed(1)} ms: key ${toHexPrefix(binding.mlDsaPublicKey)}…, created ${new Date(binding.createdAtMs).toISOString()}`)

    const message = new TextEncoder().encode('hello from bob, post-quantum signed')
    const signature = await bob.services.pqIdentity.sign(message)
    const ok = await alice.services.pqIdentity.verify(bob.peerId, message, signature)
    log(`bob signed ${message.length} bytes (${signature.length}-byte ML-DSA-65 signature); alice verifies: ${ok}`)
    if (!ok) {
      throw new Error('signature did not verify')
    }

    await alice.dial(plain.getMultiaddrs().filter(ma => ma.toString().includes('/tcp/')))
    const rtt = await alice.services.ping.ping(plain.peerId)
    await new Promise(resolve => setTimeout(resolve, 300))
    log(`alice ↔ plain libp2p node: ping ${rtt.toFixed(1)} ms; pqIdentity counted it as not speaking the protocol: unsupportedPeers=${alice.services.pqIdentity.stats.unsupportedPeers}`)
    log(`alice stats ${JSON.stringify(alice.services.pqIdentity.stats)}`)
  } finally {
    await Promise.all([alice.stop(), bob.stop(), plain.stop()])
  }
}

main().then(() => {
  process.exit(0)
}, (err) => {
  process.stderr.write(`identity demo failed: ${err.stack ?? err}\n`)
  process.exit(1)
})
