/**
 * What the overlay scenarios of the simulator share (crdt, groups, presence, attacks): the
 * nodes, their links, and how they join — node i at i × `joinInterval`, through node 0 unless
 * the scenario says otherwise.
 */
export interface OverlayScenario {
  seed: number
  nodes: number
  /** one-way latency per message, drawn uniformly from [min, max] ms */
  latency: { min: number, max: number }
  /** probability that any message is lost */
  loss?: number
  /** node i joins at i × joinInterval */
  joinInterval: number
}
