import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { PqIdentity } from '@saorsa-gossip/identity'
import { expect } from 'aegir/chai'
import { GroupStore, groupStateKey } from '../src/group-store.ts'
import { createGroupNode, createGroupNodes, waitFor } from './fixtures/nodes.ts'
import type { GroupNode } from './fixtures/nodes.ts'

const enc = new TextEncoder()

interface Context { nodes: GroupNode[], dir: string }

/** Three nodes, the third saving its groups; it stops, the group moves on, it restarts and must follow */
async function restartScenario (ctx: Context, appData: 'exporter' | 'mls'): Promise<void> {
  ctx.nodes = await createGroupNodes(2, { groups: { appData } })
  const privateKey = await generateKeyPair('Ed25519')
  const identity = PqIdentity.generate()
  const listen = `/memory/sg-groups-restart-${process.pid}`
  const options = { privateKey, identity: { identity }, listen: `${listen}-${appData}`, groups: { storeDir: ctx.dir, appData }, bootstrap: [ctx.nodes[0].getMultiaddrs()[0].toString()] }
  let restarted = await createGroupNode(options)
  ctx.nodes.push(restarted)
  await waitFor(() => ctx.nodes.every(n => n.services.membership.activeView().length > 0), 20_000, 'membership')
  const group = await ctx.nodes[0].services.groups.create('persisted')
  await ctx.nodes[0].services.groups.invite(group.id, ctx.nodes[1].peerId)
  await ctx.nodes[0].services.groups.invite(group.id, restarted.peerId)
  await waitFor(() => ctx.nodes.every(n => n.services.groups.list()[0]?.epoch === 2), 20_000, 'epoch 2 everywhere')

  // the saved file is encrypted: no plaintext group name, and it decrypts only with the identity's key
  const files = await readdir(ctx.dir)
  expect(files).to.deep.equal([`${group.id}.group`])
  const bytes = await readFile(join(ctx.dir, files[0]))
  expect(bytes.includes(Buffer.from('persisted'))).to.equal(false)
  await new GroupStore(ctx.dir, groupStateKey(PqIdentity.generate().exportSeed())).loadAll().then(
    () => expect.fail('decrypted with another key'), (err: Error) => expect(err.name).to.equal('CorruptGroupStateError'))

  await restarted.stop()
  ctx.nodes.pop()
  // the group moves on while it is away (epoch 3): it catches up from the first message it gets
  await ctx.nodes[0].services.groups.update(group.id)
  restarted = await createGroupNode(options)
  ctx.nodes.push(restarted)
  const reloaded = restarted.services.groups.list()
  expect(reloaded.map(g => ({ id: g.id, name: g.name, epoch: g.epoch }))).to.deep.equal([{ id: group.id, name: 'persisted', epoch: 2 }])
  expect(restarted.peerId.equals(ctx.nodes[2].peerId)).to.equal(true)

  const got: string[] = []
  restarted.services.groups.addEventListener('message', evt => { got.push(new TextDecoder().decode(evt.detail.data)) })
  await waitFor(() => restarted.services.pubsub.getMeshPeers(group.topic).length > 0, 30_000, 'topic link after restart')
  await new Promise(resolve => setTimeout(resolve, 500))
  await ctx.nodes[1].services.groups.send(group.id, enc.encode('after restart'))
  await waitFor(() => got.includes('after restart'), 20_000, 'message after restart')
  expect(restarted.services.groups.list()[0]?.epoch).to.equal(3)

  const back: string[] = []
  ctx.nodes[0].services.groups.addEventListener('message', evt => { back.push(new TextDecoder().decode(evt.detail.data)) })
  await restarted.services.groups.send(group.id, enc.encode('i am back'))
  await waitFor(() => back.includes('i am back'), 20_000, 'message from the restarted member')
  // and it still follows commits
  await ctx.nodes[0].services.groups.update(group.id)
  await waitFor(() => restarted.services.groups.list()[0]?.epoch === 4, 20_000, 'commit after restart')
}

describe('groups() persistence', function () {
  this.timeout(120_000)
  const ctx: Context = { nodes: [], dir: '' }

  beforeEach(async () => {
    ctx.dir = await mkdtemp(join(tmpdir(), 'sg-groups-'))
  })

  afterEach(async () => {
    await Promise.all(ctx.nodes.map(async n => n.stop()))
    ctx.nodes = []
    await rm(ctx.dir, { recursive: true, force: true })
  })

  it('exporter application data: a restarted member reloads its groups (encrypted at rest), catches up on the commit it missed, and keeps reading and sending', async () => {
    await restartScenario(ctx, 'exporter')
  })

  it('mls application data: the same, with the secret tree saved after every message sealed', async () => {
    await restartScenario(ctx, 'mls')
  })
})
