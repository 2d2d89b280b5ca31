import { GossipError } from '@saorsa-gossip/core'
import { RESUMPTION_ID_LENGTH } from './constants.ts'
import { EncryptedStream } from './encrypted-stream.ts'
import { HandshakeTimeoutError, MalformedHandshakeMessageError, UnknownResumptionError } from './errors.ts'
import { frame } from './handshake.ts'
import { NNpsk0HandshakeState } from './noise/nnpsk0.ts'
import { hkdf2 } from './noise/symmetric-state.ts'
import type { NoiseCryptoBackend } from './crypto/backend.ts'
import type { TransportCounters } from './encrypted-stream.ts'
import type { RandomSource } from './noise/handshake-state.ts'
import type { AbortOptions, Connection, MessageStream } from '@libp2p/interface'

const utf8 = new TextEncoder()
/** Separates the connection secret from every other use of the split keys */
const SECRET_LABEL = utf8.encode('saorsa-gossip pq-noise connection secret v1')
/** Mixed into every resumed handshake's prologue, before the id */
const PROLOGUE_LABEL = utf8.encode('saorsa-gossip pq-noise-psk v1')

/** A secret both ends of a full stream handshake hold, named by an id that may travel in clear */
export interface ConnectionSecret {
  id: Uint8Array
  psk: Uint8Array
}

/**
 * `[psk, idBytes] = HKDF(handshakeHash, label ‖ k1 ‖ k2)`, id = the first 16 bytes of idBytes.
 * The split keys are secret (X25519 and ML-KEM-768 both went into them), the handshake hash
 * binds the result to that one handshake; HKDF's one-wayness keeps the transport keys of the
 * first stream out of reach of anyone who learns the psk.
 */
export function deriveConnectionSecret (crypto: NoiseCryptoBackend, handshakeHash: Uint8Array, keys: [Uint8Array, Uint8Array]): ConnectionSecret {
  const ikm = new Uint8Array(SECRET_LABEL.length + keys[0].length + keys[1].length)
  ikm.set(SECRET_LABEL)
  ikm.set(keys[0], SECRET_LABEL.length)
  ikm.set(keys[1], SECRET_LABEL.length + keys[0].length)
  const [psk, idBytes] = hkdf2(crypto, handshakeHash, ikm)
  return { psk, id: idBytes.slice(0, RESUMPTION_ID_LENGTH) }
}

function hex (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

interface Entry {
  secrets: Map<string, ConnectionSecret>
  latest?: ConnectionSecret
  inflight: Set<Promise<unknown>>
}

/**
 * The connection secrets of this node's full stream handshakes, per connection (either role),
 * so the connection's other streams resume instead of repeating XXhfs. Entries die with the
 * connection: `drop` zeroes them on close, and the map is weak in case a close is missed.
 */
export class ConnectionSecrets {
  private readonly entries = new WeakMap<Connection, Entry>()

  private entry (connection: Connection): Entry {
    let entry = this.entries.get(connection)
    if (entry == null) {
      entry = { secrets: new Map(), inflight: new Set() }
      this.entries.set(connection, entry)
    }
    return entry
  }

  /** A full handshake runs on `connection`: offers and lookups wait for it */
  track (connection: Connection, handshake: Promise<unknown>): void {
    const entry = this.entry(connection)
    const settled = handshake.then(() => {}, () => {}).finally(() => { entry.inflight.delete(settled) })
    entry.inflight.add(settled)
  }

  /** Resolves once every full handshake in flight on `connection` has ended (each has its own timeout) */
  async settled (connection: Connection, options: AbortOptions = {}): Promise<void> {
    const inflight = [...this.entries.get(connection)?.inflight ?? []]
    if (inflight.length === 0) {
      return
    }
    options.signal?.throwIfAborted()
    await Promise.race([
      Promise.all(inflight),
      new Promise((resolve, reject) => options.signal?.addEventListener('abort', () => { reject(options.signal?.reason) }, { once: true }))
    ])
  }

  add (connection: Connection, secret: ConnectionSecret): void {
    const entry = this.entry(connection)
    entry.secrets.set(hex(secret.id), secret)
    entry.latest = secret
  }

  latest (connection: Connection): ConnectionSecret | undefined {
    return this.entries.get(connection)?.latest
  }

  get (connection: Connection, id: Uint8Array): ConnectionSecret | undefined {
    return this.entries.get(connection)?.secrets.get(hex(id))
  }

  /** A resumption with this secret failed: the other side may not hold it, so it is not offered again */
  forget (connection: Connection, secret: ConnectionSecret): void {
    const entry = this.entries.get(connection)
    if (entry == null) {
      return
    }
    entry.secrets.delete(hex(secret.id))
    if (entry.latest === secret) {
      entry.latest = [...entry.secrets.values()].pop()
    }
    secret.psk.fill(0)
  }

  /** The connection closed */
  drop (connection: Connection): void {
    const entry = this.entries.get(connection)
    this.entries.delete(connection)
    for (const secret of entry?.secrets.values() ?? []) {
      secret.psk.fill(0)
    }
  }
}

export interface ResumeOptions extends AbortOptions {
  crypto: NoiseCryptoBackend
  timeoutMs: number
  /** initiator: the secret to resume */
  secret?: ConnectionSecret
  /** responder: the secret an id names (may wait for a full handshake in flight) */
  lookup?(id: Uint8Array): Promise<ConnectionSecret | undefined>
  counters?: TransportCounters
  random?: RandomSource
}

/**
 * A resumed stream handshake (SPEC.md §10.6): the initiator sends the secret's id (16 bytes,
 * u16be-framed like every handshake message), then `Noise_NNpsk0` message A; the responder
 * answers B. The id is in the prologue, so both sides also authenticate which secret they
 * used. Resolves to the encrypted stream; every failure is a named error (timeout included).
 */
export async function resumeChannel (stream: MessageStream, initiator: boolean, options: ResumeOptions): Promise<EncryptedStream> {
  const timeout = AbortSignal.timeout(options.timeoutMs)
  const signal = options.signal == null ? timeout : AbortSignal.any([options.signal, timeout])
  const framed = frame(stream)
  try {
    let secret: ConnectionSecret | undefined
    if (initiator) {
      secret = options.secret
      if (secret == null) {
        throw new UnknownResumptionError('No connection secret to resume')
      }
      await framed.write(secret.id, { signal })
    } else {
      const id = (await framed.read({ signal })).subarray()
      if (id.length !== RESUMPTION_ID_LENGTH) {
        throw new MalformedHandshakeMessageError(`Resumption id of ${id.length} bytes, expected ${RESUMPTION_ID_LENGTH}`)
      }
      secret = await options.lookup?.(id)
      if (secret == null) {
        throw new UnknownResumptionError('The resumed handshake names no connection secret held here')
      }
    }
    const prologue = new Uint8Array(PROLOGUE_LABEL.length + secret.id.length)
    prologue.set(PROLOGUE_LABEL)
    prologue.set(secret.id, PROLOGUE_LABEL.length)
    const hs = new NNpsk0HandshakeState({ crypto: options.crypto, initiator, psk: secret.psk, prologue, random: options.random })
    if (initiator) {
      await framed.write(hs.writeMessage(new Uint8Array(0)), { signal })
      expectEmpty(hs.readMessage((await framed.read({ signal })).subarray()))
    } else {
      expectEmpty(hs.readMessage((await framed.read({ signal })).subarray()))
      await framed.write(hs.writeMessage(new Uint8Array(0)), { signal })
    }
    const { send, receive } = hs.finish()
    return new EncryptedStream(framed.unwrap(), send, receive, options.counters)
  } catch (err: any) {
    const named = timeout.aborted
      ? new HandshakeTimeoutError('Resumed PQ Noise handshake timed out', { cause: err })
      : err instanceof GossipError || err?.name === 'AbortError'
        ? err
        : new MalformedHandshakeMessageError(`Resumed handshake stream failed: ${String(err?.name)}: ${String(err?.message)}`, { cause: err })
    // tell the remote at once rather than leaving it to its own timeout
    stream.abort(named)
    throw named
  }
}

function expectEmpty (payload: Uint8Array): void {
  if (payload.length !== 0) {
    throw new MalformedHandshakeMessageError(`A resumed handshake message carries ${payload.length} payload bytes; none are defined`)
  }
}
