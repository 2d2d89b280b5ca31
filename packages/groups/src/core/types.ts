/**
 * Types of the pure group core (SPEC.md §11): what goes in, what comes out.
 *
 * The core never touches MLS state itself. MLS (RFC 9420) operations are asynchronous in
 * ts-mls and expensive, so the core asks for them as data (`mls` effects, each with a ticket)
 * and the driver — the libp2p service with ts-mls, or a test / simulator with a fake — feeds
 * the result back as `mls-done`. States are named by the id of the commit that produced them
 * (the group's root for the epoch a member started at), so a fork switch is "open this commit
 * against that older state", never a mutation the core cannot undo.
 */

/** Hex BLAKE3 of a commit's MLS bytes (commit-id.ts); also names the state the commit produced */
export type CommitId = string

/** What a member changes in one commit (RFC 9420 §12.1 proposals, committed by value) */
export interface Changes<P> {
  /** peers to add, with the key package fetched from each (RFC 9420 §10) */
  add: Array<{ peer: P, keyPackage: Uint8Array }>
  /** peers to remove */
  remove: P[]
  /** a commit with an update path only (key rotation, RFC 9420 §12.4) when nothing else changes */
  update: boolean
}

/** A group message carried on the group's topic (SPEC.md §11.3) */
export type GroupWire =
  | { kind: 'commit', epoch: number, parent: CommitId, mls: Uint8Array }
  | { kind: 'application', epoch: number, parent: CommitId, mls: Uint8Array }
  | { kind: 'head', epoch: number, parent: CommitId }
  /** the origin asks to be removed: a member cannot commit its own removal (RFC 9420 §12.1.3) */
  | { kind: 'leave', epoch: number, parent: CommitId }

/** A commit as a chain reply carries it (SPEC.md §11.5) */
export interface ChainCommit<P> { epoch: number, parent: CommitId, from: P, mls: Uint8Array }

/** One operation the core asks the driver's MLS provider to perform against state `base` */
export type MlsOp<P> =
  | { kind: 'open', from: P, wire: 'commit' | 'application', mls: Uint8Array }
  | { kind: 'commit', changes: Changes<P> }
  | { kind: 'seal', plaintext: Uint8Array }

/** Result of an MLS operation, fed back with the ticket of its effect */
export type MlsResult<P> =
  | { ok: true, kind: 'opened-commit', roster: P[], removedSelf: boolean }
  | { ok: true, kind: 'opened-application', plaintext: Uint8Array }
  | { ok: true, kind: 'committed', mls: Uint8Array, roster: P[], welcome?: Uint8Array }
  | { ok: true, kind: 'sealed', mls: Uint8Array }
  | { ok: false, reason: RefusalReason }

/**
 * Why a remote input was refused (counted per reason, group state unchanged). Named in
 * SPEC.md §11.6.
 */
export type RefusalReason =
  | 'not-a-member' // the origin is not in the roster of the epoch it claims
  | 'forged' // MLS signature, membership tag or AEAD failed (RFC 9420 §6.1, §6.3)
  | 'wrong-sender' // the MLS sender's leaf credential names another PeerId than the origin
  | 'replayed' // a commit already seen, or an application generation already opened
  | 'stale-epoch' // older than every state kept
  | 'future-overflow' // a future-epoch message that did not fit the buffer
  | 'expired' // a future-epoch message that waited longer than futureTtl
  | 'removed-member' // the origin was removed at or before the epoch it claims
  | 'malformed' // bytes that do not decode
  | 'oversize' // over the frame or payload limit
  | 'bad-credential' // a key package or leaf whose credential binding does not verify
  | 'not-in-group' // this node is not a member (a relay, or removed)
  | 'welcome-not-for-us' // a welcome that no key package of ours opens
  | 'invitation-refused' // the application's policy declined the invitation
  | 'queue-full' // arrived while MLS was busy and the wait queue was at maxQueuedInputs / maxQueuedBytes

/** Events for the application */
export type GroupEvent<P> =
  | { type: 'message', from: P, epoch: number, data: Uint8Array }
  | { type: 'epoch', epoch: number, head: CommitId }
  | { type: 'members-changed', added: P[], removed: P[], members: P[] }
  | { type: 'removed' }
  /** our commit lost the ordering rule (§11.4); its changes should be proposed again */
  | { type: 're-propose', changes: Changes<P> }
  | { type: 'refused', from: P | undefined, reason: RefusalReason }
  /**
   * After a fork switch (§11.4): peers that commits of the losing branch added and that are not
   * members on the winning chain. They hold an orphaned state; `adder` made the add (it
   * re-proposes it if it is one of us and online), else a `re-add` follows if it does not return
   */
  | { type: 'stranded', peers: P[], adder: P }
  /** a stranded peer is still not a member after our turn came (§11.4): invite it again (fresh key package) */
  | { type: 're-add', peer: P }

/** Outcome of a local operation (send, commit), reported with the operation's number */
export type LocalOutcome =
  | { ok: true, epoch: number, head: CommitId, bytes: number }
  | { ok: false, reason: 'not-in-group' | 'failed' | 'queue-full' }

export type GroupEffect<P> =
  | { type: 'mls', ticket: number, base: CommitId, op: MlsOp<P> }
  | { type: 'publish', message: GroupWire }
  /** ask `to` for its chain from `fromEpoch` on; the reply comes back as `chain-reply` */
  | { type: 'request-chain', to: P, fromEpoch: number }
  | { type: 'welcome', to: P, epoch: number, parent: CommitId, mls: Uint8Array }
  /** the driver may drop the MLS state named `id`: no longer reachable by any fork switch */
  | { type: 'forget-state', id: CommitId }
  | { type: 'emit', event: GroupEvent<P> }
  | { type: 'done', op: number, outcome: LocalOutcome }
  | { type: 'schedule-timer', key: string, at: number, timer: GroupTimer }

export type GroupTimer =
  | { type: 'head' }
  /** a duty of the remaining members, taken in turn (§11.3, §11.4): remove a peer that asked to leave, re-add a stranded one */
  | { type: 'duty', duty: 'remove' | 're-add', peer: string }

export type GroupInput<P> =
  | { type: 'received', from: P, message: GroupWire }
  | { type: 'chain-reply', from: P, commits: Array<ChainCommit<P>> }
  | { type: 'mls-done', ticket: number, result: MlsResult<P> }
  | { type: 'send', op: number, plaintext: Uint8Array }
  | { type: 'commit', op: number, changes: Changes<P> }
  | { type: 'timer-expired', key: string, timer: GroupTimer }
