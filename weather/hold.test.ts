import { describe, expect, it } from 'vitest'
import { DEFAULT_HOLD_MS, holdAfter, holdInForce, MAX_HOLD_MS } from './hold'
import { WeatherProviderError } from './provider'

const answered = (status: number, retryAfterMs: number | null) =>
  new WeatherProviderError(`the weather service answered ${status}`, status, true, retryAfterMs)

describe('the hold after a 429', () => {
  it('lasts the Retry-After, or a default back-off when there is none, never over a day', () => {
    expect(holdAfter(answered(429, 30_000), 1_000)).toBe(31_000)
    expect(holdAfter(answered(429, null), 1_000)).toBe(1_000 + DEFAULT_HOLD_MS)
    expect(holdAfter(answered(429, 10 * MAX_HOLD_MS), 0)).toBe(MAX_HOLD_MS)
  })

  it('comes from a 429 only: other failures are the place’s, not the caller’s', () => {
    expect(holdAfter(answered(503, 30_000), 0)).toBeNull()
    expect(holdAfter(answered(500, null), 0)).toBeNull()
    expect(holdAfter(new Error('network'), 0)).toBeNull()
  })

  it('is in force until its time only', () => {
    expect(holdInForce(2_000, 1_000)).toBe(2_000)
    expect(holdInForce(2_000, 2_000)).toBeNull()
    expect(holdInForce(null, 0)).toBeNull()
  })
})
