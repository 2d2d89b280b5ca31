import { blake3 } from '@noble/hashes/blake3.js'
import { expect } from 'aegir/chai'
import { toHex } from '../src/bytes.ts'
import { TopicId } from '../src/topic-id.ts'

describe('TopicId', () => {
  it('hashes a name with the documented domain prefix (SPEC.md §2.1 vector)', () => {
    const topic = TopicId.fromString('saorsa/chat')
    const manual = blake3(new TextEncoder().encode('saorsa-gossip/topic/v1\0saorsa/chat'))
    expect(topic.bytes).to.equalBytes(manual)
    expect(topic.toString()).to.equal('5e37800b588c9c920fe6231cb1ec5939932ec1acd8fca7951494ae2d105e3878')
  })

  it('gives different ids for different names and equal ids for equal names', () => {
    expect(TopicId.fromString('a').equals(TopicId.fromString('a'))).to.be.true()
    expect(TopicId.fromString('a').equals(TopicId.fromString('b'))).to.be.false()
    expect(TopicId.fromString('').bytes).to.have.lengthOf(32)
  })

  it('wraps exactly 32 bytes and copies them', () => {
    const raw = new Uint8Array(32).fill(9)
    const topic = TopicId.fromBytes(raw)
    raw[0] = 0
    expect(topic.bytes[0]).to.equal(9)
    expect(topic.toString()).to.equal(toHex(new Uint8Array(32).fill(9)))
    // a Node Buffer's slice() aliases its memory; the copy must not
    const buffer = Buffer.alloc(32, 5)
    const fromBuffer = TopicId.fromBytes(buffer)
    buffer[0] = 0
    expect(fromBuffer.bytes[0]).to.equal(5)
  })

  it('rejects ids of the wrong length or type with InvalidTopicIdError', () => {
    for (const bad of [new Uint8Array(0), new Uint8Array(31), new Uint8Array(33)]) {
      expect(() => TopicId.fromBytes(bad)).to.throw().with.property('name', 'InvalidTopicIdError')
    }
    expect(() => TopicId.fromBytes('x' as any)).to.throw().with.property('name', 'InvalidTopicIdError')
    expect(() => TopicId.fromString(3 as any)).to.throw().with.property('name', 'InvalidTopicIdError')
  })
})
