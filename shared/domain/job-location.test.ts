import { describe, expect, it } from 'vitest'
import { jobLocation } from './job-location'

describe('jobLocation', () => {
  const client = { address: '12 Elm Street, Leeds', postalCode: 'LS1 4AP' }

  it("prefers the job's own location", () => {
    expect(jobLocation({ location: 'SW1A 1AA' }, client)).toBe('SW1A 1AA')
  })

  it("falls back to the client's address with its postal code", () => {
    expect(jobLocation({ location: null }, client)).toBe('12 Elm Street, Leeds, LS1 4AP')
    expect(jobLocation({ location: '  ' }, client)).toBe('12 Elm Street, Leeds, LS1 4AP')
  })

  it('does not repeat a postal code the address already ends with', () => {
    const address = '12 Elm Street, Leeds LS1 4AP'
    expect(jobLocation({ location: null }, { address, postalCode: 'ls14ap' })).toBe(address)
  })

  it('uses what is known, and null when nothing is', () => {
    expect(jobLocation({ location: null }, { address: null, postalCode: 'LS1 4AP' })).toBe(
      'LS1 4AP',
    )
    expect(jobLocation({ location: null }, { address: 'Elm Farm', postalCode: null })).toBe(
      'Elm Farm',
    )
    expect(jobLocation({ location: null }, { address: null, postalCode: null })).toBeNull()
    expect(jobLocation({ location: null }, null)).toBeNull()
  })
})
