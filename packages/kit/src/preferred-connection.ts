import type { Connection } from '@libp2p/interface'

/**
 * The connection to one peer that both ends open their streams on, when there are several
 * (SPEC.md §2.10). Two nodes that dial each other at the same moment end up with two
 * connections, and each side opened its services' streams on the one it dialled: both
 * connections then carry long-lived streams and neither is ever idle. In a 30-node churn
 * soak a quarter of all connections were such duplicates, and resident memory grew with
 * them (issue 19).
 *
 * Both ends must pick the same one without talking, so the rule uses only what both see:
 * an open connection without limits, dialled by the end with the smaller PeerId string
 * (our outbound ones if that is us, else the inbound ones); among several of those, the
 * one opened first. Returns undefined when `connections` holds no open connection.
 */
export function preferredConnection (connections: readonly Connection[], self: string): Connection | undefined {
  let best: Connection | undefined
  let bestRank = -1
  for (const connection of connections) {
    if (connection.status !== 'open') {
      continue
    }
    const rank = (connection.limits == null ? 2 : 0) + (dialledBySmaller(connection, self) ? 1 : 0)
    if (rank > bestRank || (rank === bestRank && best != null && connection.timeline.open < best.timeline.open)) {
      best = connection
      bestRank = rank
    }
  }
  return best
}

/** Whether the end with the smaller PeerId string dialled `connection` */
function dialledBySmaller (connection: Connection, self: string): boolean {
  const weAreSmaller = self < connection.remotePeer.toString()
  return (connection.direction === 'outbound') === weAreSmaller
}
