import { Frame, LwwMap, MalformedDeltaError, OrSet, Replica, ReplicaSync, decodeFrame, decodeRanges, encodeFrame, frameToState, opsOf, stateToFrame } from '@saorsa-gossip/crdt'
import { bytesFrom, canonical, decodes, invariant, numbersSafe } from '../engine.ts'
import type { Target } from '../engine.ts'
import type { CrdtState } from '@saorsa-gossip/crdt'

const SELF = 'me'
const AUTHORS = ['alice', 'bob', 'me']
/** the receivers' clock: LWW writes up to 60 s past it are in the skew bound */
const NOW = 1_790_000_000_000
/** long-lived replicas are rebuilt after this many inputs, so one state's cost stays bounded */
const RESET_EVERY = 500

interface Receivers { orset: ReplicaSync, lww: ReplicaSync }
let receivers: Receivers = fresh()
let inputs = 0
let applied = 0

function fresh (): Receivers {
  const own = new Replica(SELF, 'orset')
  // a few own operations, so digests lacking them get an interval in answer
  for (const e of ['x', 'y']) {
    own.recordLocal((own.state as OrSet).add(SELF, e))
  }
  const sync = new ReplicaSync(own)
  sync.digest(0, false, 0)
  sync.digest(1, false, 0)
  return { orset: sync, lww: new ReplicaSync(new Replica(SELF, 'lww')) }
}

function view (replica: Replica): string {
  const state = replica.state
  return canonical([replica.digest(), state instanceof OrSet ? state.values() : (state as LwwMap).keys()])
}

/** every entry a delta adds names the author it was received from */
function authoredBy (state: CrdtState, author: string): boolean {
  if (state instanceof OrSet) {
    return [...state.storeDots()].every(d => d.replica === author)
  }
  return [...(state as LwwMap).entries.values()].every(e => e.dot.replica === author && e.hlc.node === author)
}

async function seeds (): Promise<Uint8Array[]> {
  const set = new OrSet()
  const add = set.add('alice', 'milk')
  const remove = set.remove('alice', 'milk')
  const lww = new LwwMap().set('k', new Uint8Array([1, 2]), { wall: NOW, counter: 0, node: 'bob' })
  const tomb = new LwwMap().set('k', null, { wall: NOW + 1, counter: 3, node: 'bob' })
  return [
    encodeFrame(stateToFrame(add, { replica: 'alice', from: 1, to: 1 })),
    encodeFrame(stateToFrame(remove, { replica: 'alice', from: 2, to: 2 })),
    encodeFrame(stateToFrame(lww, { replica: 'bob', from: 1, to: 1 })),
    encodeFrame(stateToFrame(tomb, { replica: 'bob', from: 2, to: 2 })),
    encodeFrame({ kind: Frame.Kind.DIGEST, type: Frame.Type.ORSET, context: [{ replica: 'alice', from: 1, to: 2 }, { replica: 'me', from: 1, to: 1 }], orset: [], lww: [], yjs: new Uint8Array(0) })
  ]
}

/**
 * crdt frames as a receiver meets them (SPEC.md §9.3–9.4): decodeFrame gives a frame or
 * MalformedDeltaError; what decodes re-encodes to the same frame; a delta is applied only if
 * every entry it adds names the author it came from, and anything not applied leaves the
 * replica unchanged; a digest never gets an answer carrying another author's operations.
 */
export const crdtFrame: Target<Uint8Array> = {
  name: 'crdt-frame',
  seeds,
  arbitrary: (corpus) => bytesFrom(corpus, 1024),
  run (bytes) {
    if (++inputs % RESET_EVERY === 0) {
      receivers = fresh()
    }
    const frame = decodes(() => decodeFrame(bytes), [MalformedDeltaError])
    if (frame == null) {
      return
    }
    invariant(numbersSafe(frame), () => `decoded a number above 2^53 - 1: ${canonical(frame)}`)
    const again = decodes(() => decodeFrame(encodeFrame(frame)), [])
    invariant(canonical(again) === canonical(frame), () => `${canonical(frame)} re-decodes as ${canonical(again)}`)
    const sync = frame.type === Frame.Type.LWW ? receivers.lww : receivers.orset
    if (frame.kind === Frame.Kind.DIGEST) {
      const ranges = decodes(() => decodeRanges(frame.context), [MalformedDeltaError])
      if (ranges != null) {
        const answer = sync.onDigest(ranges)
        invariant(answer == null || (answer.ops.replica === SELF && authoredBy(answer.delta, SELF)), () => `answered ${canonical(ranges)} with others' operations`)
        sync.digest(NOW, bytes.length % 2 === 0, (bytes[0] ?? 0) / 256)
      }
      return
    }
    const state = decodes(() => frameToState(frame), [MalformedDeltaError])
    const ops = decodes(() => opsOf(frame), [MalformedDeltaError])
    if (state == null || ops == null) {
      return
    }
    // the verified origin: usually the claimed author, sometimes another (a forgery)
    const author = bytes.length % 5 === 0 ? AUTHORS[bytes.length % 3] : ops.replica
    const before = view(sync.replica)
    const outcome = sync.replica.receive(author, state, ops, NOW)
    if (outcome === 'applied') {
      applied++
      invariant(authoredBy(state, author) && ops.replica === author, () => `applied a delta from ${author} naming another author: ${canonical(frame)}`)
    } else {
      invariant(view(sync.replica) === before, () => `${outcome} changed the replica: ${canonical(frame)}`)
    }
  },
  describe: () => `${applied} applied, orset ${(receivers.orset.replica.state as OrSet).values().length} values`
}
