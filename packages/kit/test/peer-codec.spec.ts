import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { expect } from 'aegir/chai'
import { peerIdCodec } from '../src/peer-codec.ts'

describe('peerIdCodec', () => {
  it('round-trips PeerId strings through their multihash bytes', async () => {
    const codec = peerIdCodec()
    const id = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const bytes = codec.toBytes(id.toString())
    expect(bytes).to.deep.equal(id.toMultihash().bytes)
    expect(codec.fromBytes(bytes)).to.equal(id.toString())
    expect(codec.fromBytes(bytes), 'cached').to.equal(id.toString())
  })

  it('throws on bytes that are not a multihash (the caller counts the frame as malformed)', () => {
    expect(() => peerIdCodec().fromBytes(Uint8Array.from([0xff, 0xff, 0xff]))).to.throw()
  })
})
