/**
 * gossipsub 17's options that `plumtree()` accepts so that an application can swap the
 * factory without touching its options object, and ignores, each for a stated reason.
 * Named and typed (no index signature): a mistyped option is a compile error, as with
 * gossipsub. Options plumtree honours (`emitSelf`, `allowPublishToZeroTopicPeers`,
 * `ignoreDuplicatePublishError`, `asyncValidation`) are in
 * `PlumtreeInit` itself.
 */
export interface IgnoredGossipsubOptions {
  // --- the mesh: plumtree's topic views and eager/lazy links replace it (SPEC.md §7.1)
  /** mesh degree D (topic views: `config.topicActiveTarget`) */
  D?: number
  Dlo?: number
  Dhi?: number
  Dscore?: number
  Dout?: number
  Dlazy?: number
  heartbeatInterval?: number
  fanoutTTL?: number
  opportunisticGraftPeers?: number
  opportunisticGraftTicks?: number
  graftFloodThreshold?: number
  prunePeers?: number
  pruneBackoff?: number
  unsubcribeBackoff?: number
  doPX?: boolean
  directPeers?: unknown[]
  directConnectTicks?: number
  tagMeshPeers?: boolean
  gossipFactor?: number
  gossipsubIWantFollowupMs?: number
  idontwantMinDataSize?: number
  idontwantMaxMessages?: number
  // --- publishing: plumtree always sends eagerly to its tree links, never floods or batches
  floodPublish?: boolean
  batchPublish?: boolean
  fallbackToFloodsub?: boolean
  // --- message ids and caches: ids are BLAKE3 over topic, epoch, signer and payload (SPEC.md §2.2)
  msgIdFn?(...args: any[]): unknown
  fastMsgIdFn?(...args: any[]): unknown
  msgIdToStrFn?(...args: any[]): unknown
  messageCache?: unknown
  mcacheLength?: number
  mcacheGossip?: number
  seenTTL?: number
  dataTransform?: unknown
  // --- scoring: plumtree has its own (`score`, SPEC.md §7.11)
  scoreParams?: Record<string, unknown>
  scoreThresholds?: Record<string, unknown>
  // --- signatures: always StrictSign with ML-DSA-65 origins (SPEC.md §7.10)
  globalSignaturePolicy?: 'StrictSign' | 'StrictNoSign'
  canRelayMessage?: boolean
  // --- processing and limits the adapter sets itself
  awaitRpcHandler?: boolean
  awaitRpcMessageHandler?: boolean
  messageProcessingConcurrency?: number
  maxOutboundBufferSize?: number
  maxInboundDataLength?: number
  allowedTopics?: string[] | Set<string>
  maxTopicBytesPerPeer?: number
  decodeRpcLimits?: Record<string, unknown>
  runOnLimitedConnection?: boolean
  maxInboundStreams?: number
  maxOutboundStreams?: number
  protocols?: string[]
  // --- metrics: libp2p's `metrics` component is used instead
  metricsRegister?: unknown
  metricsTopicStrToLabel?: unknown
  debugName?: string
}
