import type { Chain, CommitRecord } from './chain.ts'
import type { CommitId } from './types.ts'

/** A branch that leaves our chain at `forkEpoch` and could replace what follows */
export interface Branch<P> {
  /** commits to apply, oldest first; `path[0].parent` is on our chain */
  path: Array<CommitRecord<P>>
  forkEpoch: number
  /** epoch reached by applying the whole path */
  height: number
}

/**
 * The ordering rule without a server (SPEC.md §11.4), as a comparison of two branches from
 * the same fork point: the one reaching the higher epoch wins; at equal height, the one
 * whose first commit has the lower id. Every member that has seen both computes the same
 * answer, so members converge on one chain once the commits have spread.
 */
export function beats (height: number, firstId: CommitId, otherHeight: number, otherFirstId: CommitId | undefined): boolean {
  if (height !== otherHeight) {
    return height > otherHeight
  }
  return otherFirstId === undefined || firstId < otherFirstId
}

/**
 * Walks each candidate back through other candidates to a commit on our chain; returns the
 * best branch that beats ours, if any. Candidates whose ancestry is missing are skipped (the
 * core asks their sender for the chain).
 */
export function bestBranch<P> (chain: Chain<P>, candidates: ReadonlyMap<CommitId, CommitRecord<P>>): Branch<P> | undefined {
  let best: Branch<P> | undefined
  for (const tip of candidates.values()) {
    const path = pathTo(chain, candidates, tip)
    if (path == null) {
      continue
    }
    const forkEpoch = path[0].epoch
    const height = tip.epoch + 1
    const ours = chain.commitIn(forkEpoch)
    if (!beats(height, path[0].id, chain.epoch, ours?.id)) {
      continue
    }
    if (best == null || betterThan({ path, forkEpoch, height }, best, chain)) {
      best = { path, forkEpoch, height }
    }
  }
  return best
}

/**
 * Two branches that both beat ours: they share our chain up to the earlier fork point, where
 * the earlier-forking one meets our commit as the other's first difference.
 */
function betterThan<P> (a: Branch<P>, b: Branch<P>, chain: Chain<P>): boolean {
  if (a.forkEpoch === b.forkEpoch) {
    return beats(a.height, a.path[0].id, b.height, b.path[0].id)
  }
  if (a.forkEpoch < b.forkEpoch) {
    return beats(a.height, a.path[0].id, b.height, chain.commitIn(a.forkEpoch)?.id)
  }
  return !beats(b.height, b.path[0].id, a.height, chain.commitIn(b.forkEpoch)?.id)
}

/** Candidates from `tip` back to the chain, oldest first; undefined if a link is missing or inconsistent */
function pathTo<P> (chain: Chain<P>, candidates: ReadonlyMap<CommitId, CommitRecord<P>>, tip: CommitRecord<P>): Array<CommitRecord<P>> | undefined {
  const path = [tip]
  let at = tip
  while (!chain.has(at.parent)) {
    const parent = candidates.get(at.parent)
    if (parent == null || parent.epoch !== at.epoch - 1 || path.length > candidates.size) {
      return undefined
    }
    path.unshift(parent)
    at = parent
  }
  return chain.epochOf(at.parent) === at.epoch ? path : undefined
}
