import { expect } from 'aegir/chai'
import { MlsRefusedError } from '../src/errors.ts'
import { createTsMlsProvider } from '../src/mls/ts-mls.ts'
import { testMember } from './fixtures/members.ts'
import type { TestMember } from './fixtures/members.ts'
import type { MlsState } from '../src/mls/provider.ts'

const enc = new TextEncoder()
const dec = new TextDecoder()

async function refusal (p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => undefined, (e: unknown) => e)
  expect(err, 'expected a refusal').to.be.instanceOf(MlsRefusedError)
  return (err as MlsRefusedError).reason
}

/** alice creates, adds bob (and carol), returns their states */
async function threeMembers (suite: number, appData: 'mls' | 'exporter'): Promise<{ a: TestMember, b: TestMember, c: TestMember, sa: MlsState, sb: MlsState, sc: MlsState }> {
  const [a, b, c] = await Promise.all([testMember(suite, appData), testMember(suite, appData), testMember(suite, appData)])
  const groupId = new Uint8Array(32).fill(7)
  let sa = await a.provider.createGroup(groupId, await a.provider.createKeyPackage())
  const kb = await b.provider.createKeyPackage()
  const kc = await c.provider.createKeyPackage()
  await a.provider.checkKeyPackage(kb.keyPackage, b.peer)
  const made = await a.provider.commit(sa, { add: [kb.keyPackage, kc.keyPackage], remove: [] })
  sa = made.state
  expect(made.welcome).to.not.equal(undefined)
  const sb = await b.provider.join(made.welcome as Uint8Array, kb)
  const sc = await c.provider.join(made.welcome as Uint8Array, kc)
  return { a, b, c, sa, sb, sc }
}

describe('ts-mls wrapper with bound credentials', function () {
  this.timeout(120_000)

  for (const [suite, appData] of [[87, 'exporter'], [87, 'mls'], [1, 'mls']] as const) {
    it(`suite ${suite}, ${appData} application data: members agree on epoch and roster, and read each other`, async () => {
      const { a, b, c, sa, sb, sc } = await threeMembers(suite, appData)
      for (const [p, s] of [[a, sa], [b, sb], [c, sc]] as const) {
        expect(p.provider.epoch(s)).to.equal(1)
        expect(p.provider.members(s)).to.have.members([a.peer, b.peer, c.peer])
      }
      const sealed = await b.provider.seal(sb, enc.encode('hi from bob'), b.peer)
      const opened = await a.provider.openApplication(sa, sealed.message, b.peer)
      expect(dec.decode(opened.plaintext)).to.equal('hi from bob')
      expect(dec.decode((await c.provider.openApplication(sc, sealed.message, b.peer)).plaintext)).to.equal('hi from bob')
      // a member's message must come from the PeerId in its leaf: relayed "as" carol it is refused
      expect(await refusal(a.provider.openApplication(sa, sealed.message, c.peer))).to.be.oneOf(['wrong-sender', 'forged'])
    })
  }

  it('a removed member opens nothing sent after its removal; the commit from a non-member leaf is refused', async () => {
    const { a, b, c, sa, sb, sc } = await threeMembers(87, 'mls')
    const removal = await a.provider.commit(sa, { add: [], remove: [c.peer] })
    const sb2 = await b.provider.openCommit(sb, removal.commit, a.peer)
    expect(b.provider.members(sb2)).to.have.members([a.peer, b.peer])
    const after = await b.provider.seal(sb2, enc.encode('secret'), b.peer)
    // c applies its own removal and still cannot read: it has no leaf in the new epoch
    const sc2 = await c.provider.openCommit(sc, removal.commit, a.peer).catch(() => sc)
    expect(await refusal(c.provider.openApplication(sc2, after.message, b.peer))).to.be.oneOf(['forged', 'malformed'])
    // the commit claimed by b (it was a's) is refused as from the wrong sender
    expect(await refusal(b.provider.openCommit(sb, removal.commit, b.peer))).to.equal('wrong-sender')
  })

  it('refuses key packages whose credential binding does not verify or names another peer', async () => {
    const [a, b, m] = await Promise.all([testMember(), testMember(), testMember()])
    const kb = await b.provider.createKeyPackage()
    expect(await refusal(a.provider.checkKeyPackage(kb.keyPackage, a.peer))).to.equal('bad-credential')
    // mallory binds her leaf with bob's binding record but her own identity key: the leaf signature fails
    const forger = await createTsMlsProvider({ suite: 87, appData: 'exporter', binding: b.binding, sign: async (d) => m.identity.sign(d) })
    const forged = await forger.createKeyPackage()
    expect(await refusal(a.provider.checkKeyPackage(forged.keyPackage, b.peer))).to.equal('bad-credential')
    // and a commit adding it fails in ts-mls's checks through our authentication service
    const sa = await a.provider.createGroup(new Uint8Array(32).fill(1), await a.provider.createKeyPackage())
    const err = await a.provider.commit(sa, { add: [forged.keyPackage], remove: [] }).then(() => undefined, (e: Error) => e)
    expect(err).to.be.instanceOf(Error)
    expect(await refusal(a.provider.checkKeyPackage(new Uint8Array([0, 1, 2]), b.peer))).to.equal('malformed')
  })

  it('a welcome for someone else does not open; a state round-trips through its encoding', async () => {
    const [a, b, x] = await Promise.all([testMember(), testMember(), testMember()])
    const sa = await a.provider.createGroup(new Uint8Array(32).fill(2), await a.provider.createKeyPackage())
    const kb = await b.provider.createKeyPackage()
    const made = await a.provider.commit(sa, { add: [kb.keyPackage], remove: [] })
    expect(await refusal(x.provider.join(made.welcome as Uint8Array, await x.provider.createKeyPackage()))).to.equal('welcome-not-for-us')
    const again = a.provider.decodeState(a.provider.encodeState(made.state))
    expect(a.provider.epoch(again)).to.equal(1)
    const sb = await b.provider.join(made.welcome as Uint8Array, kb)
    const sealed = await a.provider.seal(again, enc.encode('after restart'), a.peer)
    expect(dec.decode((await b.provider.openApplication(sb, sealed.message, a.peer)).plaintext)).to.equal('after restart')
  })
})
