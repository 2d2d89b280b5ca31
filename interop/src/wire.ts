/**
 * A second decoder of the Saorsa Gossip wire formats, independent of our protons-generated
 * code: protobufjs reads the `.proto` files as text at run time and decodes with its own
 * reflection. If the generated code and the schema ever disagree (a field number, a type, a
 * packed/unpacked encoding, a varint width), the two decoders disagree on the same bytes.
 *
 * Also here: finding the hex vectors in SPEC.md, so the tests check the document itself
 * rather than a copy of its numbers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import protobuf from 'protobufjs'

/**
 * The repository root: the nearest directory above this file with SPEC.md and packages/
 * (this file runs as interop/src/wire.ts or as interop/dist/src/wire.js)
 */
export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)))

function findRepoRoot (from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'SPEC.md')) && existsSync(join(dir, 'packages'))) {
      return dir
    }
    if (dirname(dir) === dir) {
      throw new Error(`no repository root (SPEC.md and packages/) above ${from}`)
    }
  }
}

export interface ProtoFile {
  /** the package directory name: `membership`, `pubsub`, … */
  pkg: string
  /** the file name without `.proto` */
  name: string
  path: string
  root: protobuf.Root
}

/**
 * Every `packages/<pkg>/src/pb/<name>.proto`, each parsed into its own root (two files
 * define a `Frame`, so they cannot share one namespace).
 */
export function loadProtoFiles (): ProtoFile[] {
  const files: ProtoFile[] = []
  const packagesDir = join(REPO_ROOT, 'packages')
  for (const pkg of readdirSync(packagesDir).sort()) {
    const pbDir = join(packagesDir, pkg, 'src', 'pb')
    let entries: string[]
    try {
      entries = readdirSync(pbDir)
    } catch {
      continue
    }
    for (const entry of entries.filter(e => e.endsWith('.proto')).sort()) {
      const path = join(pbDir, entry)
      // keepCase false: field names become camelCase, as protons names them
      const { root } = protobuf.parse(readFileSync(path, 'utf8'), { keepCase: false })
      root.resolveAll()
      files.push({ pkg, name: entry.slice(0, -'.proto'.length), path, root })
    }
  }
  return files
}

/** The protons-generated module compiled from the same `.proto` (the code under test) */
export async function loadProtonsModule (file: ProtoFile): Promise<Record<string, any>> {
  const url = pathToFileURL(join(REPO_ROOT, 'packages', file.pkg, 'dist', 'src', 'pb', `${file.name}.js`))
  return import(url.href)
}

/** Every message type a proto file defines at top level */
export function messageTypes (file: ProtoFile): protobuf.Type[] {
  return file.root.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type)
}

function isLong (value: unknown): value is { low: number, high: number, unsigned: boolean, toString(): string } {
  return value != null && typeof value === 'object' && 'low' in value && 'high' in value && 'unsigned' in value
}

function hex (bytes: Uint8Array | number[]): string {
  // protobufjs leaves an absent bytes field as its prototype default, a plain empty array
  return bytes instanceof Uint8Array ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') : Buffer.from(bytes).toString('hex')
}

const INTEGER_TYPES = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', 'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64'])

/** A field with explicit presence (proto3 `optional`): a default value that is present still counts */
function hasPresence (field: protobuf.Field): boolean {
  return field.options?.proto3_optional === true || field.partOf != null
}

function normaliseScalar (field: protobuf.Field, value: unknown): unknown {
  if (field.resolvedType instanceof protobuf.Enum) {
    // protobufjs decodes enums as numbers, protons as the value's name
    return typeof value === 'number' ? field.resolvedType.valuesById[value] ?? `#${value}` : value
  }
  if (field.type === 'bytes') {
    return hex(value as Uint8Array)
  }
  if (INTEGER_TYPES.has(field.type)) {
    // 64-bit fields come back as Long (protobufjs), number (protons with JS_NUMBER) or bigint
    // (protons without it); compare them all as decimal strings
    if (isLong(value)) {
      return value.toString()
    }
    return BigInt(value as number | bigint).toString()
  }
  return value
}

function isDefault (field: protobuf.Field, normalised: unknown): boolean {
  if (field.resolvedType instanceof protobuf.Enum) {
    return normalised === field.resolvedType.valuesById[0]
  }
  return normalised === '' || normalised === '0' || normalised === false || normalised === 0
}

/**
 * A decoded message as plain data both decoders can be compared in: bytes as hex, integers
 * as decimal strings, enums by name, and fields without explicit presence left out when
 * they hold their default (proto3 cannot tell "absent" from "default" for those, and the
 * two libraries fill in defaults differently).
 */
export function normalise (type: protobuf.Type, message: Record<string, any>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const field of type.fieldsArray) {
    const value = message[field.name]
    const nested = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined
    if (field.repeated) {
      const items = [...(value ?? [])].map(item => nested != null ? normalise(nested, item) : normaliseScalar(field, item))
      if (items.length > 0) {
        out[field.name] = items
      }
      continue
    }
    if (value == null) {
      continue
    }
    if (nested != null) {
      out[field.name] = normalise(nested, value)
      continue
    }
    const normalised = normaliseScalar(field, value)
    if (hasPresence(field) || !isDefault(field, normalised)) {
      out[field.name] = normalised
    }
  }
  return out
}

/** Decodes with protobufjs and normalises */
export function decodeIndependently (type: protobuf.Type, bytes: Uint8Array): Record<string, unknown> {
  return normalise(type, type.decode(bytes) as unknown as Record<string, any>)
}

// ---- SPEC.md vectors -------------------------------------------------------

export function readSpec (): string {
  return readFileSync(join(REPO_ROOT, 'SPEC.md'), 'utf8')
}

export interface SpecVector {
  /** the text the vector was found after */
  anchor: string
  bytes: Uint8Array
  /** the length the SPEC states next to the vector, if it states one */
  statedLength?: number
}

/** Every backticked lowercase-hex string of SPEC.md, for resolving elided vectors */
function fullHexStrings (spec: string): string[] {
  return [...spec.matchAll(/`([0-9a-f]{16,})`/g)].map(m => m[1])
}

/**
 * SPEC.md elides long values it gives in full nearby (`842fa782…3bb00646`). A token
 * `left…right` resolves to the one full hex string that `left` runs into and `right` runs
 * out of (overlaps of at least 8 hex digits); none or several is an error.
 */
function resolveElision (token: string, candidates: string[]): string {
  const [left, right] = token.split('…')
  const results = new Set<string>()
  for (const full of candidates) {
    for (let i = 0; i <= left.length - 8; i++) {
      if (!full.startsWith(left.slice(i))) {
        continue
      }
      for (let j = right.length; j >= 8; j--) {
        if (full.endsWith(right.slice(0, j)) && full.length >= (left.length - i) + j) {
          results.add(left.slice(0, i) + full + right.slice(j))
          break
        }
      }
      break
    }
  }
  if (results.size !== 1) {
    throw new Error(`elided hex ${token} resolves to ${results.size} values in SPEC.md`)
  }
  return [...results][0]
}

/**
 * The hex expression after `anchor` and the first `→` or ` =` that follows it (only `→`
 * with `arrowOnly`, for prose that has an `=` of its own before the arrow):
 * backticked tokens joined by `‖`, each optionally repeated (`11`×32), optionally followed
 * by "(N bytes)".
 */
export function specVector (spec: string, anchor: string, arrowOnly = false): SpecVector {
  const at = spec.indexOf(anchor)
  if (at < 0) {
    throw new Error(`SPEC.md no longer contains ${JSON.stringify(anchor)}`)
  }
  if (spec.indexOf(anchor, at + 1) >= 0) {
    throw new Error(`SPEC.md contains ${JSON.stringify(anchor)} more than once`)
  }
  const rest = spec.slice(at + anchor.length)
  const arrow = rest.search(arrowOnly ? /→/ : /→| =/)
  if (arrow < 0) {
    throw new Error(`no → or = after ${JSON.stringify(anchor)}`)
  }
  let pos = arrow + (rest[arrow] === '→' ? 1 : 2)
  const candidates = fullHexStrings(spec)
  let hexText = ''
  const tokenRe = /^\s*`([0-9a-f…]+)`(?:×(\d+))?/
  for (;;) {
    const m = tokenRe.exec(rest.slice(pos))
    if (m == null) {
      throw new Error(`no hex token where expected after ${JSON.stringify(anchor)}`)
    }
    const token = m[1].includes('…') ? resolveElision(m[1], candidates) : m[1]
    hexText += token.repeat(m[2] != null ? Number(m[2]) : 1)
    pos += m[0].length
    const join = /^\s*‖/.exec(rest.slice(pos))
    if (join == null) {
      break
    }
    pos += join[0].length
  }
  if (hexText.length % 2 !== 0) {
    throw new Error(`odd hex length after ${JSON.stringify(anchor)}`)
  }
  const stated = /^\s*\((\d+) bytes\)/.exec(rest.slice(pos))
  return {
    anchor,
    bytes: Uint8Array.from(Buffer.from(hexText, 'hex')),
    statedLength: stated != null ? Number(stated[1]) : undefined
  }
}

/**
 * Every place SPEC.md writes a frame as `NAME(…)` followed by `→`/`=` and a backticked hex
 * value (the backticked `NAME(…)` is returned): the wire vectors. The tests check that each
 * is in their table, so a vector added to SPEC.md without a check fails.
 */
export function specFrameVectors (spec: string): string[] {
  return [...spec.matchAll(/(`[A-Z][A-Z_]+\([^`]*\)`)[^→=]{0,200}(?:→| =)\s*`[0-9a-f]/g)].map(m => m[1])
}
