/**
 * The purity rule for protocol cores (../shared/ARCHITECTURE.md: "pure protocol
 * cores, thin libp2p adapters"). Applies to every `packages/<name>/src/core/**`
 * and to the whole of `@saorsa-gossip/core`. aegir's own lint config stays as
 * it is; this file only adds what aegir cannot express per directory.
 *
 * Run with `npm run lint:purity`; `packages/core/test/purity-rule.spec.ts`
 * checks both that the rule catches each forbidden construct and that the
 * current cores pass it.
 */
import tsParser from '@typescript-eslint/parser'

export const PURE_FILES = ['packages/*/src/core/**/*.ts', 'packages/core/src/**/*.ts']

const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http', 'http2',
  'https', 'inspector', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers',
  'timers/promises', 'tls', 'tty', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib'
]

const why = 'Protocol cores are pure: no I/O, clock, timers or unseeded randomness. Take `now` and an injected Rng instead (ARCHITECTURE.md).'

export default [
  {
    files: PURE_FILES,
    languageOptions: {
      parser: tsParser,
      sourceType: 'module',
      ecmaVersion: 'latest'
    },
    rules: {
      'no-restricted-imports': ['error', {
        paths: NODE_BUILTINS.map(name => ({ name, message: why })),
        patterns: [
          { group: ['node:*'], message: why },
          { group: ['libp2p', 'libp2p/*', '@libp2p/*', '@chainsafe/*', '@multiformats/multiaddr*', 'it-*'], message: 'Protocol cores do not import libp2p; the service adapter does. ' + why },
          { group: ['ws', 'undici', 'node-fetch', 'better-sqlite3', 'datastore-*', 'interface-datastore'], message: why }
        ]
      }],
      'no-restricted-globals': ['error',
        ...['Date', 'performance', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval',
          'clearImmediate', 'crypto', 'process', 'fetch', 'XMLHttpRequest', 'WebSocket', 'require'
        ].map(name => ({ name, message: why }))
      ],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: why },
        { object: 'globalThis', property: 'Date', message: why },
        { object: 'globalThis', property: 'crypto', message: why },
        { object: 'globalThis', property: 'performance', message: why },
        { object: 'globalThis', property: 'setTimeout', message: why },
        { object: 'globalThis', property: 'setInterval', message: why }
      ],
      'no-restricted-syntax': ['error',
        { selector: 'ImportExpression', message: 'Dynamic import() in a core. ' + why }
      ]
    }
  }
]
