import { lpStream } from '@libp2p/utils'
import { GossipError } from '@saorsa-gossip/core'
import { NOISE_MAX_MESSAGE_LENGTH } from './constants.ts'
import { HandshakeTimeoutError, MalformedHandshakeMessageError } from './errors.ts'
import { XXhfsHandshakeState } from './noise/handshake-state.ts'
import { createPayload, verifyPayload } from './payload.ts'
import type { KeyPair, NoiseCryptoBackend } from './crypto/backend.ts'
import type { HandshakeResult, RandomSource } from './noise/handshake-state.ts'
import type { PayloadExtensions, VerifiedPayload, VerifyPayloadOptions } from './payload.ts'
import type { AbortOptions, MessageStream, PrivateKey } from '@libp2p/interface'
import type { LengthPrefixedStream } from '@libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'

/** Noise §13 / libp2p Noise framing: each message is preceded by its length as u16 big-endian */
export function u16be (n: number): Uint8Array {
  return Uint8Array.of(n >> 8, n & 0xff)
}

function decodeU16be (data: Uint8ArrayList): number {
  if (data.byteLength < 2) {
    throw new RangeError('Could not decode length')
  }
  return data.getUint16(0, false)
}

export interface RunHandshakeOptions extends AbortOptions, VerifyPayloadOptions {
  crypto: NoiseCryptoBackend
  privateKey: PrivateKey
  staticKeys: KeyPair
  extensions: PayloadExtensions
  timeoutMs: number
  prologue?: Uint8Array
  random?: RandomSource
}

export interface SecureHandshake extends HandshakeResult, VerifiedPayload {
  /** The framed stream, to unwrap once the handshake is done */
  framed: LengthPrefixedStream<MessageStream>
  /** Handshake bytes written and read, framing included */
  bytesSent: number
  bytesReceived: number
}

/** Length-prefixed framing of handshake messages with the Noise limit enforced before buffering */
export function frame (stream: MessageStream): LengthPrefixedStream<MessageStream> {
  return lpStream(stream, {
    lengthEncoder: u16be,
    lengthDecoder: decodeU16be,
    maxLengthLength: 2,
    maxDataLength: NOISE_MAX_MESSAGE_LENGTH
  })
}

/** Maps I/O failures to named errors; our own errors pass through */
function classify (err: any, timeout: AbortSignal): Error {
  if (timeout.aborted) {
    return new HandshakeTimeoutError('PQ Noise handshake timed out', { cause: err })
  }
  if (err instanceof GossipError) {
    return err
  }
  if (err?.name === 'AbortError') {
    return err
  }
  return new MalformedHandshakeMessageError(`Handshake stream failed: ${String(err?.name)}: ${String(err?.message)}`, { cause: err })
}

/**
 * Runs XXhfs over `stream` (SPEC.md §10.2): three framed messages, the payload
 * checks of §10.3, a timeout on the whole exchange so a silent or slow peer cannot
 * hold the connection.
 */
export async function runHandshake (stream: MessageStream, initiator: boolean, options: RunHandshakeOptions): Promise<SecureHandshake> {
  const timeout = AbortSignal.timeout(options.timeoutMs)
  const signal = options.signal == null ? timeout : AbortSignal.any([options.signal, timeout])
  const framed = frame(stream)
  const hs = new XXhfsHandshakeState({
    crypto: options.crypto,
    initiator,
    staticKeys: options.staticKeys,
    prologue: options.prologue,
    random: options.random
  })
  let bytesSent = 0
  let bytesReceived = 0
  const write = async (message: Uint8Array): Promise<void> => {
    await framed.write(message, { signal })
    bytesSent += message.length + 2
  }
  const read = async (): Promise<Uint8Array> => {
    const message = (await framed.read({ signal })).subarray()
    bytesReceived += message.length + 2
    return message
  }
  const ownPayload = async (): Promise<Uint8Array> => createPayload(options.privateKey, options.staticKeys.publicKey, options.extensions)
  const check = async (payload: Uint8Array): Promise<VerifiedPayload> => {
    const remoteStatic = hs.remoteStaticKey
    if (remoteStatic == null) {
      throw new MalformedHandshakeMessageError('No remote static key')
    }
    return verifyPayload(payload, remoteStatic, options)
  }

  try {
    let verified: VerifiedPayload
    if (initiator) {
      // -> e, e1 (libp2p sends no payload in the first, unencrypted message)
      await write(hs.writeMessage(new Uint8Array(0)))
      // <- e, ee, ekem1, s, es + responder payload
      verified = await check(hs.readMessage(await read()))
      // -> s, se + initiator payload
      await write(hs.writeMessage(await ownPayload()))
    } else {
      const first = hs.readMessage(await read())
      if (first.length !== 0) {
        throw new MalformedHandshakeMessageError(`Message A carries ${first.length} payload bytes; libp2p sends none in clear`)
      }
      await write(hs.writeMessage(await ownPayload()))
      verified = await check(hs.readMessage(await read()))
    }
    return { ...hs.finish(), ...verified, framed, bytesSent, bytesReceived }
  } catch (err: any) {
    throw classify(err, timeout)
  }
}
