import { describe, expect, it } from 'vitest'
import { likeTerms, searchTerms } from '../../shared/domain/search-terms'
import { decode } from '../../shared/sync/hlc'
import { serverClock } from './clock'
import { fieldErrors, sentence } from './errors'
import { isoInstant, toUtcInstant } from './instants'

// A zone far from UTC: a time without a zone must still be read as UTC.
process.env.TZ = 'America/Chicago'

describe('times', () => {
  it('reads a time without a zone, or a date alone, as UTC whatever the machine zone', () => {
    expect(toUtcInstant('2026-05-01T14:00')).toBe('2026-05-01T14:00:00.000Z')
    expect(toUtcInstant('2026-05-01T14:00:00.250')).toBe('2026-05-01T14:00:00.250Z')
    expect(toUtcInstant('2026-05-01')).toBe('2026-05-01T00:00:00.000Z')
    expect(toUtcInstant('2026-05-01T14:00:00-05:00')).toBe('2026-05-01T19:00:00.000Z')
  })

  it('reads every form Python and Django read: offsets without a colon, a space, the hour alone', () => {
    const utc = '2026-05-01T08:00:00.000Z'
    for (const form of [
      '2026-05-01T10:00:00+0200',
      '2026-05-01T10:00:00+02',
      '2026-05-01T10:00+02:00',
      '2026-05-01 10:00:00+02:00',
      '2026-05-01T10+02',
      '2026-05-01T08',
      '2026-05-01t08:00:00z',
      '2026-05-01T08:00:00,000Z',
      '2026-05-01T08:00:00.000000Z',
    ])
      expect(isoInstant.parse(form), form).toBe(utc)
    expect(toUtcInstant('2026-05-01T08:00:00.123456789Z')).toBe('2026-05-01T08:00:00.123Z')
    expect(toUtcInstant('2026-05-01', true)).toBe('2026-05-01T23:59:59.999Z')
  })

  it('refuses what is not an ISO-8601 date', () => {
    for (const bad of [
      '2026-13-01',
      '2026-02-29',
      '2026-04-31T10:00',
      '01/05/2026',
      '2026-05-01T24:00',
      '2026-05-01T10:60',
      '2026-05-01Z',
      '2026-05-01T10:00+2',
      '2026-05-01T10:00 +02:00',
      'tomorrow',
      '',
    ])
      expect(isoInstant.safeParse(bad).success, bad).toBe(false)
    expect(isoInstant.parse(' 2024-02-29T10:00:00Z ')).toBe('2024-02-29T10:00:00.000Z')
  })
})

describe('search terms', () => {
  it('splits at spaces and commas, keeps quoted phrases, and takes wildcards literally', () => {
    expect(searchTerms(' lawn, "back garden"  John ')).toEqual(['lawn', 'back garden', 'John'])
    expect(searchTerms('a a a')).toEqual(['a'])
    expect(searchTerms(Array.from({ length: 20 }, (_, i) => `t${i}`).join(' '))).toHaveLength(10)
    expect(likeTerms('50%_off\\')).toEqual(['%50\\%\\_off\\\\%'])
    expect(searchTerms(undefined)).toEqual([])
  })
})

describe('error bodies', () => {
  it('read as sentences, one list per field', () => {
    expect(sentence('is required')).toBe('This field is required.')
    expect(sentence('a crew lead may only book follow-up visits')).toBe(
      'A crew lead may only book follow-up visits.',
    )
    expect(
      fieldErrors([
        { field: 'status', message: 'must be one of a, b' },
        { field: 'status', message: 'must be one of a, b' },
        { field: undefined, message: 'must be a set of fields' },
      ]),
    ).toEqual({
      status: ['This field must be one of a, b.'],
      non_field_errors: ['The body must be a set of fields.'],
    })
  })
})

describe("the server's clock", () => {
  it('never goes backwards, even within a millisecond, and names its node', () => {
    const clock = serverClock()
    const values = Array.from({ length: 2000 }, () => clock.now())
    expect([...values].sort()).toEqual(values)
    expect(new Set(values).size).toBe(values.length)
    const first = decode(values[0] as string)
    expect(first.node).toBe(clock.node)
    expect(Math.abs(first.ms - Date.now())).toBeLessThan(5000)
    expect(clock.node).toMatch(/^srv[0-9a-f]{10}$/)
    expect(serverClock().node).not.toBe(clock.node)
  })
})
