import { lpStream } from '@libp2p/utils'
import { encodeBinding } from '@saorsa-gossip/identity'
import { expect } from 'aegir/chai'
import { BEACON_DOMAIN, BeaconBody, PROTOCOL, PresenceFrame, QUERY_DOMAIN, QueryBody } from '../src/index.ts'
import { createPresenceNode, waitFor } from './fixtures/nodes.ts'
import type { PresenceNode } from './fixtures/nodes.ts'

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => { const out = new Uint8Array(a.length + b.length); out.set(a); out.set(b, a.length); return out }

describe('presence() under bad input', function () {
  this.timeout(60_000)
  let victim: PresenceNode
  let attacker: PresenceNode
  let third: PresenceNode

  beforeEach(async () => {
    victim = await createPresenceNode()
    attacker = await createPresenceNode([victim.getMultiaddrs()[0].toString()])
    third = await createPresenceNode([victim.getMultiaddrs()[0].toString()])
    await waitFor(() => victim.services.membership.activeView().length >= 2, 20_000, 'victim to have two neighbours')
  })

  afterEach(async () => {
    await Promise.all([victim.stop(), attacker.stop(), third.stop()])
  })

  async function signedBeacon (claimed: PresenceNode, seq: number, addrs: Uint8Array[]): Promise<Uint8Array> {
    const now = Date.now()
    const body = BeaconBody.encode({ peer: claimed.peerId.toMultihash().bytes as Uint8Array<ArrayBuffer>, seq, issuedAtMs: now, expiresAtMs: now + 600_000, addrs: addrs as Array<Uint8Array<ArrayBuffer>> })
    // always signed with the attacker's own key and binding
    const signature = await attacker.services.pqIdentity.sign(concat(BEACON_DOMAIN, body))
    return PresenceFrame.encode({ beacon: { body, signature: signature as Uint8Array<ArrayBuffer>, binding: encodeBinding(attacker.services.pqIdentity.binding) as Uint8Array<ArrayBuffer> } })
  }

  it('refuses and counts a beacon forged for another peer', async () => {
    const before = victim.services.presence.stats.drops['bad-signature']
    const stream = await attacker.dialProtocol(victim.peerId, PROTOCOL)
    await lpStream(stream).write(await signedBeacon(third, Date.now() * 10, [Uint8Array.of(4, 10, 0, 0, 1, 6, 0x10, 0x01)]))
    await waitFor(() => victim.services.presence.stats.drops['bad-signature'] === before + 1, 10_000, 'the forged beacon to be counted')
    // the third node's own record, if the victim holds one, still has its true addresses
    const info = await victim.services.presence.findPeer(third.peerId)
    expect(info.multiaddrs.map(String).some(a => a.includes('10.0.0.1'))).to.equal(false)
  })

  it('refuses a replayed beacon (same seq) and counts it', async () => {
    const stream = lpStream(await attacker.dialProtocol(victim.peerId, PROTOCOL))
    const frame = await signedBeacon(attacker, Date.now() * 10, [])
    const before = victim.services.presence.stats
    await stream.write(frame)
    await stream.write(frame)
    await waitFor(() => victim.services.presence.stats.drops.replayed === before.drops.replayed + 1, 10_000, 'the replay to be counted')
  })

  it('holds the per-neighbour query rate limit', async () => {
    const stream = lpStream(await attacker.dialProtocol(victim.peerId, PROTOCOL))
    const burst = 20
    const sent = burst + 15
    // signed first, sent after: signing 35 queries takes long enough under load for the bucket to refill a few tokens
    const frames: Uint8Array[] = []
    for (let i = 0; i < sent; i++) {
      const body = QueryBody.encode({
        id: crypto.getRandomValues(new Uint8Array(16)),
        origin: attacker.peerId.toMultihash().bytes as Uint8Array<ArrayBuffer>,
        target: third.peerId.toMultihash().bytes as Uint8Array<ArrayBuffer>,
        hopLimit: 1,
        issuedAtMs: Date.now(),
        originAddrs: [],
        tags: []
      })
      const signature = await attacker.services.pqIdentity.sign(concat(QUERY_DOMAIN, body))
      frames.push(PresenceFrame.encode({ query: { body, signature: signature as Uint8Array<ArrayBuffer>, binding: new Uint8Array(0), ttl: 1 } }))
    }
    // the victim answers each admitted query from third's record (so each is counted, as answered)
    await waitFor(() => victim.services.presence.stats.records >= 2, 20_000, 'the victim to hold its neighbours\' records')
    const before = victim.services.presence.stats
    for (const frame of frames) {
      await stream.write(frame)
    }
    // every query is counted once: answered (the victim holds the target's record), forwarded, or dropped
    const processed = (s: typeof before): number => s.queriesAnswered + s.queriesForwarded + s.drops['rate-limited'] + s.drops['bad-signature'] + s.drops['duplicate-query']
    await waitFor(() => processed(victim.services.presence.stats) - processed(before) >= sent, 10_000,
      () => `the flood to be counted (${JSON.stringify(victim.services.presence.stats)})`)
    // the burst allows 20 (plus what refilled during the send), never the whole flood
    expect(victim.services.presence.stats.drops['rate-limited']).to.be.greaterThan(5)
  })

  it('drops a reply nobody asked for', async () => {
    const stream = lpStream(await attacker.dialProtocol(victim.peerId, PROTOCOL))
    const beacon = PresenceFrame.decode(await signedBeacon(attacker, Date.now() * 10 + 5, [])).beacon
    await stream.write(PresenceFrame.encode({ reply: { id: new Uint8Array(16), beacons: beacon != null ? [beacon] : [], sealed: [] } }))
    await waitFor(() => victim.services.presence.stats.drops['unsolicited-reply'] === 1, 10_000, 'the unsolicited reply to be counted')
  })
})
