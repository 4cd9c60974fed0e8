/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Rows are created
 * offline on many devices, so ids must be unique without coordination, and
 * time-ordered so that new rows land at the right edge of the primary-key index.
 * Within one millisecond a counter in the random field keeps ids from this process
 * strictly increasing.
 */
let lastMs = -1
let lastSeq = 0

export interface UuidV7Options {
  /** Milliseconds since the epoch; defaults to now. */
  ms?: number
  /** 10 random bytes; defaults to the platform's CSPRNG. */
  random?: Uint8Array
}

export function uuidv7(options: UuidV7Options = {}): string {
  const bytes = new Uint8Array(16)
  const rand = options.random ?? globalThis.crypto.getRandomValues(new Uint8Array(10))
  bytes.set(rand.subarray(0, 10), 6)
  let ms = options.ms ?? Date.now()
  if (options.ms === undefined && options.random === undefined) {
    // 12-bit sequence in rand_a keeps same-millisecond ids monotonic.
    if (ms <= lastMs) {
      ms = lastMs
      lastSeq += 1
      if (lastSeq > 0xfff) {
        ms += 1
        lastSeq = 0
      }
    } else {
      lastSeq = 0
    }
    lastMs = ms
    bytes[6] = (lastSeq >> 8) & 0x0f
    bytes[7] = lastSeq & 0xff
  }
  let t = ms
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256
    t = Math.floor(t / 256)
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The millisecond timestamp carried by a UUIDv7. */
export function uuidv7Time(id: string): number {
  return Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)
}
