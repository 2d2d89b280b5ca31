import { expect } from 'aegir/chai'
import { decodeIndependently, loadProtoFiles, loadProtonsModule, normalise, readSpec, specFrameVectors, specVector } from '../src/wire.ts'
import type { ProtoFile } from '../src/wire.ts'

const ascii = (s: string): string => Buffer.from(s, 'utf8').toString('hex')

interface VectorCheck {
  /** text just before the vector in SPEC.md (unique there) */
  anchor: string
  /** the prose has an `=` of its own before the vector's `→` */
  arrowOnly?: boolean
  /** `<package>/<proto file>` and the message type */
  proto: string
  type: string
  /**
   * What SPEC.md's prose says the frame holds, normalised (bytes as hex, integers as
   * decimal strings, enums by name, defaults left out). The bytes come from SPEC.md.
   */
  fields: Record<string, unknown>
}

const ROOT_ID = '842fa78287781b16273f314bf121714c69a8a6f789914d6c5e935a3bb0064617'

const VECTORS: VectorCheck[] = [
  {
    anchor: '`SHUFFLE(',
    proto: 'membership/membership',
    type: 'Frame',
    fields: { type: 'SHUFFLE', peer: { id: ascii('o') }, ttl: '3', peers: [{ id: ascii('a'), addrs: ['047f000001'] }] }
  },
  {
    anchor: '`SHUFFLE_REPLY(peers',
    proto: 'membership/membership',
    type: 'Frame',
    fields: { type: 'SHUFFLE_REPLY', peers: [{ id: ascii('c') }], route: [ascii('o'), ascii('f')] }
  },
  {
    anchor: '`ACK(seq 7',
    proto: 'membership/membership',
    type: 'Frame',
    fields: { type: 'ACK', seq: '7', incarnation: '42', peers: [{ id: ascii('x') }] }
  },
  {
    // a flood copy and its wave (fields 25 and 26, SPEC.md §7.3)
    anchor: '`GOSSIP(',
    proto: 'pubsub/pubsub',
    type: 'Rpc',
    fields: { type: 'GOSSIP', topic: 'chat', id: '07'.repeat(32), round: '2', publishedAt: '5', payload: '04', flood: true, wave: '4294967294' }
  },
  {
    anchor: '`PRUNE(',
    proto: 'pubsub/pubsub',
    type: 'Rpc',
    fields: { type: 'PRUNE', topic: 'chat' }
  },
  {
    // the core's session number travels in `nonce`
    anchor: '`AE_MORE(',
    proto: 'pubsub/pubsub',
    type: 'Rpc',
    fields: { type: 'AE_MORE', topic: 'chat', nonce: '3', offset: '32', count: '16' }
  },
  {
    // the walk number travels in `nonce`, the other subscribers in `peers`
    anchor: '`FOUND(',
    proto: 'pubsub/pubsub',
    type: 'Rpc',
    fields: { type: 'FOUND', topic: 'chat', peers: [ascii('p1'), ascii('p2')], nonce: '12', addresses: [{ id: ascii('p1'), addrs: ['047f000001'] }] }
  },
  {
    anchor: 'an APPLICATION of',
    arrowOnly: true,
    proto: 'groups/groups',
    type: 'GroupMessage',
    fields: { kind: 'APPLICATION', groupId: '11'.repeat(32), epoch: '5', parent: ROOT_ID, mls: '010203' }
  }
]

describe('SPEC.md wire vectors, decoded by protobufjs from the .proto text', function () {
  const spec = readSpec()
  let files: ProtoFile[]

  before(function () {
    files = loadProtoFiles()
  })

  const file = (proto: string): ProtoFile => {
    const [pkg, name] = proto.split('/')
    const found = files.find(f => f.pkg === pkg && f.name === name)
    if (found == null) {
      throw new Error(`no proto file ${proto}`)
    }
    return found
  }

  it('every frame vector SPEC.md writes as NAME(…) → hex is checked here', function () {
    const found = specFrameVectors(spec)
    expect(found).to.not.be.empty()
    for (const call of found) {
      expect(VECTORS.some(v => call.startsWith(v.anchor)), `SPEC.md vector ${call} has no check in wire-vectors.spec.ts`).to.be.true()
    }
  })

  for (const vector of VECTORS) {
    describe(`${vector.anchor.replace(/`/g, '')}… (${vector.proto}.proto ${vector.type})`, function () {
      it('decodes to the fields SPEC.md describes', function () {
        const { bytes, statedLength } = specVector(spec, vector.anchor, vector.arrowOnly)
        if (statedLength != null) {
          expect(bytes.length).to.equal(statedLength)
        }
        const type = file(vector.proto).root.lookupType(vector.type)
        expect(decodeIndependently(type, bytes)).to.deep.equal(vector.fields)
      })

      it('decodes the same with our protons code, and both re-encode to the same bytes', async function () {
        const { bytes } = specVector(spec, vector.anchor, vector.arrowOnly)
        const protoFile = file(vector.proto)
        const type = protoFile.root.lookupType(vector.type)
        const protons = (await loadProtonsModule(protoFile))[vector.type]
        const ours = protons.decode(bytes)
        expect(normalise(type, ours)).to.deep.equal(decodeIndependently(type, bytes))
        expect(Buffer.from(protons.encode(ours)).toString('hex')).to.equal(Buffer.from(bytes).toString('hex'))
        expect(Buffer.from(type.encode(type.decode(bytes)).finish()).toString('hex')).to.equal(Buffer.from(bytes).toString('hex'))
      })
    })
  }

  it('every message type of every .proto file has a protons codec of the same name', async function () {
    expect(files.length).to.be.greaterThanOrEqual(7)
    for (const protoFile of files) {
      const mod = await loadProtonsModule(protoFile)
      for (const type of protoFile.root.nestedArray) {
        if ('fieldsArray' in type) {
          expect(mod[type.name]?.decode, `${protoFile.pkg}/${protoFile.name}.proto ${type.name}`).to.be.a('function')
        }
      }
    }
  })
})
