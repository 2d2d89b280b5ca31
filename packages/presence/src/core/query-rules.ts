import type { PresenceConfig } from './config.ts'
import type { DropReason, QueryRecord } from './types.ts'

/**
 * Whether a query may be handled at all (SPEC.md §8.4, steps 2–4): the checks that need no
 * state. Duplicates are the core's to judge. Order matters only for which reason is counted.
 */
export function refuseQuery<P> (query: QueryRecord<P>, signatureValid: boolean, config: PresenceConfig, now: number): DropReason | undefined {
  if (!signatureValid) {
    return 'bad-signature'
  }
  if (query.tags.length > config.maxTags) {
    return 'too-many-tags'
  }
  if (query.scopes.length > config.maxScopes) {
    return 'too-many-scopes'
  }
  if (query.hopLimit > config.maxHops || query.ttl < 1 || query.ttl > query.hopLimit) {
    return 'bad-ttl'
  }
  if (query.issuedAtMs > now + config.maxClockSkewMs) {
    return 'from-future'
  }
  if (query.issuedAtMs + config.seenQueryTtlMs <= now) {
    return 'stale-query'
  }
  return undefined
}
