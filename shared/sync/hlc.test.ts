import { describe, expect, it } from 'vitest'
import { ClockError, clockAfter, decode, encode } from './hlc'

// The clock itself is SQL: see electron/main/core/sync/clock.test.ts.
describe('hybrid logical clock values', () => {
  it('encodes so that string order is clock order', () => {
    const a = encode({ ms: 5, counter: 9, node: 'b' })
    const b = encode({ ms: 5, counter: 10, node: 'a' })
    const c = encode({ ms: 6, counter: 0, node: 'a' })
    expect([c, b, a].sort()).toEqual([a, b, c])
    expect(decode(b)).toEqual({ ms: 5, counter: 10, node: 'a' })
    expect(() => decode('yesterday')).toThrow(ClockError)
  })
})

describe('the clock value one step after another', () => {
  it('follows it, by the counter or at its counter limit by the millisecond, and is the same wherever made', () => {
    const at = encode({ ms: 1_790_000_000_000, counter: 7, node: 'ab12' })
    const next = clockAfter(at, 'restored')
    expect(next > at).toBe(true)
    expect(decode(next)).toEqual({ ms: 1_790_000_000_000, counter: 8, node: 'restored' })
    expect(clockAfter(at, 'restored')).toBe(next)
    const full = encode({ ms: 1_790_000_000_000, counter: 99_999, node: 'ab12' })
    expect(decode(clockAfter(full, 'restored'))).toEqual({
      ms: 1_790_000_000_001,
      counter: 0,
      node: 'restored',
    })
    expect(clockAfter(full, 'restored') > full).toBe(true)
  })
})
