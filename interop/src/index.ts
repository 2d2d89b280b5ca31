/**
 * @packageDocumentation
 *
 * Interop harness: Saorsa Gossip's node (js-libp2p 3 with pqIdentity, membership, plumtree and
 * gossipsub), vanilla js-libp2p 3 and vanilla js-libp2p 2.x, each wrapped in a libp2p daemon
 * server in its own OS process, so `@libp2p/interop`'s suites can drive every pair; plus a
 * second, independent decoder of the Saorsa Gossip wire formats (protobufjs over the
 * `.proto` files) used by the wire-vector tests.
 */

export { IMPLS, IMPL_NAMES, createNode } from './impls.ts'
export type { Impl, NodeOptions, Encryption, Muxer, Transport } from './impls.ts'
export { spawnDaemon, startDaemon } from './daemon.ts'
export type { Daemon, RunningDaemon } from './daemon.ts'
export { PAIRINGS, pairFactory } from './factory.ts'
export type { Pairing } from './factory.ts'
