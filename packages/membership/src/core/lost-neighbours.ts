/**
 * Neighbours lost to a dead verdict or a lost connection, and when (SPEC.md §5.4). Every
 * `reconnectInterval` HyParView asks one of them, with high priority, to be its neighbour
 * again. A crashed peer never answers (the request times out and costs one message); a peer
 * that was only cut off by a partition accepts, and that link joins the two halves of the
 * overlay again. Without it a healed partition stays split for ever: both halves repaired
 * their views among themselves, and nothing else crosses (measured: 2 components 99 s after a
 * heal at 1,000 nodes). At most `capacity` (oldest forgotten first), each for `retention` ms.
 */
export class LostNeighbours<P> {
  private readonly at = new Map<P, number>()

  constructor (private readonly capacity: number, private readonly retention: number) {}

  /** How many are remembered (never more than `capacity`) */
  get size (): number {
    return this.at.size
  }

  remember (peer: P, now: number): void {
    this.at.delete(peer)
    this.at.set(peer, now)
    if (this.at.size > this.capacity) {
      this.at.delete(this.at.keys().next().value as P)
    }
  }

  /** Back in the overlay (a neighbour again, or SWIM heard it alive): no need to ask it */
  forget (peer: P): void {
    this.at.delete(peer)
  }

  /** Drops the ones lost longer than `retention` ago; the rest, oldest first */
  current (now: number): P[] {
    for (const [peer, at] of this.at) {
      if (now - at > this.retention) {
        this.at.delete(peer)
      }
    }
    return [...this.at.keys()]
  }
}
