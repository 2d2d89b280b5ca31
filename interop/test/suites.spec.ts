import { connectInteropTests, streamInteropTests } from '@libp2p/interop'
import { PAIRINGS, pairFactory } from '../src/factory.ts'
import { IMPL_NAMES } from '../src/impls.ts'

// @libp2p/interop's own suites, once per pairing: the suite's 'js' and 'go' node types
// stand for the two implementations named in the title (see factory.ts)
for (const pairing of PAIRINGS) {
  describe(`@libp2p/interop with js=${IMPL_NAMES[pairing.js]}, go=${IMPL_NAMES[pairing.go]}`, function () {
    connectInteropTests(pairFactory(pairing))
    void streamInteropTests(pairFactory(pairing))
  })
}
