import { quic } from '@chainsafe/libp2p-quic'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { pqIdentity } from '@saorsa-gossip/identity'
import { membership } from '@saorsa-gossip/membership'
import { pqNoiseService } from '@saorsa-gossip/pq-noise'
import { plumtree } from '@saorsa-gossip/pubsub'
import { createLibp2p } from 'libp2p'
import type { NodeSpec, ProtocolName, TransportName } from './messages.ts'
import type { Libp2p, PrivateKey } from '@libp2p/interface'

export type StackNode = Libp2p<Record<string, any>>

export function hexBytes (hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], h => parseInt(h, 16))
}

export async function keyFor (seedHex: string): Promise<PrivateKey> {
  return generateKeyPairFromSeed('Ed25519', hexBytes(seedHex))
}

export async function peerIdFor (seedHex: string): Promise<string> {
  return peerIdFromPrivateKey(await keyFor(seedHex)).toString()
}

export function listenAddr (transport: TransportName, port: number): string {
  return transport === 'tcp' ? `/ip4/127.0.0.1/tcp/${port}` : `/ip4/127.0.0.1/udp/${port}/quic-v1`
}

/**
 * One benchmark node: the plumtree stack (identify, pqIdentity, membership,
 * plumtree) or the gossipsub stack (identify, gossipsub) on TCP+noise+yamux or
 * QUIC, with a fixed key and port so every process knows every address up front.
 * Plumtree nodes join through their contacts (membership bootstrap); gossipsub
 * nodes dial the same contacts after start (gossipsub has no discovery of its own).
 */
export async function createStackNode (protocol: ProtocolName, transport: TransportName, spec: NodeSpec, options: Record<string, any> = {}): Promise<StackNode> {
  const services: Record<string, any> = { identify: identify() }
  if (protocol === 'plumtree') {
    // plumtree carries its origins' bindings itself: the exchange on every connection is a
    // tenth of formation CPU that a pubsub-only node does not need (SPEC.md §3.3)
    services.pqIdentity = pqIdentity({ exchangeOnConnect: false, ...options.identity })
    services.membership = membership({ bootstrap: spec.contacts, seed: `bench-${spec.index}`, ...options.membership })
    services.pubsub = plumtree({ seed: `bench-${spec.index}`, allowPublishToZeroTopicPeers: true, ...options.plumtree })
    if (options.pqNoise != null) {
      // the PQ channel for `secureStreams` (SPEC.md §2.9): membership's and plumtree's streams
      // inside XXhfs on QUIC, e.g. --stack-options '{"pqNoise":{},"membership":{"secureStreams":"require"},"plumtree":{"secureStreams":"require"}}'
      services.pqNoise = pqNoiseService(options.pqNoise)
    }
  } else {
    // every peer shares 127.0.0.1 here: gossipsub's IP-colocation penalty (weight -5 beyond 10
    // peers per IP) would push every score below 0 and leave well-connected nodes with no mesh
    services.pubsub = gossipsub({ allowPublishToZeroTopicPeers: true, emitSelf: false, scoreParams: { IPColocationFactorWeight: 0 }, ...options.gossipsub })
  }
  return createLibp2p({
    privateKey: await keyFor(spec.seed),
    start: false,
    addresses: { listen: [listenAddr(transport, spec.port)] },
    transports: transport === 'tcp' ? [tcp()] : [quic()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // every node shares 127.0.0.1: libp2p's per-host inbound rate limit (5/s) would refuse most joins
    connectionManager: { maxConnections: 400, inboundConnectionThreshold: 10_000, maxIncomingPendingConnections: 1_000 },
    connectionGater: gater(spec.deny),
    // libp2p 3's connection monitor pings on a new stream every 10 s and aborts the connection
    // when the ping misses an adaptive deadline: under 1–4 s of event-loop delay it aborted 84%
    // of the plumtree connections that closed (issue 12), and every abort costs a re-dial,
    // handshake, identify and identity exchange. SWIM (membership) watches the connections the
    // overlay uses with load-aware timeouts, so plumtree nodes leave liveness to it; gossipsub
    // nodes get the same setting, so both stacks run on the same libp2p configuration.
    connectionMonitor: { enabled: false },
    services
  })
}

/** Refuses connections to and from the given peers both ways (a forced topology) */
function gater (deny: string[] | undefined): Record<string, (peer: { toString(): string }) => boolean> | undefined {
  if (deny == null || deny.length === 0) {
    return undefined
  }
  const denied = new Set(deny)
  const refuse = (peer: { toString(): string }): boolean => denied.has(peer.toString())
  return { denyDialPeer: refuse, denyInboundEncryptedConnection: refuse, denyOutboundEncryptedConnection: refuse }
}

/** gossipsub's side of "the same bootstrap topology": dial every contact */
export async function dialContacts (node: StackNode, contacts: string[]): Promise<void> {
  await Promise.all(contacts.map(async c => node.dial(multiaddr(c), { signal: AbortSignal.timeout(10_000) }).catch(() => {})))
}

/** Topic neighbours: plumtree's topic links, gossipsub's mesh */
export function topicPeers (node: StackNode, topic: string): number {
  return (node.services.pubsub.getMeshPeers(topic) as string[]).length
}
