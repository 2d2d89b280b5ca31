import { Membership } from '@saorsa-gossip/membership'
import { Network } from './dist/src/network.js'
import { membershipMessageType, membershipMessageBytes } from './dist/src/membership-bytes.js'
const cores = new Map()
let net
net = new Network({ seed: 1, latency: { min: 10, max: 50 }, loss: 0.05, createCore: (id, rng) => { const c = new Membership(id, rng); cores.set(id, c); return c },
  messageType: membershipMessageType, messageBytes: membershipMessageBytes })
const N = 1000
net.at(0, () => net.spawn(0, []))
for (let i = 1; i < N; i++) net.at(i * 50, () => net.spawn(i, [0]))
const origSend = net.send.bind(net)
net.send = (from, to, msg) => { if (net.now > 104150 && net.now < 104440 && ((from === 307 && to === 256) || (from === 256 && to === 307)) ) console.log(net.now, from, '->', to, msg.proto, msg.type, msg.seq ?? '', JSON.stringify(msg.updates ?? [])) ; return origSend(from, to, msg) }
const origInput = net.input.bind(net)
net.input = (id, host, input) => { if (id === 307 && net.now > 104150 && net.now < 104440 && input.type === 'timer-expired' && input.key.startsWith('swim')) console.log(net.now, '307 timer', input.key); if (id===307 && input.type==='message' && input.from===256 && net.now > 104150 && net.now < 104440) console.log(net.now, '307 got', input.message.type, input.message.seq); return origInput(id, host, input) }
net.runUntil(104440)
