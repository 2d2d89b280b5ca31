import { IndexedSet, LoadEstimate, cancelTimer, emit, scheduleTimer, send } from '@saorsa-gossip/core'
import { resolveHyParViewConfig } from './hyparview-config.ts'
import { MAX_SHUFFLE_PEERS, isPeerKey, validHyParViewMessage } from './hyparview-validation.ts'
import { Joins } from './joins.ts'
import { LostNeighbours } from './lost-neighbours.ts'
import { NeighbourSizes } from './neighbour-sizes.ts'
import { Shuffle } from './shuffle.ts'
import type { HyParViewConfig } from './hyparview-config.ts'
import type { HyParViewMessage } from './messages.ts'
import type { HyParViewDrops, CoreEffect, MembershipTimer, NeighborDownReason } from './types.ts'
import type { Rng } from '@saorsa-gossip/core'

/** NEIGHBOR requests in flight at most (a flood of FORWARD_JOIN walks must not grow this without bound) */
export const MAX_PENDING_REQUESTS = 32

/** Timed-out NEIGHBOR requests remembered, so that a late acceptance still makes a symmetric link */
const MAX_TIMED_OUT = 64

type Out<P> = Array<CoreEffect<P>>

export { MAX_SHUFFLE_PEERS, isPeerKey }

/** Connected peers remembered as cheap repair candidates (libp2p's default connection limit is 300) */
const MAX_CONNECTED = 1024

/**
 * Repair rounds without the active view reaching a new size after which it counts as settled,
 * and a refill may dial passive peers to grow it towards the target (SPEC.md §5.5). The same
 * three rounds as the topic layer's `NEIGHBOURS_SETTLE` (pubsub topic-upkeep.ts)
 */
const VIEW_SETTLE_ROUNDS = 3

/**
 * HyParView partial-view membership as a pure state machine.
 *
 * The active view is the set of peers this node keeps connections to; it is
 * kept symmetric by an explicit NEIGHBOR / NEIGHBOR_REPLY handshake. The
 * passive view is a larger set of known peers used to repair the active view.
 * All time comes in as `now`, all randomness from the injected `rng`.
 */
export class HyParView<P> {
  readonly self: P
  readonly config: HyParViewConfig
  readonly drops: HyParViewDrops = { unexpected: 0, invalid: 0, unroutable: 0 }
  private readonly rng: Rng
  /** our own event-loop lag, from the repair timer's lateness (SPEC.md §6.9) */
  private readonly load = new LoadEstimate()
  private readonly active = new IndexedSet<P>()
  private readonly passive = new IndexedSet<P>()
  /** NEIGHBOR requests in flight, and their priority */
  private readonly pending = new Map<P, 'high' | 'low'>()
  /** requests that timed out recently: a late acceptance from them is honoured, any other is not */
  private readonly timedOut = new Set<P>()
  /**
   * peers that just dropped us (DISCONNECT) or refused us: not asked again until the next repair
   * tick. Otherwise, when everyone knows few peers (a burst of joins), an evicted node asks its
   * evictor straight back with high priority, which evicts another, and so on without end.
   */
  private readonly coolingOff = new Set<P>()
  /**
   * active neighbours we asked ourselves (our NEIGHBOR request was accepted): a JOIN or a
   * high-priority request makes room by evicting one of the others first. Peers that come to
   * us cannot then displace every neighbour we picked (SPEC.md §5.3: eclipse)
   */
  private readonly chosen = new Set<P>()
  /** neighbours lost to a dead verdict or a lost connection: tried again now and then (SPEC.md §5.4) */
  private readonly lost: LostNeighbours<P>
  /** the passive-view exchange (shuffle.ts) */
  private readonly shuffle: Shuffle<P>
  /**
   * peers the driver told us we hold a connection to (`contact` until `disconnected` or a lost
   * connection): a NEIGHBOR request to one costs a frame, to any other a dial (SPEC.md §5.5)
   */
  private readonly connected = new IndexedSet<P>()
  /** active neighbours' own view sizes, from their SWIM acks (§6.4): whom a swap may take a link from */
  private readonly neighbourSizes = new NeighbourSizes<P>()
  private readonly joins: Joins<P>
  /** the largest active view we have had, capped at the target: a refill may always dial to get back to it */
  private peak = 0
  /** when the active view last grew past `peak`: while it still grows by others' requests, it dials for no more (SPEC.md §5.5) */
  private grewAt = -Infinity
  private started = false
  private readonly validPeer: (value: unknown) => boolean

  /**
   * `validPeer` checks every peer key that arrives in a message (default: non-empty strings
   * and finite numbers); anything else is dropped and counted.
   */
  constructor (self: P, rng: Rng, config: Partial<HyParViewConfig> = {}, validPeer: (value: unknown) => boolean = isPeerKey) {
    this.self = self
    this.rng = rng
    this.config = resolveHyParViewConfig(config)
    this.lost = new LostNeighbours(this.config.lostCapacity, this.config.lostRetention)
    this.validPeer = validPeer
    this.shuffle = new Shuffle({ self, config: this.config, rng, active: this.active, passive: this.passive, drops: this.drops, jitter: (interval) => this.jitter(interval) })
    this.joins = new Joins({
      self,
      config: this.config,
      rng,
      active: this.active,
      pending: this.pending,
      coolingOff: this.coolingOff,
      addActive: (peer, now, out) => { this.addActive(peer, now, out) },
      addPassive: (peer) => { this.addPassive(peer) },
      requestNeighbor: (peer, priority, now, out) => { this.requestNeighbor(peer, priority, now, out) }
    })
  }

  activeView (): readonly P[] {
    return this.active.values()
  }

  passiveView (): readonly P[] {
    return this.passive.values()
  }

  isActive (peer: P): boolean {
    return this.active.has(peer)
  }

  /** Starts the periodic timers and joins through the first reachable contact */
  start (now: number, contacts: P[] = []): Out<P> {
    const out: Out<P> = []
    if (!this.started) {
      this.started = true
      out.push(scheduleTimer('hpv:shuffle', now + this.jitter(this.config.shuffleInterval), { kind: 'hpv-shuffle' }))
      out.push(this.repairTimer(now))
      out.push(scheduleTimer('hpv:reconnect', now + this.jitter(this.config.reconnectInterval), { kind: 'hpv-reconnect' }))
    }
    this.joins.setContacts(contacts)
    this.joins.sendJoin(now, out)
    return out
  }

  handleMessage (from: P, message: HyParViewMessage<P>, now: number): Out<P> {
    const out: Out<P> = []
    if (from === this.self) {
      this.drops.invalid++
      return out
    }
    if (!validHyParViewMessage(message, this.config, this.validPeer)) {
      this.drops.invalid++
      return out
    }
    switch (message.type) {
      case 'join': this.joins.onJoin(from, now, out); break
      case 'forward-join': this.joins.onForwardJoin(from, message.joiner, message.ttl, now, out); break
      case 'neighbor': this.onNeighbor(from, message.priority, now, out); break
      case 'neighbor-reply': this.onNeighborReply(from, message.accepted, now, out); break
      case 'disconnect': this.onDisconnect(from, message.alive, now, out); break
      case 'shuffle': this.shuffle.onShuffle(from, message.origin, message.ttl, message.peers, message.route ?? [], out); break
      case 'shuffle-reply': this.shuffle.onReply(message.peers, message.route ?? [], out); break
      default: this.drops.invalid++
    }
    return out
  }

  handleTimer (timer: MembershipTimer<P>, now: number): Out<P> {
    const out: Out<P> = []
    switch (timer.kind) {
      case 'hpv-shuffle': this.shuffle.onTimer(now, out); break
      case 'hpv-repair': this.onRepairTimer(now, timer.due, out); break
      case 'hpv-join-retry': this.joins.onRetry(now, out); break
      case 'hpv-neighbor-timeout': this.onNeighborTimeout(timer.peer, now, out); break
      case 'hpv-reconnect': this.onReconnectTimer(now, out); break
      default: break
    }
    return out
  }

  /**
   * A peer is gone: its connection closed, or SWIM declared it dead. It leaves
   * both views (a dead peer is useless as a repair candidate) and the active
   * view is refilled.
   */
  peerDown (peer: P, reason: NeighborDownReason, now: number): Out<P> {
    const out: Out<P> = []
    this.passive.delete(peer)
    this.connected.delete(peer)
    if (this.pending.delete(peer)) {
      out.push(cancelTimer(`hpv:nt:${String(peer)}`))
    }
    if (this.dropActive(peer)) {
      if (reason === 'dead' || reason === 'connection-lost') {
        this.lost.remember(peer, now)
      }
      out.push(emit({ type: 'neighbor-down', peer, reason }))
      this.fill(now, out)
    }
    return out
  }

  /**
   * Our own SWIM probe of an active neighbour failed while we were healthy: its slot goes to a
   * passive peer now instead of after the verdict. HyParView's own failure detector is the
   * failed send to an active neighbour (paper §4.3); waiting for SWIM's verdict left dead
   * neighbours in survivors' views 15 s after a 70% crash, when suspicions gather few
   * confirmations (issue 12). Like a failed send in the paper, it leaves the passive view too
   * (a live one comes back through shuffles), and is told DISCONNECT so a live one drops its
   * side of the link.
   */
  unresponsive (peer: P, now: number): Out<P> {
    const out: Out<P> = []
    if (!this.dropActive(peer)) {
      return out
    }
    out.push(send(peer, { proto: 'hpv', type: 'disconnect', alive: true }))
    out.push(emit({ type: 'neighbor-down', peer, reason: 'unresponsive' }))
    this.fill(now, out)
    return out
  }

  /** An active neighbour's own active view has `size` peers (its SWIM ack): used by swaps */
  neighbourViewSize (peer: P, size: number): void {
    if (this.active.has(peer)) {
      this.neighbourSizes.set(peer, size)
    }
  }

  /**
   * SWIM suspects the neighbour: it cannot give way in a swap until it reports its view again.
   * A crashed neighbour's last report is its largest view, so swaps would pick the dead first,
   * and a monitor that evicts one no longer confirms its death to the others (1,000 simulated
   * nodes, 70% crash: survivors held dead neighbours longer).
   */
  doubt (peer: P): void {
    this.neighbourSizes.forget(peer)
  }

  /**
   * Peers known to be alive (a neighbour's own active view, from its SWIM ack) become passive
   * candidates: after a burst of joins passive views are nearly empty and repair has nothing to
   * promote until the next shuffle.
   */
  learn (peers: readonly P[], now: number): Out<P> {
    const out: Out<P> = []
    for (const peer of peers.slice(0, MAX_SHUFFLE_PEERS)) {
      this.addPassive(peer)
    }
    if (this.active.size < this.config.activeViewTarget) {
      this.fill(now, out)
    }
    return out
  }

  /**
   * The link to `peer` is one-sided (we list it, it does not list us): drop it
   * and ask again, so that the views become symmetric or the peer falls back
   * to the passive view if it refuses.
   */
  relink (peer: P, now: number): Out<P> {
    const out: Out<P> = []
    if (!this.dropActive(peer)) {
      return out
    }
    out.push(emit({ type: 'neighbor-down', peer, reason: 'asymmetric' }))
    this.requestNeighbor(peer, this.active.size === 0 ? 'high' : 'low', now, out)
    this.fill(now, out)
    return out
  }

  /**
   * A peer that runs the protocol connected to us outside the overlay (the application dialled
   * it, or libp2p discovery did, as gossipsub applications connect their peers): with an empty
   * active view and no join in flight we join through it; otherwise it becomes a passive
   * candidate, promoted when the active view runs short (SPEC.md §5.5). It is remembered as a
   * contact for join retries either way (joins.ts: at most MAX_CONTACTS, oldest forgotten first).
   */
  addContact (peer: P, now: number): Out<P> {
    const out: Out<P> = []
    if (peer === this.self || !this.validPeer(peer)) {
      this.drops.invalid++
      return out
    }
    if (!this.connected.has(peer) && this.connected.size < MAX_CONNECTED) {
      this.connected.add(peer)
    }
    this.joins.addContact(peer)
    if (this.active.has(peer) || this.pending.has(peer)) {
      return out
    }
    if (this.started && this.active.size === 0 && this.pending.size === 0) {
      this.coolingOff.delete(peer)
      this.pending.set(peer, 'high')
      out.push(send(peer, { proto: 'hpv', type: 'join' }))
      out.push(scheduleTimer('hpv:join', now + this.config.joinRetryInterval, { kind: 'hpv-join-retry' }))
    } else {
      this.addPassive(peer)
    }
    return out
  }

  /** The last connection to a peer outside the active view closed: it stays a candidate, no longer a cheap one */
  disconnected (peer: P): void {
    this.connected.delete(peer)
  }

  /**
   * The peer refused the protocol (a plain libp2p node among the bootstrap peers or the
   * application's connections): it leaves the contacts, both views and any pending request,
   * and a JOIN that was waiting on it goes to another contact at once. Before, a vanilla
   * bootstrap peer was sent JOIN again every `joinRetryInterval` for ever (issue 18).
   */
  unsupported (peer: P, now: number): Out<P> {
    const out: Out<P> = []
    this.joins.removeContact(peer)
    this.passive.delete(peer)
    this.connected.delete(peer)
    const waited = this.pending.delete(peer)
    if (waited) {
      out.push(cancelTimer(`hpv:nt:${String(peer)}`))
    }
    if (this.dropActive(peer)) {
      out.push(emit({ type: 'neighbor-down', peer, reason: 'unsupported' }))
      this.fill(now, out)
    } else if (waited && this.active.size === 0 && this.pending.size === 0) {
      this.joins.sendJoin(now, out)
    }
    return out
  }

  /**
   * A frame to the peer could not be written (the dial failed, or the stream closed or timed
   * out under it): a NEIGHBOR or JOIN request to it will never be answered. It fails now
   * instead of after `neighborRequestTimeout` + 2 × lag — 4–6 s on 100 loaded real nodes, where
   * about a third of the requests sent during formation were never answered (issue 12) — and
   * the next candidate (or contact) is asked at once. Active neighbours are left to SWIM: one
   * failed write says little about a peer we hold a link with (SPEC.md §5.5).
   */
  unreachable (peer: P, now: number): Out<P> {
    const out: Out<P> = []
    if (!this.pending.delete(peer)) {
      return out
    }
    out.push(cancelTimer(`hpv:nt:${String(peer)}`))
    // a write can fail after the frame left (a stream reset under it): an acceptance that
    // still arrives is taken, as after a timeout, so the link stays symmetric
    this.rememberTimedOut(peer)
    this.passive.delete(peer)
    // not asked again before the next repair round, whether candidate or contact
    this.coolingOff.add(peer)
    this.fill(now, out)
    return out
  }

  // --- NEIGHBOR handshake ---------------------------------------------------

  private requestNeighbor (peer: P, priority: 'high' | 'low', now: number, out: Out<P>): void {
    if (this.pending.has(peer) || this.active.has(peer) || peer === this.self || this.pending.size >= MAX_PENDING_REQUESTS) {
      return
    }
    this.pending.set(peer, priority)
    out.push(send(peer, { proto: 'hpv', type: 'neighbor', priority }))
    // under load the answer is late, not lost: a timed-out request drops its target from the
    // passive view, and on a lagging node that emptied the views (SPEC.md §6.9)
    const timeout = this.config.neighborRequestTimeout + Math.ceil(2 * this.load.lag(now))
    out.push(scheduleTimer(`hpv:nt:${String(peer)}`, now + timeout, { kind: 'hpv-neighbor-timeout', peer }))
  }

  /**
   * High priority is always accepted (evicting if full); low with room (paper §4.3), or when full
   * by a swap: a neighbour that came to us and whose own view is at least two above target gives
   * up its link (SPEC.md §5.1 *Swaps*).
   */
  private onNeighbor (from: P, priority: 'high' | 'low', now: number, out: Out<P>): void {
    let accept = this.active.has(from) || priority === 'high' || this.active.size < this.config.activeViewCapacity
    const victim = accept ? undefined : this.neighbourSizes.victim(this.config.activeViewTarget, p => this.chosen.has(p), this.rng)
    if (victim != null) {
      this.evict(victim, out)
      accept = true
    }
    if (accept) {
      this.addActive(from, now, out)
    } else {
      this.addPassive(from)
    }
    out.push(send(from, { proto: 'hpv', type: 'neighbor-reply', accepted: accept }))
  }

  private onNeighborReply (from: P, accepted: boolean, now: number, out: Out<P>): void {
    const wasPending = this.pending.delete(from)
    if (wasPending) {
      out.push(cancelTimer(`hpv:nt:${String(from)}`))
    }
    if (accepted) {
      if (!wasPending && !this.active.has(from)) {
        if (!this.timedOut.delete(from)) {
          // nobody asked: a forged or confused acceptance must not force its way into our view
          this.drops.unexpected++
          return
        }
        // a reply after our request timed out: the other side has added us, so keep the link symmetric
      }
      this.addActive(from, now, out)
      if (this.active.has(from)) {
        this.chosen.add(from)
      }
      if (this.active.size > 0) {
        out.push(cancelTimer('hpv:join'))
      }
    } else {
      // refused: keep it as a candidate, but do not ask again at once (an immediate refill could
      // pick it again and ping-pong with a full peer as fast as the link allows); the repair
      // timer retries within repairInterval
      this.addPassive(from)
      this.coolingOff.add(from)
      // full: no longer a candidate to ask first. Preferred again every round, full connected
      // peers kept a node below target asking them for ever (seen: views of 3, 0.45 NEIGHBOR
      // requests per node per second 30 s after formation) and never trying one with room
      this.connected.delete(from)
    }
  }

  private onNeighborTimeout (peer: P, now: number, out: Out<P>): void {
    if (!this.pending.delete(peer)) {
      return
    }
    this.rememberTimedOut(peer)
    // no answer: likely dead or unreachable, so it is no good as a repair candidate either
    this.passive.delete(peer)
    this.fill(now, out)
  }

  private rememberTimedOut (peer: P): void {
    this.timedOut.add(peer)
    if (this.timedOut.size > MAX_TIMED_OUT) {
      this.timedOut.delete(this.timedOut.values().next().value as P)
    }
  }

  private onDisconnect (from: P, alive: boolean, now: number, out: Out<P>): void {
    if (!this.active.has(from)) {
      this.drops.unexpected++
      return
    }
    this.dropActive(from)
    out.push(emit({ type: 'neighbor-down', peer: from, reason: 'disconnected' }))
    if (alive) {
      this.addPassive(from)
    }
    this.coolingOff.add(from)
    this.fill(now, out)
  }

  // --- view maintenance -------------------------------------------------------

  /** Removes `peer` from the active view (and from the neighbours we chose); whether it was there */
  private dropActive (peer: P): boolean {
    this.chosen.delete(peer)
    this.neighbourSizes.forget(peer)
    return this.active.delete(peer)
  }

  /** Ends the link to an active neighbour that stays alive: it goes to the passive view and is told so */
  private evict (victim: P, out: Out<P>): void {
    this.dropActive(victim)
    this.addPassive(victim)
    out.push(send(victim, { proto: 'hpv', type: 'disconnect', alive: true }))
    out.push(emit({ type: 'neighbor-down', peer: victim, reason: 'evicted' }))
  }

  private addActive (peer: P, now: number, out: Out<P>): void {
    if (peer === this.self || this.active.has(peer)) {
      return
    }
    if (this.active.size >= this.config.activeViewCapacity) {
      // one that came to us, if any; else any other
      const victim = this.active.pick(this.rng, p => p === peer || this.chosen.has(p)) ?? this.active.pick(this.rng, p => p === peer)
      if (victim != null) {
        this.evict(victim, out)
      }
    }
    this.passive.delete(peer)
    this.lost.forget(peer)
    this.active.add(peer)
    if (this.active.size > this.peak) {
      this.peak = Math.min(this.config.activeViewTarget, this.active.size)
      this.grewAt = now
    }
    out.push(emit({ type: 'neighbor-up', peer }))
  }

  private addPassive (peer: P): void {
    if (peer === this.self || this.active.has(peer) || this.passive.has(peer)) {
      return
    }
    if (this.passive.size >= this.config.passiveViewCapacity) {
      const victim = this.passive.pick(this.rng)
      if (victim != null) {
        this.passive.delete(victim)
      }
    }
    this.passive.add(peer)
  }

  /**
   * Refills the active view up to the target from the passive view, with as
   * many requests in flight as there are missing neighbours, so that repair
   * after mass failure is not one timeout per dead candidate. An empty active
   * view asks with high priority (paper §4.3).
   */
  private fill (now: number, out: Out<P>): void {
    let missing = this.config.activeViewTarget - this.active.size - this.pending.size
    const busy = (p: P): boolean => this.pending.has(p) || this.coolingOff.has(p)
    while (missing > 0) {
      // connected candidates first: on 100 real nodes fill made two thirds of membership's
      // requests, nearly all of them dials, and connection set-up bounds formation (SPEC.md §5.5)
      const candidate = this.passive.pick(this.rng, p => busy(p) || !this.connected.has(p)) ?? (this.mayDial(now) ? this.passive.pick(this.rng, busy) : undefined)
      if (candidate == null) {
        break
      }
      this.requestNeighbor(candidate, this.active.size === 0 ? 'high' : 'low', now, out)
      missing--
    }
    if (this.active.size === 0 && this.pending.size === 0 && this.joins.hasContact()) {
      // nothing left to promote: go back to the contacts
      this.joins.sendJoin(now, out)
    }
  }

  /**
   * Whether a refill may dial a passive peer (no connection to it): always to replace a lost
   * neighbour (below the largest view we had), and to grow once the view has stopped growing by
   * itself. While joins' walks and others' requests still bring neighbours, the dials would buy
   * links that arrive for free; on 100 real nodes they were most of formation's connections
   * (SPEC.md §5.5)
   */
  private mayDial (now: number): boolean {
    return this.active.size === 0 ||
      this.active.size + this.pending.size < this.peak ||
      now - this.grewAt > VIEW_SETTLE_ROUNDS * this.config.repairInterval + this.load.lag(now)
  }

  private repairTimer (now: number): Out<P>[number] {
    const due = now + this.jitter(this.config.repairInterval)
    return scheduleTimer('hpv:repair', due, { kind: 'hpv-repair', due })
  }

  private onRepairTimer (now: number, due: number | undefined, out: Out<P>): void {
    // the repair timer's lateness is our event-loop lag: NEIGHBOR answers wait behind it too
    this.load.observeTimer(due ?? now, now)
    out.push(this.repairTimer(now))
    this.coolingOff.clear()
    this.fill(now, out)
  }

  // --- reconnecting lost neighbours --------------------------------------------

  /** SWIM heard that a lost peer is alive again (a newer incarnation): it is back in the overlay, no need to ask it */
  found (peer: P): void {
    this.lost.forget(peer)
  }

  /** Every `reconnectInterval`, one lost neighbour is asked with high priority to be our neighbour again (lost-neighbours.ts says why) */
  private onReconnectTimer (now: number, out: Out<P>): void {
    out.push(scheduleTimer('hpv:reconnect', now + this.jitter(this.config.reconnectInterval), { kind: 'hpv-reconnect' }))
    const lost = this.lost.current(now)
    if (this.active.size < this.config.activeViewTarget && this.passive.size > 0) {
      // repair is under way (after a crash the lost are mostly dead): asking them would only
      // take request slots from live passive candidates
      return
    }
    const candidates = lost.filter(p => !this.active.has(p) && !this.pending.has(p))
    const peer = this.rng.pick(candidates)
    if (peer !== undefined) {
      this.requestNeighbor(peer, 'high', now, out)
    }
  }

  /** ±10% so that periodic timers of many nodes do not fire in lockstep */
  private jitter (interval: number): number {
    return Math.max(1, Math.round(interval * (0.9 + 0.2 * this.rng.float())))
  }
}
