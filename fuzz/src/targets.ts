import { bindingVerify } from './targets/binding-verify.ts'
import { crdtFrame } from './targets/crdt-frame.ts'
import { groupsCodecTarget } from './targets/groups-codec.ts'
import { groupsCore } from './targets/groups-core.ts'
import { identityBinding } from './targets/identity-binding.ts'
import { keystore } from './targets/keystore.ts'
import { membershipCodec } from './targets/membership-codec.ts'
import { membershipCore } from './targets/membership-core.ts'
import { pqNoiseHandshake } from './targets/pq-noise-handshake.ts'
import { pqNoisePayload } from './targets/pq-noise-payload.ts'
import { pqNoiseResume } from './targets/pq-noise-resume.ts'
import { pubsubCodec } from './targets/pubsub-codec.ts'
import { pubsubCore } from './targets/pubsub-core.ts'
import { pubsubOrigin } from './targets/pubsub-origin.ts'
import { riblt } from './targets/riblt.ts'
import type { Target } from './engine.ts'

export const TARGETS: Array<Target<any>> = [
  identityBinding,
  bindingVerify,
  keystore,
  membershipCodec,
  pubsubCodec,
  pubsubOrigin,
  groupsCodecTarget,
  pqNoisePayload,
  pqNoiseHandshake,
  pqNoiseResume,
  riblt,
  crdtFrame,
  membershipCore,
  pubsubCore,
  groupsCore
]
