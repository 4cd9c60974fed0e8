import { describe, expect, it } from 'vitest'
import { ClockError, decode, encode } from './hlc'

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
