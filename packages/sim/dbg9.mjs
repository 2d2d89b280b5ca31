import { Membership } from '@saorsa-gossip/membership'
import { Network } from './dist/src/network.js'
import { membershipMessageType, membershipMessageBytes } from './dist/src/membership-bytes.js'
import { createRng } from '@saorsa-gossip/core'
const cores = new Map(); const crashAt = new Map(); const monitorsOf = new Map(); const firstSus = new Map(); const firstProbe = new Map()
const out = []
let net
net = new Network({ seed: 5, latency: { min: 10, max: 50 }, createCore: (id, rng) => { const c = new Membership(id, rng); cores.set(id, c); return c }, messageType: membershipMessageType, messageBytes: membershipMessageBytes,
  onEmit: (node, ev, now) => { if (!crashAt.has(ev.peer) || net.isUp(ev.peer)) return; const t = now - crashAt.get(ev.peer)
    if (ev.type === 'peer-suspect' && !firstSus.has(ev.peer)) firstSus.set(ev.peer, t)
    if (ev.type === 'peer-dead' && monitorsOf.get(ev.peer).has(node)) { if (t > 4000) out.push({ victim: ev.peer, node, t, firstSus: firstSus.get(ev.peer), firstProbe: firstProbe.get(ev.peer), lhm: cores.get(node).swim.localHealthMultiplier, nmon: monitorsOf.get(ev.peer).size }) } } })
const origSend = net.send.bind(net)
net.send = (from, to, msg) => { if (msg.type === 'ping' && crashAt.has(to) && !net.isUp(to) && !firstProbe.has(to)) firstProbe.set(to, [net.now - crashAt.get(to), from]); return origSend(from, to, msg) }
const N = 1000
net.at(0, () => net.spawn(0, []))
for (let i = 1; i < N; i++) net.at(i * 50, () => net.spawn(i, [0]))
const rng = createRng(5).fork('timeline')
for (let w = 0; w < 10; w++) net.at(70000 + w * 10000, () => { const live = [...Array(N).keys()].filter(i => net.isUp(i)); for (const v of rng.sample(live, 10)) { crashAt.set(v, net.now); monitorsOf.set(v, new Set(live.filter(i => i !== v && cores.get(i).hyparview.isActive(v)))); net.crash(v) } })
net.runUntil(180000)
console.log(out.slice(0, 20))
