import type { BeaconRecord, QueryRecord } from '../src/core/index.ts'

export const NOW = 1_700_000_000_000

let wireCounter = 0

export function beacon (peer: string, overrides: Partial<BeaconRecord<string>> = {}): BeaconRecord<string> {
  return {
    peer,
    seq: NOW,
    issuedAtMs: NOW,
    expiresAtMs: NOW + 900_000,
    addrs: [Uint8Array.of(4, 127, 0, 0, 1)],
    wire: Uint8Array.of(wireCounter++ & 0xff),
    ...overrides
  }
}

export function query (origin: string, target: string, overrides: Partial<QueryRecord<string>> = {}): QueryRecord<string> {
  return {
    id: `q-${wireCounter++}`,
    origin,
    target,
    tags: [],
    scopes: [],
    hopLimit: 3,
    issuedAtMs: NOW,
    ttl: 3,
    wire: Uint8Array.of(wireCounter & 0xff),
    ...overrides
  }
}
