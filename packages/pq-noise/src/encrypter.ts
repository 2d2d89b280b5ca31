import { serviceCapabilities } from '@libp2p/interface'
import { createBinding, encodeBinding } from '@saorsa-gossip/identity'
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, PQ_PIN_METADATA_KEY, PROTOCOL } from './constants.ts'
import { selectCrypto } from './crypto/select.ts'
import { EncryptedStream } from './encrypted-stream.ts'
import { NoCommonMuxerError } from './errors.ts'
import { runHandshake } from './handshake.ts'
import { monitorFor } from './monitor.ts'
import { deriveConnectionSecret } from './resumption.ts'
import type { KeyPair, NoiseCryptoBackend } from './crypto/backend.ts'
import type { SecureHandshake } from './handshake.ts'
import type { PqNoiseInit } from './index.ts'
import type { PqNoiseMonitor } from './monitor.ts'
import type { NoiseExtensions } from './pb/payload.ts'
import type { ConnectionSecret } from './resumption.ts'
import type {
  ComponentLogger, ConnectionEncrypter, Logger, MessageStream, Metrics, PeerId, PeerStore, PrivateKey, SecureConnectionOptions,
  SecuredConnection, StreamMuxerFactory, Upgrader
} from '@libp2p/interface'
import type { VerifiedBinding } from '@saorsa-gossip/identity'

export interface PqNoiseComponents {
  peerId: PeerId
  privateKey: PrivateKey
  logger: ComponentLogger
  upgrader: Upgrader
  peerStore: PeerStore
  metrics?: Metrics
}

/** What a PQ handshake yields beyond libp2p's SecuredConnection */
export interface PqSecuredConnection extends SecuredConnection<NoiseExtensions> {
  /** The remote's binding record, verified inside the handshake (SPEC.md §3.2) */
  binding?: VerifiedBinding
  /** Final Noise handshake hash (channel binding, Noise §11.2) */
  handshakeHash: Uint8Array
  /** With `resumable`: the secret other streams of the same connection resume from (SPEC.md §10.6) */
  secret?: ConnectionSecret
}

export interface PqSecureOptions extends SecureConnectionOptions {
  /** derive the connection secret for resumed stream handshakes */
  resumable?: boolean
}

function u64be (n: number): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt(n), false)
  return out
}

/**
 * The `/noise-mlkem768-hfs` connection encrypter. Runs XXhfs, checks the libp2p
 * payload and our binding extension, then wraps the connection in the transport
 * phase. Every failure rejects with a named error and is counted by code.
 */
export class PqNoise implements ConnectionEncrypter<NoiseExtensions> {
  readonly protocol: string
  readonly crypto: NoiseCryptoBackend
  readonly monitor: PqNoiseMonitor
  readonly [Symbol.toStringTag] = '@saorsa-gossip/pq-noise'
  readonly [serviceCapabilities]: string[] = ['@libp2p/connection-encryption', '@saorsa-gossip/pq-noise']

  private readonly components: PqNoiseComponents
  private readonly init: PqNoiseInit
  private readonly staticKeys: KeyPair
  private readonly log: Logger
  private binding?: Promise<Uint8Array | undefined>

  constructor (components: PqNoiseComponents, init: PqNoiseInit = {}) {
    this.components = components
    this.init = init
    this.protocol = init.protocol ?? PROTOCOL
    this.crypto = selectCrypto(init.crypto)
    this.log = components.logger.forComponent('saorsa-gossip:pq-noise')
    this.monitor = monitorFor(components.peerId)
    this.monitor.attachMetrics(components.metrics)
    // one static key per node, as @libp2p/noise does: its authenticity comes from the identity signature
    this.staticKeys = this.crypto.x25519FromPrivate(init.staticNoiseKey ?? this.crypto.randomBytes(32))
  }

  /** Our encoded binding record, made once from `identity` (or given as `binding`) */
  private async ownBinding (): Promise<Uint8Array | undefined> {
    if (this.binding == null) {
      const { identity, binding } = this.init
      if (binding != null) {
        this.binding = Promise.resolve(encodeBinding(binding))
      } else if (identity != null) {
        // the record advertises our PQ protocol: a peer that later verifies it over classic
        // Noise knows the connection was downgraded (SPEC.md §3.2, §10)
        this.binding = createBinding(identity, this.components.privateKey, Date.now(), [this.protocol]).then(encodeBinding)
      } else {
        this.binding = Promise.resolve(undefined)
      }
    }
    return this.binding
  }

  async secureOutbound (connection: MessageStream, options?: SecureConnectionOptions): Promise<PqSecuredConnection> {
    return this.secure(connection, true, options)
  }

  async secureInbound (connection: MessageStream, options?: SecureConnectionOptions): Promise<PqSecuredConnection> {
    return this.secure(connection, false, options)
  }

  /** Runs the handshake on any message stream: a raw connection, or a libp2p stream for the channel */
  async secure (connection: MessageStream, initiator: boolean, options: PqSecureOptions = {}): Promise<PqSecuredConnection> {
    const started = performance.now()
    const muxers = options.skipStreamMuxerNegotiation === true ? [] : [...this.components.upgrader.getStreamMuxers().keys()]
    let hs: SecureHandshake
    let streamMuxer: StreamMuxerFactory | undefined
    try {
      hs = await runHandshake(connection, initiator, {
        crypto: this.crypto,
        privateKey: this.components.privateKey,
        staticKeys: this.staticKeys,
        extensions: { streamMuxers: muxers, binding: await this.ownBinding() },
        timeoutMs: this.init.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
        signal: options.signal,
        expectedPeer: options.remotePeer,
        requireBinding: this.init.requireBinding,
        now: Date.now()
      })
      streamMuxer = this.pickMuxer(initiator, muxers, hs.extensions?.streamMuxers ?? [])
    } catch (err: any) {
      this.monitor.fail(err, initiator)
      this.log('handshake as %s failed: %s', initiator ? 'initiator' : 'responder', err.code ?? err.name)
      // tell the remote at once rather than leaving it to its own timeout
      connection.abort(err)
      throw err
    }

    this.monitor.increment('handshakesOk')
    if (hs.binding != null) {
      this.monitor.increment('bindingsVerified')
      this.pin(hs.remotePeer, hs.binding)
      this.monitor.safeDispatchEvent('binding', { detail: hs.binding })
    }
    this.monitor.safeDispatchEvent('handshake', {
      detail: {
        remotePeer: hs.remotePeer,
        initiator,
        durationMs: performance.now() - started,
        bytesSent: hs.bytesSent,
        bytesReceived: hs.bytesReceived,
        binding: hs.binding
      }
    })
    const encrypted = new EncryptedStream(hs.framed.unwrap(), hs.send, hs.receive, {
      onDecryptError: () => { this.monitor.increment('decryptErrors') }
    })
    return {
      connection: encrypted,
      remotePeer: hs.remotePeer,
      remoteExtensions: hs.extensions,
      streamMuxer,
      binding: hs.binding,
      handshakeHash: hs.handshakeHash,
      secret: options.resumable === true ? deriveConnectionSecret(this.crypto, hs.handshakeHash, hs.keys) : undefined
    }
  }

  /**
   * Inlined muxer negotiation (libp2p/specs connections/inlined-muxer-negotiation.md):
   * the first muxer of the *initiator's* list that both support; none in common
   * when both sent lists fails the handshake.
   */
  private pickMuxer (initiator: boolean, local: string[], remote: string[]): StreamMuxerFactory | undefined {
    if (local.length === 0 || remote.length === 0) {
      return undefined
    }
    const initiatorList = initiator ? local : remote
    const otherList = initiator ? remote : local
    const chosen = initiatorList.find(p => otherList.includes(p))
    if (chosen == null) {
      throw new NoCommonMuxerError(`No common muxer: ours ${local.join(',')}, theirs ${remote.join(',')}`)
    }
    return this.components.upgrader.getStreamMuxers().get(chosen)
  }

  /**
   * Remembers that this peer's verified binding arrived over PQ Noise (SPEC.md §10.5),
   * in memory and in the peer store, so a later classic connection is a downgrade.
   */
  private pin (peer: PeerId, binding: VerifiedBinding): void {
    this.monitor.pins.set(peer.toString(), binding.createdAtMs)
    this.components.peerStore.merge(peer, { metadata: { [PQ_PIN_METADATA_KEY]: u64be(binding.createdAtMs) } })
      .catch((err: any) => { this.log.error('could not pin %p: %e', peer, err) })
  }
}
