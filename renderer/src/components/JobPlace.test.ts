import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { telUrl } from '../../../shared/domain/job-links'
import { JobPlace, PhoneLink } from './JobPlace'

/** The words a person reads, with the markup left out. */
const words = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ')
    .trim()

const place = (p: Partial<Parameters<typeof JobPlace>[0]>) =>
  renderToStaticMarkup(
    createElement(JobPlace, {
      clientName: 'Hazel Field',
      place: null,
      phone: null,
      latitude: null,
      longitude: null,
      ...p,
    }),
  )

describe('JobPlace: where a job is', () => {
  it('says there is no address rather than showing the phone alone as the place', () => {
    const html = place({ phone: '555-0100' })
    expect(words(html)).toBe('No address on file 555-0100')
    // The phone is on its own line, under the words about the address.
    expect(html).toMatch(/class="job-address".*No address on file.*class="job-links".*555-0100/)
    expect(html).toContain('aria-label="Call Hazel Field at 555-0100"')
  })

  it('says there is no address when nothing about the place is known', () => {
    expect(words(place({}))).toBe('No address on file')
  })

  it('shows the address, and the phone beside the map link', () => {
    const html = place({ place: '3 Orchard Row', phone: '555-0100', clientAddress: true })
    expect(words(html)).toBe("3 Orchard Row (client's address) 555-0100 Open in maps")
    expect(html).not.toContain('No address on file')
  })
})

describe('PhoneLink: the client’s phone on its own', () => {
  it('calls a number, and shows anything else as plain text', () => {
    const call = renderToStaticMarkup(
      createElement(PhoneLink, { clientName: 'Hazel Field', phone: '555-0100' }),
    )
    expect(call).toContain(`href="${telUrl('555-0100')}"`)
    const text = renderToStaticMarkup(
      createElement(PhoneLink, { clientName: 'Hazel Field', phone: 'ask at the gate' }),
    )
    expect(text).not.toContain('href=')
    expect(words(text)).toBe('ask at the gate')
  })
})
