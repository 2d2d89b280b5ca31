import { InvalidConfigError } from '@saorsa-gossip/core'

/**
 * SWIM parameters. Sources: the seed specification (probe interval 1 s,
 * suspect timeout 3 s), Das, Gupta & Motivala, "SWIM", DSN 2002, and Dadgar,
 * Phillips & Currey, "Lifeguard: Local Health Awareness for More Accurate
 * Failure Detection", 2018.
 */
export interface SwimConfig {
  /** Protocol period: one probe per period (seed: 1 s) */
  probeInterval: number
  /** Direct-ack wait before indirect probing, ms (2× the simulator's worst 100 ms RTT; Lifeguard stretches it on a slow node; raise it for WAN links) */
  ackTimeout: number
  /**
   * Wait for indirect acks after `ackTimeout` before suspecting, ms. An
   * indirect probe is four one-way hops (guess: 4× 100 ms). ackTimeout +
   * indirectTimeout must not exceed the probe interval (SWIM §3.1: the
   * probe completes within the protocol period).
   */
  indirectTimeout: number
  /** Members asked to probe indirectly (SWIM §3.1: k; memberlist uses 3) */
  indirectProbes: number
  /** Suspicion timeout with Lifeguard off (seed: 3 s) */
  suspicionTimeout: number
  /**
   * Lifeguard on: suspicion timeout with no confirmations, ms. Equal to the
   * seed's 3 s, so Lifeguard only ever shortens it with evidence.
   */
  suspicionMaxTimeout: number
  /** Lifeguard on: suspicion timeout once `expectedConfirmations` are in, ms (measured: long enough for a refutation round trip, short enough for P50 detection under 2 s) */
  suspicionMinTimeout: number
  /**
   * Lifeguard §IV-B: independent suspicions after which the minimum applies.
   * Measured, not guessed: with 5% loss a confirmation probe fails ~10% of the
   * time, so about one false confirmation follows each false suspicion; 5
   * keeps those from shrinking the timeout, while a crashed node's 8–12
   * monitors still confirm it at once (see SPEC.md §6).
   */
  expectedConfirmations: number
  /** Lifeguard §IV-A: maximum local health multiplier (memberlist AwarenessMaxMultiplier = 8) */
  maxLocalHealth: number
  /** Lifeguard on/off: local health awareness, dynamic suspicion, nacks, confirmation probes */
  lifeguard: boolean
  /**
   * Replace an active neighbour when our probe of it fails while it is already suspect
   * (SPEC.md §6.10), instead of at SWIM's verdict: after a 70% crash at 2,000 simulated nodes it
   * clears most dead neighbours from survivors' views within 15 s. On by default since the
   * twenty-sixth session; never while our own lag is at least `ackTimeout`, nor for a neighbour
   * not heard from since it became one (for its first few probe periods), which cut the live
   * links it tore down on 100 loaded real QUIC nodes from 6–7 to 0–2 per run
   */
  replaceUnresponsive: boolean
  /**
   * A monitored member that sent us a SWIM frame or another service's (`heard`) within one
   * ack timeout before its probe slot is not pinged: the frame answers what the ping would ask.
   * Rechecked once that timeout after it was heard, and probed then if it fell silent
   * (SPEC.md §6.2). Saves SWIM's frames where traffic flows; an idle overlay still probes.
   */
  trafficAnswersProbe: boolean
  /** Our own news (suspicions, confirmations, verdicts, refutations) is sent in batches this often, ms (guess: a fraction of an RTT) */
  gossipFlushInterval: number
  /** Most updates in one message; the rest wait for the next flush (bounds frame size) */
  maxUpdatesPerMessage: number
  /** Updates piggybacked on each ping / ack / ping-req (memberlist-style; guess) */
  maxPiggyback: number
  /** Times each update is piggybacked before it is dropped (SWIM §4.1 uses λ·log n; guess λ·log10(10,000) with λ = 2) */
  retransmitLimit: number
  /** Most updates waiting to be piggybacked; the oldest is dropped beyond it */
  piggybackQueueCapacity: number
  /** Most member records kept (alive, suspect and recently dead), oldest-updated dropped first */
  memberTableCapacity: number
}

export const DEFAULT_SWIM_CONFIG: Readonly<SwimConfig> = {
  probeInterval: 1_000,
  ackTimeout: 200,
  indirectTimeout: 250,
  indirectProbes: 3,
  suspicionTimeout: 3_000,
  suspicionMaxTimeout: 3_000,
  suspicionMinTimeout: 300,
  expectedConfirmations: 5,
  maxLocalHealth: 8,
  lifeguard: true,
  replaceUnresponsive: true,
  trafficAnswersProbe: true,
  gossipFlushInterval: 10,
  maxUpdatesPerMessage: 256,
  maxPiggyback: 8,
  retransmitLimit: 8,
  piggybackQueueCapacity: 1024,
  memberTableCapacity: 16_384
}

export function resolveSwimConfig (init: Partial<SwimConfig> = {}): SwimConfig {
  const config = { ...DEFAULT_SWIM_CONFIG, ...init }
  for (const [key, value] of Object.entries(config)) {
    if (key === 'lifeguard' || key === 'replaceUnresponsive' || key === 'trafficAnswersProbe') {
      if (typeof value !== 'boolean') {
        throw new InvalidConfigError(`swim.${key} must be a boolean`)
      }
      continue
    }
    if (!Number.isInteger(value) || (value as number) < 1) {
      throw new InvalidConfigError(`swim.${key} must be a positive integer, got ${String(value)}`)
    }
  }
  if (config.ackTimeout + config.indirectTimeout > config.probeInterval) {
    throw new InvalidConfigError('swim.ackTimeout + swim.indirectTimeout must not exceed swim.probeInterval')
  }
  if (config.suspicionMinTimeout > config.suspicionMaxTimeout) {
    throw new InvalidConfigError('swim.suspicionMinTimeout must not exceed swim.suspicionMaxTimeout')
  }
  return config
}
