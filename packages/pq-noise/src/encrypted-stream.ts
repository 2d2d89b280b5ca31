import { AbstractMessageStream } from '@libp2p/utils'
import { Uint8ArrayList } from 'uint8arraylist'
import { NOISE_MAX_PLAINTEXT_LENGTH, TAG_LENGTH } from './constants.ts'
import { MalformedHandshakeMessageError } from './errors.ts'
import { u16be } from './handshake.ts'
import type { CipherState } from './noise/cipher-state.ts'
import type { AbortOptions, MessageStream, StreamCloseEvent } from '@libp2p/interface'
import type { SendResult } from '@libp2p/utils'

/** Counts what the transport phase does, for the owner's metrics */
export interface TransportCounters {
  onDecryptError(err: Error): void
}

/**
 * The transport phase (libp2p Noise "Encrypted Payloads"): every write is cut into
 * Noise messages of at most 65535 bytes (65519 of plaintext plus the tag), each
 * sealed with the send CipherState (empty associated data) and framed with a u16be
 * length. Incoming frames are reassembled, opened in order, and a frame that does
 * not open aborts the stream: Noise has no recovery from a bad tag.
 */
export class EncryptedStream extends AbstractMessageStream {
  private readonly inner: MessageStream
  private readonly sendState: CipherState
  private readonly receiveState: CipherState
  private readonly buffer = new Uint8ArrayList()
  private readonly counters?: TransportCounters

  constructor (inner: MessageStream, send: CipherState, receive: CipherState, counters?: TransportCounters) {
    super({
      log: inner.log,
      inactivityTimeout: inner.inactivityTimeout,
      maxReadBufferLength: inner.maxReadBufferLength,
      direction: inner.direction
    })
    this.inner = inner
    this.sendState = send
    this.receiveState = receive
    this.counters = counters

    inner.addEventListener('message', (evt) => {
      try {
        this.buffer.append(evt.data)
        this.drainFrames()
      } catch (err: any) {
        this.counters?.onDecryptError(err)
        this.abort(err)
      }
    })
    inner.addEventListener('close', (evt: StreamCloseEvent) => {
      if (evt.error != null) {
        if (evt.local === true) {
          this.abort(evt.error)
        } else {
          this.onRemoteReset()
        }
      } else {
        this.onTransportClosed()
      }
    })
    inner.addEventListener('drain', () => {
      this.safeDispatchEvent('drain')
    })
    inner.addEventListener('remoteCloseWrite', () => {
      this.onRemoteCloseWrite()
    })
  }

  private drainFrames (): void {
    while (this.buffer.byteLength >= 2) {
      const length = this.buffer.getUint16(0, false)
      if (length < TAG_LENGTH) {
        throw new MalformedHandshakeMessageError(`Transport message of ${length} bytes is shorter than its tag`)
      }
      if (this.buffer.byteLength < 2 + length) {
        return
      }
      // a sublist shares the received buffers: no copy of the 64 KiB message
      const ciphertext = this.buffer.sublist(2, 2 + length)
      this.buffer.consume(2 + length)
      this.onData(this.receiveState.decryptList(ciphertext))
    }
  }

  sendData (data: Uint8ArrayList): SendResult {
    const out = new Uint8ArrayList()
    for (let offset = 0; offset < data.byteLength; offset += NOISE_MAX_PLAINTEXT_LENGTH) {
      const end = Math.min(offset + NOISE_MAX_PLAINTEXT_LENGTH, data.byteLength)
      const sealed = this.sendState.encryptList(data.sublist(offset, end))
      // sealed.byteLength <= NOISE_MAX_MESSAGE_LENGTH by construction
      out.append(u16be(sealed.byteLength))
      out.append(sealed)
    }
    return { sentBytes: data.byteLength, canSendMore: this.inner.send(out) }
  }

  async close (options?: AbortOptions): Promise<void> {
    await this.inner.close(options)
  }

  sendReset (err: Error): void {
    this.inner.abort(err)
  }

  sendPause (): void {
    this.inner.pause()
  }

  sendResume (): void {
    this.inner.resume()
  }
}
