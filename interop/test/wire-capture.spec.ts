import { identify } from '@libp2p/identify'
import { memory } from '@libp2p/memory'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { pqIdentity } from '@saorsa-gossip/identity'
import { membership } from '@saorsa-gossip/membership'
import { plumtree } from '@saorsa-gossip/pubsub'
import { expect } from 'aegir/chai'
import { createLibp2p } from 'libp2p'
import { decodeIndependently, loadProtoFiles, loadProtonsModule, normalise } from '../src/wire.ts'
import type { ProtoFile } from '../src/wire.ts'

// Frames our codecs really produce, checked by the independent decoder: three of our nodes
// (identify, pqIdentity, membership, plumtree) on the memory transport join, form a topic
// and publish, while every protons `encode` of every message type records its output. Each
// recorded frame must decode the same under protobufjs as under protons, and re-encode to
// the same bytes (so both sides agree on field order, packing and varint widths too).

interface Captured { file: ProtoFile, type: string, bytes: Uint8Array }

const TOPIC = 'interop-capture'

async function waitFor (what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

describe('frames captured from a real run, decoded by protobufjs from the .proto text', function () {
  this.timeout(90_000)
  const captured: Captured[] = []
  const restore: Array<() => void> = []
  const published: Uint8Array[] = []
  const publishers: Uint8Array[] = []
  let files: ProtoFile[]

  before(async function () {
    files = loadProtoFiles()
    // wrap every generated encode: the services call them through the exported namespace
    // objects, which are the same module instances as the ones loaded here
    for (const file of files) {
      const mod = await loadProtonsModule(file)
      for (const type of file.root.nestedArray) {
        const codec = mod[type.name]
        if (!('fieldsArray' in type) || typeof codec?.encode !== 'function') {
          continue
        }
        const original = codec.encode
        codec.encode = (...args: any[]) => {
          const bytes: Uint8Array = original(...args)
          captured.push({ file, type: type.name, bytes: bytes.slice() })
          return bytes
        }
        restore.push(() => { codec.encode = original })
      }
    }

    const nodes: any[] = []
    let counter = 0
    const create = async (bootstrap: string[]): Promise<any> => createLibp2p({
      addresses: { listen: [`/memory/saorsa-interop-${process.pid}-${counter++}`] },
      transports: [memory()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: {
        identify: identify(),
        // on, so the §3.3 exchange frames are among those captured
        pqIdentity: pqIdentity({ exchangeOnConnect: true }),
        membership: membership({ bootstrap, seed: `capture-${counter}` }),
        pubsub: plumtree({ seed: `capture-${counter}` })
      }
    })
    try {
      nodes.push(await create([]))
      const contact = nodes[0].getMultiaddrs()[0].toString()
      nodes.push(await create([contact]), await create([contact]))
      const got = nodes.map(() => 0)
      nodes.forEach((node, i) => {
        node.services.pubsub.subscribe(TOPIC)
        node.services.pubsub.addEventListener('message', () => { got[i]++ })
      })
      await waitFor('topic links', () => nodes.every(n => n.services.pubsub.getMeshPeers(TOPIC).length >= 1), 30_000)
      for (const [i, text] of [[0, 'first'], [0, 'second'], [2, 'third']] as const) {
        const data = new TextEncoder().encode(`capture ${text}`)
        published.push(data)
        publishers.push(nodes[i].peerId.toMultihash().bytes)
        await nodes[i].services.pubsub.publish(TOPIC, data)
      }
      // each node receives the messages it did not publish: 3, 3 and 3 less its own
      await waitFor('deliveries', () => got[0] >= 1 && got[1] >= 3 && got[2] >= 2, 20_000)
    } finally {
      await Promise.all(nodes.map(async n => n.stop()))
      restore.forEach(r => { r() })
    }
  })

  const framesOf = (pkg: string, type: string): Captured[] => captured.filter(c => c.file.pkg === pkg && c.type === type)
  const lookup = (pkg: string, type: string): any => {
    const file = files.find(f => f.pkg === pkg)
    if (file == null) {
      throw new Error(`no proto file in ${pkg}`)
    }
    return file.root.lookupType(type)
  }

  it('captured frames of each protocol the nodes speak', function () {
    expect(framesOf('membership', 'Frame')).to.not.be.empty()
    expect(framesOf('pubsub', 'Rpc')).to.not.be.empty()
    expect(framesOf('pubsub', 'OriginHeader')).to.not.be.empty()
    expect(framesOf('identity', 'IdentityExchange')).to.not.be.empty()
    expect(framesOf('identity', 'BindingRecord')).to.not.be.empty()
  })

  it('protobufjs and protons decode every captured frame alike, and protobufjs re-encodes it byte for byte', async function () {
    const seen = new Set<string>()
    let checked = 0
    for (const frame of captured) {
      const key = `${frame.file.pkg}/${frame.type}/${Buffer.from(frame.bytes).toString('hex')}`
      if (seen.has(key)) {
        continue
      }
      seen.add(key)
      const type = frame.file.root.lookupType(frame.type)
      const protons = (await loadProtonsModule(frame.file))[frame.type]
      const independent = decodeIndependently(type, frame.bytes)
      expect(normalise(type, protons.decode(frame.bytes)), key.slice(0, 120)).to.deep.equal(independent)
      expect(Buffer.from(type.encode(type.decode(frame.bytes)).finish()).equals(Buffer.from(frame.bytes)), key.slice(0, 120)).to.be.true()
      checked++
    }
    expect(checked).to.be.greaterThan(10)
  })

  it('the membership frames cover the join and SWIM exchanges', function () {
    const frameType = lookup('membership', 'Frame')
    const kinds = new Set(framesOf('membership', 'Frame').map(f => decodeIndependently(frameType, f.bytes).type))
    expect([...kinds]).to.include.members(['JOIN', 'NEIGHBOR'])
  })

  it('GOSSIP frames carry the published bytes, with the publisher in the origin header and its carried key', function () {
    const rpcType = lookup('pubsub', 'Rpc')
    const headerType = lookup('pubsub', 'OriginHeader')
    const bindingType = lookup('identity', 'BindingRecord')
    const gossip = framesOf('pubsub', 'Rpc').map(f => rpcType.decode(f.bytes)).filter((rpc: any) => decodeIndependently(rpcType, rpcType.encode(rpc).finish()).type === 'GOSSIP')
    expect(gossip).to.not.be.empty()
    for (const [i, data] of published.entries()) {
      const carrying = gossip.filter((rpc: any) => Buffer.from(rpc.payload).equals(Buffer.from(data)))
      expect(carrying, `a GOSSIP frame with ${new TextDecoder().decode(data)}`).to.not.be.empty()
      for (const rpc of carrying) {
        expect(rpc.topic).to.equal(TOPIC)
        const header: any = headerType.decode(rpc.header)
        expect(Buffer.from(header.from).equals(Buffer.from(publishers[i]))).to.be.true()
        // ML-DSA-65 signatures are 3,309 bytes (SPEC §3.1)
        expect(header.signature.length).to.equal(3309)
      }
      // the origin's key rides on the first message of a link: its binding record without the
      // ML-DSA signature, whose place the message's own signature takes (SPEC §7.10)
      const keys = carrying.filter((rpc: any) => rpc.originKey.length > 0).map((rpc: any) => bindingType.decode(rpc.originKey))
      for (const key of keys) {
        expect(Buffer.from(key.peerId).equals(Buffer.from(publishers[i]))).to.be.true()
        expect(key.mlDsaPublicKey.length).to.equal(1952)
        expect(key.mlDsaSignature.length).to.equal(0)
      }
    }
    const withKey = gossip.filter((rpc: any) => rpc.originKey.length > 0)
    expect(withKey).to.not.be.empty()
    // this version sends no whole records (it still reads them)
    expect(gossip.filter((rpc: any) => rpc.originBinding.length > 0)).to.be.empty()
  })
})
