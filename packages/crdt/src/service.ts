/**
 * crdtSync(): the libp2p adapter. Documents are plumtree topics (`saorsa-crdt/<name>`); a
 * local edit is published as a delta, so plumtree signs it with the author's ML-DSA-65 key
 * (SPEC.md §7.10) and delivers it with `from` = that author. The author check compares the
 * operations' claimed replica with `from`. Every `antiEntropyInterval` each document publishes
 * its digest (version vector + dot cloud); a peer holding own operations the digest lacks
 * publishes them as one delta-interval (SPEC.md §9).
 */
import { TypedEventEmitter, serviceDependencies } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { decodeFrame, encodeFrame } from './codec.ts'
import { DEFAULT_SHARED_DIGESTS } from './core/digest-gate.ts'
import { DEFAULT_REPLICA_CONFIG } from './core/replica.ts'
import { LwwDocument, OrSetDocument } from './documents.ts'
import { CrdtConfigError, DocumentNotReadyError, DocumentTypeError } from './errors.ts'
import { Frame } from './pb/crdt.ts'
import { DocumentStore } from './persistence.ts'
import type { Channel } from './documents.ts'
import type { CrdtSyncComponents, CrdtSyncInit, CrdtSyncService, CrdtSyncStats, OpenOptions } from './index.ts'
import type { Logger, PeerId, Startable } from '@libp2p/interface'
import type { Message, PlumtreeService, SubscriptionChangeData } from '@saorsa-gossip/pubsub'

export const TOPIC_PREFIX = 'saorsa-crdt/'

/** Numeric options: a bad value would stop anti-entropy or spin a timer, so it is refused at construction */
function validateInit (init: CrdtSyncInit): void {
  // [option, integer only, smallest value]
  const numbers: Array<[keyof CrdtSyncInit, boolean, number]> = [
    ['antiEntropyInterval', false, 1], ['heartbeatPeriods', true, 1], ['sharedDigests', false, 1], ['maxFrameBytes', true, 1], ['snapshotDelay', false, 0], ['maxOwnRecords', true, 1]
  ]
  for (const [key, integer, min] of numbers) {
    const value = init[key]
    if (value === undefined) {
      continue
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      throw new CrdtConfigError(`crdtSync({ ${key} }) must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${String(value)}`)
    }
  }
  const replica: Array<[string, boolean, number]> = [['maxClockSkewMs', false, 0], ['maxLoggedDeltas', true, 1], ['tombstoneHorizonMs', false, 0]]
  for (const [key, integer, min] of replica) {
    const value = (init.replica as Record<string, unknown> | undefined)?.[key]
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value)))) {
      throw new CrdtConfigError(`crdtSync({ replica: { ${key} } }) must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${String(value)}`)
    }
  }
}

function sameSet (a: ReadonlySet<string>, b: ReadonlySet<string> | undefined): boolean {
  return b != null && a.size === b.size && [...a].every(x => b.has(x))
}

/** `open({ writers })` as a set of PeerId strings; anything that is not a PeerId is refused by name */
function parseWriters (name: string, writers: Iterable<string | PeerId>): Set<string> {
  const out = new Set<string>()
  for (const writer of writers) {
    try {
      out.add(peerIdFromString(typeof writer === 'string' ? writer : writer.toString()).toString())
    } catch {
      throw new CrdtConfigError(`open("${name}", { writers }): ${String(writer)} is not a PeerId`)
    }
  }
  return out
}

export class CrdtSync extends TypedEventEmitter<Record<string, never>> implements CrdtSyncService, Startable {
  readonly [Symbol.toStringTag] = '@saorsa-gossip/crdt'
  readonly [serviceDependencies]: string[] = ['@saorsa-gossip/plumtree']
  readonly stats: CrdtSyncStats = { published: 0, publishFailed: 0, applied: 0, duplicate: 0, forgedAuthor: 0, notWriter: 0, futureClock: 0, tooOld: 0, wrongType: 0, malformed: 0, oversize: 0, unsigned: 0, repairs: 0, deltaBytes: 0, digestBytes: 0, restored: 0, snapshots: 0, ownRecords: 0, persistFailed: 0, corrupt: 0 }
  private readonly channels = new Map<string, Channel>()
  private readonly documents = new Map<string, OrSetDocument | LwwDocument>()
  private readonly log: Logger
  private pubsub?: PlumtreeService
  private timer?: ReturnType<typeof setInterval>
  private periods = 0
  private store?: DocumentStore
  /** documents opened before start(): restored from the store once it is read */
  private readonly unrestored = new Set<string>()
  private readonly onMessage = (evt: CustomEvent<Message>): void => { this.receive(evt.detail) }
  /** a new subscriber of a document (a heal, a restart, a join): that document's next digest is due */
  private readonly onSubscriptionChange = (evt: CustomEvent<SubscriptionChangeData>): void => {
    for (const sub of evt.detail.subscriptions) {
      if (sub.subscribe) {
        this.channels.get(sub.topic)?.onPeer?.()
      }
    }
  }

  constructor (private readonly components: CrdtSyncComponents, private readonly init: CrdtSyncInit = {}) {
    super()
    validateInit(init)
    this.log = components.logger.forComponent('saorsa-gossip:crdt')
  }

  get self (): string {
    return this.components.peerId.toString()
  }

  async start (): Promise<void> {
    const key = this.init.pubsubService ?? 'pubsub'
    let pubsub: PlumtreeService | undefined
    try {
      pubsub = (this.components as unknown as Record<string, PlumtreeService | undefined>)[key]
    } catch {
      pubsub = undefined
    }
    if (pubsub == null) {
      throw new CrdtConfigError(`crdtSync() needs plumtree() in the node's services under the key "${key}" (or name it in crdtSync({ pubsubService }))`)
    }
    const datastore = this.init.persist === false ? undefined : this.components.datastore
    if (datastore != null && this.store == null) {
      const store = new DocumentStore(datastore, this.self, this.stats, this.init.snapshotDelay ?? 1000, this.init.maxOwnRecords ?? 64, (msg) => { this.log(msg) })
      await store.load()
      this.store = store
      for (const name of this.unrestored) {
        const doc = this.documents.get(name)
        if (doc != null) {
          try {
            this.restore(name, doc)
          } catch (err: any) {
            // not thrown from start(): the document alone stays unusable
            doc.notReady = err
          }
        }
      }
      this.unrestored.clear()
    }
    this.pubsub = pubsub
    pubsub.addEventListener('message', this.onMessage)
    pubsub.addEventListener('subscription-change', this.onSubscriptionChange)
    for (const topic of this.channels.keys()) {
      pubsub.subscribe(topic)
    }
    this.timer = setInterval(() => { this.antiEntropy() }, this.init.antiEntropyInterval ?? 2000)
  }

  async stop (): Promise<void> {
    clearInterval(this.timer)
    await this.store?.flush()
    this.pubsub?.removeEventListener('message', this.onMessage)
    this.pubsub?.removeEventListener('subscription-change', this.onSubscriptionChange)
    this.pubsub = undefined
  }

  open (name: string, type: 'orset', options?: OpenOptions): OrSetDocument
  open (name: string, type: 'lww', options?: OpenOptions): LwwDocument
  open (name: string, type: 'orset' | 'lww', options: OpenOptions = {}): OrSetDocument | LwwDocument {
    const writers = options.writers == null ? undefined : parseWriters(name, options.writers)
    const existing = this.documents.get(name)
    if (existing != null && writers != null && !sameSet(writers, existing.replica.writers)) {
      // an access rule cannot be changed by opening again: the caller would believe it holds
      throw new CrdtConfigError(`document "${name}" is already open with ${existing.replica.writers == null ? 'no writers list' : 'another writers list'}`)
    }
    if (existing != null) {
      if ((type === 'orset') !== (existing instanceof OrSetDocument)) {
        throw new DocumentTypeError(`document "${name}" is open as ${existing instanceof OrSetDocument ? 'orset' : 'lww'}`)
      }
      return existing
    }
    const config = { ...DEFAULT_REPLICA_CONFIG, ...this.init.replica }
    // own edits are stored before they are published (persistence.ts: a restart must not reuse a dot)
    const publish = (frame: Frame): void => {
      if (this.store == null) {
        this.publish(name, frame)
        return
      }
      void this.store.writeOwn(name, frame).then(() => { this.publish(name, frame) })
    }
    const doc = type === 'orset'
      ? new OrSetDocument(name, this.self, config, publish)
      : new LwwDocument(name, this.self, config, publish, () => Date.now())
    doc.sync.sharedDigests = this.init.sharedDigests ?? DEFAULT_SHARED_DIGESTS
    doc.replica.writers = writers
    this.attach(name, doc)
    this.documents.set(name, doc)
    if (this.store != null) {
      this.restore(name, doc)
    } else if (this.init.persist !== false && this.components.datastore != null) {
      // the store is read at start(): until then an edit could take a dot the stored replica used
      doc.notReady = new DocumentNotReadyError(`document "${name}" is restored when the node starts; edit it after start()`)
      this.unrestored.add(name)
    }
    return doc
  }

  private restore (name: string, doc: OrSetDocument | LwwDocument): void {
    const store = this.store as DocumentStore
    let stored
    try {
      stored = store.restore(name, doc.replica.kind)
    } catch (err: any) {
      // the document stays closed: editing it without its history could reuse our dots
      this.channels.delete(TOPIC_PREFIX + name)
      this.documents.delete(name)
      this.pubsub?.unsubscribe(TOPIC_PREFIX + name)
      throw err
    }
    if (stored != null && doc.load(stored.snapshot, stored.own)) {
      this.stats.restored++
    }
    doc.notReady = undefined
    store.track(name, doc.replica)
    doc.addEventListener('change', () => { store.changed(name) })
  }

  attach (name: string, channel: Channel): void {
    const topic = TOPIC_PREFIX + name
    if (this.channels.has(topic)) {
      throw new DocumentTypeError(`"${name}" is already open`)
    }
    this.channels.set(topic, channel)
    this.pubsub?.subscribe(topic)
  }

  publish (name: string, frame: Frame): void {
    const bytes = encodeFrame(frame)
    if (frame.kind === Frame.Kind.DELTA) {
      this.stats.deltaBytes += bytes.byteLength
    } else {
      this.stats.digestBytes += bytes.byteLength
    }
    if (this.pubsub == null) {
      // not started: anti-entropy ships it once we are
      return
    }
    this.stats.published++
    this.pubsub.publish(TOPIC_PREFIX + name, bytes, { allowPublishToZeroTopicPeers: true }).catch((err: Error) => {
      this.stats.publishFailed++
      this.log('publish on %s failed: %s', name, err.message)
    })
  }

  /** A plumtree delivery: decoded once here, refused and counted when bad, never thrown */
  private receive (msg: Message): void {
    const channel = this.channels.get(msg.topic)
    if (channel == null) {
      return
    }
    if (msg.type !== 'signed') {
      this.stats.unsigned++
      return
    }
    if (msg.data.byteLength > (this.init.maxFrameBytes ?? 1_048_576)) {
      this.stats.oversize++
      return
    }
    let frame: Frame
    try {
      frame = decodeFrame(msg.data)
    } catch {
      this.stats.malformed++
      return
    }
    if (frame.type !== channel.type) {
      this.stats.wrongType++
      return
    }
    const author = msg.from.toString()
    const now = Date.now()
    try {
      if (frame.kind === Frame.Kind.DIGEST) {
        const repair = channel.onDigest(author, frame, now)
        if (repair != null) {
          this.stats.repairs++
          this.publish(msg.topic.slice(TOPIC_PREFIX.length), repair)
        }
        return
      }
      const outcome = channel.onDelta(author, frame, now)
      switch (outcome) {
        case 'applied': this.stats.applied++; break
        case 'duplicate': this.stats.duplicate++; break
        case 'forged-author': this.stats.forgedAuthor++; break
        case 'not-writer': this.stats.notWriter++; break
        case 'future-clock': this.stats.futureClock++; break
        case 'too-old': this.stats.tooOld++; break
        default: this.stats.wrongType++
      }
    } catch (err: any) {
      this.stats.malformed++
      this.log('malformed frame on %s from %s: %s', msg.topic, author, err.message)
    }
  }

  private antiEntropy (): void {
    const now = Date.now()
    const heartbeat = ++this.periods % (this.init.heartbeatPeriods ?? 10) === 0
    for (const [topic, channel] of this.channels) {
      const digest = channel.digest(now, heartbeat, Math.random())
      if (digest != null) {
        this.publish(topic.slice(TOPIC_PREFIX.length), digest)
      }
    }
  }
}
