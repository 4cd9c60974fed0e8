import { describe, expect, it } from 'vitest'
import { UUID_PATTERN, uuidv7, uuidv7Time } from './ids'

describe('uuidv7', () => {
  it('has version 7 and the RFC variant', () => {
    const id = uuidv7()
    expect(id).toMatch(UUID_PATTERN)
    expect(id[14]).toBe('7')
    expect(['8', '9', 'a', 'b']).toContain(id[19])
  })

  it('carries its creation time', () => {
    const before = Date.now()
    const id = uuidv7()
    expect(uuidv7Time(id)).toBeGreaterThanOrEqual(before)
    expect(uuidv7Time(id)).toBeLessThanOrEqual(Date.now() + 1)
  })

  it('is strictly increasing within one process, even inside one millisecond', () => {
    const ids = Array.from({ length: 10_000 }, () => uuidv7())
    const sorted = [...ids].sort()
    expect(sorted).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('is deterministic for a given time and random bytes', () => {
    const random = new Uint8Array(10).fill(0xab)
    expect(uuidv7({ ms: 1_700_000_000_000, random })).toBe(
      uuidv7({ ms: 1_700_000_000_000, random }),
    )
    expect(uuidv7Time(uuidv7({ ms: 1_700_000_000_000, random }))).toBe(1_700_000_000_000)
  })
})
