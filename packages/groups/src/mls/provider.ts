/**
 * Our interface to an MLS implementation (RFC 9420). Nothing outside `ts-mls.ts` sees a
 * ts-mls type: moving to ts-mls 2.x, or to another library, replaces that one file.
 *
 * Members are named by PeerId strings, read from the bound credential in their leaf
 * (credential.ts). Every method that takes remote bytes throws `MlsRefusedError` with a
 * reason the core counts; none changes a state in place (states are immutable values, so
 * the core can keep older ones for fork switches, SPEC.md §11.4).
 */

/** An MLS client state (opaque outside the wrapper) */
export interface MlsState { readonly __mlsState: unique symbol }

/** A key package of ours: the public MLSMessage bytes and the private part (opaque) */
export interface OwnKeyPackage {
  keyPackage: Uint8Array
  readonly secret: unknown
}

/** How application data is protected (SPEC.md §11.8) */
export type AppDataMode = 'mls' | 'exporter'

export interface CommitResult {
  state: MlsState
  commit: Uint8Array
  welcome?: Uint8Array
}

export interface MlsProvider {
  /** RFC 9420 cipher suite id (87: X-Wing + ML-DSA-87 by default) */
  readonly suite: number
  readonly appData: AppDataMode
  /** A fresh key package with our bound credential (RFC 9420 §10) */
  createKeyPackage(): Promise<OwnKeyPackage>
  /** Checks a fetched key package: decodes, verifies its signature and credential binding, and that it names `peer` */
  checkKeyPackage(keyPackage: Uint8Array, peer: string): Promise<void>
  createGroup(groupId: Uint8Array, own: OwnKeyPackage): Promise<MlsState>
  /** Joins from a Welcome (RFC 9420 §12.4.3.1); `welcome-not-for-us` when none of our key packages opens it */
  join(welcome: Uint8Array, own: OwnKeyPackage): Promise<MlsState>
  /** Commits adds (key packages), removes (PeerIds) and, always, a fresh update path (RFC 9420 §12.4) */
  commit(state: MlsState, changes: { add: Uint8Array[], remove: string[] }): Promise<CommitResult>
  /** Applies a commit from `from`; refuses one whose MLS sender leaf names another peer */
  openCommit(state: MlsState, commit: Uint8Array, from: string): Promise<MlsState>
  seal(state: MlsState, plaintext: Uint8Array, self: string): Promise<{ state: MlsState, message: Uint8Array }>
  /** Opens application data from `from` */
  openApplication(state: MlsState, message: Uint8Array, from: string): Promise<{ state: MlsState, plaintext: Uint8Array }>
  /**
   * MLS-Exporter(label, context, length) of the state's epoch (RFC 9420 §8.5): a secret every
   * member of that epoch derives alike and nobody else can, replaced by the next commit
   */
  exportSecret(state: MlsState, label: string, context: Uint8Array, length: number): Promise<Uint8Array>
  /** PeerIds of the members, by leaf order */
  members(state: MlsState): string[]
  epoch(state: MlsState): number
  groupId(state: MlsState): Uint8Array
  /** The state as bytes (it holds private keys: encrypt before writing) */
  encodeState(state: MlsState): Uint8Array
  decodeState(bytes: Uint8Array): MlsState
}
