import { runMembershipScenario } from './dist/src/run-membership.js'
import { Membership } from '@saorsa-gossip/membership'
import { Network } from './dist/src/network.js'
import { membershipMessageType, membershipMessageBytes } from './dist/src/membership-bytes.js'
import { createRng } from '@saorsa-gossip/core'
const cores = new Map(); const log = []
let net
net = new Network({ seed: 1, latency: { min: 10, max: 50 }, createCore: (id, rng) => { const c = new Membership(id, rng, { swim: { lifeguard: false }, startIncarnation: Math.floor(net.now / 1000) }); cores.set(id, c); return c }, messageType: membershipMessageType, messageBytes: membershipMessageBytes,
  onEmit: (node, ev, now) => { if (ev.type.startsWith('peer-')) log.push([now, node, ev.type, ev.peer, ev.incarnation, net.isStalled(node) ? 'S' : '', net.lastStallEnd(ev.peer), ev.by]) } })
const N = 1000
net.at(0, () => net.spawn(0, []))
for (let i = 1; i < N; i++) net.at(i * 50, () => net.spawn(i, [0]))
const rng = createRng(1).fork('timeline')
net.at(60000, () => { const chosen = rng.sample([...Array(N).keys()], 50); for (const id of chosen) { const when = 60000 + rng.int(290000); net.at(when, () => net.stall(id, 2000)) } })
net.runUntil(360000)
const fp = log.find(e => e[2] === 'peer-dead' && net.isUp(e[3]) && e[1] === e[7])
console.log('fp', fp)
const X = fp[3]
console.log(log.filter(e => e[3] === X && e[0] > fp[0] - 6000 && e[0] <= fp[0] + 100).map(e => e.join(' ')).join('\n'))
