/**
 * Hybrid logical clock (Kulkarni et al.): a timestamp that follows wall time but never
 * goes backwards and orders causally related events, even when laptops' clocks
 * disagree. Encoded as a fixed-width string that sorts as the clock does:
 * `<15-digit ms>-<5-digit counter>-<node>`, so "later wins" is string comparison.
 *
 * The laptop's clock itself is SQL (`sync_tick()` in migration 0005), so that the outbox
 * triggers stamp a write inside its own transaction; the laptop moves it past every
 * pulled version after applying a pull (`applyRows` in the sync store). The server never
 * ticks: it only reads clock values, and refuses those too far ahead of its wall clock.
 */
export interface Hlc {
  ms: number
  counter: number
  node: string
}

/** How far ahead of our wall clock a remote timestamp may be before it is refused. */
export const MAX_DRIFT_MS = 5 * 60_000

export class ClockError extends Error {
  override name = 'ClockError'
}

export function encode(h: Hlc): string {
  return `${String(h.ms).padStart(15, '0')}-${String(h.counter).padStart(5, '0')}-${h.node}`
}

/** A clock value's text: 15 digits of milliseconds, 5 of counter, the node. */
export const HLC_PATTERN = String.raw`(\d{15})-(\d{5})-([0-9a-z]{1,32})`
const HLC_TEXT = new RegExp(`^${HLC_PATTERN}$`)

export function decode(s: string): Hlc {
  const m = HLC_TEXT.exec(s)
  if (!m) throw new ClockError('not a clock value')
  return { ms: Number(m[1]), counter: Number(m[2]), node: m[3] as string }
}

/**
 * The clock value one step after `hlc`, stamped by `node`: for a write the rules make
 * in answer to another (never a device's own), which must win over it and be the same
 * wherever it is made. `node` is not hexadecimal, so no device's clock can produce it.
 */
export function clockAfter(hlc: string, node: string): string {
  const { ms, counter } = decode(hlc)
  return counter < 99_999
    ? encode({ ms, counter: counter + 1, node })
    : encode({ ms: ms + 1, counter: 0, node })
}
