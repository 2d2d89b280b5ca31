import { UnsupportedError } from '@libp2p/interop'
import { spawnDaemon } from './daemon.ts'
import type { Daemon } from './daemon.ts'
import type { Impl } from './impls.ts'
import type { DaemonFactory, SpawnOptions } from '@libp2p/interop'

/**
 * `@libp2p/interop` knows two node types, 'js' and 'go', and runs js→js, js→go and go→js
 * (never go→go). A factory that maps 'go' to one implementation and 'js' to another turns
 * that into "second↔first both ways, plus second↔second", so three factories —
 * (saorsa, js3), (js3, js2), (js2, saorsa) — cover all nine ordered pairs exactly once.
 */
export interface Pairing {
  go: Impl
  js: Impl
}

export const PAIRINGS: Pairing[] = [
  { js: 'saorsa', go: 'js3' },
  { js: 'js3', go: 'js2' },
  { js: 'js2', go: 'saorsa' }
]

export function pairFactory (pairing: Pairing): DaemonFactory {
  return {
    async spawn (options: SpawnOptions): Promise<Daemon> {
      // the suites' other transports (webtransport, webrtc-direct) are browser-facing
      // and none of the three node builds carries them; QUIC, which they all have, is
      // not among the suites' transports and has its own test here
      if (options.transport != null && options.transport !== 'tcp') {
        throw new UnsupportedError(`${options.transport} is not configured`)
      }
      if (options.pubsub === true && options.pubsubRouter === 'floodsub') {
        throw new UnsupportedError('floodsub is not configured')
      }
      if (options.dht === true || options.relay === true) {
        throw new UnsupportedError('dht and relay are not configured')
      }
      return spawnDaemon(options.type === 'go' ? pairing.go : pairing.js, {
        key: options.key,
        encryption: options.encryption,
        muxer: options.muxer,
        transport: 'tcp',
        noListen: options.noListen,
        pubsub: options.pubsub
      })
    }
  }
}
