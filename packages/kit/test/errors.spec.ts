import { GossipError } from '@saorsa-gossip/core'
import { expect } from 'aegir/chai'
import { MalformedFrameError, NoKnownAddressesError, ServiceStoppedError, StreamClosedError, WriteTimeoutError } from '../src/index.ts'

describe('kit errors', () => {
  it('are GossipErrors with a stable name and code', () => {
    const classes = [
      [WriteTimeoutError, 'WriteTimeoutError', 'ERR_WRITE_TIMEOUT'],
      [StreamClosedError, 'StreamClosedError', 'ERR_STREAM_CLOSED'],
      [MalformedFrameError, 'MalformedFrameError', 'ERR_MALFORMED_FRAME'],
      [ServiceStoppedError, 'ServiceStoppedError', 'ERR_SERVICE_STOPPED'],
      [NoKnownAddressesError, 'NoKnownAddressesError', 'ERR_NO_KNOWN_ADDRESSES']
    ] as const
    for (const [Class, name, code] of classes) {
      const cause = new Error('underlying')
      const err = new Class(undefined, { cause })
      expect(err).to.be.instanceOf(Error)
      expect(err).to.be.instanceOf(GossipError)
      expect(err).to.include({ name, code, cause })
      expect(Class.code).to.equal(code)
    }
  })
})
