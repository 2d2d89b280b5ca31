import { Membership } from '@saorsa-gossip/membership'
import { Network } from './dist/src/network.js'
import { membershipMessageType, membershipMessageBytes } from './dist/src/membership-bytes.js'
import { createRng } from '@saorsa-gossip/core'
const cores = new Map(); const restarted = new Map(); const log = []
let net
net = new Network({ seed: 1, latency: { min: 10, max: 50 }, createCore: (id, rng) => { const c = new Membership(id, rng, { startIncarnation: Math.floor(net.now / 1000) }); cores.set(id, c); return c }, messageType: membershipMessageType, messageBytes: membershipMessageBytes,
  onEmit: (node, ev, now) => { if (ev.type === 'peer-dead' && net.isUp(ev.peer)) log.push([now, node, ev.peer, ev.incarnation, restarted.get(ev.peer), cores.get(ev.peer).swim.ownIncarnation]) } })
const N = 1000
net.at(0, () => net.spawn(0, []))
for (let i = 1; i < N; i++) net.at(i * 50, () => net.spawn(i, [0]))
const rng = createRng(1).fork('t')
for (let t = 70000; t < 170000; t += 500) net.at(t, () => { const v = rng.pick([...Array(N).keys()].filter(i => net.isUp(i) && i !== 0)); net.crash(v); net.at(net.now + 5000, () => { restarted.set(v, net.now); net.spawn(v, [0]) }) })
net.runUntil(200000)
console.log(log.length, log.slice(0, 10))
