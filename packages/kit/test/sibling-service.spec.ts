import { expect } from 'aegir/chai'
import { siblingService } from '../src/sibling-service.ts'

class MissingError extends Error {
  constructor () {
    super('needs membership()')
    this.name = 'MissingError'
  }
}

describe('siblingService', () => {
  it('returns the service stored under the key', () => {
    const membership = { id: 'membership' }
    expect(siblingService({ membership }, 'membership', () => new MissingError())).to.equal(membership)
  })

  it('throws the caller\'s error when the key is absent', () => {
    expect(() => siblingService({}, 'membership', () => new MissingError())).to.throw(MissingError)
  })

  it('throws the caller\'s error when reading the key throws (libp2p\'s components proxy)', () => {
    const components = new Proxy({}, { get: () => { throw new Error('unknown component') } })
    expect(() => siblingService(components, 'membership', () => new MissingError())).to.throw(MissingError, 'needs membership()')
  })
})
