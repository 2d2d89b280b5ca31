import { serviceDependencies } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { siblingService } from '@saorsa-gossip/kit'
import { BridgeCore, DEFAULT_BRIDGE_CONFIG } from './core/bridge.ts'
import { PlumtreeConfigError } from './errors.ts'
import { originMessageId } from './origin.ts'
import { BridgeAnnounce } from './pb/pubsub.ts'
import type { Message, PlumtreeService } from './api.ts'
import type { ComponentLogger, Logger, PeerId, Startable, TypedEventTarget } from '@libp2p/interface'

/** Where bridges announce themselves to each other, on plumtree (SPEC.md §7.14) */
export const BRIDGE_TOPIC = 'saorsa-gossip/bridges/v1'

/** Announcements name at most this many topics */
export const MAX_BRIDGED_TOPICS = 64

/** The part of gossipsub 17 (or any libp2p pubsub) the bridge uses */
export interface LibP2pPubsubLike extends TypedEventTarget<{ message: CustomEvent<Message> }> {
  subscribe(topic: string): void
  publish(topic: string, data?: Uint8Array): Promise<unknown>
}

export interface BridgeInit {
  /** topics carried both ways; each keeps its name on both sides */
  topics: string[]
  /** the key of the plumtree() service in the node's services (default 'plumtree') */
  plumtreeService?: string
  /** the key of the gossipsub() service (default 'gossipsub') */
  gossipsubService?: string
  /** how long a bridge not elected for a plumtree message waits for the elected one's copy before publishing it itself, ms (default 3,000) */
  takeoverDelay?: number
  /** how often the bridge announces itself to the other bridges, ms (default 10,000; a bridge unheard for 3 intervals is gone) */
  announceInterval?: number
}

export interface BridgeStats {
  /** gossipsub messages injected into plumtree */
  toPlumtree: number
  /** of those, ones plumtree already had (another bridge injected them first) */
  duplicates: number
  /** plumtree messages published on gossipsub */
  toGossipsub: number
  /** of those, published by this bridge after the elected bridge's copy did not show up */
  takeovers: number
  /** gossipsub copies of plumtree messages by bridges (not injected: loop suppression) */
  echoes: number
  /** plumtree messages another bridge had already published on gossipsub */
  echoed: number
  /** plumtree messages a bridge had forwarded from gossipsub (not sent back) */
  alreadyBridged: number
  /** unsigned gossipsub messages: no author for plumtree receivers to check */
  unsigned: number
  /** gossipsub messages forwardSigned() refused (bad signature, too large) */
  refused: number
  /** gossipsub publications that failed (no gossipsub peers on the topic…); another bridge may take over */
  publishFailed: number
  /** announcements that did not decode or broke the limits */
  badAnnouncements: number
}

export interface BridgeService {
  /** the topics this bridge carries */
  readonly topics: string[]
  /** the other bridges it has heard from recently */
  bridges(): PeerId[]
  readonly stats: BridgeStats
}

export interface BridgeComponents {
  logger: ComponentLogger
  peerId: PeerId
}

type Item = Message

/**
 * A gossipsub ↔ plumtree bridge on a node that runs both (SPEC.md §7.14): what gossipsub
 * delivers on a bridged topic goes into plumtree under its author's signature, and what
 * plumtree's own publishers send goes out on gossipsub under this node's signature. The
 * decisions are BridgeCore's; this file wires the two services to it.
 */
export class DefaultBridgeService implements BridgeService, Startable {
  readonly [Symbol.toStringTag] = '@saorsa-gossip/bridge'
  readonly [serviceDependencies]: string[] = ['@saorsa-gossip/plumtree', '@libp2p/pubsub']
  readonly topics: string[]
  readonly stats: BridgeStats = { toPlumtree: 0, duplicates: 0, toGossipsub: 0, takeovers: 0, echoes: 0, echoed: 0, alreadyBridged: 0, unsigned: 0, refused: 0, publishFailed: 0, badAnnouncements: 0 }
  private readonly components: BridgeComponents & Record<string, unknown>
  private readonly init: BridgeInit
  private readonly log: Logger
  private readonly self: string
  private readonly core: BridgeCore<Item>
  private readonly topicSet: Set<string>
  private readonly announceInterval: number
  private plumtree?: PlumtreeService
  private gossipsub?: LibP2pPubsubLike
  private timers: Array<ReturnType<typeof setInterval>> = []

  constructor (components: BridgeComponents, init: BridgeInit) {
    this.components = components as BridgeComponents & Record<string, unknown>
    this.init = init
    this.log = components.logger.forComponent('saorsa-gossip:bridge')
    this.self = components.peerId.toString()
    if (!Array.isArray(init?.topics) || init.topics.length === 0 || init.topics.length > MAX_BRIDGED_TOPICS ||
      init.topics.some(t => typeof t !== 'string' || t.length === 0 || t === BRIDGE_TOPIC)) {
      throw new PlumtreeConfigError(`bridge({ topics }) must list 1..${MAX_BRIDGED_TOPICS} non-empty topic names (not "${BRIDGE_TOPIC}")`)
    }
    this.topics = [...new Set(init.topics)]
    this.topicSet = new Set(this.topics)
    const takeoverDelay = positive('takeoverDelay', init.takeoverDelay, DEFAULT_BRIDGE_CONFIG.takeoverDelay)
    this.announceInterval = positive('announceInterval', init.announceInterval, 10_000)
    this.core = new BridgeCore(this.self, this.topics, { ...DEFAULT_BRIDGE_CONFIG, takeoverDelay, bridgeTtl: 3 * this.announceInterval })
  }

  async start (): Promise<void> {
    this.plumtree = siblingService<PlumtreeService>(this.components, this.init.plumtreeService ?? 'plumtree',
      () => new PlumtreeConfigError(`bridge() needs plumtree() in the node's services under "${this.init.plumtreeService ?? 'plumtree'}" (or name its key in bridge({ plumtreeService }))`))
    const refused = this.topics.filter(t => this.plumtree?.acceptsForwarded(t) !== true)
    if (refused.length > 0) {
      throw new PlumtreeConfigError(`bridge() needs plumtree({ acceptForwarded }) to cover its topics, missing: ${refused.join(', ')} (the plumtree nodes of those topics need it too, SPEC.md §7.14)`)
    }
    this.gossipsub = siblingService<LibP2pPubsubLike>(this.components, this.init.gossipsubService ?? 'gossipsub',
      () => new PlumtreeConfigError(`bridge() needs gossipsub() in the node's services under "${this.init.gossipsubService ?? 'gossipsub'}" (or name its key in bridge({ gossipsubService }))`))
  }

  /** Both pubsubs have started: subscribe on both sides, listen, announce */
  afterStart (): void {
    const plumtree = this.plumtree as PlumtreeService
    const gossipsub = this.gossipsub as LibP2pPubsubLike
    plumtree.subscribe(BRIDGE_TOPIC)
    for (const topic of this.topics) {
      plumtree.subscribe(topic)
      gossipsub.subscribe(topic)
    }
    plumtree.addEventListener('message', this.onPlumtree)
    gossipsub.addEventListener('message', this.onGossipsub)
    this.announce()
    this.timers.push(setInterval(() => { this.announce() }, this.announceInterval))
    // held messages are due takeoverDelay after arrival; a tenth of it is precise enough
    this.timers.push(setInterval(() => { this.takeOver() }, Math.max(50, Math.floor(this.core.takeoverDelay() / 10))))
  }

  async stop (): Promise<void> {
    for (const timer of this.timers) {
      clearInterval(timer)
    }
    this.timers = []
    this.plumtree?.removeEventListener('message', this.onPlumtree)
    this.gossipsub?.removeEventListener('message', this.onGossipsub)
    this.core.clear()
  }

  bridges (): PeerId[] {
    return this.core.bridges(Date.now()).map(p => peerIdFromString(p))
  }

  private readonly onGossipsub = (evt: CustomEvent<Message>): void => {
    const message = evt.detail
    if (!this.topicSet.has(message.topic)) {
      return
    }
    if (message.type !== 'signed') {
      this.stats.unsigned++
      return
    }
    if (this.core.fromGossipsub(message.from.toString(), message.topic, message.data, Date.now()) === 'echo') {
      this.stats.echoes++
      return
    }
    this.stats.toPlumtree++
    const plumtree = this.plumtree as PlumtreeService
    plumtree.forwardSigned(message).then(result => {
      if (result.duplicate) {
        this.stats.duplicates++
      }
    }, (err: any) => {
      this.stats.refused++
      this.log('gossipsub message from %s not forwarded: %s', message.from, err.message)
    })
  }

  private readonly onPlumtree = (evt: CustomEvent<Message>): void => {
    const message = evt.detail
    if (message.topic === BRIDGE_TOPIC) {
      this.onAnnounce(message)
      return
    }
    if (!this.topicSet.has(message.topic) || message.type !== 'signed') {
      return
    }
    const plumtree = this.plumtree as PlumtreeService
    if (plumtree.isForwarded(message)) {
      // a bridge brought it from gossipsub, where it already is
      this.stats.alreadyBridged++
      return
    }
    const id = originMessageId({ topic: message.topic, from: message.from.toMultihash().bytes, seqno: message.sequenceNumber, payload: message.data })
    switch (this.core.fromPlumtree(id, message.topic, message.data, message, Date.now())) {
      case 'publish':
        this.publish(message, false)
        break
      case 'echoed':
        this.stats.echoed++
        break
      default:
        break
    }
  }

  private onAnnounce (message: Message): void {
    // a bridge announces with its own ML-DSA origin; a message bridged in from gossipsub cannot be one
    if (message.type !== 'signed' || (this.plumtree as PlumtreeService).isForwarded(message)) {
      this.stats.badAnnouncements++
      return
    }
    let topics: string[]
    try {
      topics = BridgeAnnounce.decode(message.data, { limits: { topics: MAX_BRIDGED_TOPICS } }).topics
    } catch {
      this.stats.badAnnouncements++
      return
    }
    this.core.announced(message.from.toString(), topics, Date.now())
  }

  private announce (): void {
    const plumtree = this.plumtree as PlumtreeService
    plumtree.publish(BRIDGE_TOPIC, BridgeAnnounce.encode({ topics: this.topics }), { allowPublishToZeroTopicPeers: true }).catch((err: any) => {
      this.log('announcement not sent: %s', err.message)
    })
  }

  private takeOver (): void {
    for (const message of this.core.due(Date.now())) {
      this.publish(message, true)
    }
  }

  private publish (message: Message, takeover: boolean): void {
    this.core.publishedOwn(message.topic, message.data, Date.now())
    this.stats.toGossipsub++
    if (takeover) {
      this.stats.takeovers++
    }
    const gossipsub = this.gossipsub as LibP2pPubsubLike
    gossipsub.publish(message.topic, message.data).catch((err: any) => {
      this.stats.publishFailed++
      this.log('plumtree message on %s not published on gossipsub: %s', message.topic, err.message)
    })
  }
}

function positive (name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback
  if (!Number.isSafeInteger(v) || v <= 0) {
    throw new PlumtreeConfigError(`bridge({ ${name} }) must be a positive integer of ms, got ${String(value)}`)
  }
  return v
}
