/**
 * Service options for experiments, shared by `net.js` and `sweep.js`:
 * --stack-options '{"identity":{…},"membership":{…},"plumtree":{…},"pqNoise":{…}}' (each service's
 * init; `pqNoise` adds pqNoiseService() to plumtree nodes, for `secureStreams`) and
 * --plumtree-config '{"ihaveDispatchInterval":100}' (the plumtree core's config).
 * A flag that is not JSON is a clear error and exit code 2.
 */
export function stackOptions (argv: readonly string[], bench: string): Record<string, any> | undefined {
  const parse = (flag: string): Record<string, any> | undefined => {
    const i = argv.indexOf(`--${flag}`)
    if (i < 0) {
      return undefined
    }
    try {
      const value = JSON.parse(argv[i + 1])
      if (value == null || typeof value !== 'object' || Array.isArray(value)) {
        throw new Error('not an object')
      }
      return value
    } catch (err: any) {
      process.stderr.write(`${bench}: --${flag} must be a JSON object: ${String(err.message)}\n`)
      process.exit(2)
    }
  }
  const options: Record<string, any> = parse('stack-options') ?? {}
  const core = parse('plumtree-config')
  if (core != null) {
    options.plumtree = { ...options.plumtree, config: core }
  }
  return Object.keys(options).length === 0 ? undefined : options
}
