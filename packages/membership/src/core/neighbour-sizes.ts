import type { Rng } from '@saorsa-gossip/core'

/**
 * Active neighbours' own view sizes, as their last SWIM acks listed them (SPEC.md §5.1 *Swaps*,
 * §6.4): which neighbour a full node may drop to take a low-priority NEIGHBOR request. At most
 * one entry per active neighbour; HyParView forgets a peer when it leaves the active view or
 * SWIM suspects it (a crashed neighbour's last report is its largest view).
 */
export class NeighbourSizes<P> {
  private readonly sizes = new Map<P, number>()

  set (peer: P, size: number): void {
    this.sizes.set(peer, size)
  }

  forget (peer: P): void {
    this.sizes.delete(peer)
  }

  /**
   * The neighbour to give way: one `keep` does not protect (HyParView keeps the neighbours it
   * chose: the eclipse rule) whose reported view is at least `target` + 2, so that it stays
   * above target — nothing to refill now, nor after its next loss; the largest such view, ties
   * at random. None: the request is refused, as in the paper.
   */
  victim (target: number, keep: (peer: P) => boolean, rng: Rng): P | undefined {
    let best = target + 1
    let victims: P[] = []
    for (const [peer, size] of this.sizes) {
      if (size < best || keep(peer)) {
        continue
      }
      if (size > best) {
        best = size
        victims = []
      }
      if (size > target + 1) {
        victims.push(peer)
      }
    }
    return rng.pick(victims)
  }
}
