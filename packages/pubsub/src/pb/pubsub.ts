import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum RpcType {
  UNKNOWN = 'UNKNOWN',
  GOSSIP = 'GOSSIP',
  IHAVE = 'IHAVE',
  GRAFT = 'GRAFT',
  PRUNE = 'PRUNE',
  SUBSCRIPTIONS = 'SUBSCRIPTIONS',
  FIND = 'FIND',
  FOUND = 'FOUND',
  TOPIC_JOIN = 'TOPIC_JOIN',
  TOPIC_JOIN_REPLY = 'TOPIC_JOIN_REPLY',
  TOPIC_LEAVE = 'TOPIC_LEAVE',
  TOPIC_PING = 'TOPIC_PING',
  TOPIC_PONG = 'TOPIC_PONG',
  AE_DIGEST = 'AE_DIGEST',
  AE_SYMBOLS = 'AE_SYMBOLS',
  AE_MORE = 'AE_MORE',
  AE_WANT = 'AE_WANT'
}

enum __RpcTypeValues {
  UNKNOWN = 0,
  GOSSIP = 1,
  IHAVE = 2,
  GRAFT = 3,
  PRUNE = 4,
  SUBSCRIPTIONS = 5,
  FIND = 6,
  FOUND = 7,
  TOPIC_JOIN = 8,
  TOPIC_JOIN_REPLY = 9,
  TOPIC_LEAVE = 10,
  TOPIC_PING = 11,
  TOPIC_PONG = 12,
  AE_DIGEST = 13,
  AE_SYMBOLS = 14,
  AE_MORE = 15,
  AE_WANT = 16
}

export namespace RpcType {
  export const codec = (): Codec<RpcType> => {
    return enumeration<RpcType>(__RpcTypeValues)
  }
}

export interface IHaveEntry {
  id: Uint8Array<ArrayBuffer>
  round: number
}

export namespace IHaveEntry {
  let _codec: Codec<IHaveEntry>

  export const codec = (): Codec<IHaveEntry> => {
    if (_codec == null) {
      _codec = message<IHaveEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if ((obj.round != null && obj.round !== 0)) {
          w.uint32(16)
          w.uint32(obj.round)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          round: 0
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
              obj.round = reader.uint32()
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
                field: `${prefix}.round`,
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

  export interface IHaveEntryIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface IHaveEntryRoundFieldEvent {
    field: '$.round'
    value: number
  }

  export function encode (obj: Partial<IHaveEntry>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, IHaveEntry.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IHaveEntry>): IHaveEntry {
    return decodeMessage(buf, IHaveEntry.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IHaveEntry>): Generator<IHaveEntryIdFieldEvent | IHaveEntryRoundFieldEvent> {
    return streamMessage(buf, IHaveEntry.codec(), opts)
  }
}

export interface Symbol {
  count: number
  hi: number
  lo: number
  check: number
}

export namespace Symbol {
  let _codec: Codec<Symbol>

  export const codec = (): Codec<Symbol> => {
    if (_codec == null) {
      _codec = message<Symbol>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.count != null && obj.count !== 0)) {
          w.uint32(8)
          w.sint64Number(obj.count)
        }

        if ((obj.hi != null && obj.hi !== 0)) {
          w.uint32(21)
          w.fixed32(obj.hi)
        }

        if ((obj.lo != null && obj.lo !== 0)) {
          w.uint32(29)
          w.fixed32(obj.lo)
        }

        if ((obj.check != null && obj.check !== 0)) {
          w.uint32(37)
          w.fixed32(obj.check)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          count: 0,
          hi: 0,
          lo: 0,
          check: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.count = reader.sint64Number()
              break
            }
            case 2: {
              obj.hi = reader.fixed32()
              break
            }
            case 3: {
              obj.lo = reader.fixed32()
              break
            }
            case 4: {
              obj.check = reader.fixed32()
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
                field: `${prefix}.count`,
                value: reader.sint64Number()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.hi`,
                value: reader.fixed32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.lo`,
                value: reader.fixed32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.check`,
                value: reader.fixed32()
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

  export interface SymbolCountFieldEvent {
    field: '$.count'
    value: number
  }

  export interface SymbolHiFieldEvent {
    field: '$.hi'
    value: number
  }

  export interface SymbolLoFieldEvent {
    field: '$.lo'
    value: number
  }

  export interface SymbolCheckFieldEvent {
    field: '$.check'
    value: number
  }

  export function encode (obj: Partial<Symbol>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Symbol.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Symbol>): Symbol {
    return decodeMessage(buf, Symbol.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Symbol>): Generator<SymbolCountFieldEvent | SymbolHiFieldEvent | SymbolLoFieldEvent | SymbolCheckFieldEvent> {
    return streamMessage(buf, Symbol.codec(), opts)
  }
}

export interface PeerAddresses {
  id: Uint8Array<ArrayBuffer>
  addrs: Uint8Array<ArrayBuffer>[]
}

export namespace PeerAddresses {
  let _codec: Codec<PeerAddresses>

  export const codec = (): Codec<PeerAddresses> => {
    if (_codec == null) {
      _codec = message<PeerAddresses>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          addrs: []
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
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
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

  export interface PeerAddressesIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerAddressesAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<PeerAddresses>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PeerAddresses.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerAddresses>): PeerAddresses {
    return decodeMessage(buf, PeerAddresses.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerAddresses>): Generator<PeerAddressesIdFieldEvent | PeerAddressesAddrsFieldEvent> {
    return streamMessage(buf, PeerAddresses.codec(), opts)
  }
}

export interface Rpc {
  type: RpcType
  topic: string
  id: Uint8Array<ArrayBuffer>
  round: number
  publishedAt: number
  payload: Uint8Array<ArrayBuffer>
  header: Uint8Array<ArrayBuffer>
  flag: boolean
  entries: IHaveEntry[]
  subscribe: string[]
  unsubscribe: string[]
  peer: Uint8Array<ArrayBuffer>
  peers: Uint8Array<ArrayBuffer>[]
  ttl: number
  nonce: number
  from: number
  to: number
  count: number
  digest: Uint8Array<ArrayBuffer>
  offset: number
  symbols: Symbol[]
  shortIds: Uint8Array<ArrayBuffer>[]
  originBinding: Uint8Array<ArrayBuffer>
  addresses: PeerAddresses[]
  flood: boolean
  wave: number
  originKey: Uint8Array<ArrayBuffer>
}

export namespace Rpc {
  let _codec: Codec<Rpc>

  export const codec = (): Codec<Rpc> => {
    if (_codec == null) {
      _codec = message<Rpc>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __RpcTypeValues[obj.type] !== 0) {
          w.uint32(8)
          RpcType.codec().encode(obj.type, w)
        }

        if ((obj.topic != null && obj.topic !== '')) {
          w.uint32(18)
          w.string(obj.topic)
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.id)
        }

        if ((obj.round != null && obj.round !== 0)) {
          w.uint32(32)
          w.uint32(obj.round)
        }

        if ((obj.publishedAt != null && obj.publishedAt !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.publishedAt)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.payload)
        }

        if ((obj.header != null && obj.header.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.header)
        }

        if ((obj.flag != null && obj.flag !== false)) {
          w.uint32(64)
          w.bool(obj.flag)
        }

        if (obj.entries != null && obj.entries.length > 0) {
          for (const value of obj.entries) {
            w.uint32(74)
            IHaveEntry.codec().encode(value, w)
          }
        }

        if (obj.subscribe != null && obj.subscribe.length > 0) {
          for (const value of obj.subscribe) {
            w.uint32(82)
            w.string(value)
          }
        }

        if (obj.unsubscribe != null && obj.unsubscribe.length > 0) {
          for (const value of obj.unsubscribe) {
            w.uint32(90)
            w.string(value)
          }
        }

        if ((obj.peer != null && obj.peer.byteLength > 0)) {
          w.uint32(98)
          w.bytes(obj.peer)
        }

        if (obj.peers != null && obj.peers.length > 0) {
          for (const value of obj.peers) {
            w.uint32(106)
            w.bytes(value)
          }
        }

        if ((obj.ttl != null && obj.ttl !== 0)) {
          w.uint32(112)
          w.uint32(obj.ttl)
        }

        if ((obj.nonce != null && obj.nonce !== 0)) {
          w.uint32(120)
          w.uint64Number(obj.nonce)
        }

        if ((obj.from != null && obj.from !== 0)) {
          w.uint32(128)
          w.uint64Number(obj.from)
        }

        if ((obj.to != null && obj.to !== 0)) {
          w.uint32(136)
          w.uint64Number(obj.to)
        }

        if ((obj.count != null && obj.count !== 0)) {
          w.uint32(144)
          w.uint32(obj.count)
        }

        if ((obj.digest != null && obj.digest.byteLength > 0)) {
          w.uint32(154)
          w.bytes(obj.digest)
        }

        if ((obj.offset != null && obj.offset !== 0)) {
          w.uint32(160)
          w.uint32(obj.offset)
        }

        if (obj.symbols != null && obj.symbols.length > 0) {
          for (const value of obj.symbols) {
            w.uint32(170)
            Symbol.codec().encode(value, w)
          }
        }

        if (obj.shortIds != null && obj.shortIds.length > 0) {
          for (const value of obj.shortIds) {
            w.uint32(178)
            w.bytes(value)
          }
        }

        if ((obj.originBinding != null && obj.originBinding.byteLength > 0)) {
          w.uint32(186)
          w.bytes(obj.originBinding)
        }

        if (obj.addresses != null && obj.addresses.length > 0) {
          for (const value of obj.addresses) {
            w.uint32(194)
            PeerAddresses.codec().encode(value, w)
          }
        }

        if ((obj.flood != null && obj.flood !== false)) {
          w.uint32(200)
          w.bool(obj.flood)
        }

        if ((obj.wave != null && obj.wave !== 0)) {
          w.uint32(208)
          w.uint32(obj.wave)
        }

        if ((obj.originKey != null && obj.originKey.byteLength > 0)) {
          w.uint32(218)
          w.bytes(obj.originKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: RpcType.UNKNOWN,
          topic: '',
          id: uint8ArrayAlloc(0),
          round: 0,
          publishedAt: 0,
          payload: uint8ArrayAlloc(0),
          header: uint8ArrayAlloc(0),
          flag: false,
          entries: [],
          subscribe: [],
          unsubscribe: [],
          peer: uint8ArrayAlloc(0),
          peers: [],
          ttl: 0,
          nonce: 0,
          from: 0,
          to: 0,
          count: 0,
          digest: uint8ArrayAlloc(0),
          offset: 0,
          symbols: [],
          shortIds: [],
          originBinding: uint8ArrayAlloc(0),
          addresses: [],
          flood: false,
          wave: 0,
          originKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = RpcType.codec().decode(reader)
              break
            }
            case 2: {
              obj.topic = reader.string()
              break
            }
            case 3: {
              obj.id = reader.bytes()
              break
            }
            case 4: {
              obj.round = reader.uint32()
              break
            }
            case 5: {
              obj.publishedAt = reader.uint64Number()
              break
            }
            case 6: {
              obj.payload = reader.bytes()
              break
            }
            case 7: {
              obj.header = reader.bytes()
              break
            }
            case 8: {
              obj.flag = reader.bool()
              break
            }
            case 9: {
              if (opts.limits?.entries != null && obj.entries.length === opts.limits.entries) {
                throw new MaxLengthError('Decode error - repeated field "entries" had too many elements')
              }

              obj.entries.push(IHaveEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.entries$
              }))
              break
            }
            case 10: {
              if (opts.limits?.subscribe != null && obj.subscribe.length === opts.limits.subscribe) {
                throw new MaxLengthError('Decode error - repeated field "subscribe" had too many elements')
              }

              obj.subscribe.push(reader.string())
              break
            }
            case 11: {
              if (opts.limits?.unsubscribe != null && obj.unsubscribe.length === opts.limits.unsubscribe) {
                throw new MaxLengthError('Decode error - repeated field "unsubscribe" had too many elements')
              }

              obj.unsubscribe.push(reader.string())
              break
            }
            case 12: {
              obj.peer = reader.bytes()
              break
            }
            case 13: {
              if (opts.limits?.peers != null && obj.peers.length === opts.limits.peers) {
                throw new MaxLengthError('Decode error - repeated field "peers" had too many elements')
              }

              obj.peers.push(reader.bytes())
              break
            }
            case 14: {
              obj.ttl = reader.uint32()
              break
            }
            case 15: {
              obj.nonce = reader.uint64Number()
              break
            }
            case 16: {
              obj.from = reader.uint64Number()
              break
            }
            case 17: {
              obj.to = reader.uint64Number()
              break
            }
            case 18: {
              obj.count = reader.uint32()
              break
            }
            case 19: {
              obj.digest = reader.bytes()
              break
            }
            case 20: {
              obj.offset = reader.uint32()
              break
            }
            case 21: {
              if (opts.limits?.symbols != null && obj.symbols.length === opts.limits.symbols) {
                throw new MaxLengthError('Decode error - repeated field "symbols" had too many elements')
              }

              obj.symbols.push(Symbol.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.symbols$
              }))
              break
            }
            case 22: {
              if (opts.limits?.shortIds != null && obj.shortIds.length === opts.limits.shortIds) {
                throw new MaxLengthError('Decode error - repeated field "shortIds" had too many elements')
              }

              obj.shortIds.push(reader.bytes())
              break
            }
            case 23: {
              obj.originBinding = reader.bytes()
              break
            }
            case 24: {
              if (opts.limits?.addresses != null && obj.addresses.length === opts.limits.addresses) {
                throw new MaxLengthError('Decode error - repeated field "addresses" had too many elements')
              }

              obj.addresses.push(PeerAddresses.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.addresses$
              }))
              break
            }
            case 25: {
              obj.flood = reader.bool()
              break
            }
            case 26: {
              obj.wave = reader.uint32()
              break
            }
            case 27: {
              obj.originKey = reader.bytes()
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
          entries: 0,
          subscribe: 0,
          unsubscribe: 0,
          peers: 0,
          symbols: 0,
          shortIds: 0,
          addresses: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.type`,
                value: RpcType.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.topic`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.round`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.publishedAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.payload`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.header`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.flag`,
                value: reader.bool()
              }
              break
            }
            case 9: {
              if (opts.limits?.entries != null && obj.entries === opts.limits.entries) {
                throw new MaxLengthError('Streaming decode error - repeated field "entries" had too many elements')
              }

              for (const evt of IHaveEntry.codec().stream(reader, reader.uint32(), `${prefix}.entries[]`, {
                limits: opts.limits?.entries$
              })) {
                yield {
                  ...evt,
                  index: obj.entries
                }
              }

              obj.entries++

              break
            }
            case 10: {
              if (opts.limits?.subscribe != null && obj.subscribe === opts.limits.subscribe) {
                throw new MaxLengthError('Streaming decode error - repeated field "subscribe" had too many elements')
              }

              yield {
                field: `${prefix}.subscribe[]`,
                index: obj.subscribe,
                value: reader.string()
              }

              obj.subscribe++

              break
            }
            case 11: {
              if (opts.limits?.unsubscribe != null && obj.unsubscribe === opts.limits.unsubscribe) {
                throw new MaxLengthError('Streaming decode error - repeated field "unsubscribe" had too many elements')
              }

              yield {
                field: `${prefix}.unsubscribe[]`,
                index: obj.unsubscribe,
                value: reader.string()
              }

              obj.unsubscribe++

              break
            }
            case 12: {
              yield {
                field: `${prefix}.peer`,
                value: reader.bytes()
              }
              break
            }
            case 13: {
              if (opts.limits?.peers != null && obj.peers === opts.limits.peers) {
                throw new MaxLengthError('Streaming decode error - repeated field "peers" had too many elements')
              }

              yield {
                field: `${prefix}.peers[]`,
                index: obj.peers,
                value: reader.bytes()
              }

              obj.peers++

              break
            }
            case 14: {
              yield {
                field: `${prefix}.ttl`,
                value: reader.uint32()
              }
              break
            }
            case 15: {
              yield {
                field: `${prefix}.nonce`,
                value: reader.uint64Number()
              }
              break
            }
            case 16: {
              yield {
                field: `${prefix}.from`,
                value: reader.uint64Number()
              }
              break
            }
            case 17: {
              yield {
                field: `${prefix}.to`,
                value: reader.uint64Number()
              }
              break
            }
            case 18: {
              yield {
                field: `${prefix}.count`,
                value: reader.uint32()
              }
              break
            }
            case 19: {
              yield {
                field: `${prefix}.digest`,
                value: reader.bytes()
              }
              break
            }
            case 20: {
              yield {
                field: `${prefix}.offset`,
                value: reader.uint32()
              }
              break
            }
            case 21: {
              if (opts.limits?.symbols != null && obj.symbols === opts.limits.symbols) {
                throw new MaxLengthError('Streaming decode error - repeated field "symbols" had too many elements')
              }

              for (const evt of Symbol.codec().stream(reader, reader.uint32(), `${prefix}.symbols[]`, {
                limits: opts.limits?.symbols$
              })) {
                yield {
                  ...evt,
                  index: obj.symbols
                }
              }

              obj.symbols++

              break
            }
            case 22: {
              if (opts.limits?.shortIds != null && obj.shortIds === opts.limits.shortIds) {
                throw new MaxLengthError('Streaming decode error - repeated field "shortIds" had too many elements')
              }

              yield {
                field: `${prefix}.shortIds[]`,
                index: obj.shortIds,
                value: reader.bytes()
              }

              obj.shortIds++

              break
            }
            case 23: {
              yield {
                field: `${prefix}.originBinding`,
                value: reader.bytes()
              }
              break
            }
            case 24: {
              if (opts.limits?.addresses != null && obj.addresses === opts.limits.addresses) {
                throw new MaxLengthError('Streaming decode error - repeated field "addresses" had too many elements')
              }

              for (const evt of PeerAddresses.codec().stream(reader, reader.uint32(), `${prefix}.addresses[]`, {
                limits: opts.limits?.addresses$
              })) {
                yield {
                  ...evt,
                  index: obj.addresses
                }
              }

              obj.addresses++

              break
            }
            case 25: {
              yield {
                field: `${prefix}.flood`,
                value: reader.bool()
              }
              break
            }
            case 26: {
              yield {
                field: `${prefix}.wave`,
                value: reader.uint32()
              }
              break
            }
            case 27: {
              yield {
                field: `${prefix}.originKey`,
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

  export interface RpcTypeFieldEvent {
    field: '$.type'
    value: RpcType
  }

  export interface RpcTopicFieldEvent {
    field: '$.topic'
    value: string
  }

  export interface RpcIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RpcRoundFieldEvent {
    field: '$.round'
    value: number
  }

  export interface RpcPublishedAtFieldEvent {
    field: '$.publishedAt'
    value: number
  }

  export interface RpcPayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RpcHeaderFieldEvent {
    field: '$.header'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RpcFlagFieldEvent {
    field: '$.flag'
    value: boolean
  }

  export interface RpcEntriesIdFieldEvent {
    field: '$.entries[].id'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RpcEntriesRoundFieldEvent {
    field: '$.entries[].round'
    value: number
    index: number
  }

  export interface RpcSubscribeFieldEvent {
    field: '$.subscribe[]'
    index: number
    value: string
  }

  export interface RpcUnsubscribeFieldEvent {
    field: '$.unsubscribe[]'
    index: number
    value: string
  }

  export interface RpcPeerFieldEvent {
    field: '$.peer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RpcPeersFieldEvent {
    field: '$.peers[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RpcTtlFieldEvent {
    field: '$.ttl'
    value: number
  }

  export interface RpcNonceFieldEvent {
    field: '$.nonce'
    value: number
  }

  export interface RpcFromFieldEvent {
    field: '$.from'
    value: number
  }

  export interface RpcToFieldEvent {
    field: '$.to'
    value: number
  }

  export interface RpcCountFieldEvent {
    field: '$.count'
    value: number
  }

  export interface RpcDigestFieldEvent {
    field: '$.digest'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RpcOffsetFieldEvent {
    field: '$.offset'
    value: number
  }

  export interface RpcSymbolsCountFieldEvent {
    field: '$.symbols[].count'
    value: number
    index: number
  }

  export interface RpcSymbolsHiFieldEvent {
    field: '$.symbols[].hi'
    value: number
    index: number
  }

  export interface RpcSymbolsLoFieldEvent {
    field: '$.symbols[].lo'
    value: number
    index: number
  }

  export interface RpcSymbolsCheckFieldEvent {
    field: '$.symbols[].check'
    value: number
    index: number
  }

  export interface RpcShortIdsFieldEvent {
    field: '$.shortIds[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RpcOriginBindingFieldEvent {
    field: '$.originBinding'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RpcAddressesIdFieldEvent {
    field: '$.addresses[].id'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RpcAddressesAddrsFieldEvent {
    field: '$.addresses[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RpcFloodFieldEvent {
    field: '$.flood'
    value: boolean
  }

  export interface RpcWaveFieldEvent {
    field: '$.wave'
    value: number
  }

  export interface RpcOriginKeyFieldEvent {
    field: '$.originKey'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Rpc>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Rpc.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Rpc>): Rpc {
    return decodeMessage(buf, Rpc.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Rpc>): Generator<RpcTypeFieldEvent | RpcTopicFieldEvent | RpcIdFieldEvent | RpcRoundFieldEvent | RpcPublishedAtFieldEvent | RpcPayloadFieldEvent | RpcHeaderFieldEvent | RpcFlagFieldEvent | RpcEntriesIdFieldEvent | RpcEntriesRoundFieldEvent | RpcSubscribeFieldEvent | RpcUnsubscribeFieldEvent | RpcPeerFieldEvent | RpcPeersFieldEvent | RpcTtlFieldEvent | RpcNonceFieldEvent | RpcFromFieldEvent | RpcToFieldEvent | RpcCountFieldEvent | RpcDigestFieldEvent | RpcOffsetFieldEvent | RpcSymbolsCountFieldEvent | RpcSymbolsHiFieldEvent | RpcSymbolsLoFieldEvent | RpcSymbolsCheckFieldEvent | RpcShortIdsFieldEvent | RpcOriginBindingFieldEvent | RpcAddressesIdFieldEvent | RpcAddressesAddrsFieldEvent | RpcFloodFieldEvent | RpcWaveFieldEvent | RpcOriginKeyFieldEvent> {
    return streamMessage(buf, Rpc.codec(), opts)
  }
}

export interface OriginHeader {
  from: Uint8Array<ArrayBuffer>
  seqno: number
  signature: Uint8Array<ArrayBuffer>
  libp2pSeqno: Uint8Array<ArrayBuffer>
  libp2pKey: Uint8Array<ArrayBuffer>
}

export namespace OriginHeader {
  let _codec: Codec<OriginHeader>

  export const codec = (): Codec<OriginHeader> => {
    if (_codec == null) {
      _codec = message<OriginHeader>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.from != null && obj.from.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.from)
        }

        if ((obj.seqno != null && obj.seqno !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.seqno)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.signature)
        }

        if ((obj.libp2pSeqno != null && obj.libp2pSeqno.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.libp2pSeqno)
        }

        if ((obj.libp2pKey != null && obj.libp2pKey.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.libp2pKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          from: uint8ArrayAlloc(0),
          seqno: 0,
          signature: uint8ArrayAlloc(0),
          libp2pSeqno: uint8ArrayAlloc(0),
          libp2pKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.from = reader.bytes()
              break
            }
            case 2: {
              obj.seqno = reader.uint64Number()
              break
            }
            case 3: {
              obj.signature = reader.bytes()
              break
            }
            case 4: {
              obj.libp2pSeqno = reader.bytes()
              break
            }
            case 5: {
              obj.libp2pKey = reader.bytes()
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
                field: `${prefix}.from`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.seqno`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.libp2pSeqno`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.libp2pKey`,
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

  export interface OriginHeaderFromFieldEvent {
    field: '$.from'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OriginHeaderSeqnoFieldEvent {
    field: '$.seqno'
    value: number
  }

  export interface OriginHeaderSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OriginHeaderLibp2pSeqnoFieldEvent {
    field: '$.libp2pSeqno'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OriginHeaderLibp2pKeyFieldEvent {
    field: '$.libp2pKey'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<OriginHeader>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, OriginHeader.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OriginHeader>): OriginHeader {
    return decodeMessage(buf, OriginHeader.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OriginHeader>): Generator<OriginHeaderFromFieldEvent | OriginHeaderSeqnoFieldEvent | OriginHeaderSignatureFieldEvent | OriginHeaderLibp2pSeqnoFieldEvent | OriginHeaderLibp2pKeyFieldEvent> {
    return streamMessage(buf, OriginHeader.codec(), opts)
  }
}

export interface Libp2pSignedFields {
  from?: Uint8Array<ArrayBuffer>
  data?: Uint8Array<ArrayBuffer>
  seqno?: Uint8Array<ArrayBuffer>
  topic?: string
}

export namespace Libp2pSignedFields {
  let _codec: Codec<Libp2pSignedFields>

  export const codec = (): Codec<Libp2pSignedFields> => {
    if (_codec == null) {
      _codec = message<Libp2pSignedFields>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.from != null) {
          w.uint32(10)
          w.bytes(obj.from)
        }

        if (obj.data != null) {
          w.uint32(18)
          w.bytes(obj.data)
        }

        if (obj.seqno != null) {
          w.uint32(26)
          w.bytes(obj.seqno)
        }

        if (obj.topic != null) {
          w.uint32(34)
          w.string(obj.topic)
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
              obj.from = reader.bytes()
              break
            }
            case 2: {
              obj.data = reader.bytes()
              break
            }
            case 3: {
              obj.seqno = reader.bytes()
              break
            }
            case 4: {
              obj.topic = reader.string()
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
                field: `${prefix}.from`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.data`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.seqno`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.topic`,
                value: reader.string()
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

  export interface Libp2pSignedFieldsFromFieldEvent {
    field: '$.from'
    value: Uint8Array<ArrayBuffer>
  }

  export interface Libp2pSignedFieldsDataFieldEvent {
    field: '$.data'
    value: Uint8Array<ArrayBuffer>
  }

  export interface Libp2pSignedFieldsSeqnoFieldEvent {
    field: '$.seqno'
    value: Uint8Array<ArrayBuffer>
  }

  export interface Libp2pSignedFieldsTopicFieldEvent {
    field: '$.topic'
    value: string
  }

  export function encode (obj: Partial<Libp2pSignedFields>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Libp2pSignedFields.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Libp2pSignedFields>): Libp2pSignedFields {
    return decodeMessage(buf, Libp2pSignedFields.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Libp2pSignedFields>): Generator<Libp2pSignedFieldsFromFieldEvent | Libp2pSignedFieldsDataFieldEvent | Libp2pSignedFieldsSeqnoFieldEvent | Libp2pSignedFieldsTopicFieldEvent> {
    return streamMessage(buf, Libp2pSignedFields.codec(), opts)
  }
}

export interface BridgeAnnounce {
  topics: string[]
}

export namespace BridgeAnnounce {
  let _codec: Codec<BridgeAnnounce>

  export const codec = (): Codec<BridgeAnnounce> => {
    if (_codec == null) {
      _codec = message<BridgeAnnounce>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.topics != null && obj.topics.length > 0) {
          for (const value of obj.topics) {
            w.uint32(10)
            w.string(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          topics: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.topics != null && obj.topics.length === opts.limits.topics) {
                throw new MaxLengthError('Decode error - repeated field "topics" had too many elements')
              }

              obj.topics.push(reader.string())
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
          topics: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.topics != null && obj.topics === opts.limits.topics) {
                throw new MaxLengthError('Streaming decode error - repeated field "topics" had too many elements')
              }

              yield {
                field: `${prefix}.topics[]`,
                index: obj.topics,
                value: reader.string()
              }

              obj.topics++

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

  export interface BridgeAnnounceTopicsFieldEvent {
    field: '$.topics[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<BridgeAnnounce>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BridgeAnnounce.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BridgeAnnounce>): BridgeAnnounce {
    return decodeMessage(buf, BridgeAnnounce.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BridgeAnnounce>): Generator<BridgeAnnounceTopicsFieldEvent> {
    return streamMessage(buf, BridgeAnnounce.codec(), opts)
  }
}
