import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'aegir/chai'
import { AddressBook } from '../src/address-book.ts'
import type { PeerId, PeerStore } from '@libp2p/interface'
import type { AddressManager } from '@libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

async function newPeer (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

/** A peer store that records what was merged, and an address manager with one address */
function fakes (self: PeerId): { peerStore: PeerStore, addressManager: AddressManager, merged: Array<[string, string[]]> } {
  const merged: Array<[string, string[]]> = []
  const peerStore = {
    merge: async (id: PeerId, data: { multiaddrs: Multiaddr[] }) => { merged.push([id.toString(), data.multiaddrs.map(ma => ma.toString())]) }
  } as unknown as PeerStore
  const addressManager = {
    getAddresses: () => [multiaddr(`/ip4/127.0.0.1/tcp/4001/p2p/${self.toString()}`)]
  } as unknown as AddressManager
  return { peerStore, addressManager, merged }
}

const a1 = multiaddr('/ip4/10.0.0.1/tcp/1').bytes
const a2 = multiaddr('/ip4/10.0.0.2/tcp/2').bytes

describe('AddressBook', () => {
  it('gives our own addresses without /p2p/ and nothing for an unknown peer', async () => {
    const self = await newPeer()
    const book = new AddressBook({ ...fakes(self), self: self.toString() })
    expect(book.of(self.toString()).map(b => multiaddr(b).toString())).to.deep.equal(['/ip4/127.0.0.1/tcp/4001'])
    expect(book.of((await newPeer()).toString())).to.deep.equal([])
  })

  it('writes only addresses it did not know to the peer store, and announces the merged list', async () => {
    const self = await newPeer()
    const other = (await newPeer()).toString()
    const f = fakes(self)
    const announced: string[][] = []
    const book = new AddressBook({ ...f, self: self.toString(), onFresh: (_, mas) => announced.push(mas.map(String)) })
    expect(await book.learn(new Map([[other, [a1]]]))).to.equal(0)
    expect(await book.learn(new Map([[other, [a1]]]))).to.equal(0)
    expect(await book.learn(new Map([[other, [a2, a1]]]))).to.equal(0)
    expect(f.merged).to.deep.equal([[other, ['/ip4/10.0.0.1/tcp/1']], [other, ['/ip4/10.0.0.2/tcp/2']]])
    expect(announced.at(-1)).to.deep.equal(['/ip4/10.0.0.1/tcp/1', '/ip4/10.0.0.2/tcp/2'])
    expect(book.of(other)).to.deep.equal([a1, a2])
    // what others say about us is ignored
    await book.learn(new Map([[self.toString(), [a1]]]))
    expect(f.merged).to.have.length(2)
  })

  it('counts a list that is not multiaddrs or names no valid peer, and keeps going', async () => {
    const self = await newPeer()
    const other = (await newPeer()).toString()
    const f = fakes(self)
    const book = new AddressBook({ ...f, self: self.toString() })
    const bad = await book.learn(new Map([['not-a-peer-id', [a1]], [other, [new Uint8Array([0xff, 0xff])]], [(await newPeer()).toString(), [a2]]]))
    expect(bad).to.equal(2)
    expect(f.merged).to.have.length(1)
    expect(book.of(other)).to.deep.equal([])
  })

  it('keeps at most maxPerPeer addresses, the newest, and forgets the least recently described peer beyond maxPeers', async () => {
    const self = await newPeer()
    const book = new AddressBook({ ...fakes(self), self: self.toString(), maxPerPeer: 1, maxPeers: 2 })
    const [p, q, r] = [(await newPeer()), (await newPeer()), (await newPeer())]
    await book.learn(new Map([[p.toString(), [a1, a2]]]))
    expect(book.of(p.toString())).to.deep.equal([a2])
    book.identified(q, [multiaddr('/ip4/10.0.0.3/tcp/3'), multiaddr('/ip4/10.0.0.4/tcp/4')])
    expect(book.of(q.toString())).to.deep.equal([multiaddr('/ip4/10.0.0.3/tcp/3').bytes])
    book.identified(r, [multiaddr('/ip4/10.0.0.5/tcp/5')])
    expect(book.of(p.toString())).to.deep.equal([])
    expect(book.of(r.toString())).to.have.length(1)
  })
})
