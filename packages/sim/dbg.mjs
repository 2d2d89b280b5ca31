import { Membership } from '@saorsa-gossip/membership'
import { Network } from './dist/src/network.js'
import { membershipMessageType, membershipMessageBytes } from './dist/src/membership-bytes.js'
import { createRng } from '@saorsa-gossip/core'
const cores = new Map()
const net = new Network({ seed: 1, latency: { min: 10, max: 50 }, createCore: (id, rng) => { const c = new Membership(id, rng); cores.set(id, c); return c }, messageType: membershipMessageType, messageBytes: membershipMessageBytes })
const N = 1000
net.at(0, () => net.spawn(0, []))
for (let i = 1; i < N; i++) net.at(i * 50, () => net.spawn(i, [0]))
net.runUntil(70000)
const rng = createRng(5)
const ids = [...Array(N).keys()]
const victims = new Set(rng.sample(ids, 800))
for (const v of victims) net.crash(v)
net.runUntil(110000)
let shown = 0
for (const id of ids) {
  if (victims.has(id)) continue
  const c = cores.get(id)
  const deadInView = c.hyparview.activeView().filter(p => victims.has(p))
  if (deadInView.length > 0 && shown < 3) {
    shown++
    const sw = c.swim
    console.log('node', id, 'active', c.hyparview.activeView().length, 'deadInView', deadInView, 'lhm', sw.localHealthMultiplier, 'stats', sw.stats)
    for (const d of deadInView) console.log('  ', d, 'status', sw.statusOf(d), 'monitored?', sw.monitored.has(d), 'probes', sw.probes.size, 'order', sw.probeOrder.length, sw.probeIndex)
  }
}
const h = net.hosts.get(15)
console.log([...h.timers.keys()].filter(k => k.startsWith('swim')))
console.log(cores.get(15).swim.members.get(191))
console.log('queue size', net.queue.size, 'now', net.now)
