/**
 * Hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", 2014): a
 * timestamp close to physical time that still orders causally related writes, so that
 * last-writer-wins picks the causally later write even when wall clocks disagree.
 * Ties between concurrent writes with equal (wall, counter) break on the writer's PeerId
 * string: deterministic and reproducible in any language (upstream's Rust DefaultHasher
 * tie-break is not).
 */

export interface Hlc {
  /** physical component, ms */
  wall: number
  /** logical component within one `wall` */
  counter: number
  /** the writer (PeerId string): the tie-break */
  node: string
}

export function compareHlc (a: Hlc, b: Hlc): number {
  if (a.wall !== b.wall) {
    return a.wall < b.wall ? -1 : 1
  }
  if (a.counter !== b.counter) {
    return a.counter < b.counter ? -1 : 1
  }
  if (a.node === b.node) {
    return 0
  }
  return a.node < b.node ? -1 : 1
}

export class HlcClock {
  private wall = 0
  private counter = 0

  constructor (readonly node: string) {}

  /** A timestamp for a local write at physical time `now` (ms) */
  tick (now: number): Hlc {
    if (now > this.wall) {
      this.wall = now
      this.counter = 0
    } else {
      this.counter++
    }
    return { wall: this.wall, counter: this.counter, node: this.node }
  }

  /** Advance past a received timestamp, so our next write orders after it */
  observe (remote: Hlc): void {
    if (remote.wall > this.wall || (remote.wall === this.wall && remote.counter > this.counter)) {
      this.wall = remote.wall
      this.counter = remote.counter
    }
  }
}
