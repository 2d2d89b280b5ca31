import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'aegir/chai'
import { ESLint } from 'eslint'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

async function violations (code: string, file = 'packages/example/src/core/handler.ts'): Promise<string[]> {
  const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.purity.config.js') })
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) })
  // only rule findings: a file outside the rule's globs gets an "ignored" notice with no ruleId
  return result.messages.filter(m => m.ruleId != null).map(m => m.ruleId as string)
}

describe('purity lint rule for protocol cores', function () {
  this.timeout(30_000)

  const forbidden: Record<string, string> = {
    'libp2p import': "import { createLibp2p } from 'libp2p'",
    '@libp2p import': "import { peerIdFromString } from '@libp2p/peer-id'",
    'node: import': "import fs from 'node:fs'",
    'bare builtin import': "import net from 'net'",
    'Date.now': 'export const t = Date.now()',
    'new Date': 'export const d = new Date()',
    'performance.now': 'export const p = performance.now()',
    'Math.random': 'export const r = Math.random()',
    setTimeout: 'setTimeout(() => {}, 1)',
    setInterval: 'setInterval(() => {}, 1)',
    'crypto global': 'export const b = crypto.getRandomValues(new Uint8Array(4))',
    'dynamic import': "export const m = import('node:fs')"
  }

  for (const [what, code] of Object.entries(forbidden)) {
    it(`flags ${what} inside packages/*/src/core`, async () => {
      expect(await violations(code)).to.have.length.greaterThan(0)
    })
  }

  it('also covers @saorsa-gossip/core itself', async () => {
    expect(await violations('export const t = Date.now()', 'packages/core/src/anything.ts')).to.have.length.greaterThan(0)
  })

  it('leaves adapters (outside core/) alone', async () => {
    expect(await violations('export const t = Date.now()', 'packages/example/src/service.ts')).to.deep.equal([])
  })

  it('accepts pure code: time and randomness passed in', async () => {
    const pure = "import { blake3 } from '@noble/hashes/blake3.js'\nexport function handle (now: number, rng: { int(n: number): number }) { return [now + rng.int(10), blake3(new Uint8Array(1))] }"
    expect(await violations(pure)).to.deep.equal([])
  })

  it('the cores in this repository pass it', async () => {
    const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.purity.config.js'), errorOnUnmatchedPattern: false })
    const results = await eslint.lintFiles(['packages/*/src/core/**/*.ts', 'packages/core/src/**/*.ts'])
    expect(results.length).to.be.greaterThan(0)
    const problems = results.flatMap(r => r.messages.map(m => `${path.relative(root, r.filePath)}:${m.line} ${m.message}`))
    expect(problems).to.deep.equal([])
  })
})
