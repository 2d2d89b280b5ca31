import { peerIdFromString } from '@libp2p/peer-id'
import { LruTtlCache, toHex } from '@saorsa-gossip/core'
import type { Message, TopicValidatorFn } from './api.ts'
import type { GossipMessage } from './core/messages.ts'
import type { ValidationResult } from './core/types.ts'

/** A message that passed the origin check and waits for the application's verdict */
export interface PendingValidation {
  topic: string
  id: Uint8Array
  from: string
  message: GossipMessage
}

export interface ValidationQueueInit {
  topicValidators: Map<string, TopicValidatorFn>
  /** gossipsub's `asyncValidation`: relay only after `reportMessageValidationResult` */
  asyncValidation: boolean
  /** how long a message waits for its report before it is forgotten (the core's validationTimeout), ms */
  reportTimeout: number
  toMessage(pending: PendingValidation): Message
  /** the verdict goes to the core: accept relays and delivers, reject penalises the sender */
  settle(topic: string, id: Uint8Array, result: ValidationResult): void
  /** asyncValidation: the message goes to the application now (`gossipsub:message` and `message`), before the verdict */
  deliverEarly(msgId: string, from: string, message: Message): void
  /** a validator threw: counted, and the message ignored (or rejected, if the error says so) */
  onValidatorError(err: unknown): void
}

const VALIDATION_RESULTS = new Set<string>(['accept', 'ignore', 'reject'])
/** Messages waiting for `reportMessageValidationResult` at most (the core holds at most maxPendingValidation anyway) */
const MAX_AWAITING_REPORT = 16_384

/**
 * The application's part of validation, with gossipsub's semantics (SPEC.md §7.12): a topic
 * validator, when the topic has one, runs first (a throw means Ignore unless its code says
 * Reject); with `asyncValidation` a message the validator accepts is handed to the application
 * at once and relayed only when the application reports Accept through
 * `reportMessageValidationResult(msgId, propagationSource, acceptance)`. Topics with neither
 * never come here: the core accepts their messages without the round trip.
 */
export class ValidationQueue {
  private readonly init: ValidationQueueInit
  private readonly queue: PendingValidation[] = []
  private draining = false
  /** msgId (hex) → the message waiting for the application's report */
  private readonly awaitingReport: LruTtlCache<string, PendingValidation>
  /** ids (hex) already handed to the application early: the core's later delivery is not repeated */
  private readonly deliveredEarly: LruTtlCache<string, true>

  constructor (init: ValidationQueueInit) {
    this.init = init
    this.awaitingReport = new LruTtlCache({ maxEntries: MAX_AWAITING_REPORT, ttl: init.reportTimeout })
    this.deliveredEarly = new LruTtlCache({ maxEntries: MAX_AWAITING_REPORT, ttl: init.reportTimeout * 2 })
  }

  /** Whether messages of `topic` need the application (the core defers only those) */
  needed (topic: string): boolean {
    return this.init.asyncValidation || this.init.topicValidators.has(topic)
  }

  push (pending: PendingValidation): void {
    this.queue.push(pending)
  }

  /** Starts every queued validation; results come back through `settle`, one each */
  drain (): void {
    if (this.draining) {
      return
    }
    this.draining = true
    try {
      let next: PendingValidation | undefined
      while ((next = this.queue.shift()) != null) {
        const validator = this.init.topicValidators.get(next.topic)
        if (validator == null) {
          this.accepted(next)
        } else {
          void this.run(validator, next)
        }
      }
    } finally {
      this.draining = false
    }
  }

  /**
   * gossipsub's `reportMessageValidationResult`: the verdict on a message handed over early.
   * False when the message is unknown or waited longer than the report timeout (then the
   * core has forgotten it too).
   */
  report (msgId: string, acceptance: string): boolean {
    const pending = this.awaitingReport.get(msgId, Date.now())
    if (pending == null) {
      return false
    }
    this.awaitingReport.delete(msgId)
    this.init.settle(pending.topic, pending.id, VALIDATION_RESULTS.has(acceptance) ? acceptance as ValidationResult : 'ignore')
    return true
  }

  /** True once for a message already handed to the application: the core's delivery is then skipped */
  takeDeliveredEarly (id: Uint8Array): boolean {
    if (!this.init.asyncValidation) {
      // nothing is handed over early: spare every delivery the hex key and cache lookup
      return false
    }
    const key = toHex(id)
    if (this.deliveredEarly.get(key, Date.now()) == null) {
      return false
    }
    this.deliveredEarly.delete(key)
    return true
  }

  clear (): void {
    this.queue.length = 0
    this.awaitingReport.clear()
    this.deliveredEarly.clear()
  }

  private accepted (pending: PendingValidation): void {
    if (!this.init.asyncValidation) {
      this.init.settle(pending.topic, pending.id, 'accept')
      return
    }
    const msgId = toHex(pending.id)
    const now = Date.now()
    this.awaitingReport.set(msgId, pending, now)
    this.deliveredEarly.set(msgId, true, now)
    this.init.deliverEarly(msgId, pending.from, this.init.toMessage(pending))
  }

  private async run (validator: TopicValidatorFn, pending: PendingValidation): Promise<void> {
    let result: ValidationResult
    try {
      const answer: string = await validator(peerIdFromString(pending.from), this.init.toMessage(pending))
      result = VALIDATION_RESULTS.has(answer) ? answer as ValidationResult : 'ignore'
    } catch (err: any) {
      // gossipsub's rule: a throwing validator means Ignore, unless it says Reject
      this.init.onValidatorError(err)
      result = err?.code === 'ERR_TOPIC_VALIDATOR_REJECT' ? 'reject' : 'ignore'
    }
    if (result === 'accept') {
      this.accepted(pending)
    } else {
      this.init.settle(pending.topic, pending.id, result)
    }
  }
}
