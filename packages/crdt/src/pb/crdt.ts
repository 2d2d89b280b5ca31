import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface DotRange {
  replica: string
  from: number
  to: number
}

export namespace DotRange {
  let _codec: Codec<DotRange>

  export const codec = (): Codec<DotRange> => {
    if (_codec == null) {
      _codec = message<DotRange>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.replica != null && obj.replica !== '')) {
          w.uint32(10)
          w.string(obj.replica)
        }

        if ((obj.from != null && obj.from !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.from)
        }

        if ((obj.to != null && obj.to !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.to)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          replica: '',
          from: 0,
          to: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.replica = reader.string()
              break
            }
            case 2: {
              obj.from = reader.uint64Number()
              break
            }
            case 3: {
              obj.to = reader.uint64Number()
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
                field: `${prefix}.replica`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.from`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.to`,
                value: reader.uint64Number()
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

  export interface DotRangeReplicaFieldEvent {
    field: '$.replica'
    value: string
  }

  export interface DotRangeFromFieldEvent {
    field: '$.from'
    value: number
  }

  export interface DotRangeToFieldEvent {
    field: '$.to'
    value: number
  }

  export function encode (obj: Partial<DotRange>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DotRange.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DotRange>): DotRange {
    return decodeMessage(buf, DotRange.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DotRange>): Generator<DotRangeReplicaFieldEvent | DotRangeFromFieldEvent | DotRangeToFieldEvent> {
    return streamMessage(buf, DotRange.codec(), opts)
  }
}

export interface OrSetEntry {
  element: string
  replica: string
  seqs: number[]
}

export namespace OrSetEntry {
  let _codec: Codec<OrSetEntry>

  export const codec = (): Codec<OrSetEntry> => {
    if (_codec == null) {
      _codec = message<OrSetEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.element != null && obj.element !== '')) {
          w.uint32(10)
          w.string(obj.element)
        }

        if ((obj.replica != null && obj.replica !== '')) {
          w.uint32(18)
          w.string(obj.replica)
        }

        if (obj.seqs != null && obj.seqs.length > 0) {
          for (const value of obj.seqs) {
            w.uint32(24)
            w.uint64Number(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          element: '',
          replica: '',
          seqs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.element = reader.string()
              break
            }
            case 2: {
              obj.replica = reader.string()
              break
            }
            case 3: {
              if (opts.limits?.seqs != null && obj.seqs.length === opts.limits.seqs) {
                throw new MaxLengthError('Decode error - repeated field "seqs" had too many elements')
              }

              obj.seqs.push(reader.uint64Number())
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
          seqs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.element`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.replica`,
                value: reader.string()
              }
              break
            }
            case 3: {
              if (opts.limits?.seqs != null && obj.seqs === opts.limits.seqs) {
                throw new MaxLengthError('Streaming decode error - repeated field "seqs" had too many elements')
              }

              yield {
                field: `${prefix}.seqs[]`,
                index: obj.seqs,
                value: reader.uint64Number()
              }

              obj.seqs++

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

  export interface OrSetEntryElementFieldEvent {
    field: '$.element'
    value: string
  }

  export interface OrSetEntryReplicaFieldEvent {
    field: '$.replica'
    value: string
  }

  export interface OrSetEntrySeqsFieldEvent {
    field: '$.seqs[]'
    index: number
    value: number
  }

  export function encode (obj: Partial<OrSetEntry>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, OrSetEntry.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OrSetEntry>): OrSetEntry {
    return decodeMessage(buf, OrSetEntry.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OrSetEntry>): Generator<OrSetEntryElementFieldEvent | OrSetEntryReplicaFieldEvent | OrSetEntrySeqsFieldEvent> {
    return streamMessage(buf, OrSetEntry.codec(), opts)
  }
}

export interface LwwEntry {
  key: string
  wall: number
  counter: number
  node: string
  seq: number
  value?: Uint8Array<ArrayBuffer>
}

export namespace LwwEntry {
  let _codec: Codec<LwwEntry>

  export const codec = (): Codec<LwwEntry> => {
    if (_codec == null) {
      _codec = message<LwwEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(10)
          w.string(obj.key)
        }

        if ((obj.wall != null && obj.wall !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.wall)
        }

        if ((obj.counter != null && obj.counter !== 0)) {
          w.uint32(24)
          w.uint32(obj.counter)
        }

        if ((obj.node != null && obj.node !== '')) {
          w.uint32(34)
          w.string(obj.node)
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.seq)
        }

        if (obj.value != null) {
          w.uint32(50)
          w.bytes(obj.value)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: '',
          wall: 0,
          counter: 0,
          node: '',
          seq: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.string()
              break
            }
            case 2: {
              obj.wall = reader.uint64Number()
              break
            }
            case 3: {
              obj.counter = reader.uint32()
              break
            }
            case 4: {
              obj.node = reader.string()
              break
            }
            case 5: {
              obj.seq = reader.uint64Number()
              break
            }
            case 6: {
              obj.value = reader.bytes()
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
                field: `${prefix}.key`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.wall`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.counter`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.node`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.value`,
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

  export interface LwwEntryKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export interface LwwEntryWallFieldEvent {
    field: '$.wall'
    value: number
  }

  export interface LwwEntryCounterFieldEvent {
    field: '$.counter'
    value: number
  }

  export interface LwwEntryNodeFieldEvent {
    field: '$.node'
    value: string
  }

  export interface LwwEntrySeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface LwwEntryValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<LwwEntry>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, LwwEntry.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LwwEntry>): LwwEntry {
    return decodeMessage(buf, LwwEntry.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LwwEntry>): Generator<LwwEntryKeyFieldEvent | LwwEntryWallFieldEvent | LwwEntryCounterFieldEvent | LwwEntryNodeFieldEvent | LwwEntrySeqFieldEvent | LwwEntryValueFieldEvent> {
    return streamMessage(buf, LwwEntry.codec(), opts)
  }
}

export interface Frame {
  kind: Frame.Kind
  type: Frame.Type
  context: DotRange[]
  orset: OrSetEntry[]
  lww: LwwEntry[]
  yjs: Uint8Array<ArrayBuffer>
  ops?: DotRange
}

export namespace Frame {
  export enum Kind {
    DELTA = 'DELTA',
    DIGEST = 'DIGEST'
  }

  enum __KindValues {
    DELTA = 0,
    DIGEST = 1
  }

  export namespace Kind {
    export const codec = (): Codec<Kind> => {
      return enumeration<Kind>(__KindValues)
    }
  }

  export enum Type {
    ORSET = 'ORSET',
    LWW = 'LWW',
    YJS = 'YJS'
  }

  enum __TypeValues {
    ORSET = 0,
    LWW = 1,
    YJS = 2
  }

  export namespace Type {
    export const codec = (): Codec<Type> => {
      return enumeration<Type>(__TypeValues)
    }
  }

  let _codec: Codec<Frame>

  export const codec = (): Codec<Frame> => {
    if (_codec == null) {
      _codec = message<Frame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.kind != null && __KindValues[obj.kind] !== 0) {
          w.uint32(8)
          Frame.Kind.codec().encode(obj.kind, w)
        }

        if (obj.type != null && __TypeValues[obj.type] !== 0) {
          w.uint32(16)
          Frame.Type.codec().encode(obj.type, w)
        }

        if (obj.context != null && obj.context.length > 0) {
          for (const value of obj.context) {
            w.uint32(26)
            DotRange.codec().encode(value, w)
          }
        }

        if (obj.orset != null && obj.orset.length > 0) {
          for (const value of obj.orset) {
            w.uint32(34)
            OrSetEntry.codec().encode(value, w)
          }
        }

        if (obj.lww != null && obj.lww.length > 0) {
          for (const value of obj.lww) {
            w.uint32(42)
            LwwEntry.codec().encode(value, w)
          }
        }

        if ((obj.yjs != null && obj.yjs.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.yjs)
        }

        if (obj.ops != null) {
          w.uint32(58)
          DotRange.codec().encode(obj.ops, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          kind: Kind.DELTA,
          type: Type.ORSET,
          context: [],
          orset: [],
          lww: [],
          yjs: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.kind = Frame.Kind.codec().decode(reader)
              break
            }
            case 2: {
              obj.type = Frame.Type.codec().decode(reader)
              break
            }
            case 3: {
              if (opts.limits?.context != null && obj.context.length === opts.limits.context) {
                throw new MaxLengthError('Decode error - repeated field "context" had too many elements')
              }

              obj.context.push(DotRange.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.context$
              }))
              break
            }
            case 4: {
              if (opts.limits?.orset != null && obj.orset.length === opts.limits.orset) {
                throw new MaxLengthError('Decode error - repeated field "orset" had too many elements')
              }

              obj.orset.push(OrSetEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.orset$
              }))
              break
            }
            case 5: {
              if (opts.limits?.lww != null && obj.lww.length === opts.limits.lww) {
                throw new MaxLengthError('Decode error - repeated field "lww" had too many elements')
              }

              obj.lww.push(LwwEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.lww$
              }))
              break
            }
            case 6: {
              obj.yjs = reader.bytes()
              break
            }
            case 7: {
              obj.ops = DotRange.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ops
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
        const obj = {
          context: 0,
          orset: 0,
          lww: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.kind`,
                value: Frame.Kind.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.type`,
                value: Frame.Type.codec().decode(reader)
              }
              break
            }
            case 3: {
              if (opts.limits?.context != null && obj.context === opts.limits.context) {
                throw new MaxLengthError('Streaming decode error - repeated field "context" had too many elements')
              }

              for (const evt of DotRange.codec().stream(reader, reader.uint32(), `${prefix}.context[]`, {
                limits: opts.limits?.context$
              })) {
                yield {
                  ...evt,
                  index: obj.context
                }
              }

              obj.context++

              break
            }
            case 4: {
              if (opts.limits?.orset != null && obj.orset === opts.limits.orset) {
                throw new MaxLengthError('Streaming decode error - repeated field "orset" had too many elements')
              }

              for (const evt of OrSetEntry.codec().stream(reader, reader.uint32(), `${prefix}.orset[]`, {
                limits: opts.limits?.orset$
              })) {
                yield {
                  ...evt,
                  index: obj.orset
                }
              }

              obj.orset++

              break
            }
            case 5: {
              if (opts.limits?.lww != null && obj.lww === opts.limits.lww) {
                throw new MaxLengthError('Streaming decode error - repeated field "lww" had too many elements')
              }

              for (const evt of LwwEntry.codec().stream(reader, reader.uint32(), `${prefix}.lww[]`, {
                limits: opts.limits?.lww$
              })) {
                yield {
                  ...evt,
                  index: obj.lww
                }
              }

              obj.lww++

              break
            }
            case 6: {
              yield {
                field: `${prefix}.yjs`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield * DotRange.codec().stream(reader, reader.uint32(), `${prefix}.ops`, {
                limits: opts.limits?.ops
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

  export interface FrameKindFieldEvent {
    field: '$.kind'
    value: Frame.Kind
  }

  export interface FrameTypeFieldEvent {
    field: '$.type'
    value: Frame.Type
  }

  export interface FrameContextReplicaFieldEvent {
    field: '$.context[].replica'
    value: string
    index: number
  }

  export interface FrameContextFromFieldEvent {
    field: '$.context[].from'
    value: number
    index: number
  }

  export interface FrameContextToFieldEvent {
    field: '$.context[].to'
    value: number
    index: number
  }

  export interface FrameOrsetElementFieldEvent {
    field: '$.orset[].element'
    value: string
    index: number
  }

  export interface FrameOrsetReplicaFieldEvent {
    field: '$.orset[].replica'
    value: string
    index: number
  }

  export interface FrameOrsetSeqsFieldEvent {
    field: '$.orset[].seqs[]'
    index: number
    value: number
  }

  export interface FrameLwwKeyFieldEvent {
    field: '$.lww[].key'
    value: string
    index: number
  }

  export interface FrameLwwWallFieldEvent {
    field: '$.lww[].wall'
    value: number
    index: number
  }

  export interface FrameLwwCounterFieldEvent {
    field: '$.lww[].counter'
    value: number
    index: number
  }

  export interface FrameLwwNodeFieldEvent {
    field: '$.lww[].node'
    value: string
    index: number
  }

  export interface FrameLwwSeqFieldEvent {
    field: '$.lww[].seq'
    value: number
    index: number
  }

  export interface FrameLwwValueFieldEvent {
    field: '$.lww[].value'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FrameYjsFieldEvent {
    field: '$.yjs'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FrameOpsReplicaFieldEvent {
    field: '$.ops.replica'
    value: string
  }

  export interface FrameOpsFromFieldEvent {
    field: '$.ops.from'
    value: number
  }

  export interface FrameOpsToFieldEvent {
    field: '$.ops.to'
    value: number
  }

  export function encode (obj: Partial<Frame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Frame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Frame>): Frame {
    return decodeMessage(buf, Frame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Frame>): Generator<FrameKindFieldEvent | FrameTypeFieldEvent | FrameContextReplicaFieldEvent | FrameContextFromFieldEvent | FrameContextToFieldEvent | FrameOrsetElementFieldEvent | FrameOrsetReplicaFieldEvent | FrameOrsetSeqsFieldEvent | FrameLwwKeyFieldEvent | FrameLwwWallFieldEvent | FrameLwwCounterFieldEvent | FrameLwwNodeFieldEvent | FrameLwwSeqFieldEvent | FrameLwwValueFieldEvent | FrameYjsFieldEvent | FrameOpsReplicaFieldEvent | FrameOpsFromFieldEvent | FrameOpsToFieldEvent> {
    return streamMessage(buf, Frame.codec(), opts)
  }
}
