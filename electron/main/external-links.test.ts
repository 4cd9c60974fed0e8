import { describe, expect, it } from 'vitest'
import { mapsUrl, telUrl } from '../../shared/domain/job-links'
import { externalUrl, mayOpenExternal } from './external-links'

describe('externalUrl', () => {
  it('lets through the links the app builds', () => {
    const map = mapsUrl({ address: null, latitude: 41.87, longitude: -87.62 }) as string
    const search = mapsUrl({ address: '12 Elm St, #4', latitude: null, longitude: null }) as string
    const tel = telUrl('+1 (555) 010-2030 ext. 9') as string
    for (const url of [map, search, tel, 'mailto:office@example.com', 'geo:41.87,-87.62']) {
      expect(externalUrl(url)).toBe(url)
    }
  })

  it('upgrades a map link written with http to https', () => {
    expect(externalUrl('http://www.openstreetmap.org/search?query=x')).toBe(
      'https://www.openstreetmap.org/search?query=x',
    )
  })

  it.each([
    ['another web host', 'https://evil.example/?q=www.openstreetmap.org'],
    ['a look-alike host', 'https://www.openstreetmap.org.evil.example/'],
    ['credentials in the URL', 'https://user:pw@www.openstreetmap.org/'],
    ['a port', 'https://www.openstreetmap.org:8443/'],
    ['a file', 'file:///etc/passwd'],
    ['a network share', 'smb://server/share'],
    ['script', 'javascript:alert(1)'],
    ['data', 'data:text/html,<script>alert(1)</script>'],
    ["the app's own scheme", 'app://groundskeeper/index.html'],
    ['an app protocol handler', 'ms-msdt:/id PCWDiagnostic'],
    ['a tel: link with more than a number', 'tel:5550100;phone-context=evil'],
    ['a tel: link with letters', 'tel:call-me'],
    ['a mailto: link with headers', 'mailto:a@example.com?attach=/etc/passwd'],
    ['a mailto: link with two addresses', 'mailto:a@example.com,b@example.com'],
    ['a geo: link with a query', 'geo:0,0?q=anything'],
    ['no URL at all', 'not a url'],
    ['an overlong URL', `https://www.openstreetmap.org/search?query=${'a'.repeat(2100)}`],
  ])('refuses %s', (_why, url) => {
    expect(externalUrl(url)).toBeNull()
  })

  it('refuses what is not a string', () => {
    for (const v of [undefined, null, 42, { href: 'https://www.openstreetmap.org/' }]) {
      expect(externalUrl(v)).toBeNull()
    }
  })
})

describe('mayOpenExternal', () => {
  const base = 'app://groundskeeper/'
  it("lets the app's page hand an allowed link to the OS", () => {
    expect(mayOpenExternal('app://groundskeeper/index.html', 'tel:5550100', base)).toBe(true)
  })
  it('refuses other pages, and links the allow-list refuses', () => {
    expect(mayOpenExternal('https://evil.example/', 'tel:5550100', base)).toBe(false)
    expect(mayOpenExternal('app://groundskeeper/index.html', 'ms-settings:', base)).toBe(false)
    expect(mayOpenExternal('app://groundskeeper/index.html', undefined, base)).toBe(false)
  })
})
