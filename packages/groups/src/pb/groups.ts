import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface GroupMessage {
  kind: GroupMessage.Kind
  groupId: Uint8Array<ArrayBuffer>
  epoch: number
  parent: Uint8Array<ArrayBuffer>
  mls: Uint8Array<ArrayBuffer>
}

export namespace GroupMessage {
  export enum Kind {
    COMMIT = 'COMMIT',
    APPLICATION = 'APPLICATION',
    HEAD = 'HEAD',
    LEAVE = 'LEAVE'
  }

  enum __KindValues {
    COMMIT = 0,
    APPLICATION = 1,
    HEAD = 2,
    LEAVE = 3
  }

  export namespace Kind {
    export const codec = (): Codec<Kind> => {
      return enumeration<Kind>(__KindValues)
    }
  }

  let _codec: Codec<GroupMessage>

  export const codec = (): Codec<GroupMessage> => {
    if (_codec == null) {
      _codec = message<GroupMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.kind != null && __KindValues[obj.kind] !== 0) {
          w.uint32(8)
          GroupMessage.Kind.codec().encode(obj.kind, w)
        }

        if ((obj.groupId != null && obj.groupId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.groupId)
        }

        if ((obj.epoch != null && obj.epoch !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.epoch)
        }

        if ((obj.parent != null && obj.parent.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.parent)
        }

        if ((obj.mls != null && obj.mls.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.mls)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          kind: Kind.COMMIT,
          groupId: uint8ArrayAlloc(0),
          epoch: 0,
          parent: uint8ArrayAlloc(0),
          mls: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.kind = GroupMessage.Kind.codec().decode(reader)
              break
            }
            case 2: {
              obj.groupId = reader.bytes()
              break
            }
            case 3: {
              obj.epoch = reader.uint64Number()
              break
            }
            case 4: {
              obj.parent = reader.bytes()
              break
            }
            case 5: {
              obj.mls = reader.bytes()
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
                field: `${prefix}.kind`,
                value: GroupMessage.Kind.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.groupId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.epoch`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.parent`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.mls`,
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

  export interface GroupMessageKindFieldEvent {
    field: '$.kind'
    value: GroupMessage.Kind
  }

  export interface GroupMessageGroupIdFieldEvent {
    field: '$.groupId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupMessageEpochFieldEvent {
    field: '$.epoch'
    value: number
  }

  export interface GroupMessageParentFieldEvent {
    field: '$.parent'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupMessageMlsFieldEvent {
    field: '$.mls'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<GroupMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GroupMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupMessage>): GroupMessage {
    return decodeMessage(buf, GroupMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupMessage>): Generator<GroupMessageKindFieldEvent | GroupMessageGroupIdFieldEvent | GroupMessageEpochFieldEvent | GroupMessageParentFieldEvent | GroupMessageMlsFieldEvent> {
    return streamMessage(buf, GroupMessage.codec(), opts)
  }
}

export interface GroupRequest {
  type: GroupRequest.Type
  groupId: Uint8Array<ArrayBuffer>
  name: string
  epoch: number
  parent: Uint8Array<ArrayBuffer>
  mls: Uint8Array<ArrayBuffer>
  suite: number
}

export namespace GroupRequest {
  export enum Type {
    KEY_PACKAGE = 'KEY_PACKAGE',
    WELCOME = 'WELCOME',
    CHAIN = 'CHAIN'
  }

  enum __TypeValues {
    KEY_PACKAGE = 0,
    WELCOME = 1,
    CHAIN = 2
  }

  export namespace Type {
    export const codec = (): Codec<Type> => {
      return enumeration<Type>(__TypeValues)
    }
  }

  let _codec: Codec<GroupRequest>

  export const codec = (): Codec<GroupRequest> => {
    if (_codec == null) {
      _codec = message<GroupRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __TypeValues[obj.type] !== 0) {
          w.uint32(8)
          GroupRequest.Type.codec().encode(obj.type, w)
        }

        if ((obj.groupId != null && obj.groupId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.groupId)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(26)
          w.string(obj.name)
        }

        if ((obj.epoch != null && obj.epoch !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.epoch)
        }

        if ((obj.parent != null && obj.parent.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.parent)
        }

        if ((obj.mls != null && obj.mls.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.mls)
        }

        if ((obj.suite != null && obj.suite !== 0)) {
          w.uint32(56)
          w.uint32(obj.suite)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: Type.KEY_PACKAGE,
          groupId: uint8ArrayAlloc(0),
          name: '',
          epoch: 0,
          parent: uint8ArrayAlloc(0),
          mls: uint8ArrayAlloc(0),
          suite: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = GroupRequest.Type.codec().decode(reader)
              break
            }
            case 2: {
              obj.groupId = reader.bytes()
              break
            }
            case 3: {
              obj.name = reader.string()
              break
            }
            case 4: {
              obj.epoch = reader.uint64Number()
              break
            }
            case 5: {
              obj.parent = reader.bytes()
              break
            }
            case 6: {
              obj.mls = reader.bytes()
              break
            }
            case 7: {
              obj.suite = reader.uint32()
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
                field: `${prefix}.type`,
                value: GroupRequest.Type.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.groupId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.epoch`,
                value: reader.uint64Number()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.parent`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.mls`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.suite`,
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

  export interface GroupRequestTypeFieldEvent {
    field: '$.type'
    value: GroupRequest.Type
  }

  export interface GroupRequestGroupIdFieldEvent {
    field: '$.groupId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupRequestNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface GroupRequestEpochFieldEvent {
    field: '$.epoch'
    value: number
  }

  export interface GroupRequestParentFieldEvent {
    field: '$.parent'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupRequestMlsFieldEvent {
    field: '$.mls'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupRequestSuiteFieldEvent {
    field: '$.suite'
    value: number
  }

  export function encode (obj: Partial<GroupRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GroupRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupRequest>): GroupRequest {
    return decodeMessage(buf, GroupRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupRequest>): Generator<GroupRequestTypeFieldEvent | GroupRequestGroupIdFieldEvent | GroupRequestNameFieldEvent | GroupRequestEpochFieldEvent | GroupRequestParentFieldEvent | GroupRequestMlsFieldEvent | GroupRequestSuiteFieldEvent> {
    return streamMessage(buf, GroupRequest.codec(), opts)
  }
}

export interface ChainCommit {
  epoch: number
  parent: Uint8Array<ArrayBuffer>
  from: Uint8Array<ArrayBuffer>
  mls: Uint8Array<ArrayBuffer>
}

export namespace ChainCommit {
  let _codec: Codec<ChainCommit>

  export const codec = (): Codec<ChainCommit> => {
    if (_codec == null) {
      _codec = message<ChainCommit>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.epoch != null && obj.epoch !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.epoch)
        }

        if ((obj.parent != null && obj.parent.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.parent)
        }

        if ((obj.from != null && obj.from.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.from)
        }

        if ((obj.mls != null && obj.mls.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.mls)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          epoch: 0,
          parent: uint8ArrayAlloc(0),
          from: uint8ArrayAlloc(0),
          mls: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.epoch = reader.uint64Number()
              break
            }
            case 2: {
              obj.parent = reader.bytes()
              break
            }
            case 3: {
              obj.from = reader.bytes()
              break
            }
            case 4: {
              obj.mls = reader.bytes()
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
                field: `${prefix}.epoch`,
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.parent`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.from`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.mls`,
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

  export interface ChainCommitEpochFieldEvent {
    field: '$.epoch'
    value: number
  }

  export interface ChainCommitParentFieldEvent {
    field: '$.parent'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChainCommitFromFieldEvent {
    field: '$.from'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChainCommitMlsFieldEvent {
    field: '$.mls'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ChainCommit>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ChainCommit.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChainCommit>): ChainCommit {
    return decodeMessage(buf, ChainCommit.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChainCommit>): Generator<ChainCommitEpochFieldEvent | ChainCommitParentFieldEvent | ChainCommitFromFieldEvent | ChainCommitMlsFieldEvent> {
    return streamMessage(buf, ChainCommit.codec(), opts)
  }
}

export interface GroupReply {
  refused: boolean
  keyPackage: Uint8Array<ArrayBuffer>
  commits: ChainCommit[]
}

export namespace GroupReply {
  let _codec: Codec<GroupReply>

  export const codec = (): Codec<GroupReply> => {
    if (_codec == null) {
      _codec = message<GroupReply>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.refused != null && obj.refused !== false)) {
          w.uint32(8)
          w.bool(obj.refused)
        }

        if ((obj.keyPackage != null && obj.keyPackage.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.keyPackage)
        }

        if (obj.commits != null && obj.commits.length > 0) {
          for (const value of obj.commits) {
            w.uint32(26)
            ChainCommit.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          refused: false,
          keyPackage: uint8ArrayAlloc(0),
          commits: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.refused = reader.bool()
              break
            }
            case 2: {
              obj.keyPackage = reader.bytes()
              break
            }
            case 3: {
              if (opts.limits?.commits != null && obj.commits.length === opts.limits.commits) {
                throw new MaxLengthError('Decode error - repeated field "commits" had too many elements')
              }

              obj.commits.push(ChainCommit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.commits$
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
          commits: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.refused`,
                value: reader.bool()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.keyPackage`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              if (opts.limits?.commits != null && obj.commits === opts.limits.commits) {
                throw new MaxLengthError('Streaming decode error - repeated field "commits" had too many elements')
              }

              for (const evt of ChainCommit.codec().stream(reader, reader.uint32(), `${prefix}.commits[]`, {
                limits: opts.limits?.commits$
              })) {
                yield {
                  ...evt,
                  index: obj.commits
                }
              }

              obj.commits++

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

  export interface GroupReplyRefusedFieldEvent {
    field: '$.refused'
    value: boolean
  }

  export interface GroupReplyKeyPackageFieldEvent {
    field: '$.keyPackage'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupReplyCommitsEpochFieldEvent {
    field: '$.commits[].epoch'
    value: number
    index: number
  }

  export interface GroupReplyCommitsParentFieldEvent {
    field: '$.commits[].parent'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupReplyCommitsFromFieldEvent {
    field: '$.commits[].from'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupReplyCommitsMlsFieldEvent {
    field: '$.commits[].mls'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<GroupReply>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GroupReply.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupReply>): GroupReply {
    return decodeMessage(buf, GroupReply.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupReply>): Generator<GroupReplyRefusedFieldEvent | GroupReplyKeyPackageFieldEvent | GroupReplyCommitsEpochFieldEvent | GroupReplyCommitsParentFieldEvent | GroupReplyCommitsFromFieldEvent | GroupReplyCommitsMlsFieldEvent> {
    return streamMessage(buf, GroupReply.codec(), opts)
  }
}

export interface BoundCredential {
  binding: Uint8Array<ArrayBuffer>
  leafSignature: Uint8Array<ArrayBuffer>
}

export namespace BoundCredential {
  let _codec: Codec<BoundCredential>

  export const codec = (): Codec<BoundCredential> => {
    if (_codec == null) {
      _codec = message<BoundCredential>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.binding != null && obj.binding.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.binding)
        }

        if ((obj.leafSignature != null && obj.leafSignature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.leafSignature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          binding: uint8ArrayAlloc(0),
          leafSignature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.binding = reader.bytes()
              break
            }
            case 2: {
              obj.leafSignature = reader.bytes()
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
                field: `${prefix}.binding`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.leafSignature`,
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

  export interface BoundCredentialBindingFieldEvent {
    field: '$.binding'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BoundCredentialLeafSignatureFieldEvent {
    field: '$.leafSignature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<BoundCredential>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BoundCredential.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BoundCredential>): BoundCredential {
    return decodeMessage(buf, BoundCredential.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BoundCredential>): Generator<BoundCredentialBindingFieldEvent | BoundCredentialLeafSignatureFieldEvent> {
    return streamMessage(buf, BoundCredential.codec(), opts)
  }
}

export interface SavedGroup {
  groupId: Uint8Array<ArrayBuffer>
  name: string
  mlsState: Uint8Array<ArrayBuffer>
  head: Uint8Array<ArrayBuffer>
  epoch: number
  suite: number
}

export namespace SavedGroup {
  let _codec: Codec<SavedGroup>

  export const codec = (): Codec<SavedGroup> => {
    if (_codec == null) {
      _codec = message<SavedGroup>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.groupId != null && obj.groupId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.groupId)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(18)
          w.string(obj.name)
        }

        if ((obj.mlsState != null && obj.mlsState.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.mlsState)
        }

        if ((obj.head != null && obj.head.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.head)
        }

        if ((obj.epoch != null && obj.epoch !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.epoch)
        }

        if ((obj.suite != null && obj.suite !== 0)) {
          w.uint32(48)
          w.uint32(obj.suite)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          groupId: uint8ArrayAlloc(0),
          name: '',
          mlsState: uint8ArrayAlloc(0),
          head: uint8ArrayAlloc(0),
          epoch: 0,
          suite: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.groupId = reader.bytes()
              break
            }
            case 2: {
              obj.name = reader.string()
              break
            }
            case 3: {
              obj.mlsState = reader.bytes()
              break
            }
            case 4: {
              obj.head = reader.bytes()
              break
            }
            case 5: {
              obj.epoch = reader.uint64Number()
              break
            }
            case 6: {
              obj.suite = reader.uint32()
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
                field: `${prefix}.groupId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.mlsState`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.head`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.epoch`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.suite`,
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

  export interface SavedGroupGroupIdFieldEvent {
    field: '$.groupId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SavedGroupNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface SavedGroupMlsStateFieldEvent {
    field: '$.mlsState'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SavedGroupHeadFieldEvent {
    field: '$.head'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SavedGroupEpochFieldEvent {
    field: '$.epoch'
    value: number
  }

  export interface SavedGroupSuiteFieldEvent {
    field: '$.suite'
    value: number
  }

  export function encode (obj: Partial<SavedGroup>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SavedGroup.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SavedGroup>): SavedGroup {
    return decodeMessage(buf, SavedGroup.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SavedGroup>): Generator<SavedGroupGroupIdFieldEvent | SavedGroupNameFieldEvent | SavedGroupMlsStateFieldEvent | SavedGroupHeadFieldEvent | SavedGroupEpochFieldEvent | SavedGroupSuiteFieldEvent> {
    return streamMessage(buf, SavedGroup.codec(), opts)
  }
}
