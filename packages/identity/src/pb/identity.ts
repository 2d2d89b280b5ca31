import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface BindingRecord {
  version: number
  mlDsaPublicKey: Uint8Array<ArrayBuffer>
  peerId: Uint8Array<ArrayBuffer>
  libp2pPublicKey: Uint8Array<ArrayBuffer>
  createdAtMs: number
  mlDsaSignature: Uint8Array<ArrayBuffer>
  libp2pSignature: Uint8Array<ArrayBuffer>
  secureChannels: string[]
}

export namespace BindingRecord {
  let _codec: Codec<BindingRecord>

  export const codec = (): Codec<BindingRecord> => {
    if (_codec == null) {
      _codec = message<BindingRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.mlDsaPublicKey != null && obj.mlDsaPublicKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.mlDsaPublicKey)
        }

        if ((obj.peerId != null && obj.peerId.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.peerId)
        }

        if ((obj.libp2pPublicKey != null && obj.libp2pPublicKey.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.libp2pPublicKey)
        }

        if ((obj.createdAtMs != null && obj.createdAtMs !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.createdAtMs)
        }

        if ((obj.mlDsaSignature != null && obj.mlDsaSignature.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.mlDsaSignature)
        }

        if ((obj.libp2pSignature != null && obj.libp2pSignature.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.libp2pSignature)
        }

        if (obj.secureChannels != null && obj.secureChannels.length > 0) {
          for (const value of obj.secureChannels) {
            w.uint32(66)
            w.string(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          mlDsaPublicKey: uint8ArrayAlloc(0),
          peerId: uint8ArrayAlloc(0),
          libp2pPublicKey: uint8ArrayAlloc(0),
          createdAtMs: 0,
          mlDsaSignature: uint8ArrayAlloc(0),
          libp2pSignature: uint8ArrayAlloc(0),
          secureChannels: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.mlDsaPublicKey = reader.bytes()
              break
            }
            case 3: {
              obj.peerId = reader.bytes()
              break
            }
            case 4: {
              obj.libp2pPublicKey = reader.bytes()
              break
            }
            case 5: {
              obj.createdAtMs = reader.uint64Number()
              break
            }
            case 6: {
              obj.mlDsaSignature = reader.bytes()
              break
            }
            case 7: {
              obj.libp2pSignature = reader.bytes()
              break
            }
            case 8: {
              if (opts.limits?.secureChannels != null && obj.secureChannels.length === opts.limits.secureChannels) {
                throw new MaxLengthError('Decode error - repeated field "secureChannels" had too many elements')
              }

              obj.secureChannels.push(reader.string())
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
          secureChannels: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.mlDsaPublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.peerId`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.libp2pPublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.createdAtMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.mlDsaSignature`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.libp2pSignature`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              if (opts.limits?.secureChannels != null && obj.secureChannels === opts.limits.secureChannels) {
                throw new MaxLengthError('Streaming decode error - repeated field "secureChannels" had too many elements')
              }

              yield {
                field: `${prefix}.secureChannels[]`,
                index: obj.secureChannels,
                value: reader.string()
              }

              obj.secureChannels++

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

  export interface BindingRecordVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface BindingRecordMlDsaPublicKeyFieldEvent {
    field: '$.mlDsaPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BindingRecordPeerIdFieldEvent {
    field: '$.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BindingRecordLibp2pPublicKeyFieldEvent {
    field: '$.libp2pPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BindingRecordCreatedAtMsFieldEvent {
    field: '$.createdAtMs'
    value: number
  }

  export interface BindingRecordMlDsaSignatureFieldEvent {
    field: '$.mlDsaSignature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BindingRecordLibp2pSignatureFieldEvent {
    field: '$.libp2pSignature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BindingRecordSecureChannelsFieldEvent {
    field: '$.secureChannels[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<BindingRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BindingRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BindingRecord>): BindingRecord {
    return decodeMessage(buf, BindingRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BindingRecord>): Generator<BindingRecordVersionFieldEvent | BindingRecordMlDsaPublicKeyFieldEvent | BindingRecordPeerIdFieldEvent | BindingRecordLibp2pPublicKeyFieldEvent | BindingRecordCreatedAtMsFieldEvent | BindingRecordMlDsaSignatureFieldEvent | BindingRecordLibp2pSignatureFieldEvent | BindingRecordSecureChannelsFieldEvent> {
    return streamMessage(buf, BindingRecord.codec(), opts)
  }
}

export interface IdentityExchange {
  binding?: BindingRecord
}

export namespace IdentityExchange {
  let _codec: Codec<IdentityExchange>

  export const codec = (): Codec<IdentityExchange> => {
    if (_codec == null) {
      _codec = message<IdentityExchange>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.binding != null) {
          w.uint32(10)
          BindingRecord.codec().encode(obj.binding, w)
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
              obj.binding = BindingRecord.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.binding
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
              yield * BindingRecord.codec().stream(reader, reader.uint32(), `${prefix}.binding`, {
                limits: opts.limits?.binding
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

  export interface IdentityExchangeBindingVersionFieldEvent {
    field: '$.binding.version'
    value: number
  }

  export interface IdentityExchangeBindingMlDsaPublicKeyFieldEvent {
    field: '$.binding.mlDsaPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface IdentityExchangeBindingPeerIdFieldEvent {
    field: '$.binding.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface IdentityExchangeBindingLibp2pPublicKeyFieldEvent {
    field: '$.binding.libp2pPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface IdentityExchangeBindingCreatedAtMsFieldEvent {
    field: '$.binding.createdAtMs'
    value: number
  }

  export interface IdentityExchangeBindingMlDsaSignatureFieldEvent {
    field: '$.binding.mlDsaSignature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface IdentityExchangeBindingLibp2pSignatureFieldEvent {
    field: '$.binding.libp2pSignature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface IdentityExchangeBindingSecureChannelsFieldEvent {
    field: '$.binding.secureChannels[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<IdentityExchange>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, IdentityExchange.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IdentityExchange>): IdentityExchange {
    return decodeMessage(buf, IdentityExchange.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IdentityExchange>): Generator<IdentityExchangeBindingVersionFieldEvent | IdentityExchangeBindingMlDsaPublicKeyFieldEvent | IdentityExchangeBindingPeerIdFieldEvent | IdentityExchangeBindingLibp2pPublicKeyFieldEvent | IdentityExchangeBindingCreatedAtMsFieldEvent | IdentityExchangeBindingMlDsaSignatureFieldEvent | IdentityExchangeBindingLibp2pSignatureFieldEvent | IdentityExchangeBindingSecureChannelsFieldEvent> {
    return streamMessage(buf, IdentityExchange.codec(), opts)
  }
}

export interface BindingLookup {
  peerId: Uint8Array<ArrayBuffer>
}

export namespace BindingLookup {
  let _codec: Codec<BindingLookup>

  export const codec = (): Codec<BindingLookup> => {
    if (_codec == null) {
      _codec = message<BindingLookup>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peerId != null && obj.peerId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.peerId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peerId: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peerId = reader.bytes()
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
                field: `${prefix}.peerId`,
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

  export interface BindingLookupPeerIdFieldEvent {
    field: '$.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<BindingLookup>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BindingLookup.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BindingLookup>): BindingLookup {
    return decodeMessage(buf, BindingLookup.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BindingLookup>): Generator<BindingLookupPeerIdFieldEvent> {
    return streamMessage(buf, BindingLookup.codec(), opts)
  }
}

export interface BindingLookupReply {
  binding?: BindingRecord
}

export namespace BindingLookupReply {
  let _codec: Codec<BindingLookupReply>

  export const codec = (): Codec<BindingLookupReply> => {
    if (_codec == null) {
      _codec = message<BindingLookupReply>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.binding != null) {
          w.uint32(10)
          BindingRecord.codec().encode(obj.binding, w)
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
              obj.binding = BindingRecord.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.binding
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
              yield * BindingRecord.codec().stream(reader, reader.uint32(), `${prefix}.binding`, {
                limits: opts.limits?.binding
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

  export interface BindingLookupReplyBindingVersionFieldEvent {
    field: '$.binding.version'
    value: number
  }

  export interface BindingLookupReplyBindingMlDsaPublicKeyFieldEvent {
    field: '$.binding.mlDsaPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BindingLookupReplyBindingPeerIdFieldEvent {
    field: '$.binding.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BindingLookupReplyBindingLibp2pPublicKeyFieldEvent {
    field: '$.binding.libp2pPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BindingLookupReplyBindingCreatedAtMsFieldEvent {
    field: '$.binding.createdAtMs'
    value: number
  }

  export interface BindingLookupReplyBindingMlDsaSignatureFieldEvent {
    field: '$.binding.mlDsaSignature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BindingLookupReplyBindingLibp2pSignatureFieldEvent {
    field: '$.binding.libp2pSignature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BindingLookupReplyBindingSecureChannelsFieldEvent {
    field: '$.binding.secureChannels[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<BindingLookupReply>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BindingLookupReply.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BindingLookupReply>): BindingLookupReply {
    return decodeMessage(buf, BindingLookupReply.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BindingLookupReply>): Generator<BindingLookupReplyBindingVersionFieldEvent | BindingLookupReplyBindingMlDsaPublicKeyFieldEvent | BindingLookupReplyBindingPeerIdFieldEvent | BindingLookupReplyBindingLibp2pPublicKeyFieldEvent | BindingLookupReplyBindingCreatedAtMsFieldEvent | BindingLookupReplyBindingMlDsaSignatureFieldEvent | BindingLookupReplyBindingLibp2pSignatureFieldEvent | BindingLookupReplyBindingSecureChannelsFieldEvent> {
    return streamMessage(buf, BindingLookupReply.codec(), opts)
  }
}
