import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface BeaconBody {
  peer: Uint8Array<ArrayBuffer>
  seq: number
  issuedAtMs: number
  expiresAtMs: number
  addrs: Uint8Array<ArrayBuffer>[]
}

export namespace BeaconBody {
  let _codec: Codec<BeaconBody>

  export const codec = (): Codec<BeaconBody> => {
    if (_codec == null) {
      _codec = message<BeaconBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peer != null && obj.peer.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.peer)
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.seq)
        }

        if ((obj.issuedAtMs != null && obj.issuedAtMs !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.issuedAtMs)
        }

        if ((obj.expiresAtMs != null && obj.expiresAtMs !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.expiresAtMs)
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(42)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peer: uint8ArrayAlloc(0),
          seq: 0,
          issuedAtMs: 0,
          expiresAtMs: 0,
          addrs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peer = reader.bytes()
              break
            }
            case 2: {
              obj.seq = reader.uint64Number()
              break
            }
            case 3: {
              obj.issuedAtMs = reader.uint64Number()
              break
            }
            case 4: {
              obj.expiresAtMs = reader.uint64Number()
              break
            }
            case 5: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          addrs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.peer`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.issuedAtMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.expiresAtMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 5: {
              if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
              }

              yield {
                field: `${prefix}.addrs[]`,
                index: obj.addrs,
                value: reader.bytes()
              }

              obj.addrs++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface BeaconBodyPeerFieldEvent {
    field: '$.peer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BeaconBodySeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface BeaconBodyIssuedAtMsFieldEvent {
    field: '$.issuedAtMs'
    value: number
  }

  export interface BeaconBodyExpiresAtMsFieldEvent {
    field: '$.expiresAtMs'
    value: number
  }

  export interface BeaconBodyAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<BeaconBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BeaconBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BeaconBody>): BeaconBody {
    return decodeMessage(buf, BeaconBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BeaconBody>): Generator<BeaconBodyPeerFieldEvent | BeaconBodySeqFieldEvent | BeaconBodyIssuedAtMsFieldEvent | BeaconBodyExpiresAtMsFieldEvent | BeaconBodyAddrsFieldEvent> {
    return streamMessage(buf, BeaconBody.codec(), opts)
  }
}

export interface Beacon {
  body: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
  binding: Uint8Array<ArrayBuffer>
}

export namespace Beacon {
  let _codec: Codec<Beacon>

  export const codec = (): Codec<Beacon> => {
    if (_codec == null) {
      _codec = message<Beacon>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.body)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if ((obj.binding != null && obj.binding.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.binding)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          body: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0),
          binding: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.body = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
              break
            }
            case 3: {
              obj.binding = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.body`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.binding`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface BeaconBodyFieldEvent {
    field: '$.body'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BeaconSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BeaconBindingFieldEvent {
    field: '$.binding'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Beacon>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Beacon.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Beacon>): Beacon {
    return decodeMessage(buf, Beacon.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Beacon>): Generator<BeaconBodyFieldEvent | BeaconSignatureFieldEvent | BeaconBindingFieldEvent> {
    return streamMessage(buf, Beacon.codec(), opts)
  }
}

export interface QueryBody {
  id: Uint8Array<ArrayBuffer>
  origin: Uint8Array<ArrayBuffer>
  target: Uint8Array<ArrayBuffer>
  hopLimit: number
  issuedAtMs: number
  originAddrs: Uint8Array<ArrayBuffer>[]
  tags: Uint8Array<ArrayBuffer>[]
  scopes: Uint8Array<ArrayBuffer>[]
}

export namespace QueryBody {
  let _codec: Codec<QueryBody>

  export const codec = (): Codec<QueryBody> => {
    if (_codec == null) {
      _codec = message<QueryBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if ((obj.origin != null && obj.origin.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.origin)
        }

        if ((obj.target != null && obj.target.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.target)
        }

        if ((obj.hopLimit != null && obj.hopLimit !== 0)) {
          w.uint32(32)
          w.uint32(obj.hopLimit)
        }

        if ((obj.issuedAtMs != null && obj.issuedAtMs !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.issuedAtMs)
        }

        if (obj.originAddrs != null && obj.originAddrs.length > 0) {
          for (const value of obj.originAddrs) {
            w.uint32(50)
            w.bytes(value)
          }
        }

        if (obj.tags != null && obj.tags.length > 0) {
          for (const value of obj.tags) {
            w.uint32(58)
            w.bytes(value)
          }
        }

        if (obj.scopes != null && obj.scopes.length > 0) {
          for (const value of obj.scopes) {
            w.uint32(66)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          origin: uint8ArrayAlloc(0),
          target: uint8ArrayAlloc(0),
          hopLimit: 0,
          issuedAtMs: 0,
          originAddrs: [],
          tags: [],
          scopes: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              obj.origin = reader.bytes()
              break
            }
            case 3: {
              obj.target = reader.bytes()
              break
            }
            case 4: {
              obj.hopLimit = reader.uint32()
              break
            }
            case 5: {
              obj.issuedAtMs = reader.uint64Number()
              break
            }
            case 6: {
              if (opts.limits?.originAddrs != null && obj.originAddrs.length === opts.limits.originAddrs) {
                throw new MaxLengthError('Decode error - repeated field "originAddrs" had too many elements')
              }

              obj.originAddrs.push(reader.bytes())
              break
            }
            case 7: {
              if (opts.limits?.tags != null && obj.tags.length === opts.limits.tags) {
                throw new MaxLengthError('Decode error - repeated field "tags" had too many elements')
              }

              obj.tags.push(reader.bytes())
              break
            }
            case 8: {
              if (opts.limits?.scopes != null && obj.scopes.length === opts.limits.scopes) {
                throw new MaxLengthError('Decode error - repeated field "scopes" had too many elements')
              }

              obj.scopes.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          originAddrs: 0,
          tags: 0,
          scopes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.origin`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.target`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.hopLimit`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.issuedAtMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              if (opts.limits?.originAddrs != null && obj.originAddrs === opts.limits.originAddrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "originAddrs" had too many elements')
              }

              yield {
                field: `${prefix}.originAddrs[]`,
                index: obj.originAddrs,
                value: reader.bytes()
              }

              obj.originAddrs++

              break
            }
            case 7: {
              if (opts.limits?.tags != null && obj.tags === opts.limits.tags) {
                throw new MaxLengthError('Streaming decode error - repeated field "tags" had too many elements')
              }

              yield {
                field: `${prefix}.tags[]`,
                index: obj.tags,
                value: reader.bytes()
              }

              obj.tags++

              break
            }
            case 8: {
              if (opts.limits?.scopes != null && obj.scopes === opts.limits.scopes) {
                throw new MaxLengthError('Streaming decode error - repeated field "scopes" had too many elements')
              }

              yield {
                field: `${prefix}.scopes[]`,
                index: obj.scopes,
                value: reader.bytes()
              }

              obj.scopes++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface QueryBodyIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface QueryBodyOriginFieldEvent {
    field: '$.origin'
    value: Uint8Array<ArrayBuffer>
  }

  export interface QueryBodyTargetFieldEvent {
    field: '$.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface QueryBodyHopLimitFieldEvent {
    field: '$.hopLimit'
    value: number
  }

  export interface QueryBodyIssuedAtMsFieldEvent {
    field: '$.issuedAtMs'
    value: number
  }

  export interface QueryBodyOriginAddrsFieldEvent {
    field: '$.originAddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface QueryBodyTagsFieldEvent {
    field: '$.tags[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface QueryBodyScopesFieldEvent {
    field: '$.scopes[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<QueryBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, QueryBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueryBody>): QueryBody {
    return decodeMessage(buf, QueryBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueryBody>): Generator<QueryBodyIdFieldEvent | QueryBodyOriginFieldEvent | QueryBodyTargetFieldEvent | QueryBodyHopLimitFieldEvent | QueryBodyIssuedAtMsFieldEvent | QueryBodyOriginAddrsFieldEvent | QueryBodyTagsFieldEvent | QueryBodyScopesFieldEvent> {
    return streamMessage(buf, QueryBody.codec(), opts)
  }
}

export interface Query {
  body: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
  binding: Uint8Array<ArrayBuffer>
  ttl: number
}

export namespace Query {
  let _codec: Codec<Query>

  export const codec = (): Codec<Query> => {
    if (_codec == null) {
      _codec = message<Query>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.body)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if ((obj.binding != null && obj.binding.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.binding)
        }

        if ((obj.ttl != null && obj.ttl !== 0)) {
          w.uint32(32)
          w.uint32(obj.ttl)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          body: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0),
          binding: uint8ArrayAlloc(0),
          ttl: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.body = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
              break
            }
            case 3: {
              obj.binding = reader.bytes()
              break
            }
            case 4: {
              obj.ttl = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.body`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.binding`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.ttl`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface QueryBodyFieldEvent {
    field: '$.body'
    value: Uint8Array<ArrayBuffer>
  }

  export interface QuerySignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface QueryBindingFieldEvent {
    field: '$.binding'
    value: Uint8Array<ArrayBuffer>
  }

  export interface QueryTtlFieldEvent {
    field: '$.ttl'
    value: number
  }

  export function encode (obj: Partial<Query>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Query.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Query>): Query {
    return decodeMessage(buf, Query.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Query>): Generator<QueryBodyFieldEvent | QuerySignatureFieldEvent | QueryBindingFieldEvent | QueryTtlFieldEvent> {
    return streamMessage(buf, Query.codec(), opts)
  }
}

export interface SealedBeacon {
  tag: Uint8Array<ArrayBuffer>
  sealed: Uint8Array<ArrayBuffer>
}

export namespace SealedBeacon {
  let _codec: Codec<SealedBeacon>

  export const codec = (): Codec<SealedBeacon> => {
    if (_codec == null) {
      _codec = message<SealedBeacon>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.tag != null && obj.tag.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.tag)
        }

        if ((obj.sealed != null && obj.sealed.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.sealed)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          tag: uint8ArrayAlloc(0),
          sealed: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.tag = reader.bytes()
              break
            }
            case 2: {
              obj.sealed = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.tag`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sealed`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SealedBeaconTagFieldEvent {
    field: '$.tag'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SealedBeaconSealedFieldEvent {
    field: '$.sealed'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SealedBeacon>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SealedBeacon.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SealedBeacon>): SealedBeacon {
    return decodeMessage(buf, SealedBeacon.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SealedBeacon>): Generator<SealedBeaconTagFieldEvent | SealedBeaconSealedFieldEvent> {
    return streamMessage(buf, SealedBeacon.codec(), opts)
  }
}

export interface Reply {
  id: Uint8Array<ArrayBuffer>
  beacons: Beacon[]
  sealed: SealedBeacon[]
}

export namespace Reply {
  let _codec: Codec<Reply>

  export const codec = (): Codec<Reply> => {
    if (_codec == null) {
      _codec = message<Reply>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if (obj.beacons != null && obj.beacons.length > 0) {
          for (const value of obj.beacons) {
            w.uint32(18)
            Beacon.codec().encode(value, w)
          }
        }

        if (obj.sealed != null && obj.sealed.length > 0) {
          for (const value of obj.sealed) {
            w.uint32(26)
            SealedBeacon.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          beacons: [],
          sealed: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.beacons != null && obj.beacons.length === opts.limits.beacons) {
                throw new MaxLengthError('Decode error - repeated field "beacons" had too many elements')
              }

              obj.beacons.push(Beacon.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.beacons$
              }))
              break
            }
            case 3: {
              if (opts.limits?.sealed != null && obj.sealed.length === opts.limits.sealed) {
                throw new MaxLengthError('Decode error - repeated field "sealed" had too many elements')
              }

              obj.sealed.push(SealedBeacon.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.sealed$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          beacons: 0,
          sealed: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.beacons != null && obj.beacons === opts.limits.beacons) {
                throw new MaxLengthError('Streaming decode error - repeated field "beacons" had too many elements')
              }

              for (const evt of Beacon.codec().stream(reader, reader.uint32(), `${prefix}.beacons[]`, {
                limits: opts.limits?.beacons$
              })) {
                yield {
                  ...evt,
                  index: obj.beacons
                }
              }

              obj.beacons++

              break
            }
            case 3: {
              if (opts.limits?.sealed != null && obj.sealed === opts.limits.sealed) {
                throw new MaxLengthError('Streaming decode error - repeated field "sealed" had too many elements')
              }

              for (const evt of SealedBeacon.codec().stream(reader, reader.uint32(), `${prefix}.sealed[]`, {
                limits: opts.limits?.sealed$
              })) {
                yield {
                  ...evt,
                  index: obj.sealed
                }
              }

              obj.sealed++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ReplyIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ReplyBeaconsBodyFieldEvent {
    field: '$.beacons[].body'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ReplyBeaconsSignatureFieldEvent {
    field: '$.beacons[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ReplyBeaconsBindingFieldEvent {
    field: '$.beacons[].binding'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ReplySealedTagFieldEvent {
    field: '$.sealed[].tag'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ReplySealedSealedFieldEvent {
    field: '$.sealed[].sealed'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<Reply>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Reply.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Reply>): Reply {
    return decodeMessage(buf, Reply.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Reply>): Generator<ReplyIdFieldEvent | ReplyBeaconsBodyFieldEvent | ReplyBeaconsSignatureFieldEvent | ReplyBeaconsBindingFieldEvent | ReplySealedTagFieldEvent | ReplySealedSealedFieldEvent> {
    return streamMessage(buf, Reply.codec(), opts)
  }
}

export interface Ask {
  id: Uint8Array<ArrayBuffer>
  target: Uint8Array<ArrayBuffer>
}

export namespace Ask {
  let _codec: Codec<Ask>

  export const codec = (): Codec<Ask> => {
    if (_codec == null) {
      _codec = message<Ask>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if ((obj.target != null && obj.target.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.target)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          target: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              obj.target = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.target`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface AskIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface AskTargetFieldEvent {
    field: '$.target'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Ask>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Ask.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Ask>): Ask {
    return decodeMessage(buf, Ask.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Ask>): Generator<AskIdFieldEvent | AskTargetFieldEvent> {
    return streamMessage(buf, Ask.codec(), opts)
  }
}

export interface Hint {
  id: Uint8Array<ArrayBuffer>
}

export namespace Hint {
  let _codec: Codec<Hint>

  export const codec = (): Codec<Hint> => {
    if (_codec == null) {
      _codec = message<Hint>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface HintIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Hint>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Hint.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Hint>): Hint {
    return decodeMessage(buf, Hint.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Hint>): Generator<HintIdFieldEvent> {
    return streamMessage(buf, Hint.codec(), opts)
  }
}

export interface PresenceFrame {
  beacon?: Beacon
  query?: Query
  reply?: Reply
  sealed?: SealedBeacon
  ask?: Ask
  hint?: Hint
}

export namespace PresenceFrame {
  let _codec: Codec<PresenceFrame>

  export const codec = (): Codec<PresenceFrame> => {
    if (_codec == null) {
      _codec = message<PresenceFrame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.beacon != null) {
          w.uint32(10)
          Beacon.codec().encode(obj.beacon, w)
        }

        if (obj.query != null) {
          w.uint32(18)
          Query.codec().encode(obj.query, w)
        }

        if (obj.reply != null) {
          w.uint32(26)
          Reply.codec().encode(obj.reply, w)
        }

        if (obj.sealed != null) {
          w.uint32(34)
          SealedBeacon.codec().encode(obj.sealed, w)
        }

        if (obj.ask != null) {
          w.uint32(42)
          Ask.codec().encode(obj.ask, w)
        }

        if (obj.hint != null) {
          w.uint32(50)
          Hint.codec().encode(obj.hint, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.beacon = Beacon.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.beacon
              })
              break
            }
            case 2: {
              obj.query = Query.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.query
              })
              break
            }
            case 3: {
              obj.reply = Reply.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.reply
              })
              break
            }
            case 4: {
              obj.sealed = SealedBeacon.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.sealed
              })
              break
            }
            case 5: {
              obj.ask = Ask.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ask
              })
              break
            }
            case 6: {
              obj.hint = Hint.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.hint
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Beacon.codec().stream(reader, reader.uint32(), `${prefix}.beacon`, {
                limits: opts.limits?.beacon
              })

              break
            }
            case 2: {
              yield * Query.codec().stream(reader, reader.uint32(), `${prefix}.query`, {
                limits: opts.limits?.query
              })

              break
            }
            case 3: {
              yield * Reply.codec().stream(reader, reader.uint32(), `${prefix}.reply`, {
                limits: opts.limits?.reply
              })

              break
            }
            case 4: {
              yield * SealedBeacon.codec().stream(reader, reader.uint32(), `${prefix}.sealed`, {
                limits: opts.limits?.sealed
              })

              break
            }
            case 5: {
              yield * Ask.codec().stream(reader, reader.uint32(), `${prefix}.ask`, {
                limits: opts.limits?.ask
              })

              break
            }
            case 6: {
              yield * Hint.codec().stream(reader, reader.uint32(), `${prefix}.hint`, {
                limits: opts.limits?.hint
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PresenceFrameBeaconBodyFieldEvent {
    field: '$.beacon.body'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PresenceFrameBeaconSignatureFieldEvent {
    field: '$.beacon.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PresenceFrameBeaconBindingFieldEvent {
    field: '$.beacon.binding'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PresenceFrameQueryBodyFieldEvent {
    field: '$.query.body'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PresenceFrameQuerySignatureFieldEvent {
    field: '$.query.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PresenceFrameQueryBindingFieldEvent {
    field: '$.query.binding'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PresenceFrameQueryTtlFieldEvent {
    field: '$.query.ttl'
    value: number
  }

  export interface PresenceFrameReplyIdFieldEvent {
    field: '$.reply.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PresenceFrameReplyBeaconsBodyFieldEvent {
    field: '$.reply.beacons[].body'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PresenceFrameReplyBeaconsSignatureFieldEvent {
    field: '$.reply.beacons[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PresenceFrameReplyBeaconsBindingFieldEvent {
    field: '$.reply.beacons[].binding'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PresenceFrameReplySealedTagFieldEvent {
    field: '$.reply.sealed[].tag'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PresenceFrameReplySealedSealedFieldEvent {
    field: '$.reply.sealed[].sealed'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PresenceFrameSealedTagFieldEvent {
    field: '$.sealed.tag'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PresenceFrameSealedSealedFieldEvent {
    field: '$.sealed.sealed'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PresenceFrameAskIdFieldEvent {
    field: '$.ask.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PresenceFrameAskTargetFieldEvent {
    field: '$.ask.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PresenceFrameHintIdFieldEvent {
    field: '$.hint.id'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<PresenceFrame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PresenceFrame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PresenceFrame>): PresenceFrame {
    return decodeMessage(buf, PresenceFrame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PresenceFrame>): Generator<PresenceFrameBeaconBodyFieldEvent | PresenceFrameBeaconSignatureFieldEvent | PresenceFrameBeaconBindingFieldEvent | PresenceFrameQueryBodyFieldEvent | PresenceFrameQuerySignatureFieldEvent | PresenceFrameQueryBindingFieldEvent | PresenceFrameQueryTtlFieldEvent | PresenceFrameReplyIdFieldEvent | PresenceFrameReplyBeaconsBodyFieldEvent | PresenceFrameReplyBeaconsSignatureFieldEvent | PresenceFrameReplyBeaconsBindingFieldEvent | PresenceFrameReplySealedTagFieldEvent | PresenceFrameReplySealedSealedFieldEvent | PresenceFrameSealedTagFieldEvent | PresenceFrameSealedSealedFieldEvent | PresenceFrameAskIdFieldEvent | PresenceFrameAskTargetFieldEvent | PresenceFrameHintIdFieldEvent> {
    return streamMessage(buf, PresenceFrame.codec(), opts)
  }
}
