/**
 * Looks up another service of the same libp2p node by its key in `services`.
 *
 * libp2p hands every service the node's components, and sibling services are reachable
 * there under their keys; reading a key libp2p does not know throws inside libp2p's
 * components proxy, so both "absent" and "throws" mean "not configured". The caller
 * supplies its own named error, so a user sees which service needed what.
 */
export function siblingService<T> (components: unknown, key: string, missing: () => Error): T {
  let service: unknown
  try {
    service = (components as Record<string, unknown>)[key]
  } catch {
    service = undefined
  }
  if (service == null) {
    throw missing()
  }
  return service as T
}
