import { describe, expect, it } from 'vitest'
import { describeInstant, describeSpan } from './when'

const at = (iso: string) => Date.parse(iso)

describe('times in words', () => {
  it('shows a span in the business zone, whatever the machine zone', () => {
    // 14:00Z is 8:00 AM in Chicago in December (UTC-6).
    expect(
      describeSpan(at('2026-12-10T14:00:00Z'), at('2026-12-10T15:30:00Z'), 'America/Chicago'),
    ).toBe('8:00–9:30 AM on Thu, Dec 10')
    expect(
      describeSpan(at('2026-12-10T14:00:00Z'), at('2026-12-10T15:30:00Z'), 'Europe/Berlin'),
    ).toBe('3:00–4:30 PM on Thu, Dec 10')
  })

  it('names both halves of the day, and both days across midnight', () => {
    expect(
      describeSpan(at('2026-12-10T17:30:00Z'), at('2026-12-10T18:15:00Z'), 'America/Chicago'),
    ).toBe('11:30 AM–12:15 PM on Thu, Dec 10')
    expect(
      describeSpan(at('2026-12-11T05:00:00Z'), at('2026-12-11T07:00:00Z'), 'America/Chicago'),
    ).toBe('11:00 PM on Thu, Dec 10 to 1:00 AM on Fri, Dec 11')
  })

  it('shows an instant as day and time', () => {
    expect(describeInstant(at('2026-05-01T19:00:00Z'), 'America/Chicago')).toBe(
      'Fri, May 1 at 2:00 PM',
    )
  })
})
