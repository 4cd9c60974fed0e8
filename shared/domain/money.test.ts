import { describe, expect, it } from 'vitest'
import { money } from '../contract/common'
import { moneyInput } from './money'

describe('an amount as a person types it', () => {
  it.each([
    ['$1,200', '1200.00'],
    ['1,200.50', '1200.50'],
    [' $ 55 ', '55.00'],
    ['12,345,678.9', '12345678.90'],
    ['55', '55.00'],
  ])('%j is %s', (typed, stored) => {
    expect(money.parse(typed)).toBe(stored)
  })

  it.each(['1,20', '12,00.5', '$-5', '1.234', '€5', '1 200', '', '$'])(
    'refuses %j with the words of an amount',
    (typed) => {
      const r = money.safeParse(typed)
      expect(r.success).toBe(false)
      expect(r.error?.issues[0]?.message).toMatch(/must be an amount such as 55/)
    },
  )

  it('leaves commas that are not thousands separators for the check to refuse', () => {
    expect(moneyInput('1,20')).toBe('1,20')
    expect(moneyInput('$1,234,567')).toBe('1234567')
  })
})
