import { describe, expect, it } from 'vitest'
import { fromCents, toCents } from '../domain/money'
import { serviceCreateInput } from './catalog'

describe('serviceCreateInput', () => {
  it('fills MEDIUM when priority is left out', () => {
    const parsed = serviceCreateInput.parse({
      name: 'Mowing',
      basePrice: '55',
      durationMinutes: 45,
    })
    expect(parsed.priority).toBe('MEDIUM')
    expect(parsed.basePrice).toBe('55.00')
  })

  it.each([
    [{ name: 'X', basePrice: '-1', durationMinutes: 30 }, 'basePrice'],
    [{ name: 'X', basePrice: '1.234', durationMinutes: 30 }, 'basePrice'],
    [{ name: 'X', basePrice: '1', durationMinutes: 0 }, 'durationMinutes'],
    // A service books appointments of its length, and an appointment is 5 minutes at least.
    [{ name: 'X', basePrice: '1', durationMinutes: 4 }, 'durationMinutes'],
    [{ name: 'X', basePrice: '1', durationMinutes: 30, priority: 'URGENT' }, 'priority'],
    [{ name: '  ', basePrice: '1', durationMinutes: 30 }, 'name'],
    [{ name: 'X', basePrice: '1', durationMinutes: 30, extra: true }, ''],
  ])('refuses %j, naming %s', (input, field) => {
    const result = serviceCreateInput.safeParse(input)
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(field)
  })
})

describe('money', () => {
  it('adds exactly in cents', () => {
    expect(fromCents(toCents('0.10') + toCents('0.20'))).toBe('0.30')
    expect(toCents('99999999.99')).toBe(9_999_999_999)
    expect(() => toCents('1e3')).toThrow(RangeError)
  })
})
