/**
 * The only file that imports ts-mls (1.6.4, pinned): it implements our `MlsProvider` so the
 * move to ts-mls 2.x, whose API breaks, is this file (SPEC.md §11.1).
 */
import { u64be, concatBytes } from '@saorsa-gossip/core'
import { peerIdCodec } from '@saorsa-gossip/kit'
import {
  ciphersuites, createApplicationMessage, createCommit, createGroup, decodeGroupState, decodeMlsMessage, defaultCapabilities,
  defaultLifetime, emptyPskIndex, encodeGroupState, encodeMlsMessage, generateKeyPackageWithKey,
  getCiphersuiteFromName, getCiphersuiteImpl, joinGroup, mlsExporter, processPrivateMessage
} from 'ts-mls'
import { defaultClientConfig } from 'ts-mls/clientConfig.js'
import { verifyKeyPackage } from 'ts-mls/keyPackage.js'
import { decryptSenderData } from 'ts-mls/privateMessage.js'
import { BadCredentialError, MlsRefusedError } from '../errors.ts'
import { credentialPeer, CredentialVerifier, makeCredential } from './credential.ts'
import { openSealed, sealAppData, SEALED_VERSION } from './sealed-app-data.ts'
import type { AppDataMode, CommitResult, MlsProvider, MlsState, OwnKeyPackage } from './provider.ts'
import type { BindingRecord } from '@saorsa-gossip/identity'
import type { CiphersuiteImpl, CiphersuiteName, ClientConfig, ClientState, KeyPackage, MLSMessage, PrivateKeyPackage, PrivateMessage, Proposal } from 'ts-mls'

/** Exporter label for sealed application data (RFC 9420 §8.5) */
const EXPORTER_LABEL = 'saorsa-gossip/groups/app/v1'
const codec = peerIdCodec()

export interface TsMlsProviderInit {
  /** RFC 9420 cipher suite id; 87 = MLS_256_XWING_AES256GCM_SHA512_MLDSA87 */
  suite: number
  appData: AppDataMode
  /** this node's binding record and ML-DSA-65 signer (pqIdentity) */
  binding: BindingRecord
  sign(data: Uint8Array): Promise<Uint8Array>
}

interface OwnSecret { publicPackage: KeyPackage, privatePackage: PrivateKeyPackage }

const asState = (s: ClientState): MlsState => s as unknown as MlsState
const fromState = (s: MlsState): ClientState => s as unknown as ClientState

export async function createTsMlsProvider (init: TsMlsProviderInit): Promise<MlsProvider> {
  const name = Object.entries(ciphersuites).find(([, id]) => id === init.suite)?.[0] as CiphersuiteName | undefined
  if (name == null) {
    throw new BadCredentialError(`Unknown MLS cipher suite ${init.suite}`)
  }
  return new TsMlsProvider(await getCiphersuiteImpl(getCiphersuiteFromName(name)), init)
}

class TsMlsProvider implements MlsProvider {
  readonly suite: number
  readonly appData: AppDataMode
  private readonly cs: CiphersuiteImpl
  private readonly init: TsMlsProviderInit
  private readonly verifier: CredentialVerifier
  private readonly config: ClientConfig
  /** exporter keys by epoch key schedule (the same object while only application data moves the state) */
  private readonly exporterKeys = new WeakMap<object, Promise<Uint8Array>>()
  /** set by the authentication service when it refuses, to tell bad credentials from other failures */
  private refusedCredential = false

  constructor (cs: CiphersuiteImpl, init: TsMlsProviderInit) {
    this.cs = cs
    this.init = init
    this.suite = init.suite
    this.appData = init.appData
    this.verifier = new CredentialVerifier(init.suite)
    // RFC 9420 §5.3.1: the application's authentication service; ts-mls's default accepts anything
    this.config = {
      ...defaultClientConfig,
      authService: {
        validateCredential: async (credential, signaturePublicKey) => {
          try {
            if (credential.credentialType !== 'basic') {
              throw new BadCredentialError('Not a basic credential')
            }
            await this.verifier.verify(credential.identity, signaturePublicKey)
            return true
          } catch {
            this.refusedCredential = true
            return false
          }
        }
      }
    }
  }

  async createKeyPackage (): Promise<OwnKeyPackage> {
    const keys = await this.cs.signature.keygen()
    const identity = await makeCredential(this.init.binding, this.init.sign, this.suite, keys.publicKey)
    const { publicPackage, privatePackage } = await generateKeyPackageWithKey(
      { credentialType: 'basic', identity }, defaultCapabilities(), defaultLifetime, [], keys, this.cs)
    const secret: OwnSecret = { publicPackage, privatePackage }
    return { keyPackage: encodeMlsMessage({ version: 'mls10', wireformat: 'mls_key_package', keyPackage: publicPackage }), secret }
  }

  async checkKeyPackage (bytes: Uint8Array, peer: string): Promise<void> {
    const kp = this.decodeKeyPackage(bytes)
    if (kp.cipherSuite !== this.cs.name || !(await verifyKeyPackage(kp, this.cs.signature))) {
      throw new MlsRefusedError('forged', 'Key package signature or suite wrong')
    }
    if (kp.leafNode.credential.credentialType !== 'basic') {
      throw new MlsRefusedError('bad-credential')
    }
    let named: string
    try {
      named = await this.verifier.verify(kp.leafNode.credential.identity, kp.leafNode.signaturePublicKey)
    } catch (err: any) {
      throw new MlsRefusedError('bad-credential', 'Key package credential does not verify', { cause: err })
    }
    if (named !== peer) {
      throw new MlsRefusedError('bad-credential', `Key package names ${named}, asked ${peer}`)
    }
  }

  async createGroup (groupId: Uint8Array, own: OwnKeyPackage): Promise<MlsState> {
    const secret = own.secret as OwnSecret
    return asState(await createGroup(groupId, secret.publicPackage, secret.privatePackage, [], this.cs, this.config))
  }

  async join (welcome: Uint8Array, own: OwnKeyPackage): Promise<MlsState> {
    const message = this.decode(welcome)
    if (message.wireformat !== 'mls_welcome') {
      throw new MlsRefusedError('malformed', 'Not a Welcome')
    }
    const secret = own.secret as OwnSecret
    this.refusedCredential = false
    try {
      // RFC 9420 §12.4.3.1; the ratchet tree comes in the GroupInfo extension (§12.4.3.3)
      return asState(await joinGroup(message.welcome, secret.publicPackage, secret.privatePackage, emptyPskIndex, this.cs, undefined, undefined, this.config))
    } catch (err: any) {
      throw new MlsRefusedError(this.refusedCredential ? 'bad-credential' : 'welcome-not-for-us', 'Welcome does not open', { cause: err })
    }
  }

  async commit (state: MlsState, changes: { add: Uint8Array[], remove: string[] }): Promise<CommitResult> {
    const s = fromState(state)
    const proposals: Proposal[] = [
      ...changes.add.map(bytes => ({ proposalType: 'add' as const, add: { keyPackage: this.decodeKeyPackage(bytes) } })),
      ...changes.remove.map(peer => ({ proposalType: 'remove' as const, remove: { removed: this.leafOf(s, peer) } }))
    ]
    // a PrivateMessage commit (relays see nothing), always with a path (RFC 9420 §12.4: PCS for the committer)
    const result = await createCommit({ state: s, cipherSuite: this.cs }, { extraProposals: proposals, ratchetTreeExtension: true })
    return {
      state: asState(result.newState),
      commit: encodeMlsMessage(result.commit),
      welcome: result.welcome == null ? undefined : encodeMlsMessage({ version: 'mls10', wireformat: 'mls_welcome', welcome: result.welcome })
    }
  }

  async openCommit (state: MlsState, bytes: Uint8Array, from: string): Promise<MlsState> {
    const s = fromState(state)
    const pm = await this.privateFrom(s, bytes, from, 'commit')
    this.refusedCredential = false
    let result
    try {
      result = await processPrivateMessage(s, pm, emptyPskIndex, this.cs)
    } catch (err: any) {
      throw new MlsRefusedError(this.refusedCredential ? 'bad-credential' : 'forged', 'Commit does not apply', { cause: err })
    }
    if (result.kind !== 'newState') {
      throw new MlsRefusedError('malformed', 'Not a commit')
    }
    return asState(result.newState)
  }

  async seal (state: MlsState, plaintext: Uint8Array, self: string): Promise<{ state: MlsState, message: Uint8Array }> {
    const s = fromState(state)
    if (this.appData === 'exporter') {
      const key = await this.exporterKey(s)
      return { state, message: sealAppData(key, this.aad(s, self), plaintext) }
    }
    const result = await createApplicationMessage(s, plaintext, this.cs)
    return { state: asState(result.newState), message: encodeMlsMessage({ version: 'mls10', wireformat: 'mls_private_message', privateMessage: result.privateMessage }) }
  }

  async openApplication (state: MlsState, bytes: Uint8Array, from: string): Promise<{ state: MlsState, plaintext: Uint8Array }> {
    const s = fromState(state)
    if (bytes[0] === SEALED_VERSION) {
      const plaintext = openSealed(await this.exporterKey(s), this.aad(s, from), bytes)
      return { state, plaintext }
    }
    const pm = await this.privateFrom(s, bytes, from, 'application')
    let result
    try {
      result = await processPrivateMessage(s, pm, emptyPskIndex, this.cs)
    } catch (err: any) {
      // includes a generation opened before (RFC 9420 §9.1: its key is deleted), i.e. a replay
      throw new MlsRefusedError('forged', 'Application message does not open', { cause: err })
    }
    if (result.kind !== 'applicationMessage') {
      throw new MlsRefusedError('malformed', 'Not an application message')
    }
    return { state: asState(result.newState), plaintext: result.message }
  }

  async exportSecret (state: MlsState, label: string, context: Uint8Array, length: number): Promise<Uint8Array> {
    return mlsExporter(fromState(state).keySchedule.exporterSecret, label, context, length, this.cs)
  }

  members (state: MlsState): string[] {
    const out: string[] = []
    for (const node of fromState(state).ratchetTree) {
      if (node?.nodeType === 'leaf' && node.leaf.credential.credentialType === 'basic') {
        out.push(credentialPeer(node.leaf.credential.identity))
      }
    }
    return out
  }

  epoch (state: MlsState): number {
    return Number(fromState(state).groupContext.epoch)
  }

  groupId (state: MlsState): Uint8Array {
    return fromState(state).groupContext.groupId
  }

  encodeState (state: MlsState): Uint8Array {
    return encodeGroupState(fromState(state))
  }

  decodeState (bytes: Uint8Array): MlsState {
    const decoded = decodeGroupState(bytes, 0)
    if (decoded == null) {
      throw new MlsRefusedError('malformed', 'Undecodable group state')
    }
    return asState({ ...decoded[0], clientConfig: this.config })
  }

  // --- helpers -------------------------------------------------------------------------------

  private decode (bytes: Uint8Array): MLSMessage {
    let decoded
    try {
      decoded = decodeMlsMessage(bytes, 0)
    } catch (err: any) {
      throw new MlsRefusedError('malformed', 'Undecodable MLSMessage', { cause: err })
    }
    if (decoded == null) {
      throw new MlsRefusedError('malformed', 'Undecodable MLSMessage')
    }
    return decoded[0]
  }

  private decodeKeyPackage (bytes: Uint8Array): KeyPackage {
    const message = this.decode(bytes)
    if (message.wireformat !== 'mls_key_package') {
      throw new MlsRefusedError('malformed', 'Not a key package')
    }
    return message.keyPackage
  }

  /**
   * The PrivateMessage in `bytes`, for this group and epoch, whose sender leaf (from the
   * sender data, RFC 9420 §6.3.2) names `from`: a member's messages must come from the PeerId
   * in its leaf, whoever relays them.
   */
  private async privateFrom (s: ClientState, bytes: Uint8Array, from: string, contentType: 'commit' | 'application'): Promise<PrivateMessage> {
    const message = this.decode(bytes)
    if (message.wireformat !== 'mls_private_message' || message.privateMessage.contentType !== contentType) {
      throw new MlsRefusedError('malformed', `Not a private ${contentType}`)
    }
    const pm = message.privateMessage
    if (pm.epoch !== s.groupContext.epoch || !equal(pm.groupId, s.groupContext.groupId)) {
      throw new MlsRefusedError('forged', 'Group or epoch does not match the state it claims')
    }
    let senderData
    try {
      senderData = await decryptSenderData(pm, s.keySchedule.senderDataSecret, this.cs)
    } catch (err: any) {
      throw new MlsRefusedError('forged', 'Sender data does not decrypt', { cause: err })
    }
    const leaf = senderData == null ? undefined : s.ratchetTree[senderData.leafIndex * 2]
    if (leaf?.nodeType !== 'leaf' || leaf.leaf.credential.credentialType !== 'basic') {
      throw new MlsRefusedError('forged', 'No such sender leaf')
    }
    if (credentialPeer(leaf.leaf.credential.identity) !== from) {
      throw new MlsRefusedError('wrong-sender', 'The sender leaf names another peer than the origin')
    }
    return pm
  }

  private leafOf (s: ClientState, peer: string): number {
    const index = s.ratchetTree.findIndex((node, i) => i % 2 === 0 && node?.nodeType === 'leaf' &&
      node.leaf.credential.credentialType === 'basic' && credentialPeer(node.leaf.credential.identity) === peer)
    if (index < 0) {
      throw new MlsRefusedError('not-a-member', `${peer} is not a member`)
    }
    return index / 2
  }

  private async exporterKey (s: ClientState): Promise<Uint8Array> {
    let key = this.exporterKeys.get(s.keySchedule)
    if (key == null) {
      key = mlsExporter(s.keySchedule.exporterSecret, EXPORTER_LABEL, s.groupContext.groupId, 32, this.cs)
      this.exporterKeys.set(s.keySchedule, key)
    }
    return key
  }

  /** AAD of sealed data: the group, the epoch and the origin, so a ciphertext cannot be moved to another of them */
  private aad (s: ClientState, origin: string): Uint8Array {
    return concatBytes(s.groupContext.groupId, u64be(s.groupContext.epoch), codec.toBytes(origin))
  }
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((x, i) => x === b[i])
}
