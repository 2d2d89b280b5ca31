/** Where the service learns that a peer is an overlay neighbour */
export type NeighbourSource = 'membership' | 'connection'

/**
 * A peer is an overlay neighbour while membership's active view holds it or (option
 * `connectedPeersAsNeighbors`) a connection to it runs plumtree. The core hears
 * `neighbor-down` only when the last source goes (SPEC.md §7.1). Only membership watches its
 * neighbours (SWIM), so the core is told whether it still does (`monitored`, SPEC.md §7.13).
 */
export class NeighbourSources {
  private readonly sources = new Map<string, Set<NeighbourSource>>()

  /**
   * Records a source going up or down. Returns the core input to give: `neighbor-up` on
   * every up (the core ignores a neighbour it has, and re-adds one that a dead verdict
   * removed while a source still held it), `neighbor-unwatched` when membership went and a
   * connection still holds the peer (SWIM no longer watches it; a peer a dead verdict
   * removed is not brought back by it), `neighbor-down` when the last source went
   */
  update (peer: string, source: NeighbourSource, up: boolean): 'neighbor-up' | 'neighbor-unwatched' | 'neighbor-down' | undefined {
    const sources = this.sources.get(peer) ?? new Set()
    const before = sources.size
    if (up) {
      sources.add(source)
    } else {
      sources.delete(source)
    }
    if (sources.size === 0) {
      this.sources.delete(peer)
    } else {
      this.sources.set(peer, sources)
    }
    if (up) {
      return 'neighbor-up'
    }
    if (sources.size > 0) {
      return source === 'membership' && before > sources.size ? 'neighbor-unwatched' : undefined
    }
    return before > 0 ? 'neighbor-down' : undefined
  }

  /** Whether membership (and so SWIM) holds the peer */
  monitored (peer: string): boolean {
    return this.sources.get(peer)?.has('membership') === true
  }

  clear (): void {
    this.sources.clear()
  }
}

/** Topic links per peer, across topics: a peer with any keeps its connection (SPEC.md §2.8) */
export class TopicLinkCounts {
  private readonly links = new Map<string, number>()

  /** Adds `delta` to the peer's links; returns whether it has any left */
  add (peer: string, delta: number): boolean {
    const links = (this.links.get(peer) ?? 0) + delta
    if (links > 0) {
      this.links.set(peer, links)
    } else {
      this.links.delete(peer)
    }
    return links > 0
  }

  clear (): void {
    this.links.clear()
  }
}
