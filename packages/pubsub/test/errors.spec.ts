import { GossipError } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { DuplicatePublishError, InvalidFrameError, InvalidTopicError, MessageTooLargeError, NoPeersSubscribedToTopicError, NotStartedError, PlumtreeConfigError } from '../src/index.ts'

describe('pubsub errors', () => {
  it('application-facing errors keep gossipsub\'s code strings, in `code` and at the start of the message', () => {
    const cases = [
      [new NotStartedError('publish'), NotStartedError, 'NotStartedError', 'PublishError.Uninitialized'],
      [new NoPeersSubscribedToTopicError('t', false), NoPeersSubscribedToTopicError, 'NoPeersSubscribedToTopicError', 'PublishError.NoPeersSubscribedToTopic'],
      [new MessageTooLargeError(11, 10), MessageTooLargeError, 'MessageTooLargeError', 'PublishError.MessageTooLarge'],
      [new DuplicatePublishError('t'), DuplicatePublishError, 'DuplicatePublishError', 'PublishError.Duplicate'],
      [new InvalidTopicError(''), InvalidTopicError, 'InvalidTopicError', 'InvalidTopic'],
      [new PlumtreeConfigError('bad'), PlumtreeConfigError, 'PlumtreeConfigError', 'InvalidConfig']
    ] as const
    for (const [err, Class, name, code] of cases) {
      expect(err).to.be.instanceOf(Error)
      expect(err).to.be.instanceOf(GossipError)
      expect(err).to.be.instanceOf(Class)
      expect(err).to.include({ name, code })
      expect(err.message.startsWith(`${code}: `), name).to.equal(true)
      expect(Class.name).to.equal(name)
      expect(Class.code).to.equal(code)
    }
  })

  it('carry the fields a caller needs, and a cause', () => {
    expect(new NoPeersSubscribedToTopicError('chat', true)).to.have.property('topic', 'chat')
    expect(new MessageTooLargeError(11, 10)).to.include({ size: 11, limit: 10 })
    const cause = new Error('underlying')
    expect(new PlumtreeConfigError('bad', { cause })).to.have.property('cause', cause)
  })

  it('InvalidFrameError (bad remote input, never thrown to applications) has an ERR_ code', () => {
    const cause = new Error('underlying')
    const err = new InvalidFrameError(undefined, { cause })
    expect(err).to.be.instanceOf(GossipError)
    expect(err).to.include({ name: 'InvalidFrameError', code: 'ERR_INVALID_FRAME', cause })
  })
})
