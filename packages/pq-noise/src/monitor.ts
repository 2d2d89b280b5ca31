import { TypedEventEmitter } from '@libp2p/interface'
import type { CounterGroup, Metrics, PeerId } from '@libp2p/interface'
import type { VerifiedBinding } from '@saorsa-gossip/identity'

/** Counters of one node's PQ Noise handshakes, channels and downgrade checks (SPEC.md §10.7) */
export interface PqNoiseStats {
  /** Handshakes that completed and authenticated the remote */
  handshakesOk: number
  /** Handshakes that failed, any reason; `failures` has them by error code */
  handshakesFailed: number
  /** Failed handshakes by error code (`ERR_PQ_NOISE_DECRYPT`, `ERR_PQ_NOISE_TIMEOUT`, …) */
  failures: Record<string, number>
  /** Transport messages whose tag did not verify (the connection was aborted) */
  decryptErrors: number
  /** Binding records received in a handshake and verified */
  bindingsVerified: number
  /** Connections from PQ-capable peers that arrived without PQ Noise */
  downgrades: number
  /** Of those, connections closed because `requirePq` is set */
  downgradesClosed: number
  /** Stream-level channels opened by this node / accepted from others / failed */
  channelsOpened: number
  channelsAccepted: number
  channelsFailed: number
  /** Of the channels opened and accepted, those resumed from their connection's first one (`Noise_NNpsk0`, SPEC.md §10.6) */
  channelsResumed: number
}

export interface HandshakeEventDetail {
  remotePeer: PeerId
  initiator: boolean
  /** Handshake wall time, ms */
  durationMs: number
  bytesSent: number
  bytesReceived: number
  binding?: VerifiedBinding
}

export interface HandshakeFailedDetail {
  initiator: boolean
  error: Error
}

export interface DowngradeEventDetail {
  remotePeer: PeerId
  /** The encrypter the connection actually negotiated */
  encryption: string
  /**
   * Why the peer is known to speak PQ Noise: a verified binding of it arrived over PQ Noise
   * before (`pinned`), or its signed binding record, verified on this very connection,
   * advertises the PQ Noise protocol (`advertised`, SPEC.md §3.2: first contact too)
   */
  reason: 'pinned' | 'advertised'
  /** True when the connection was closed (`requirePq`) */
  closed: boolean
}

export interface PqNoiseEvents {
  handshake: CustomEvent<HandshakeEventDetail>
  'handshake:failed': CustomEvent<HandshakeFailedDetail>
  binding: CustomEvent<VerifiedBinding>
  downgrade: CustomEvent<DowngradeEventDetail>
}

type Counter = Exclude<keyof PqNoiseStats, 'failures'>

/**
 * One per libp2p node, shared by the encrypter and the service, which libp2p
 * constructs separately: they find it through the node's PeerId object.
 */
export class PqNoiseMonitor extends TypedEventEmitter<PqNoiseEvents> {
  readonly stats: PqNoiseStats = {
    handshakesOk: 0,
    handshakesFailed: 0,
    failures: {},
    decryptErrors: 0,
    bindingsVerified: 0,
    downgrades: 0,
    downgradesClosed: 0,
    channelsOpened: 0,
    channelsAccepted: 0,
    channelsFailed: 0,
    channelsResumed: 0
  }

  /** PeerIds whose verified binding arrived in a PQ handshake, with the record's creation time */
  readonly pins = new Map<string, number>()
  private group?: CounterGroup

  attachMetrics (metrics?: Metrics): void {
    if (metrics != null && this.group == null) {
      this.group = metrics.registerCounterGroup('saorsa_gossip_pq_noise_events_total', {
        label: 'event',
        help: 'PQ Noise handshakes, failures by code, bindings, channels and downgrades'
      })
    }
  }

  increment (name: Counter): void {
    this.stats[name]++
    this.group?.increment({ [name]: 1 })
  }

  fail (err: any, initiator: boolean): void {
    const code: string = typeof err?.code === 'string' ? err.code : String(err?.name ?? 'Error')
    this.stats.failures[code] = (this.stats.failures[code] ?? 0) + 1
    this.increment('handshakesFailed')
    this.group?.increment({ [code]: 1 })
    this.safeDispatchEvent('handshake:failed', { detail: { initiator, error: err } })
  }
}

const monitors = new WeakMap<object, PqNoiseMonitor>()

/** The monitor of the node whose components hold this PeerId object */
export function monitorFor (peerId: PeerId): PqNoiseMonitor {
  let monitor = monitors.get(peerId)
  if (monitor == null) {
    monitor = new PqNoiseMonitor()
    monitors.set(peerId, monitor)
  }
  return monitor
}
