/**
 * Peer scoring for the gossipsub-style mesh baseline (src/broadcast/mesh.ts), a subset of
 * gossipsub v1.1's score function (libp2p specs, pubsub/gossipsub/gossipsub-v1.1.md,
 * "Peer Scoring"), so that the adversarial runs compare Plumtree's scoring against the
 * mesh's rather than against a mesh that trusts everyone:
 *
 * - P2 first message deliveries (positive, capped),
 * - P4 invalid messages (a failed origin check),
 * - P7 behaviour penalty, squared: IWANT promises broken (an IHAVE whose IWANT went
 * unanswered within the follow-up time) and GRAFTs during a prune backoff.
 *
 * Not modelled: P1 time in mesh, P3/P3b mesh delivery deficits (their thresholds are
 * deployment-specific), P5 application score, P6 IP colocation (the simulator has no IPs).
 * Counters decay geometrically as in the spec. Thresholds as in the spec's order:
 * gossip ≥ publish ≥ graylist.
 */
export interface MeshScoreConfig {
  firstDeliveryWeight: number
  firstDeliveryCap: number
  invalidWeight: number
  /** weight of (broken promises + backoff violations)², as P7 */
  behaviourWeight: number
  decay: number
  decayInterval: number
  /** below: no IHAVE to or from the peer, IWANT ignored */
  gossipThreshold: number
  /** below: our own publications skip the peer (floodPublish) */
  publishThreshold: number
  /** below: everything from the peer is dropped */
  graylistThreshold: number
  /** IWANT answered at most this often per (peer, id) (v1.1 gossip_retransmission = 3) */
  gossipRetransmission: number
  /** IHAVE messages honoured per peer per heartbeat (v1.1 max_ihave_messages = 10) */
  maxIHaveMessages: number
}

export const DEFAULT_MESH_SCORE_CONFIG: Readonly<MeshScoreConfig> = Object.freeze({
  firstDeliveryWeight: 0.5,
  firstDeliveryCap: 20,
  invalidWeight: -20,
  behaviourWeight: -2,
  decay: 0.9,
  decayInterval: 1000,
  gossipThreshold: -10,
  publishThreshold: -50,
  graylistThreshold: -80,
  gossipRetransmission: 3,
  maxIHaveMessages: 10
})

interface Counters {
  firstDeliveries: number
  invalid: number
  behaviour: number
  decayedAt: number
}

/** Score table of one mesh node (bounded by its neighbours and the peers that sent it anything) */
export class MeshScores<P> {
  readonly config: MeshScoreConfig
  private readonly peers = new Map<P, Counters>()

  constructor (config: Partial<MeshScoreConfig> = {}) {
    this.config = { ...DEFAULT_MESH_SCORE_CONFIG, ...config }
  }

  firstDelivery (peer: P, now: number): void {
    const c = this.counters(peer, now)
    c.firstDeliveries = Math.min(this.config.firstDeliveryCap, c.firstDeliveries + 1)
  }

  invalid (peer: P, now: number): void {
    this.counters(peer, now).invalid++
  }

  misbehaved (peer: P, now: number): void {
    this.counters(peer, now).behaviour++
  }

  score (peer: P, now: number): number {
    const c = this.peers.get(peer)
    if (c == null) {
      return 0
    }
    this.decay(c, now)
    const w = this.config
    return c.firstDeliveries * w.firstDeliveryWeight + c.invalid * w.invalidWeight + c.behaviour * c.behaviour * w.behaviourWeight
  }

  mayGossip (peer: P, now: number): boolean {
    return this.score(peer, now) >= this.config.gossipThreshold
  }

  mayPublish (peer: P, now: number): boolean {
    return this.score(peer, now) >= this.config.publishThreshold
  }

  isGraylisted (peer: P, now: number): boolean {
    return this.score(peer, now) < this.config.graylistThreshold
  }

  private counters (peer: P, now: number): Counters {
    let c = this.peers.get(peer)
    if (c == null) {
      c = { firstDeliveries: 0, invalid: 0, behaviour: 0, decayedAt: now }
      this.peers.set(peer, c)
    } else {
      this.decay(c, now)
    }
    return c
  }

  private decay (c: Counters, now: number): void {
    const steps = Math.floor((now - c.decayedAt) / this.config.decayInterval)
    if (steps <= 0) {
      return
    }
    const f = this.config.decay ** steps
    c.firstDeliveries *= f
    c.invalid *= f
    c.behaviour *= f
    c.decayedAt += steps * this.config.decayInterval
  }
}
