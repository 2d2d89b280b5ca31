import type { CounterGroup, Metrics } from '@libp2p/interface'

/** Counters kept by the identity service; also exported through libp2p metrics when present */
export interface IdentityStats {
  /** Exchanges that ended with a verified remote binding */
  exchangesOk: number
  /** Exchanges that failed for transport reasons (timeout, reset, closed connection) */
  exchangesFailed: number
  /** Peers that do not speak the identity protocol */
  unsupportedPeers: number
  /** Frames longer than the limit or not decodable: stream reset, frame dropped */
  malformedFrames: number
  /** Records that decoded but failed verification (bad signature, wrong peer, bad shape, future date) */
  invalidRecords: number
  /** Signatures checked with verify() */
  verifications: number
  /** verify() calls whose signature was invalid */
  verificationFailures: number
  /** Lookup requests answered by this node, with a record or with "not known" */
  lookupsServed: number
  /** Lookups this node sent through a relay that returned a verified binding */
  lookupsOk: number
  /** Lookups this node tried through a relay that did not: no open connection, not known, invalid or malformed reply, timeout */
  lookupsFailed: number
  /** Records carried by another protocol (acceptBinding) that verified */
  carriedOk: number
}

export type StatName = keyof IdentityStats

export class StatsCounter {
  readonly values: IdentityStats = {
    exchangesOk: 0,
    exchangesFailed: 0,
    unsupportedPeers: 0,
    malformedFrames: 0,
    invalidRecords: 0,
    verifications: 0,
    verificationFailures: 0,
    lookupsServed: 0,
    lookupsOk: 0,
    lookupsFailed: 0,
    carriedOk: 0
  }

  private readonly group?: CounterGroup<StatName>

  constructor (metrics?: Metrics) {
    this.group = metrics?.registerCounterGroup('saorsa_gossip_identity_events_total', {
      label: 'event',
      help: 'Binding exchanges, lookups and signature checks of the Saorsa Gossip identity service'
    })
  }

  increment (name: StatName): void {
    this.values[name]++
    this.group?.increment({ [name]: 1 })
  }
}
