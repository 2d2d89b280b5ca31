import { readFile } from 'node:fs/promises'
import { quic } from '@chainsafe/libp2p-quic'
import { privateKeyFromProtobuf, generateKeyPair } from '@libp2p/crypto/keys'
import { gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { mplex } from '@libp2p/mplex'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { plaintext } from '@libp2p/plaintext'
import { tcp } from '@libp2p/tcp'
import { tls } from '@libp2p/tls'
import { yamux } from '@libp2p/yamux'
import { pqIdentity } from '@saorsa-gossip/identity'
import { membership } from '@saorsa-gossip/membership'
import { plumtree } from '@saorsa-gossip/pubsub'
import { gossipsub as gossipsubV2 } from 'gossipsub-v2'
import { identify as identifyV2 } from 'identify-v2'
import { createLibp2p } from 'libp2p'
import { createLibp2p as createLibp2pV2 } from 'libp2p-v2'
import { mplex as mplexV2 } from 'mplex-v2'
import { noise as noiseV2 } from 'noise-v2'
import { ping as pingV2 } from 'ping-v2'
import { plaintext as plaintextV2 } from 'plaintext-v2'
import { quic as quicV2 } from 'quic-v2'
import { tcp as tcpV2 } from 'tcp-v2'
import { tls as tlsV2 } from 'tls-v2'
import { yamux as yamuxV2 } from 'yamux-v2'
import type { PrivateKey } from '@libp2p/interface'

/**
 * The implementations under test:
 * - `saorsa`: js-libp2p 3 with every Saorsa Gossip service (pqIdentity, membership, plumtree)
 * and gossipsub beside plumtree, so vanilla peers have a router they share with it
 * - `js3`: vanilla js-libp2p 3 (identify, ping, gossipsub when pubsub is asked for)
 * - `js2`: vanilla js-libp2p 2.x, the same services at their 2.x majors
 */
export type Impl = 'saorsa' | 'js3' | 'js2'

export const IMPLS: Impl[] = ['saorsa', 'js3', 'js2']

/** Human names for test titles */
export const IMPL_NAMES: Record<Impl, string> = {
  saorsa: 'saorsa (libp2p 3 + PQ services + gossipsub)',
  js3: 'js-libp2p 3',
  js2: 'js-libp2p 2'
}

export type Encryption = 'noise' | 'tls' | 'plaintext'
export type Muxer = 'yamux' | 'mplex'
export type Transport = 'tcp' | 'quic'

export interface NodeOptions {
  /** path of a protobuf-encoded libp2p private key (the interop suites' key files) */
  key?: string
  encryption?: Encryption
  muxer?: Muxer
  transport?: Transport
  /** dial only: listen on nothing */
  noListen?: boolean
  /** vanilla nodes run gossipsub only when asked; ours always does */
  pubsub?: boolean
}

/** Every daemon and every libp2p node binds loopback only */
export function listenAddrs (options: NodeOptions): string[] {
  if (options.noListen === true) {
    return []
  }
  return options.transport === 'quic' ? ['/ip4/127.0.0.1/udp/0/quic-v1'] : ['/ip4/127.0.0.1/tcp/0']
}

async function loadKey (options: NodeOptions): Promise<PrivateKey> {
  if (options.key == null) {
    return generateKeyPair('Ed25519')
  }
  return privateKeyFromProtobuf(await readFile(options.key))
}

/** The libp2p-3 building blocks shared by `saorsa` and `js3` */
function v3Modules (options: NodeOptions): Record<string, any> {
  const encrypters = { noise, tls, plaintext }
  const muxer = options.muxer === 'mplex' ? mplex() : yamux()
  return {
    transports: options.transport === 'quic' ? [quic()] : [tcp()],
    connectionEncrypters: [encrypters[options.encryption ?? 'noise']()],
    streamMuxers: [muxer]
  }
}

/**
 * A two-node suite has a single peer, far below gossipsub's D: the mesh takes it
 * anyway, but flood publishing keeps the first message from waiting on a heartbeat.
 * Options shared by both gossipsub majors.
 */
const GOSSIPSUB_OPTIONS = { emitSelf: false, floodPublish: true, allowPublishToZeroTopicPeers: true }

export async function createSaorsaNode (options: NodeOptions): Promise<any> {
  return createLibp2p({
    privateKey: await loadKey(options),
    start: false,
    addresses: { listen: listenAddrs(options) },
    ...v3Modules(options),
    services: {
      identify: identify(),
      ping: ping(),
      // exchange on every outbound connection, so each pair also runs the §3.3 exchange
      // (or, against vanilla peers, finds it unsupported) without disturbing the connection
      pqIdentity: pqIdentity({ exchangeOnConnect: true }),
      membership: membership(),
      // the daemon protocol drives `services.pubsub` as gossipsub, so plumtree takes another key
      plumtree: plumtree({ allowPublishToZeroTopicPeers: true }),
      pubsub: gossipsub(GOSSIPSUB_OPTIONS)
    }
  })
}

export async function createJs3Node (options: NodeOptions): Promise<any> {
  const services: Record<string, any> = { identify: identify(), ping: ping() }
  if (options.pubsub === true) {
    services.pubsub = gossipsub(GOSSIPSUB_OPTIONS)
  }
  return createLibp2p({
    privateKey: await loadKey(options),
    start: false,
    addresses: { listen: listenAddrs(options) },
    ...v3Modules(options),
    services
  })
}

export async function createJs2Node (options: NodeOptions): Promise<any> {
  const encrypters = { noise: noiseV2, tls: tlsV2, plaintext: plaintextV2 }
  const encrypter = encrypters[options.encryption ?? 'noise']()
  const muxer = options.muxer === 'mplex' ? mplexV2() : yamuxV2()
  const services: Record<string, any> = { identify: identifyV2(), ping: pingV2() }
  if (options.pubsub === true) {
    services.pubsub = gossipsubV2(GOSSIPSUB_OPTIONS)
  }
  // @libp2p/crypto 5 keys serve both majors: libp2p 2.x uses the same key classes, but its
  // interface types are a separate copy, hence the cast
  return createLibp2pV2({
    privateKey: (await loadKey(options)) as any,
    start: false,
    addresses: { listen: listenAddrs(options) },
    transports: options.transport === 'quic' ? [quicV2()] : [tcpV2()],
    connectionEncrypters: [encrypter],
    streamMuxers: [muxer],
    services
  })
}

export async function createNode (impl: Impl, options: NodeOptions): Promise<any> {
  switch (impl) {
    case 'saorsa': return createSaorsaNode(options)
    case 'js3': return createJs3Node(options)
    case 'js2': return createJs2Node(options)
    default: throw new Error(`unknown implementation ${String(impl)}`)
  }
}
