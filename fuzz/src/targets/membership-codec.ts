import { decodeFrame, encodeFrame, InvalidFrameError } from '@saorsa-gossip/membership'
import { bytesFrom, canonical, decodes, invariant, numbersSafe } from '../engine.ts'
import { membershipSeeds } from './messages.ts'
import { stringPeerCodec as codec } from './peers.ts'
import type { Target } from '../engine.ts'

/** membership decodeFrame: a message or InvalidFrameError; what decodes re-encodes to bytes that decode to the same message */
export const membershipCodec: Target<Uint8Array> = {
  name: 'membership-codec',
  seeds: async () => membershipSeeds(),
  arbitrary: (corpus) => bytesFrom(corpus, 1024),
  run (bytes) {
    const frame = decodes(() => decodeFrame(bytes, codec), [InvalidFrameError])
    if (frame != null) {
      invariant(frame.message.proto === 'hpv' || frame.message.proto === 'swim', () => `decoded an unknown protocol ${String(frame.message.proto)}`)
      invariant(numbersSafe(frame.message), () => `decoded a number above 2^53 - 1: ${canonical(frame.message)}`)
      const encoded = encodeFrame(frame.message, codec)
      const again = decodes(() => decodeFrame(encoded, codec).message, [])
      invariant(canonical(again) === canonical(frame.message), () => `${canonical(frame.message)} re-decodes as ${canonical(again)}`)
    }
  }
}
