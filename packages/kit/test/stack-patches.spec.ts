/**
 * The dependency patches the root `postinstall` applies (patch-package, patches/; SPEC.md
 * §7.12): these fail on the stock packages, so a lockfile bump that makes a patch miss its
 * target shows here as well as in `patch-package --error-on-fail`.
 */
import { LengthPrefixedDecoder, multiaddrConnectionPair } from '@libp2p/utils'
import { yamux } from '@libp2p/yamux'
import { expect } from 'aegir/chai'
import type { Stream, StreamMuxer } from '@libp2p/interface'

const WINDOW_UPDATE = 1

describe('patched dependencies', () => {
  it('@libp2p/utils LengthPrefixedDecoder does not ask for a length prefix in an empty buffer', () => {
    let calls = 0
    const decoder = new LengthPrefixedDecoder({
      lengthDecoder: (data) => {
        calls++
        if (data.byteLength < 1) {
          throw new RangeError('no prefix yet')
        }
        return data instanceof Uint8Array ? data[0] : data.get(0)
      },
      encodingLength: () => 1
    })
    const frames = [...decoder.decode(Uint8Array.from([3, 1, 2, 3, 2, 4, 5]))]
    expect(frames.map(f => [...f.subarray()])).to.deep.equal([[1, 2, 3], [4, 5]])
    // two prefixes read; the stock decoder asks a third time and gets a RangeError
    expect(calls).to.equal(2)
  })

  it('@libp2p/yamux sends a WINDOW_UPDATE per half window consumed, not per data frame', async () => {
    const [outboundConn, inboundConn] = multiaddrConnectionPair()
    const factory = yamux()()
    const outbound: StreamMuxer = factory.createStreamMuxer(outboundConn)
    const inbound: StreamMuxer = factory.createStreamMuxer(inboundConn)
    // yamux frames the receiving side sends: a 12-byte header, its second byte the type
    let windowUpdates = 0
    const send = inboundConn.send.bind(inboundConn)
    inboundConn.send = (data) => {
      if (data.subarray(1, 2)[0] === WINDOW_UPDATE) {
        windowUpdates++
      }
      return send(data)
    }
    let received = 0
    const arrived = new Promise<void>(resolve => {
      inbound.addEventListener('stream', (evt) => {
        const stream: Stream = evt.detail
        stream.addEventListener('message', (msg) => {
          received += msg.data.byteLength
          if (received === 100 * 64) {
            resolve()
          }
        })
      })
    })
    try {
      const stream = await outbound.createStream()
      for (let i = 0; i < 100; i++) {
        stream.send(new Uint8Array(64))
        // one frame per turn, as frames spread out on a real overlay
        await new Promise(resolve => setImmediate(resolve))
      }
      await arrived
      // 6,400 B is far below half of the 256 KiB window: the updates that come back are the
      // stream's ACK and those of yamux's window auto-tuning (it doubles the window, 256 KiB up
      // to 16 MiB, when data arrives within four round trips of the last update: six doublings
      // at most), not the stock 100, one per data frame
      expect(windowUpdates).to.be.within(1, 1 + 6)
    } finally {
      outbound.abort(new Error('done'))
      inbound.abort(new Error('done'))
      outboundConn.abort(new Error('done'))
      inboundConn.abort(new Error('done'))
    }
  })
})
