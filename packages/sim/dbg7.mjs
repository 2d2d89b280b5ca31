import { Membership } from '@saorsa-gossip/membership'
import { Network } from './dist/src/network.js'
import { membershipMessageType, membershipMessageBytes } from './dist/src/membership-bytes.js'
import { createRng } from '@saorsa-gossip/core'
const cores = new Map()
const crashAt = new Map()
const lat = []
const net = new Network({ seed: 4, latency: { min: 10, max: 50 }, createCore: (id, rng) => { const c = new Membership(id, rng); cores.set(id, c); return c }, messageType: membershipMessageType, messageBytes: membershipMessageBytes,
  onEmit: (node, ev, now) => { if (ev.type === 'peer-suspect' && crashAt.has(ev.peer) && !net.isUp(ev.peer)) lat.push([ev.peer, node, 'suspect', now - crashAt.get(ev.peer)]); if (ev.type === 'peer-dead' && crashAt.has(ev.peer)) lat.push([ev.peer, node, 'dead', now - crashAt.get(ev.peer)]) } })
const N = 1000
net.at(0, () => net.spawn(0, []))
for (let i = 1; i < N; i++) net.at(i * 50, () => net.spawn(i, [0]))
net.runUntil(70000)
const rng = createRng(4).fork('x')
const victims = rng.sample([...Array(N).keys()], 30)
for (const v of victims) { crashAt.set(v, 70000); net.crash(v) }
net.runUntil(90000)
const byVictim = new Map()
for (const [v, n, kind, l] of lat) { if (!byVictim.has(v)) byVictim.set(v, []); byVictim.get(v).push([n, kind, l]) }
const rows = [...byVictim].map(([v, arr]) => [v, Math.min(...arr.filter(a => a[1]==='suspect').map(a => a[2])), Math.max(...arr.filter(a => a[1]==='dead').map(a => a[2]))])
rows.sort((a,b)=>b[2]-a[2]); console.log(rows.slice(0,5))
const worst = rows[0][0]; console.log(byVictim.get(worst).sort((a,b)=>a[2]-b[2]).map(a=>a.join(':')).join(' '))
