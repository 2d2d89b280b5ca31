import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { expect } from 'aegir/chai'
import { PqIdentity } from '../src/identity.ts'
import { KEYSTORE_FILE_LENGTH, decryptIdentity, encryptIdentity, loadIdentity, saveIdentity } from '../src/keystore.ts'

// cheap scrypt cost so the suite stays fast; the default cost is exercised once below
const scrypt = { log2N: 10, r: 8, p: 1 }
const passphrase = 'correct horse battery staple'

describe('keystore', () => {
  let dir: string
  let identity: PqIdentity

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sg-keystore-'))
    identity = PqIdentity.generate()
  })

  after(async () => {
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('saves and loads an identity, across backends, with mode 0600', async () => {
    const file = path.join(dir, 'id.key')
    await saveIdentity(file, identity, passphrase, { scrypt })
    const loaded = await loadIdentity(file, passphrase, { backend: 'noble' })
    expect(loaded.publicKey).to.equalBytes(identity.publicKey)
    expect((await fs.stat(file)).mode & 0o777).to.equal(0o600)
    expect((await fs.stat(file)).size).to.equal(KEYSTORE_FILE_LENGTH)
  })

  it('does not contain the seed in the clear', async () => {
    const bytes = await encryptIdentity(identity, passphrase, { scrypt })
    const seed = identity.exportSeed()
    const hay = Buffer.from(bytes).toString('hex')
    expect(hay).to.not.include(Buffer.from(seed.subarray(0, 8)).toString('hex'))
  })

  it('uses memory-hard defaults (scrypt N = 2^17, r = 8) and reads them back from the file', async function () {
    this.timeout(30_000)
    const bytes = await encryptIdentity(identity, passphrase)
    expect([bytes[6], bytes[7], bytes[8]]).to.deep.equal([17, 8, 1])
    expect((await decryptIdentity(bytes, passphrase)).publicKey).to.equalBytes(identity.publicKey)
  })

  it('normalises string passphrases (NFKC) and accepts raw bytes', async () => {
    const bytes = await encryptIdentity(identity, 'caf\u00e9', { scrypt })
    expect((await decryptIdentity(bytes, 'cafe\u0301')).publicKey).to.equalBytes(identity.publicKey)
    const raw = await encryptIdentity(identity, new Uint8Array([1, 2, 3]), { scrypt })
    expect((await decryptIdentity(raw, new Uint8Array([1, 2, 3]))).publicKey).to.equalBytes(identity.publicKey)
  })

  it('wrong passphrase → WrongPassphraseError', async () => {
    const bytes = await encryptIdentity(identity, passphrase, { scrypt })
    await expect(decryptIdentity(bytes, 'nope')).to.eventually.be.rejected().with.property('name', 'WrongPassphraseError')
  })

  it('truncated, altered or foreign files → CorruptKeystoreError; every byte position is covered', async () => {
    const bytes = await encryptIdentity(identity, passphrase, { scrypt })
    await expect(decryptIdentity(bytes.subarray(0, bytes.length - 1), passphrase)).to.eventually.be.rejected().with.property('name', 'CorruptKeystoreError')
    await expect(decryptIdentity(new Uint8Array(0), passphrase)).to.eventually.be.rejected().with.property('name', 'CorruptKeystoreError')
    await expect(decryptIdentity(new TextEncoder().encode('-----BEGIN PRIVATE KEY-----'), passphrase)).to.eventually.be.rejected().with.property('name', 'CorruptKeystoreError')
    for (let i = 0; i < bytes.length; i++) {
      if (i === 4) {
        continue // the version byte has its own error, below
      }
      const damaged = bytes.slice()
      damaged[i] ^= 0x01
      await expect(decryptIdentity(damaged, passphrase), `byte ${i}`).to.eventually.be.rejected().with.property('name', 'CorruptKeystoreError')
    }
  })

  it('unknown version → UnsupportedKeystoreVersionError', async () => {
    const bytes = await encryptIdentity(identity, passphrase, { scrypt })
    bytes[4] = 2
    await expect(decryptIdentity(bytes, passphrase)).to.eventually.be.rejected().with.property('name', 'UnsupportedKeystoreVersionError')
  })

  it('rejects scrypt parameters outside the accepted bounds', async () => {
    await expect(encryptIdentity(identity, passphrase, { scrypt: { log2N: 30, r: 8, p: 1 } })).to.eventually.be.rejected().with.property('name', 'InvalidIdentityConfigError')
    await expect(encryptIdentity(identity, 7 as any, { scrypt })).to.eventually.be.rejected().with.property('name', 'InvalidIdentityConfigError')
  })

  it('writes atomically: replaces an existing file and leaves no temporary file', async () => {
    const file = path.join(dir, 'replace.key')
    await saveIdentity(file, identity, passphrase, { scrypt })
    const second = PqIdentity.generate()
    await saveIdentity(file, second, passphrase, { scrypt })
    expect((await loadIdentity(file, passphrase)).publicKey).to.equalBytes(second.publicKey)
    const leftovers = (await fs.readdir(dir)).filter(name => name.endsWith('.tmp'))
    expect(leftovers).to.deep.equal([])
  })

  it('a failed save leaves the previous file intact', async () => {
    const file = path.join(dir, 'keep.key')
    await saveIdentity(file, identity, passphrase, { scrypt })
    const before = await fs.readFile(file)
    // a directory where the target should be makes the rename fail after the temp file is written
    const blocked = path.join(dir, 'blocked.key')
    await fs.mkdir(blocked)
    await fs.writeFile(path.join(blocked, 'x'), 'x')
    await expect(saveIdentity(blocked, identity, passphrase, { scrypt })).to.eventually.be.rejected()
    expect(await fs.readFile(file)).to.deep.equal(before)
    expect((await fs.readdir(dir)).filter(name => name.endsWith('.tmp'))).to.deep.equal([])
  })

  it('loading a missing file rejects with ENOENT; a huge file is not read whole', async () => {
    await expect(loadIdentity(path.join(dir, 'missing.key'), passphrase)).to.eventually.be.rejected().with.property('code', 'ENOENT')
    const big = path.join(dir, 'big.key')
    await fs.writeFile(big, Buffer.alloc(10 * 1024 * 1024, 1))
    await expect(loadIdentity(big, passphrase)).to.eventually.be.rejected().with.property('name', 'CorruptKeystoreError')
  })
})
