import { WeatherProviderError } from './provider'

/**
 * A 429 limits the caller, not the place: asking for the next place would be refused
 * too, and each refused request counts against the limit. So a 429 holds every request
 * to the weather service until a "not before" time — its `Retry-After`, or
 * `DEFAULT_HOLD_MS` when it gives none — and the refresh (server and laptop alike)
 * keeps that time where it keeps its refresh state, so a restart waits as well.
 */
export const DEFAULT_HOLD_MS = 30 * 60_000
/** No answer holds the refresh longer than a day (an HTTP date far ahead, a typo). */
export const MAX_HOLD_MS = 24 * 3_600_000

/** The time requests are held until after `e`, or null when `e` does not hold them. */
export function holdAfter(e: unknown, nowMs: number): number | null {
  if (!(e instanceof WeatherProviderError) || e.status !== 429) return null
  return nowMs + Math.min(Math.max(e.retryAfterMs ?? DEFAULT_HOLD_MS, 0), MAX_HOLD_MS)
}

/** A hold still in force at `nowMs`, or null. */
export const holdInForce = (notBeforeMs: number | null | undefined, nowMs: number) =>
  notBeforeMs !== null && notBeforeMs !== undefined && notBeforeMs > nowMs ? notBeforeMs : null

export const heldMessage = (untilMs: number) =>
  `not asked: the weather service limited this app's requests until ${new Date(untilMs).toISOString()}`
