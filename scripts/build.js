#!/usr/bin/env node
/**
 * `npm run build`: `aegir run build` (every workspace, in dependency order), skipped when
 * nothing a build reads has changed since the last successful one.
 *
 * Every npm script that needs compiled code (`test`, `docs`, `bench:*`, `start`) builds first,
 * so `.ci/run` used to type-check and emit all twelve workspaces five times over an unchanged
 * tree: about 65 s each on the 2-core machine, four of them for nothing. The fingerprint is a
 * SHA-256 over the path, size and modification time of every file under each workspace's
 * `src/` and `test/` plus its package.json and tsconfig.json, the root manifests, and the
 * installed TypeScript and aegir versions; it is written to `.build-stamp` only after a build
 * succeeds, and the build runs whenever it differs or any workspace lacks its `dist/`.
 * `npm run build -- --force` (or BUILD_FORCE=1) always builds.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const stampFile = path.join(root, '.build-stamp')
const force = process.argv.includes('--force') || process.env.BUILD_FORCE === '1'

function workspaces () {
  const { workspaces: patterns } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
  const dirs = []
  for (const pattern of patterns) {
    if (pattern.endsWith('/*')) {
      const parent = path.join(root, pattern.slice(0, -2))
      for (const entry of fs.readdirSync(parent, { withFileTypes: true })) {
        if (entry.isDirectory() && fs.existsSync(path.join(parent, entry.name, 'package.json'))) {
          dirs.push(path.join(parent, entry.name))
        }
      }
    } else if (fs.existsSync(path.join(root, pattern, 'package.json'))) {
      dirs.push(path.join(root, pattern))
    }
  }
  return dirs.sort()
}

function addFile (hash, file) {
  const stat = fs.statSync(file, { throwIfNoEntry: false })
  if (stat?.isFile() === true) {
    hash.update(`${path.relative(root, file)}\0${stat.size}\0${stat.mtimeMs}\n`)
  }
}

function addTree (hash, dir) {
  if (!fs.existsSync(dir)) {
    return
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      addTree(hash, full)
    } else {
      addFile(hash, full)
    }
  }
}

function installedVersion (name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version
  } catch {
    return 'missing'
  }
}

function fingerprint (dirs) {
  const hash = createHash('sha256')
  hash.update(`typescript ${installedVersion('typescript')} aegir ${installedVersion('aegir')}\n`)
  for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'typedoc.json']) {
    addFile(hash, path.join(root, file))
  }
  for (const dir of dirs) {
    for (const file of ['package.json', 'tsconfig.json', '.aegir.js']) {
      addFile(hash, path.join(dir, file))
    }
    addTree(hash, path.join(dir, 'src'))
    addTree(hash, path.join(dir, 'test'))
  }
  return hash.digest('hex')
}

const dirs = workspaces()
const before = fingerprint(dirs)
const built = dirs.every(dir => fs.existsSync(path.join(dir, 'dist')))
let previous = ''
try {
  previous = fs.readFileSync(stampFile, 'utf8').trim()
} catch {}

if (!force && built && previous === before) {
  process.stdout.write('build: nothing changed since the last build (.build-stamp); skipped. `npm run build -- --force` rebuilds.\n')
  process.exit(0)
}

fs.rmSync(stampFile, { force: true })
const result = spawnSync('aegir', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
if (result.status !== 0) {
  process.exit(result.status ?? 1)
}
// a file edited while the build ran must not be covered by this stamp
if (fingerprint(dirs) === before) {
  fs.writeFileSync(stampFile, `${before}\n`)
}
