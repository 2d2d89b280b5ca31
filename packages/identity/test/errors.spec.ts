import { GossipError } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import * as errors from '../src/errors.ts'

describe('identity errors', () => {
  const classes = Object.entries(errors)

  it('every error is a GossipError named after its class, with a stable ERR_ code and a default message', () => {
    expect(classes).to.have.length.above(10)
    const codes = new Set<string>()
    for (const [exported, ErrorClass] of classes) {
      const err = new ErrorClass()
      expect(err, exported).to.be.instanceOf(GossipError)
      expect(err.name, exported).to.equal(exported)
      expect(ErrorClass.name, exported).to.equal(exported)
      expect(err.code, exported).to.match(/^ERR_[A-Z0-9]+(_[A-Z0-9]+)*$/)
      expect(err.message, exported).to.be.a('string').that.is.not.empty()
      codes.add(err.code)
    }
    expect(codes.size, 'codes are distinct').to.equal(classes.length)
  })

  it('keeps the cause it is given', () => {
    const cause = new Error('underlying')
    expect(new errors.InvalidBindingError(undefined, { cause })).to.have.property('cause', cause)
  })
})
