import { distribution } from './stats.ts'
import type { NodeId } from './network.ts'
import type { Distribution } from './stats.ts'

export interface Connectivity {
  /** live nodes considered */
  live: number
  /** connected components of the graph of live, two-way active-view links (one-sided links do not connect) */
  components: number
  /** size of the largest component as a fraction of live nodes */
  largestComponentFraction: number
  /** live nodes without a single live two-way neighbour */
  isolated: number
  /** fraction of live→live active-view links whose reverse link exists */
  symmetry: number
  /** active view sizes (all entries, live or not) */
  activeViewSize: Distribution
  /** passive view sizes */
  passiveViewSize: Distribution
  /** fraction of live nodes whose active view size lies in [lower, upper] */
  withinBounds: number
}

export interface ViewSource {
  activeView(id: NodeId): readonly NodeId[]
  passiveView(id: NodeId): readonly NodeId[]
  isUp(id: NodeId): boolean
}

/** Union–find over live nodes and their live active-view links */
export function measureConnectivity (ids: NodeId[], views: ViewSource, bounds: { lower: number, upper: number }): Connectivity {
  const live = ids.filter(id => views.isUp(id))
  const parent = new Map<NodeId, NodeId>()
  for (const id of live) {
    parent.set(id, id)
  }
  const find = (x: NodeId): NodeId => {
    let root = x
    while (parent.get(root) !== root) {
      root = parent.get(root) as NodeId
    }
    let cur = x
    while (cur !== root) {
      const next = parent.get(cur) as NodeId
      parent.set(cur, root)
      cur = next
    }
    return root
  }
  let links = 0
  let symmetric = 0
  let isolated = 0
  let within = 0
  const activeSizes: number[] = []
  const passiveSizes: number[] = []
  const activeSets = new Map<NodeId, Set<NodeId>>()
  for (const id of live) {
    activeSets.set(id, new Set(views.activeView(id)))
  }
  for (const id of live) {
    const active = activeSets.get(id) as Set<NodeId>
    activeSizes.push(active.size)
    passiveSizes.push(views.passiveView(id).length)
    if (active.size >= bounds.lower && active.size <= bounds.upper) {
      within++
    }
    let liveNeighbours = 0
    for (const peer of active) {
      if (!parent.has(peer)) {
        continue
      }
      links++
      if (activeSets.get(peer)?.has(id) !== true) {
        continue
      }
      symmetric++
      liveNeighbours++
      const a = find(id)
      const b = find(peer)
      if (a !== b) {
        parent.set(a, b)
      }
    }
    if (liveNeighbours === 0) {
      isolated++
    }
  }
  const sizes = new Map<NodeId, number>()
  for (const id of live) {
    const root = find(id)
    sizes.set(root, (sizes.get(root) ?? 0) + 1)
  }
  const largest = Math.max(0, ...sizes.values())
  return {
    live: live.length,
    components: sizes.size,
    largestComponentFraction: live.length === 0 ? 0 : largest / live.length,
    isolated,
    symmetry: links === 0 ? 1 : symmetric / links,
    activeViewSize: distribution(activeSizes),
    passiveViewSize: distribution(passiveSizes),
    withinBounds: live.length === 0 ? 0 : within / live.length
  }
}
