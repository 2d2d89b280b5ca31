import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { blake3 } from '@noble/hashes/blake3.js'
import { concatBytes } from '@saorsa-gossip/core'
import { CorruptGroupStateError } from './errors.ts'
import { SavedGroup } from './pb/groups.ts'

/**
 * Groups saved across restarts (SPEC.md §11.7): one file per group, `<hex id>.group`,
 * `"SGGS" ‖ 0x01 ‖ nonce[12] ‖ AES-256-GCM(key, nonce, SavedGroup, AAD = the first 5 bytes ‖ hex id) ‖ tag[16]`,
 * with `key = BLAKE3("saorsa-gossip/groups/state/v1\0" ‖ identity seed)`: the node's keystore
 * secret, so the files are as safe as the keystore. Written to a temporary file (mode 0600),
 * fsynced, renamed over the old one, and the directory fsynced (as the keystore, §3.4).
 */
const MAGIC = new TextEncoder().encode('SGGS')
const VERSION = 1
const HEADER = concatBytes(MAGIC, Uint8Array.of(VERSION))
const KEY_DOMAIN = new TextEncoder().encode('saorsa-gossip/groups/state/v1\0')
const NONCE = 12
const TAG = 16

export function groupStateKey (identitySeed: Uint8Array): Uint8Array {
  return blake3(concatBytes(KEY_DOMAIN, identitySeed))
}

export class GroupStore {
  private readonly dir: string
  private readonly key: Uint8Array
  /** one write at a time per group, the latest wins */
  private readonly writes = new Map<string, Promise<void>>()

  constructor (dir: string, key: Uint8Array) {
    this.dir = dir
    this.key = key
  }

  async save (id: string, group: SavedGroup): Promise<void> {
    const previous = this.writes.get(id) ?? Promise.resolve()
    const next = previous.then(async () => { await this.write(id, SavedGroup.encode(group)) })
    this.writes.set(id, next.catch(() => {}))
    await next
  }

  async remove (id: string): Promise<void> {
    await this.writes.get(id)
    await rm(join(this.dir, `${id}.group`), { force: true })
  }

  /** Every saved group; a file that does not decrypt throws CorruptGroupStateError */
  async loadAll (): Promise<SavedGroup[]> {
    let names: string[]
    try {
      names = await readdir(this.dir)
    } catch {
      return []
    }
    const out: SavedGroup[] = []
    for (const name of names.filter(n => n.endsWith('.group'))) {
      out.push(this.decrypt(name.slice(0, -'.group'.length), await readFile(join(this.dir, name))))
    }
    return out
  }

  private decrypt (id: string, bytes: Uint8Array): SavedGroup {
    try {
      if (bytes.byteLength < HEADER.byteLength + NONCE + TAG || !HEADER.every((b, i) => bytes[i] === b)) {
        throw new Error('bad header')
      }
      const nonce = bytes.subarray(HEADER.byteLength, HEADER.byteLength + NONCE)
      const decipher = createDecipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG })
      decipher.setAAD(concatBytes(HEADER, new TextEncoder().encode(id)))
      decipher.setAuthTag(bytes.subarray(bytes.byteLength - TAG))
      const plain = concatBytes(decipher.update(bytes.subarray(HEADER.byteLength + NONCE, bytes.byteLength - TAG)), decipher.final())
      return SavedGroup.decode(plain)
    } catch (err: any) {
      throw new CorruptGroupStateError(`Saved group ${id} does not decrypt`, { cause: err })
    }
  }

  private async write (id: string, plain: Uint8Array): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
    const nonce = randomBytes(NONCE)
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG })
    cipher.setAAD(concatBytes(HEADER, new TextEncoder().encode(id)))
    const body = concatBytes(cipher.update(plain), cipher.final())
    const bytes = concatBytes(HEADER, nonce, body, cipher.getAuthTag())
    const target = join(this.dir, `${id}.group`)
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`
    const file = await open(temp, 'w', 0o600)
    try {
      await file.writeFile(bytes)
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(temp, target)
    const dir = await open(this.dir, 'r')
    try {
      await dir.sync()
    } finally {
      await dir.close()
    }
  }
}
