/**
 * @packageDocumentation
 *
 * A deterministic discrete-event network simulator for Saorsa Gossip's pure
 * protocol cores: virtual time, an event queue ordered by (time, seq), per-link
 * latency, loss, partitions, crashes, restarts, churn and stalls. The same
 * scenario and seed give byte-identical results.
 *
 * @example
 *
 * ```TypeScript
 * import { runMembershipScenario } from '@saorsa-gossip/sim'
 *
 * const result = runMembershipScenario({
 *   name: 'formation', seed: 1, nodes: 200, latency: { min: 10, max: 50 },
 *   duration: 60_000, join: { interval: 50 }
 * })
 * console.log(result.final.components, result.final.symmetry)
 * ```
 */
export { Network } from './network.ts'
export type { NodeId, SimCore, NetworkInit, TrafficCounters, CoreInput, NodeLoad } from './network.ts'
export { DEFAULT_PROCESSING, PROCESSING_PRESETS, LagHistogram, resolveProcessing, processingSpecProblem } from './processing.ts'
export type { Processing, ProcessingParams, ProcessingSpec, LagStats, LagDistribution, CoreLoad } from './processing.ts'
export { EventQueue } from './event-queue.ts'
export { measureConnectivity } from './connectivity.ts'
export type { Connectivity, ViewSource } from './connectivity.ts'
export { runMembershipScenario } from './run-membership.ts'
export type { MembershipResult, HealResult } from './run-membership.ts'
export { validateScenario } from './scenario.ts'
export type { MembershipScenario, TimelineEvent } from './scenario.ts'
export { distribution, percentile } from './stats.ts'
export type { Distribution } from './stats.ts'
export { runBroadcastScenario, protocolFor, TOPIC as BROADCAST_TOPIC } from './broadcast/run-broadcast.ts'
export type { BroadcastResult, TrafficResult } from './broadcast/run-broadcast.ts'
export { validateBroadcastScenario } from './broadcast/scenario.ts'
export type { BroadcastScenario, ProtocolName, TrafficSpec, BroadcastTimelineEvent } from './broadcast/scenario.ts'
export type { BroadcastCore, BroadcastProtocol, BroadcastInput, DeliverEvent } from './broadcast/types.ts'
export { BroadcastNode } from './broadcast/node.ts'
export { FloodCore, floodProtocol } from './broadcast/flood.ts'
export { MeshCore, meshProtocol } from './broadcast/mesh.ts'
export { plumtreeProtocol, plumtreeMessageBytes } from './broadcast/plumtree.ts'
export { runGroupsScenario, validateGroupsScenario, GroupSimNode, GROUP_TOPIC, type GroupsScenario, type GroupsResult } from './groups/run-groups.ts'
export { runCrdtScenario, validateCrdtScenario, CrdtSimNode, CRDT_TOPIC, simPeerName, type CrdtScenario, type CrdtResult } from './crdt/run-crdt.ts'
export { runAttackScenario, DEFAULT_ATTACK_SCENARIO, ATTACK_TOPIC } from './attacks/run-attack.ts'
export type { AttackScenario, AttackResult } from './attacks/run-attack.ts'
export { ATTACKS } from './attacks/behaviours.ts'
export type { AttackName } from './attacks/behaviours.ts'
export { MeshScores, DEFAULT_MESH_SCORE_CONFIG } from './attacks/mesh-score.ts'
export type { MeshScoreConfig } from './attacks/mesh-score.ts'
export type { MeshOptions } from './broadcast/mesh.ts'
export { runPresenceScenario, validatePresenceScenario, PresenceSimNode } from './presence/run-presence.ts'
export type { PresenceScenario, PresenceResult, LookupStats } from './presence/run-presence.ts'
