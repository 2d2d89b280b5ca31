/**
 * @packageDocumentation
 *
 * Reserved for the interop suite of a later issue (Saorsa Gossip services beside other
 * libp2p implementations, in separate OS processes). Nothing lives here yet; the identity
 * demo that used to is `examples/src/identity-demo.ts`.
 */

export {}
