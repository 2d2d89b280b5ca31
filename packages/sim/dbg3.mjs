import { Membership } from '@saorsa-gossip/membership'
import { Network } from './dist/src/network.js'
import { membershipMessageType, membershipMessageBytes } from './dist/src/membership-bytes.js'
const cores = new Map()
const sends = []
let net
net = new Network({ seed: 1, latency: { min: 10, max: 50 }, loss: 0.05, createCore: (id, rng) => { const c = new Membership(id, rng); cores.set(id, c); return c },
  messageType: (m) => { return membershipMessageType(m) }, messageBytes: membershipMessageBytes,
  onEmit: (node, ev, now) => { if (node === 2 && now > 28300 && now < 28600) console.log(now, 'X emits', JSON.stringify(ev)) } })
const N = 1000
net.at(0, () => net.spawn(0, []))
for (let i = 1; i < N; i++) net.at(i * 50, () => net.spawn(i, [0]))
const origSend = net.send.bind(net)
net.send = (from, to, msg) => { if (net.now > 28300 && net.now < 28700 && (from === 2 || to === 2) && msg.proto === 'swim' && msg.type !== 'ping' ) console.log(net.now, from, '->', to, msg.type, JSON.stringify(msg.updates ?? [])) ; return origSend(from, to, msg) }
net.runUntil(28380)
console.log('X monitored', [...cores.get(2).swim.monitored.values()], 'active', cores.get(2).hyparview.activeView())
net.runUntil(28700)
