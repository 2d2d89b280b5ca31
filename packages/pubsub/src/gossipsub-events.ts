import { publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { libp2pAuthorKey } from './libp2p-origin.ts'
import type { Message, PlumtreeServiceEvents, SubscriptionChangeData } from './api.ts'
import type { PubsubEvent } from './core/types.ts'
import type { ReceivedOrigin } from './decoded-origins.ts'
import type { PeerId } from '@libp2p/interface'

/**
 * What the application receives, in the shapes gossipsub 17 gives it (docs/gossipsub-17-api.md):
 * `Message` objects and event details, built from the core's events. Nothing here decides
 * anything; the service dispatches what these return.
 */

/**
 * The application's `Message`: `from` is the origin (not the relay), `key` its libp2p public
 * key, from the PeerId itself when it embeds one (Ed25519) or else from the origin's binding
 * record (`libp2pKeyOf`), which the origin gate made sure is known before the core saw it;
 * a bridged message's author key comes from its header
 */
export function toMessage (topic: string, payload: Uint8Array, origin: ReceivedOrigin | undefined, libp2pKeyOf: (from: PeerId) => Uint8Array | undefined): Message {
  if (origin == null) {
    return { type: 'unsigned', topic, data: payload }
  }
  const from = peerIdFromMultihash(Digest.decode(origin.from))
  if (origin.libp2p != null) {
    // bridged from gossipsub (SPEC.md §7.14): the author's own libp2p message, as gossipsub would give it
    return { type: 'signed', from, topic, data: payload, sequenceNumber: origin.seqno, signature: origin.signature, key: libp2pAuthorKey(origin.from, origin.libp2p.key) }
  }
  const key = from.publicKey ?? publicKeyFromProtobuf(libp2pKeyOf(from) as Uint8Array)
  return { type: 'signed', from, topic, data: payload, sequenceNumber: origin.seqno, signature: origin.signature, key }
}

/** `subscription-change`: one peer entered or left a topic's subscribers (core: subscribers.ts) */
export function subscriptionChange (event: Extract<PubsubEvent<string>, { type: 'subscription-change' }>): SubscriptionChangeData {
  return { peerId: peerIdFromString(event.peer), subscriptions: [{ topic: event.topic, subscribe: event.subscribed }] }
}

/** `gossipsub:message` (asyncValidation): the message before it is relayed, and who sent it to us */
export function gossipsubMessage (msgId: string, from: string, msg: Message): PlumtreeServiceEvents['gossipsub:message']['detail'] {
  return { propagationSource: peerIdFromString(from), msgId, msg }
}

/** `plumtree:graylisted` */
export function graylisted (event: Extract<PubsubEvent<string>, { type: 'graylisted' }>): PlumtreeServiceEvents['plumtree:graylisted']['detail'] {
  return { peerId: peerIdFromString(event.peer), score: event.score }
}
