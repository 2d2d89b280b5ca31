import { InvalidConfigError } from '@saorsa-gossip/core'

/**
 * Peer scoring (issue 6; SPEC.md §7.11). Counters per peer, each decaying
 * geometrically, combined with weights into one score. Positive: first
 * deliveries of valid messages and answered GRAFT requests (capped, so a peer
 * cannot bank credit without limit). Negative: invalid or rejected messages,
 * protocol violations, GRAFT requests it left unanswered (down to a floor above
 * the accept threshold; taken back when answered late), and duplicate floods
 * beyond a tolerance. Thresholds make it act: below `gossipThreshold` a peer
 * gets no IHAVE from us, below `acceptThreshold` its payloads are dropped, below
 * `graylistThreshold` everything from it is dropped and its topic links closed.
 */
export interface ScoreConfig {
  firstDeliveryWeight: number
  firstDeliveryCap: number
  graftAnswerWeight: number
  graftAnswerCap: number
  graftMissWeight: number
  /**
   * the lowest the unanswered GRAFTs alone take a score: below the gossip threshold (a liar's
   * IHAVEs are ignored) but above the accept threshold (a slow peer's answers still get in)
   */
  graftMissFloor: number
  invalidWeight: number
  protocolWeight: number
  duplicateWeight: number
  /** duplicates tolerated (per decayed window) before they count */
  duplicateTolerance: number
  /** every counter is multiplied by this once per `decayInterval` */
  decay: number
  decayInterval: number
  gossipThreshold: number
  acceptThreshold: number
  graylistThreshold: number
}

/**
 * Defaults: one invalid message (−20) takes a fresh peer below the gossip
 * threshold (−10); three below accept (−50); five into the graylist (−80).
 * A decay of 0.9 per second forgives a single mistake within ~30 s (−20 → −1)
 * while a steady stream of invalid messages keeps the peer graylisted.
 */
export const DEFAULT_SCORE_CONFIG: Readonly<ScoreConfig> = Object.freeze({
  firstDeliveryWeight: 0.5,
  firstDeliveryCap: 20,
  graftAnswerWeight: 0.5,
  graftAnswerCap: 10,
  graftMissWeight: -2,
  graftMissFloor: -40,
  invalidWeight: -20,
  protocolWeight: -10,
  duplicateWeight: -0.1,
  duplicateTolerance: 200,
  decay: 0.9,
  decayInterval: 1000,
  gossipThreshold: -10,
  acceptThreshold: -50,
  graylistThreshold: -80
})

/** `graft-late`: a GRAFT charged as unanswered was answered after all; the charge is taken back */
export type ScoreEvent = 'first-delivery' | 'graft-answered' | 'graft-unanswered' | 'graft-late' | 'invalid' | 'protocol-violation' | 'duplicate'

interface Counters {
  firstDeliveries: number
  graftAnswers: number
  graftMisses: number
  invalid: number
  protocol: number
  duplicates: number
  decayedAt: number
}

/** Most peers scored; the least recently seen is forgotten beyond it */
const MAX_SCORED = 10_000

export function resolveScoreConfig (partial: Partial<ScoreConfig> = {}): ScoreConfig {
  const config = { ...DEFAULT_SCORE_CONFIG, ...partial }
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidConfigError(`score config ${key} must be a finite number, got ${String(value)}`)
    }
  }
  if (!(config.decay > 0 && config.decay < 1) || !(config.decayInterval > 0)) {
    throw new InvalidConfigError('score config needs 0 < decay < 1 and decayInterval > 0')
  }
  if (!(config.gossipThreshold <= 0 && config.acceptThreshold <= config.gossipThreshold && config.graylistThreshold <= config.acceptThreshold)) {
    throw new InvalidConfigError('score config needs graylistThreshold <= acceptThreshold <= gossipThreshold <= 0')
  }
  if (!(config.graftMissFloor <= 0)) {
    throw new InvalidConfigError('score config needs graftMissFloor <= 0')
  }
  return config
}

export class PeerScores<P> {
  readonly config: ScoreConfig
  private readonly peers = new Map<P, Counters>()

  constructor (config: Partial<ScoreConfig> = {}) {
    this.config = resolveScoreConfig(config)
  }

  record (peer: P, event: ScoreEvent, now: number): void {
    const c = this.counters(peer, now)
    switch (event) {
      case 'first-delivery': c.firstDeliveries = Math.min(this.config.firstDeliveryCap, c.firstDeliveries + 1); break
      case 'graft-answered': c.graftAnswers = Math.min(this.config.graftAnswerCap, c.graftAnswers + 1); break
      case 'graft-unanswered': c.graftMisses++; break
      case 'graft-late': c.graftMisses = Math.max(0, c.graftMisses - 1); break
      case 'invalid': c.invalid++; break
      case 'protocol-violation': c.protocol++; break
      case 'duplicate': c.duplicates++; break
      default: break
    }
  }

  score (peer: P, now: number): number {
    const c = this.peers.get(peer)
    if (c == null) {
      return 0
    }
    this.decay(c, now)
    const w = this.config
    return c.firstDeliveries * w.firstDeliveryWeight +
      c.graftAnswers * w.graftAnswerWeight +
      Math.max(w.graftMissFloor, c.graftMisses * w.graftMissWeight) +
      c.invalid * w.invalidWeight +
      c.protocol * w.protocolWeight +
      Math.max(0, c.duplicates - w.duplicateTolerance) * w.duplicateWeight
  }

  /** IHAVE and other gossip go only to peers at or above the gossip threshold */
  mayGossip (peer: P, now: number): boolean {
    return this.score(peer, now) >= this.config.gossipThreshold
  }

  /** Payloads are accepted only from peers at or above the accept threshold */
  mayAccept (peer: P, now: number): boolean {
    return this.score(peer, now) >= this.config.acceptThreshold
  }

  isGraylisted (peer: P, now: number): boolean {
    return this.score(peer, now) < this.config.graylistThreshold
  }

  forget (peer: P): void {
    this.peers.delete(peer)
  }

  get size (): number {
    return this.peers.size
  }

  private counters (peer: P, now: number): Counters {
    let c = this.peers.get(peer)
    if (c == null) {
      c = { firstDeliveries: 0, graftAnswers: 0, graftMisses: 0, invalid: 0, protocol: 0, duplicates: 0, decayedAt: now }
      if (this.peers.size >= MAX_SCORED) {
        // forget the peer scored longest ago: a bounded table, at the price of amnesty for it
        this.peers.delete(this.peers.keys().next().value as P)
      }
    } else {
      this.peers.delete(peer)
      this.decay(c, now)
    }
    this.peers.set(peer, c)
    return c
  }

  private decay (c: Counters, now: number): void {
    const steps = Math.floor((now - c.decayedAt) / this.config.decayInterval)
    if (steps <= 0) {
      return
    }
    const f = this.config.decay ** steps
    c.firstDeliveries *= f
    c.graftAnswers *= f
    c.graftMisses *= f
    c.invalid *= f
    c.protocol *= f
    c.duplicates *= f
    c.decayedAt += steps * this.config.decayInterval
  }
}
