/**
 * A deterministic stand-in for MLS, for the simulator and tests (not cryptography): the pure
 * core asks for MLS operations as data (types.ts), so any driver can answer them; this one
 * answers in microseconds, so hundreds of members run in a simulated network (SPEC.md §11.4).
 */
import { commitId } from './commit-id.ts'
import type { MlsOp, MlsResult } from './types.ts'

/**
 * A fake MLS for the pure core: states are plain objects, "encryption" is tagging with the
 * epoch secret (the id of the commit that made it), so hundreds of members run in
 * milliseconds. It checks what MLS checks for the core's purposes: the sender is in the
 * base state's roster, the message was made from the same state (forged otherwise), and an
 * application generation opens once.
 */
export interface FakeMlsState {
  epoch: number
  roster: string[]
  secret: string
  opened: Set<string>
  sent: number
  /** commits made from this state: two commits with equal changes still differ, as MLS's fresh path secrets make them */
  made?: number
}

const enc = new TextEncoder()
const dec = new TextDecoder()

/**
 * One MLS operation against `state`. `nonce` (a driver's counter) makes every commit distinct
 * even when a state is rebuilt (a late welcome, a forgotten state opened again); without it the
 * state's own `made` counter is used.
 */
export function fakeMls (self: string, state: FakeMlsState, op: MlsOp<string>, nonce?: number): { state?: FakeMlsState, replaceBase?: FakeMlsState, result: MlsResult<string> } {
  if (op.kind === 'seal') {
    const mls = enc.encode(JSON.stringify({ t: 'app', key: state.secret, from: self, gen: state.sent, pt: Array.from(op.plaintext) }))
    return { replaceBase: { ...state, sent: state.sent + 1 }, result: { ok: true, kind: 'sealed', mls } }
  }
  if (op.kind === 'commit') {
    const roster = [...state.roster.filter(p => !op.changes.remove.includes(p)), ...op.changes.add.map(a => a.peer)]
    const made = state.made ?? 0
    const mls = enc.encode(JSON.stringify({ t: 'commit', key: state.secret, from: self, roster, salt: op.changes.update ? 'u' : '', s: nonce ?? made }))
    const id = commitId(mls)
    return {
      replaceBase: { ...state, made: made + 1 },
      state: { epoch: state.epoch + 1, roster, secret: id, opened: new Set(), sent: 0 },
      result: { ok: true, kind: 'committed', mls, roster, welcome: op.changes.add.length > 0 ? enc.encode(JSON.stringify({ secret: id, roster, epoch: state.epoch + 1 })) : undefined }
    }
  }
  let m: any
  try {
    m = JSON.parse(dec.decode(op.mls))
  } catch {
    return { result: { ok: false, reason: 'malformed' } }
  }
  if (m.key !== state.secret) {
    return { result: { ok: false, reason: 'forged' } }
  }
  if (m.from !== op.from) {
    return { result: { ok: false, reason: 'wrong-sender' } }
  }
  if (!state.roster.includes(m.from)) {
    return { result: { ok: false, reason: 'not-a-member' } }
  }
  if (op.wire === 'commit' && m.t === 'commit') {
    return {
      state: { epoch: state.epoch + 1, roster: m.roster, secret: commitId(op.mls), opened: new Set(), sent: 0 },
      result: { ok: true, kind: 'opened-commit', roster: m.roster, removedSelf: !m.roster.includes(self) }
    }
  }
  if (op.wire === 'application' && m.t === 'app') {
    const gen = `${String(m.from)}/${String(m.gen)}`
    if (state.opened.has(gen)) {
      return { result: { ok: false, reason: 'replayed' } }
    }
    return { replaceBase: { ...state, opened: new Set([...state.opened, gen]) }, result: { ok: true, kind: 'opened-application', plaintext: Uint8Array.from(m.pt) } }
  }
  return { result: { ok: false, reason: 'malformed' } }
}
