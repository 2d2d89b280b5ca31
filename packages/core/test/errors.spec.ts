import { expect } from 'aegir/chai'
import { GossipError, InvalidConfigError, InvalidMessageIdError, InvalidSeedError, InvalidTopicIdError } from '../src/index.ts'

describe('errors', () => {
  const classes = [
    [InvalidConfigError, 'InvalidConfigError', 'ERR_INVALID_CONFIG'],
    [InvalidTopicIdError, 'InvalidTopicIdError', 'ERR_INVALID_TOPIC_ID'],
    [InvalidMessageIdError, 'InvalidMessageIdError', 'ERR_INVALID_MESSAGE_ID'],
    [InvalidSeedError, 'InvalidSeedError', 'ERR_INVALID_SEED']
  ] as const

  it('every class carries its name and a stable code, on the instance and the class', () => {
    for (const [Class, name, code] of classes) {
      const err = new Class()
      expect(err).to.be.instanceOf(Error)
      expect(err).to.be.instanceOf(GossipError)
      expect(err).to.be.instanceOf(Class)
      expect(err).to.have.property('name', name)
      expect(err).to.have.property('code', code)
      expect(err.message).to.be.a('string').that.is.not.empty()
      expect(Class.name).to.equal(name)
      expect(Class.code).to.equal(code)
      expect(err.stack).to.be.a('string')
    }
  })

  it('passes a message and a cause through', () => {
    const cause = new Error('underlying')
    const err = new InvalidConfigError('ttl must be > 0', { cause })
    expect(err.message).to.equal('ttl must be > 0')
    expect(err.cause).to.equal(cause)
    expect(new InvalidSeedError().cause).to.equal(undefined)
  })

  it('the base class takes any name and code, and thrown errors match on them', () => {
    const err = new GossipError('SomethingError', 'ERR_SOMETHING', 'something', { cause: 42 })
    expect(err).to.be.instanceOf(Error)
    expect(err).to.include({ name: 'SomethingError', code: 'ERR_SOMETHING', message: 'something', cause: 42 })
    expect(() => { throw new InvalidTopicIdError() }).to.throw(GossipError).with.property('code', 'ERR_INVALID_TOPIC_ID')
    expect(String(new InvalidConfigError('bad'))).to.equal('InvalidConfigError: bad')
  })
})
