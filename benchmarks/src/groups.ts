/**
 * MLS groups (issue 15, SPEC.md §11.9): ts-mls through our wrapper for group sizes 2–128 with
 * the default suite (87, X-Wing + ML-DSA-87) and suite 1 side by side, then a real network
 * (TCP, one process) where a group of 20 exchanges messages, compared with the same traffic
 * unencrypted on a plain plumtree topic in the same run; two extra nodes relay the group's
 * topic without membership, and one member is removed at the end.
 *
 * Usage: npm run bench:groups [-- --sizes 2,8,32,128 --messages 100]
 * JSON summary last (also benchmarks/results/groups.json).
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createTsMlsProvider, groups } from '@saorsa-gossip/groups'
import { createBinding, PqIdentity, pqIdentity } from '@saorsa-gossip/identity'
import { membership } from '@saorsa-gossip/membership'
import { plumtree } from '@saorsa-gossip/pubsub'
import { createLibp2p } from 'libp2p'
import { median, percentile, round, writeSummary } from './stats.ts'
import type { Libp2p } from '@libp2p/interface'
import type { GroupsService, MlsProvider, MlsState, OwnKeyPackage } from '@saorsa-gossip/groups'
import type { PqIdentityService } from '@saorsa-gossip/identity'
import type { MembershipService } from '@saorsa-gossip/membership'

function arg (name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : fallback
}
const SIZES = arg('sizes', '2,8,32,128').split(',').map(Number)
const MESSAGES = Number(arg('messages', '100'))
const NETWORK = Number(arg('network', '20'))
const log = (s: string): void => { process.stdout.write(s + '\n') }
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6

interface Member { peer: string, provider: MlsProvider }

async function member (suite: number, appData: 'mls' | 'exporter' = 'exporter'): Promise<Member> {
  const key = await generateKeyPair('Ed25519')
  const identity = PqIdentity.generate()
  const binding = await createBinding(identity, key, Date.now())
  return { peer: peerIdFromPrivateKey(key).toString(), provider: await createTsMlsProvider({ suite, appData, binding, sign: async (d) => identity.sign(d) }) }
}

interface SizeFigures { addMemberCommitMs: number, commitBytes: number, welcomeBytes: number, joinMs: number, applyCommitMs: number, keyPackageBytes: number }

/** A group of `size` (creator + one observer + the rest added in one commit), then one more member added and measured */
async function measureSize (suite: number, size: number): Promise<SizeFigures> {
  const creator = await member(suite)
  const others = await Promise.all(Array.from({ length: size - 1 }, async () => member(suite)))
  const kps = await Promise.all(others.map(async o => o.provider.createKeyPackage()))
  let state: MlsState = await creator.provider.createGroup(new Uint8Array(32).fill(size), await creator.provider.createKeyPackage())
  let observer: MlsState | undefined
  if (size > 1) {
    const made = await creator.provider.commit(state, { add: kps.map(k => k.keyPackage), remove: [] })
    state = made.state
    observer = await others[0].provider.join(made.welcome as Uint8Array, kps[0])
  }
  const joiner = await member(suite)
  const kp: OwnKeyPackage = await joiner.provider.createKeyPackage()
  let t = process.hrtime.bigint()
  const add = await creator.provider.commit(state, { add: [kp.keyPackage], remove: [] })
  const addMemberCommitMs = ms(t)
  t = process.hrtime.bigint()
  await joiner.provider.join(add.welcome as Uint8Array, kp)
  const joinMs = ms(t)
  let applyCommitMs = 0
  if (observer != null) {
    t = process.hrtime.bigint()
    await others[0].provider.openCommit(observer, add.commit, creator.peer)
    applyCommitMs = ms(t)
  }
  return { addMemberCommitMs: round(addMemberCommitMs, 1), commitBytes: add.commit.byteLength, welcomeBytes: add.welcome?.byteLength ?? 0, joinMs: round(joinMs, 1), applyCommitMs: round(applyCommitMs, 1), keyPackageBytes: kp.keyPackage.byteLength }
}

/** Messages sealed and opened per second in a 2-member group, and their size for a 100-byte payload */
async function sealOpen (suite: number, appData: 'mls' | 'exporter'): Promise<{ perSec: number, bytes: number }> {
  const [a, b] = await Promise.all([member(suite, appData), member(suite, appData)])
  let sa = await a.provider.createGroup(new Uint8Array(32).fill(9), await a.provider.createKeyPackage())
  const kb = await b.provider.createKeyPackage()
  const made = await a.provider.commit(sa, { add: [kb.keyPackage], remove: [] })
  sa = made.state
  let sb = await b.provider.join(made.welcome as Uint8Array, kb)
  const payload = new Uint8Array(100)
  let bytes = 0
  const n = appData === 'mls' ? 50 : 2000
  const t = process.hrtime.bigint()
  for (let i = 0; i < n; i++) {
    const sealed = await a.provider.seal(sa, payload, a.peer)
    sa = sealed.state
    bytes = sealed.message.byteLength
    sb = (await b.provider.openApplication(sb, sealed.message, a.peer)).state
  }
  return { perSec: round(n / (ms(t) / 1000), 0), bytes }
}

/** plumtree()'s service type, by what the factory returns (robust to its interface's name) */
type PlumtreeService = ReturnType<ReturnType<typeof plumtree>>

type Node = Libp2p<{ identify: unknown, pqIdentity: PqIdentityService, membership: MembershipService, pubsub: PlumtreeService, groups: GroupsService }>

async function node (bootstrap?: string): Promise<Node> {
  return createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionMonitor: { enabled: false },
    services: {
      identify: identify(),
      pqIdentity: pqIdentity(),
      membership: membership({ bootstrap: bootstrap == null ? [] : [bootstrap] }),
      pubsub: plumtree(),
      groups: groups()
    }
  }) as Promise<Node>
}

async function until (cond: () => boolean, timeout: number, what: string): Promise<void> {
  const end = Date.now() + timeout
  while (!cond()) {
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

/** The real-network part: group messages and plain messages alternate, same payloads, same senders */
async function network (members: number, relays: number, messages: number): Promise<Record<string, number>> {
  const first = await node()
  const rest = await Promise.all(Array.from({ length: members + relays - 1 }, async () => node(first.getMultiaddrs()[0].toString())))
  const nodes = [first, ...rest]
  try {
    await until(() => nodes.every(n => n.services.membership.activeView().length > 0), 60_000, 'membership')
    let group = await first.services.groups.create('bench')
    const t = process.hrtime.bigint()
    // the plain topic is joined in the same order and at the same moments as the group's, so both overlays grow alike
    const plain = 'bench/plain'
    first.services.pubsub.subscribe(plain)
    for (let i = 1; i < members; i++) {
      group = await first.services.groups.invite(group.id, nodes[i].peerId)
      nodes[i].services.pubsub.subscribe(plain)
    }
    const inviteAllMs = ms(t)
    for (let i = members; i < nodes.length; i++) {
      nodes[i].services.groups.relay(group.id)
      nodes[i].services.pubsub.subscribe(plain)
    }
    await until(() => nodes.every(n => n.services.pubsub.getMeshPeers(group.topic).length > 0 && n.services.pubsub.getMeshPeers(plain).length > 0), 60_000, 'topic links')
    await until(() => nodes.slice(0, members).every(n => n.services.groups.list()[0]?.epoch === members - 1), 60_000, 'epochs')
    await new Promise(resolve => setTimeout(resolve, 5000))

    const groupLatency: number[] = []
    const plainLatency: number[] = []
    let nonMemberPlaintexts = 0
    const stamp = (data: Uint8Array): number => Number(new DataView(data.buffer, data.byteOffset).getFloat64(0))
    // where a group message's time goes: plumtree delivering the ciphertext (overlay), then groups() opening it;
    // a member opens its group's application messages in arrival order, so the nth arrival is the nth plaintext
    const overlay: number[] = []
    const opening: number[] = []
    const arrivals: number[][] = nodes.map(() => [])
    const now = (): number => performance.timeOrigin + performance.now()
    nodes.forEach((n, i) => {
      n.services.groups.addEventListener('message', evt => {
        if (i >= members) {
          nonMemberPlaintexts++
        }
        const t0 = stamp(evt.detail.data)
        const t1 = arrivals[i].shift()
        groupLatency.push(now() - t0)
        if (t1 != null) {
          overlay.push(t1 - t0)
          opening.push(now() - t1)
        }
      })
      n.services.pubsub.addEventListener('message', evt => {
        if (evt.detail.topic === plain) {
          plainLatency.push(now() - stamp(evt.detail.data))
        } else if (evt.detail.topic === group.topic && evt.detail.data[0] === 0x08 && evt.detail.data[1] === 0x01) {
          // GroupMessage.kind = APPLICATION (field 1, varint 1)
          arrivals[i].push(now())
        }
      })
    })
    const payload = (): Uint8Array => {
      const p = new Uint8Array(100)
      new DataView(p.buffer).setFloat64(0, performance.timeOrigin + performance.now())
      return p
    }
    for (let i = 0; i < messages; i++) {
      const sender = nodes[i % members]
      // which goes first alternates, so neither queues behind the other every time
      const sends = [async () => sender.services.groups.send(group.id, payload()), async () => sender.services.pubsub.publish(plain, payload())]
      for (const send of i % 2 === 0 ? sends : sends.reverse()) {
        await send()
      }
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    const expected = messages * (members - 1)
    await until(() => groupLatency.length >= expected && plainLatency.length >= messages * (nodes.length - 1), 60_000, 'deliveries').catch(() => {})
    const groupSamples = groupLatency.slice()
    const plainSamples = plainLatency.slice()

    // remove one member; what it decrypts afterwards is counted
    const removed = nodes[members - 1]
    let removedMemberDecrypted = 0
    await first.services.groups.remove(group.id, removed.peerId)
    await until(() => nodes.slice(0, members - 1).every(n => n.services.groups.list()[0]?.epoch === members), 30_000, 'removal')
    removed.services.groups.addEventListener('message', () => { removedMemberDecrypted++ })
    for (let i = 0; i < 10; i++) {
      await nodes[i % (members - 1)].services.groups.send(group.id, payload())
    }
    await new Promise(resolve => setTimeout(resolve, 3000))
    return {
      groupDelivered: groupSamples.length,
      groupExpected: expected,
      groupP50Ms: round(median(groupSamples), 1),
      groupP99Ms: round(percentile(groupSamples, 99), 1),
      groupOverlayP50Ms: round(median(overlay), 1),
      groupOpeningP50Ms: round(median(opening), 2),
      groupOpeningP99Ms: round(percentile(opening, 99), 2),
      plainP50Ms: round(median(plainSamples), 1),
      plainP99Ms: round(percentile(plainSamples, 99), 1),
      inviteAllMs: round(inviteAllMs, 0),
      nonMemberPlaintexts,
      removedMemberDecrypted,
      relayRefusals: nodes.slice(members).reduce((s, n) => s + n.services.groups.refusals()['not-in-group'], 0)
    }
  } finally {
    await Promise.all(nodes.map(async n => n.stop()))
  }
}

const summary: Record<string, any> = { addMemberCommitMs: {}, commitBytes: {}, welcomeBytes: {}, joinMs: {}, applyCommitMs: {}, suite1: { addMemberCommitMs: {}, commitBytes: {}, joinMs: {} } }
log('suite  size  add-commit ms  commit B  welcome B  join ms  apply ms  key package B')
for (const size of SIZES) {
  for (const suite of [87, 1]) {
    const f = await measureSize(suite, size)
    log(`${String(suite).padEnd(7)}${String(size).padEnd(6)}${String(f.addMemberCommitMs).padEnd(15)}${String(f.commitBytes).padEnd(10)}${String(f.welcomeBytes).padEnd(11)}${String(f.joinMs).padEnd(9)}${String(f.applyCommitMs).padEnd(10)}${f.keyPackageBytes}`)
    const into = suite === 87 ? summary : summary.suite1
    into.addMemberCommitMs[size] = f.addMemberCommitMs
    into.commitBytes[size] = f.commitBytes
    into.joinMs[size] = f.joinMs
    if (suite === 87) {
      summary.welcomeBytes[size] = f.welcomeBytes
      summary.applyCommitMs[size] = f.applyCommitMs
      summary.keyPackageBytes = f.keyPackageBytes
    }
  }
}
for (const [suite, appData] of [[87, 'exporter'], [87, 'mls'], [1, 'mls']] as const) {
  const s = await sealOpen(suite, appData)
  log(`seal+open, suite ${suite}, ${appData}: ${s.perSec}/s, ${s.bytes} B for 100 B of data`)
  summary[`sealOpen_${suite}_${appData}`] = s
}
summary.sealOpenPerSec = summary.sealOpen_87_exporter.perSec
summary.appMessageBytes = { exporter: summary.sealOpen_87_exporter.bytes, mls: summary.sealOpen_87_mls.bytes, mlsSuite1: summary.sealOpen_1_mls.bytes }
const net = await network(NETWORK, 2, MESSAGES)
log(`network: ${NETWORK} members + 2 relays over TCP, ${MESSAGES} messages each way: group P50 ${net.groupP50Ms} ms P99 ${net.groupP99Ms} ms, plain P50 ${net.plainP50Ms} ms P99 ${net.plainP99Ms} ms; ${net.groupDelivered}/${net.groupExpected} group deliveries`)
Object.assign(summary, net, { ratioP50: round(net.groupP50Ms / Math.max(0.1, net.plainP50Ms), 2) })
writeSummary('groups', summary)
