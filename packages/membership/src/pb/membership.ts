import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum FrameType {
  UNKNOWN = 'UNKNOWN',
  JOIN = 'JOIN',
  FORWARD_JOIN = 'FORWARD_JOIN',
  NEIGHBOR = 'NEIGHBOR',
  NEIGHBOR_REPLY = 'NEIGHBOR_REPLY',
  DISCONNECT = 'DISCONNECT',
  SHUFFLE = 'SHUFFLE',
  SHUFFLE_REPLY = 'SHUFFLE_REPLY',
  PING = 'PING',
  ACK = 'ACK',
  PING_REQ = 'PING_REQ',
  NACK = 'NACK',
  GOSSIP = 'GOSSIP'
}

enum __FrameTypeValues {
  UNKNOWN = 0,
  JOIN = 1,
  FORWARD_JOIN = 2,
  NEIGHBOR = 3,
  NEIGHBOR_REPLY = 4,
  DISCONNECT = 5,
  SHUFFLE = 6,
  SHUFFLE_REPLY = 7,
  PING = 8,
  ACK = 9,
  PING_REQ = 10,
  NACK = 11,
  GOSSIP = 12
}

export namespace FrameType {
  export const codec = (): Codec<FrameType> => {
    return enumeration<FrameType>(__FrameTypeValues)
  }
}

export enum MemberStatus {
  ALIVE = 'ALIVE',
  SUSPECT = 'SUSPECT',
  DEAD = 'DEAD'
}

enum __MemberStatusValues {
  ALIVE = 0,
  SUSPECT = 1,
  DEAD = 2
}

export namespace MemberStatus {
  export const codec = (): Codec<MemberStatus> => {
    return enumeration<MemberStatus>(__MemberStatusValues)
  }
}

export interface PeerRecord {
  id: Uint8Array<ArrayBuffer>
  addrs: Uint8Array<ArrayBuffer>[]
}

export namespace PeerRecord {
  let _codec: Codec<PeerRecord>

  export const codec = (): Codec<PeerRecord> => {
    if (_codec == null) {
      _codec = message<PeerRecord>((obj, w, opts = {}) => {
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

  export interface PeerRecordIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerRecordAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<PeerRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PeerRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerRecord>): PeerRecord {
    return decodeMessage(buf, PeerRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerRecord>): Generator<PeerRecordIdFieldEvent | PeerRecordAddrsFieldEvent> {
    return streamMessage(buf, PeerRecord.codec(), opts)
  }
}

export interface MemberUpdate {
  member: Uint8Array<ArrayBuffer>
  incarnation: number
  status: MemberStatus
  from: Uint8Array<ArrayBuffer>
}

export namespace MemberUpdate {
  let _codec: Codec<MemberUpdate>

  export const codec = (): Codec<MemberUpdate> => {
    if (_codec == null) {
      _codec = message<MemberUpdate>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.member != null && obj.member.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.member)
        }

        if ((obj.incarnation != null && obj.incarnation !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.incarnation)
        }

        if (obj.status != null && __MemberStatusValues[obj.status] !== 0) {
          w.uint32(24)
          MemberStatus.codec().encode(obj.status, w)
        }

        if ((obj.from != null && obj.from.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.from)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          member: uint8ArrayAlloc(0),
          incarnation: 0,
          status: MemberStatus.ALIVE,
          from: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.member = reader.bytes()
              break
            }
            case 2: {
              obj.incarnation = reader.uint64Number()
              break
            }
            case 3: {
              obj.status = MemberStatus.codec().decode(reader)
              break
            }
            case 4: {
              obj.from = reader.bytes()
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
                field: `${prefix}.member`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.incarnation`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.status`,
                value: MemberStatus.codec().decode(reader)
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.from`,
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

  export interface MemberUpdateMemberFieldEvent {
    field: '$.member'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberUpdateIncarnationFieldEvent {
    field: '$.incarnation'
    value: number
  }

  export interface MemberUpdateStatusFieldEvent {
    field: '$.status'
    value: MemberStatus
  }

  export interface MemberUpdateFromFieldEvent {
    field: '$.from'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<MemberUpdate>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MemberUpdate.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberUpdate>): MemberUpdate {
    return decodeMessage(buf, MemberUpdate.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberUpdate>): Generator<MemberUpdateMemberFieldEvent | MemberUpdateIncarnationFieldEvent | MemberUpdateStatusFieldEvent | MemberUpdateFromFieldEvent> {
    return streamMessage(buf, MemberUpdate.codec(), opts)
  }
}

export interface Frame {
  type: FrameType
  peer?: PeerRecord
  ttl: number
  flag: boolean
  peers: PeerRecord[]
  seq: number
  incarnation: number
  updates: MemberUpdate[]
  route: Uint8Array<ArrayBuffer>[]
}

export namespace Frame {
  let _codec: Codec<Frame>

  export const codec = (): Codec<Frame> => {
    if (_codec == null) {
      _codec = message<Frame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __FrameTypeValues[obj.type] !== 0) {
          w.uint32(8)
          FrameType.codec().encode(obj.type, w)
        }

        if (obj.peer != null) {
          w.uint32(18)
          PeerRecord.codec().encode(obj.peer, w)
        }

        if ((obj.ttl != null && obj.ttl !== 0)) {
          w.uint32(24)
          w.uint32(obj.ttl)
        }

        if ((obj.flag != null && obj.flag !== false)) {
          w.uint32(32)
          w.bool(obj.flag)
        }

        if (obj.peers != null && obj.peers.length > 0) {
          for (const value of obj.peers) {
            w.uint32(42)
            PeerRecord.codec().encode(value, w)
          }
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(48)
          w.uint64Number(obj.seq)
        }

        if ((obj.incarnation != null && obj.incarnation !== 0)) {
          w.uint32(56)
          w.uint64Number(obj.incarnation)
        }

        if (obj.updates != null && obj.updates.length > 0) {
          for (const value of obj.updates) {
            w.uint32(66)
            MemberUpdate.codec().encode(value, w)
          }
        }

        if (obj.route != null && obj.route.length > 0) {
          for (const value of obj.route) {
            w.uint32(74)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: FrameType.UNKNOWN,
          ttl: 0,
          flag: false,
          peers: [],
          seq: 0,
          incarnation: 0,
          updates: [],
          route: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = FrameType.codec().decode(reader)
              break
            }
            case 2: {
              obj.peer = PeerRecord.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.peer
              })
              break
            }
            case 3: {
              obj.ttl = reader.uint32()
              break
            }
            case 4: {
              obj.flag = reader.bool()
              break
            }
            case 5: {
              if (opts.limits?.peers != null && obj.peers.length === opts.limits.peers) {
                throw new MaxLengthError('Decode error - repeated field "peers" had too many elements')
              }

              obj.peers.push(PeerRecord.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.peers$
              }))
              break
            }
            case 6: {
              obj.seq = reader.uint64Number()
              break
            }
            case 7: {
              obj.incarnation = reader.uint64Number()
              break
            }
            case 8: {
              if (opts.limits?.updates != null && obj.updates.length === opts.limits.updates) {
                throw new MaxLengthError('Decode error - repeated field "updates" had too many elements')
              }

              obj.updates.push(MemberUpdate.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.updates$
              }))
              break
            }
            case 9: {
              if (opts.limits?.route != null && obj.route.length === opts.limits.route) {
                throw new MaxLengthError('Decode error - repeated field "route" had too many elements')
              }

              obj.route.push(reader.bytes())
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
          peers: 0,
          updates: 0,
          route: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.type`,
                value: FrameType.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield * PeerRecord.codec().stream(reader, reader.uint32(), `${prefix}.peer`, {
                limits: opts.limits?.peer
              })

              break
            }
            case 3: {
              yield {
                field: `${prefix}.ttl`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.flag`,
                value: reader.bool()
              }
              break
            }
            case 5: {
              if (opts.limits?.peers != null && obj.peers === opts.limits.peers) {
                throw new MaxLengthError('Streaming decode error - repeated field "peers" had too many elements')
              }

              for (const evt of PeerRecord.codec().stream(reader, reader.uint32(), `${prefix}.peers[]`, {
                limits: opts.limits?.peers$
              })) {
                yield {
                  ...evt,
                  index: obj.peers
                }
              }

              obj.peers++

              break
            }
            case 6: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint64Number()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.incarnation`,
                value: reader.uint64Number()
              }
              break
            }
            case 8: {
              if (opts.limits?.updates != null && obj.updates === opts.limits.updates) {
                throw new MaxLengthError('Streaming decode error - repeated field "updates" had too many elements')
              }

              for (const evt of MemberUpdate.codec().stream(reader, reader.uint32(), `${prefix}.updates[]`, {
                limits: opts.limits?.updates$
              })) {
                yield {
                  ...evt,
                  index: obj.updates
                }
              }

              obj.updates++

              break
            }
            case 9: {
              if (opts.limits?.route != null && obj.route === opts.limits.route) {
                throw new MaxLengthError('Streaming decode error - repeated field "route" had too many elements')
              }

              yield {
                field: `${prefix}.route[]`,
                index: obj.route,
                value: reader.bytes()
              }

              obj.route++

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

  export interface FrameTypeFieldEvent {
    field: '$.type'
    value: FrameType
  }

  export interface FramePeerIdFieldEvent {
    field: '$.peer.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FramePeerAddrsFieldEvent {
    field: '$.peer.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface FrameTtlFieldEvent {
    field: '$.ttl'
    value: number
  }

  export interface FrameFlagFieldEvent {
    field: '$.flag'
    value: boolean
  }

  export interface FramePeersIdFieldEvent {
    field: '$.peers[].id'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FramePeersAddrsFieldEvent {
    field: '$.peers[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface FrameSeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface FrameIncarnationFieldEvent {
    field: '$.incarnation'
    value: number
  }

  export interface FrameUpdatesMemberFieldEvent {
    field: '$.updates[].member'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FrameUpdatesIncarnationFieldEvent {
    field: '$.updates[].incarnation'
    value: number
    index: number
  }

  export interface FrameUpdatesStatusFieldEvent {
    field: '$.updates[].status'
    value: MemberStatus
    index: number
  }

  export interface FrameUpdatesFromFieldEvent {
    field: '$.updates[].from'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FrameRouteFieldEvent {
    field: '$.route[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Frame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Frame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Frame>): Frame {
    return decodeMessage(buf, Frame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Frame>): Generator<FrameTypeFieldEvent | FramePeerIdFieldEvent | FramePeerAddrsFieldEvent | FrameTtlFieldEvent | FrameFlagFieldEvent | FramePeersIdFieldEvent | FramePeersAddrsFieldEvent | FrameSeqFieldEvent | FrameIncarnationFieldEvent | FrameUpdatesMemberFieldEvent | FrameUpdatesIncarnationFieldEvent | FrameUpdatesStatusFieldEvent | FrameUpdatesFromFieldEvent | FrameRouteFieldEvent> {
    return streamMessage(buf, Frame.codec(), opts)
  }
}
