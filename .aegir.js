/**
 * Shared aegir configuration (found by every workspace through lilconfig's upward search).
 * The suite targets Node only: identity and the services use node:crypto and real transports.
 */
export default {
  build: {
    bundle: false
  },
  test: {
    // the root `npm test` builds every workspace once before the tests run
    build: false,
    target: ['node']
  },
  dependencyCheck: {
    ignore: ['node', 'protons']
  }
}
