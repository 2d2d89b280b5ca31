import { Membership } from '@saorsa-gossip/membership'
import { Network } from './dist/src/network.js'
import { membershipMessageType, membershipMessageBytes } from './dist/src/membership-bytes.js'
const seed = Number(process.argv[2] ?? 4)
const cores = new Map(); const log = []; const sends = []
let target = null, win = null
const net = new Network({ seed, latency: { min: 10, max: 50 }, loss: 0.05, createCore: (id, rng) => { const c = new Membership(id, rng); cores.set(id, c); return c }, messageType: membershipMessageType, messageBytes: membershipMessageBytes,
  onEmit: (node, ev, now) => { if (ev.type.startsWith('peer-')) log.push([now, node, ev.type, ev.peer, ev.incarnation]) } })
const N = 1000
net.at(0, () => net.spawn(0, []))
for (let i = 1; i < N; i++) net.at(i * 50, () => net.spawn(i, [0]))
net.runUntil(660000)
const fd = log.find(e => e[2] === 'peer-dead' && net.isUp(e[3]))
if (!fd) { console.log('no fp'); process.exit(0) }
console.log('first FP', fd)
const X = fd[3], D = fd[1]
const rel = log.filter(e => e[3] === X && e[0] > fd[0] - 5000 && e[0] <= fd[0])
console.log(rel.map(e => e.join(' ')).join('\n'))
