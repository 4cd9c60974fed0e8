import { describe, expect, it } from 'vitest'
import { toIcs } from './ics'

describe('toIcs', () => {
  const event = {
    uid: 'a1@groundskeeper',
    start: '2027-03-02T15:00:00.000Z',
    end: '2027-03-02T16:00:00.000Z',
    summary: 'Lawn mowing, Smith; back yard',
    description: 'Gate code 1234\nDog inside',
    status: 'CONFIRMED' as const,
    updated: '2027-03-01T10:00:00.000Z',
  }

  it('writes UTC times, escaped text and CRLF lines', () => {
    const ics = toIcs([event], 'Crew')
    expect(ics).toContain('DTSTART:20270302T150000Z\r\n')
    expect(ics).toContain('SUMMARY:Lawn mowing\\, Smith\\; back yard\r\n')
    expect(ics).toContain('DESCRIPTION:Gate code 1234\\nDog inside\r\n')
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true)
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true)
  })

  it.each([
    ['two-octet', 'é'.repeat(100)],
    ['three- and four-octet', '€🌱'.repeat(40)],
    ['ASCII', 'x'.repeat(200)],
    ['exactly 75 octets of', `${'y'.repeat(75 - 'DESCRIPTION:'.length)}`],
  ])('folds long lines at 75 octets without splitting a %s character', (_, text) => {
    const ics = toIcs([{ ...event, description: text }], 'Crew')
    for (const line of ics.split('\r\n')) {
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75)
      // A fold never leaves half a character: the line decodes back as it was.
      expect(line).not.toContain('\uFFFD')
    }
    const unfolded = ics.replace(/\r\n /g, '')
    expect(unfolded).toContain(`DESCRIPTION:${text}\r\n`)
  })

  it('escapes every kind of line break, a lone CR included, and drops other control characters', () => {
    const ics = toIcs([{ ...event, description: 'a\rb\r\nc\nd\u0007e\tf' }], 'Crew')
    expect(ics).toContain('DESCRIPTION:a\\nb\\nc\\nde\tf\r\n')
    // Every CR in the file starts a CRLF line ending (or a fold): none is left inside a line.
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
  })

  it("carries the job's LOCATION, escaped as TEXT, and none when there is no place", () => {
    const ics = toIcs([{ ...event, location: '12 Elm St; Unit 4, Springfield\nGate B' }], 'Crew')
    expect(ics).toContain('LOCATION:12 Elm St\\; Unit 4\\, Springfield\\nGate B\r\n')
    expect(toIcs([{ ...event, location: null }], 'Crew')).not.toContain('LOCATION')
    expect(toIcs([event], 'Crew')).not.toContain('LOCATION')
  })
})
