import { Membership } from '@saorsa-gossip/membership'
import { Network } from './dist/src/network.js'
import { membershipMessageType, membershipMessageBytes } from './dist/src/membership-bytes.js'
const cores = new Map()
const log = []
const net = new Network({ seed: 1, latency: { min: 10, max: 50 }, loss: 0.05, createCore: (id, rng) => { const c = new Membership(id, rng); cores.set(id, c); return c }, messageType: membershipMessageType, messageBytes: membershipMessageBytes,
  onEmit: (node, ev, now) => { if (ev.type.startsWith('peer-')) log.push([now, node, ev.type, ev.peer, ev.incarnation]) } })
const N = 1000
net.at(0, () => net.spawn(0, []))
for (let i = 1; i < N; i++) net.at(i * 50, () => net.spawn(i, [0]))
net.runUntil(660000)
const firstDead = log.find(e => e[2] === "peer-dead" && net.isUp(e[3]))
console.log('first dead', firstDead)
const X = firstDead[3]
const rel = log.filter(e => e[3] === X && e[0] > firstDead[0] - 6000 && e[0] < firstDead[0] + 2000)
console.log(rel.slice(0, 40).map(e => e.join(' ')).join('\n'))
console.log('total about X', rel.length, 'X active', cores.get(X).hyparview.activeView().length)
