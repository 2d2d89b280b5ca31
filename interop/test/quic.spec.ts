import { echo, lpStream } from '@libp2p/utils'
import { expect } from 'aegir/chai'
import { spawnDaemon } from '../src/daemon.ts'
import { IMPLS, IMPL_NAMES } from '../src/impls.ts'
import type { Daemon } from '../src/daemon.ts'

// @libp2p/interop's connect suite knows tcp, webtransport and webrtc-direct, not QUIC, which
// all three implementations here carry (@chainsafe/libp2p-quic 2.x for libp2p 3, 1.x for
// 2.x). The same two checks — connect, then echo over a stream — for every ordered pair,
// with both daemons on QUIC only, so nothing can fall back to TCP.

const ECHO_PROTOCOL = '/saorsa-interop/echo/1.0.0'

for (const a of IMPLS) {
  for (const b of IMPLS) {
    describe(`quic: ${IMPL_NAMES[a]} dials ${IMPL_NAMES[b]}`, function () {
      let daemonA: Daemon | undefined
      let daemonB: Daemon | undefined

      before(async function () {
        this.timeout(40_000)
        daemonA = await spawnDaemon(a, { transport: 'quic', noListen: true })
        daemonB = await spawnDaemon(b, { transport: 'quic' })
      })

      after(async function () {
        this.timeout(20_000)
        await Promise.all([daemonA, daemonB].map(async d => d?.stop()))
      })

      it('connects and echoes over a stream', async function () {
        this.timeout(20_000)
        if (daemonA == null || daemonB == null) {
          throw new Error('daemons did not start')
        }
        const idA = await daemonA.client.identify()
        const idB = await daemonB.client.identify()
        expect(idB.addrs.map(String)).to.not.be.empty()
        expect(idB.addrs.every(ma => ma.toString().includes('/quic-v1'))).to.be.true()

        await daemonA.client.connect(idB.peerId, idB.addrs)
        expect((await daemonA.client.listPeers()).map(String)).to.include(idB.peerId.toString())
        expect((await daemonB.client.listPeers()).map(String)).to.include(idA.peerId.toString())

        await daemonB.client.registerStreamHandler(ECHO_PROTOCOL, async stream => { await echo(stream) })
        const stream = await daemonA.client.openStream(idB.peerId, ECHO_PROTOCOL)
        const lp = lpStream(stream)
        const input = new TextEncoder().encode(`quic ${a} -> ${b}`)
        await lp.write(input)
        const output = await lp.read()
        expect(output.subarray()).to.equalBytes(input)
      })
    })
  }
}
