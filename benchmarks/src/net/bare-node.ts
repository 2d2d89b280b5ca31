import { quic } from '@chainsafe/libp2p-quic'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from '@libp2p/interface'

/**
 * A libp2p node with the transport stack only (noise, yamux, no services, no connection
 * monitor) on a loopback port: what the transport micro-benchmarks (bench:quic-writes,
 * bench:frame-cost) put two of in one process
 */
export async function bareNode (transport: 'tcp' | 'quic'): Promise<Libp2p> {
  return createLibp2p({
    addresses: { listen: [transport === 'tcp' ? '/ip4/127.0.0.1/tcp/0' : '/ip4/127.0.0.1/udp/0/quic-v1'] },
    transports: transport === 'tcp' ? [tcp()] : [quic()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionMonitor: { enabled: false }
  })
}
