/**
 * Small byte helpers used by the id types. Kept here so that cores do not need
 * a Buffer (Node-only) or a larger utility dependency.
 */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** Lower-case hex of `bytes` */
export function toHex (bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i++) {
    out += HEX[bytes[i]]
  }
  return out
}

/**
 * A compact, collision-free string key for bytes (two bytes per UTF-16 code
 * unit). Map lookups on these flat 16-character
 * strings cost a fraction of a 64-character hex rope: the duplicate
 * filters and caches of the cores do millions of them.
 */
export function bytesKey (bytes: Uint8Array): string {
  const n = bytes.length
  // the first code unit is the length's parity, so the key decodes to exactly one byte string
  const codes = new Array<number>(1 + ((n + 1) >> 1))
  codes[0] = n & 1
  let j = 1
  for (let i = 0; i + 1 < n; i += 2) {
    codes[j++] = (bytes[i] << 8) | bytes[i + 1]
  }
  if ((n & 1) === 1) {
    codes[j] = bytes[n - 1]
  }
  return String.fromCharCode(...codes)
}

/** Parses lower- or upper-case hex; returns undefined if it is not an even-length hex string */
export function fromHex (hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    return undefined
  }
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  }
  return out
}

/** Constant-length comparison of two byte arrays (not constant-time: ids are public) */
export function bytesEqual (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) {
    return false
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false
    }
  }
  return true
}

/** Concatenates byte arrays into a new array */
export function concatBytes (...parts: Uint8Array[]): Uint8Array {
  let length = 0
  for (const p of parts) {
    length += p.length
  }
  const out = new Uint8Array(length)
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

/** 8-byte big-endian encoding of a non-negative integer below 2^64 */
export function u64be (value: bigint): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, value, false)
  return out
}
