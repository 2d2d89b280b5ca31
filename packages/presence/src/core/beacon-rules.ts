import type { PresenceConfig } from './config.ts'
import type { BeaconRecord, DropReason } from './types.ts'

/**
 * Whether a beacon may be accepted, given the newest seq already held for its peer.
 * Order matters only for which reason is counted; every rule must pass.
 */
export function refuseBeacon<P> (beacon: BeaconRecord<P>, signatureValid: boolean, knownSeq: number | undefined, config: PresenceConfig, now: number): DropReason | undefined {
  if (!signatureValid) {
    return 'bad-signature'
  }
  if (beacon.issuedAtMs > now + config.maxClockSkewMs) {
    return 'from-future'
  }
  // a beacon is allowed to look fresh by up to the skew we accept on issue times
  if (beacon.expiresAtMs + config.maxClockSkewMs <= now || beacon.expiresAtMs <= beacon.issuedAtMs) {
    return 'expired'
  }
  if (beacon.expiresAtMs - beacon.issuedAtMs > config.beaconTtlMs + config.maxClockSkewMs) {
    return 'ttl-too-long'
  }
  if (beacon.addrs.length > config.maxAddrs) {
    return 'too-many-addrs'
  }
  if (knownSeq != null && beacon.seq <= knownSeq) {
    return 'replayed'
  }
  return undefined
}
