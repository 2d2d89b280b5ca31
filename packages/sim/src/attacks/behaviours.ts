import { bsend, hex, msend } from './adversary.ts'
import type { AdversaryNode, Behaviour, Intel, NodeEffect } from './adversary.ts'
import type { NodeId } from '../network.ts'

/**
 * The seven adversaries of issue 19, each for Plumtree and for the gossipsub-style
 * mesh. Every adversary runs the honest cores underneath (it joins the overlay and the
 * topic like anyone); a behaviour only drops, rewrites or adds messages.
 */
export type AttackName = 'none' | 'sybil' | 'eclipse' | 'black-hole' | 'ihave-graft-spam' | 'ae-amplification' | 'forgery-replay' | 'membership-poisoning'

export const ATTACKS: AttackName[] = ['sybil', 'eclipse', 'black-hole', 'ihave-graft-spam', 'ae-amplification', 'forgery-replay', 'membership-poisoning']

/** How far ahead of a core's clock a suspect or dead incarnation may be (INCARNATION_AHEAD, packages/membership/src/core/swim-members.ts) */
const INCARNATION_AHEAD = 2 ** 32

function isPayload (effect: NodeEffect): boolean {
  if (effect.type !== 'send' || effect.message.layer !== 'broadcast') {
    return false
  }
  const m = effect.message.message
  return m.type === 'gossip' || m.kind === 'publish'
}

function randomId (intel: Intel): Uint8Array {
  const id = new Uint8Array(32)
  const view = new DataView(id.buffer)
  for (let i = 0; i < 32; i += 4) {
    view.setUint32(i, intel.rng.int(0x1_0000_0000) >>> 0)
  }
  return id
}

/**
 * Tree black hole: forwards no payload (eager pushes, GRAFT and IWANT answers,
 * anti-entropy pulls are all dropped) but keeps announcing: IHAVE for everything it
 * receives, with round 1 (the shortest possible path) so that Plumtree's optimisation
 * prefers it as an eager parent.
 */
function blackHoleFilter (self: AdversaryNode, effect: NodeEffect): NodeEffect | undefined {
  if (isPayload(effect)) {
    return undefined
  }
  if (self.intel.protocol === 'plumtree' && effect.type === 'send' && effect.message.layer === 'broadcast' && effect.message.message.type === 'ihave') {
    const m = effect.message.message
    return bsend(effect.to, { ...m, entries: m.entries.map((e: { id: Uint8Array }) => ({ id: e.id, round: 1 })) })
  }
  return effect
}

/** Sybils: black holes that keep (re)connecting to the target, membership and topic links */
function connectToTarget (self: AdversaryNode, poison: boolean): NodeEffect[] {
  const { target, topic, protocol, adversaries } = self.intel
  if (target === undefined) {
    return []
  }
  const out: NodeEffect[] = []
  const linked = self.membershipPeers().includes(target)
  if (!linked) {
    out.push(msend(target, { proto: 'hpv', type: 'join' }))
  }
  if (protocol === 'plumtree') {
    if (!self.topicPeers().includes(target)) {
      // claims to have no topic neighbour: an urgent join evicts one of the target's at capacity
      out.push(bsend(target, { type: 'topic-join', topic, urgent: true }))
    }
  } else if (linked && self.memo.get('grafted') !== true) {
    self.memo.set('grafted', true)
    out.push(bsend(target, { kind: 'graft', topic }))
  }
  if (poison) {
    // fill the target's passive view with sybils, so that its repairs also lead to sybils
    const sybils = self.intel.rng.sample([...adversaries], 8)
    out.push(msend(target, { proto: 'hpv', type: 'shuffle-reply', peers: sybils }))
  }
  return out
}

function sybil (poison: boolean, tickMs: number): Behaviour {
  return {
    tickMs,
    filter: (self, effect) => blackHoleFilter(self, effect),
    tick: (self) => connectToTarget(self, poison)
  }
}

/** IHAVE of 20 fake ids and GRAFT / IWANT of the 10 newest genuine ones, to every topic neighbour, twice a second */
const spam: Behaviour = {
  tickMs: 500,
  tick: (self) => {
    const { intel } = self
    const recent = intel.captured.slice(-10)
    const out: NodeEffect[] = []
    for (const peer of self.topicPeers()) {
      const fake = Array.from({ length: 20 }, () => randomId(intel))
      if (intel.protocol === 'plumtree') {
        out.push(bsend(peer, { type: 'ihave', topic: intel.topic, entries: fake.map(id => ({ id, round: 1 })) }))
        for (const c of recent) {
          out.push(bsend(peer, { type: 'graft', topic: intel.topic, round: 1, id: c.id }))
        }
      } else {
        out.push(bsend(peer, { kind: 'ihave', topic: intel.topic, ids: fake }))
        if (recent.length > 0) {
          out.push(bsend(peer, { kind: 'iwant', ids: recent.map(c => c.id) }))
        }
      }
    }
    return out
  }
}

/**
 * Anti-entropy amplification: a digest claiming an empty window to every topic neighbour
 * as often as the responder allows, then a pull of every message of the window; the mesh's
 * equivalent is an IWANT of its whole message cache to every neighbour every heartbeat.
 */
const aeAmplification: Behaviour = {
  tickMs: 2_600,
  tick: (self, now) => {
    const { intel } = self
    const out: NodeEffect[] = []
    if (intel.protocol === 'mesh') {
      const ids = intel.captured.filter(c => c.publishedAt > now - 5_000).map(c => c.id)
      if (ids.length > 0) {
        for (const peer of self.topicPeers()) {
          out.push(bsend(peer, { kind: 'iwant', ids }))
        }
      }
      return out
    }
    const to = Math.floor((now - 2_000) / 1_000) * 1_000
    const from = to - 90_000
    let sessions = self.memo.get('sessions') as Set<number> | undefined
    if (sessions == null) {
      sessions = new Set()
      self.memo.set('sessions', sessions)
    }
    for (const peer of self.topicPeers()) {
      const session = intel.rng.int(0x7fff_ffff) + 1
      sessions.add(session)
      out.push(bsend(peer, { type: 'ae-digest', topic: intel.topic, session, from, to, count: 0, digest: new Uint8Array(32) }))
    }
    return out
  },
  onInput: (self, input) => {
    if (self.intel.protocol !== 'plumtree' || input.type !== 'message' || input.message.layer !== 'broadcast') {
      return []
    }
    const m = input.message.message
    const sessions = self.memo.get('sessions') as Set<number> | undefined
    if (m.type !== 'ae-symbols' || sessions?.has(m.session) !== true) {
      return []
    }
    sessions.delete(m.session)
    // the adversary holds every message itself: it asks for the whole window by short id
    const shortIds = self.intel.captured.filter(c => c.publishedAt >= m.from && c.publishedAt < m.to).slice(-4096).map(c => c.id.subarray(0, 8))
    return [bsend(input.from, { type: 'ae-want', topic: m.topic, session: m.session, shortIds })]
  }
}

/**
 * Forgeries and replays: every genuine message received is raced by forged copies (same
 * id, another payload) to every topic neighbour; a forged message with a fresh id every
 * tick; and at `replayAt` every captured genuine message is sent again, unchanged, to every
 * neighbour (after the mesh's 120 s seen-id memory, inside Plumtree's 180 s).
 */
function forgery (replayAt: number): Behaviour {
  const forge = (self: AdversaryNode, id: Uint8Array, publishedAt: number, round: number): any => self.intel.protocol === 'plumtree'
    ? { type: 'gossip', topic: self.intel.topic, id, round, publishedAt, payload: new Uint8Array(1024), forged: true }
    : { kind: 'publish', topic: self.intel.topic, id, origin: self.id, hops: round, publishedAt, payload: new Uint8Array(1024), forged: true }
  return {
    tickMs: 500,
    onInput: (self, input, now) => {
      if (input.type !== 'message' || input.message.layer !== 'broadcast') {
        return []
      }
      const m = input.message.message
      const payload = self.intel.protocol === 'plumtree' ? m.type === 'gossip' : m.kind === 'publish'
      if (!payload || m.forged === true) {
        return []
      }
      const key = hex(m.id)
      const raced = self.memo.get('raced') as Set<string> | undefined ?? new Set<string>()
      self.memo.set('raced', raced)
      if (raced.has(key)) {
        return []
      }
      raced.add(key)
      return self.topicPeers().map(peer => bsend(peer, forge(self, m.id, m.publishedAt, 1)))
    },
    tick: (self, now) => {
      const out: NodeEffect[] = []
      const peers = self.topicPeers()
      const fresh = forge(self, randomId(self.intel), now, 1)
      for (const peer of peers) {
        out.push(bsend(peer, fresh))
      }
      if (now >= replayAt && self.memo.get('replayed') !== true) {
        self.memo.set('replayed', true)
        for (const c of self.intel.captured) {
          for (const peer of peers) {
            out.push(bsend(peer, c.message))
          }
        }
      }
      return out
    }
  }
}

/**
 * Membership poisoning: black holes that JOIN random honest nodes every tick (each JOIN
 * puts them in an active view and spreads them by FORWARD_JOIN) and tell random honest
 * nodes that other honest nodes are dead, at the largest incarnation a core accepts.
 */
const poisoning: Behaviour = {
  tickMs: 1_000,
  filter: (self, effect) => blackHoleFilter(self, effect),
  tick: (self, now) => {
    const { intel } = self
    const out: NodeEffect[] = [msend(intel.rng.pick(intel.honest) as NodeId, { proto: 'hpv', type: 'join' })]
    const victims = intel.rng.sample(intel.honest, 3)
    // the largest incarnation a core accepts (SPEC.md §6.3: now + 2^32); anything larger is dropped as invalid
    const updates = victims.map(member => ({ member, incarnation: now + INCARNATION_AHEAD, status: 'dead', from: self.id }))
    for (const to of intel.rng.sample(intel.honest, 3)) {
      out.push(msend(to, { proto: 'swim', type: 'gossip', updates }))
    }
    return out
  }
}

export function behaviourFor (attack: AttackName, replayAt: number): Behaviour | undefined {
  switch (attack) {
    case 'none': return undefined
    case 'sybil': return sybil(false, 2_000)
    case 'eclipse': return sybil(true, 500)
    case 'black-hole': return { tickMs: 0, filter: (self, effect) => blackHoleFilter(self, effect) }
    case 'ihave-graft-spam': return spam
    case 'ae-amplification': return aeAmplification
    case 'forgery-replay': return forgery(replayAt)
    case 'membership-poisoning': return poisoning
    default: return undefined
  }
}
