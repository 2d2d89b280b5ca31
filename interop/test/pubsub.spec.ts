import { expect } from 'aegir/chai'
import { spawnDaemon } from '../src/daemon.ts'
import { IMPLS, IMPL_NAMES } from '../src/impls.ts'
import type { Daemon } from '../src/daemon.ts'

// @libp2p/interop 14 ships its gossipsub suite as `describe.skip` (pending until gossipsub
// "supports event target streams"), so running it would prove nothing. This is the same
// check, written here, for every ordered pair: A publishes through its gossipsub and B's
// gossipsub delivers it. Our node runs plumtree beside gossipsub the whole time.

const TOPIC = 'interop-topic'

async function waitFor (what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await new Promise(resolve => setTimeout(resolve, 200))
  }
}

for (const a of IMPLS) {
  for (const b of IMPLS) {
    describe(`gossipsub: ${IMPL_NAMES[a]} publishes, ${IMPL_NAMES[b]} receives`, function () {
      let daemonA: Daemon | undefined
      let daemonB: Daemon | undefined

      before(async function () {
        this.timeout(40_000)
        daemonA = await spawnDaemon(a, { pubsub: true })
        daemonB = await spawnDaemon(b, { pubsub: true })
      })

      after(async function () {
        this.timeout(20_000)
        await Promise.all([daemonA, daemonB].map(async d => d?.stop()))
      })

      it('delivers the published bytes with the publisher as author', async function () {
        this.timeout(30_000)
        if (daemonA == null || daemonB == null) {
          throw new Error('daemons did not start')
        }
        const idA = await daemonA.client.identify()
        const idB = await daemonB.client.identify()
        await daemonA.client.connect(idB.peerId, idB.addrs)

        const subscription = await daemonB.client.pubsub.subscribe(TOPIC)
        // A only sends to peers it knows are subscribed: wait for B's subscription to reach it
        await waitFor('A to see B subscribed', async () => {
          const peers = await daemonA!.client.pubsub.getSubscribers(TOPIC)
          return peers.some(p => p.equals(idB.peerId))
        }, 15_000)

        const data = new TextEncoder().encode(`from ${a} to ${b} at ${Date.now()}`)
        const received = (async () => {
          const next = await subscription.messages()[Symbol.asyncIterator]().next()
          return next.done === true ? undefined : next.value
        })()
        await daemonA.client.pubsub.publish(TOPIC, data)
        const message = await received
        await subscription.cancel()

        expect(message).to.exist()
        expect(message?.data).to.equalBytes(data)
        expect(message?.topicIDs).to.deep.equal([TOPIC])
        expect(message?.from).to.equalBytes(idA.peerId.toMultihash().bytes)
      })
    })
  }
}
