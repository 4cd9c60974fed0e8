import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { ImportHint } from './ImportHint'

const hint = (kind: 'clients' | 'services' | 'series') =>
  renderToStaticMarkup(createElement(ImportHint, { kind }))
const words = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ')

describe('ImportHint: the columns an import reads', () => {
  it('lists the columns of a file of clients, and which one is needed', () => {
    expect(words(hint('clients'))).toContain(
      'with the columns name, email, phone, address, postal_code, latitude, longitude, notes, notify_email, notify_sms, notify_off, locale. Needed: name;',
    )
  })

  it('lists the columns of a file of services, and which are needed', () => {
    expect(words(hint('services'))).toContain(
      'with the columns name, description, priority, base_price, duration_minutes, is_active. Needed: name, base_price, and duration_minutes;',
    )
  })

  it('is a hint, not a warning', () => {
    for (const kind of ['clients', 'services', 'series'] as const) {
      expect(hint(kind)).toMatch(/^<p class="hint"/)
      expect(hint(kind)).not.toMatch(/role="alert"|notice|error|warning/)
    }
  })
})
