import { describe, expect, it } from 'vitest'
import { mapsUrl, telUrl } from './job-links'

describe('mapsUrl', () => {
  it('puts a marker at the coordinates when they are known', () => {
    expect(mapsUrl({ address: '12 Elm St', latitude: 41.878113, longitude: -87.6298 })).toBe(
      'https://www.openstreetmap.org/?mlat=41.878113&mlon=-87.6298#map=18/41.878113/-87.6298',
    )
  })

  it('rounds coordinates to six decimals', () => {
    expect(mapsUrl({ address: null, latitude: 0.1 + 0.2, longitude: 1.23456789 })).toBe(
      'https://www.openstreetmap.org/?mlat=0.3&mlon=1.234568#map=18/0.3/1.234568',
    )
  })

  it('searches for the address when a coordinate is missing or impossible', () => {
    const search =
      'https://www.openstreetmap.org/search?query=12%20Elm%20St%2C%20Springfield%20%2360'
    expect(
      mapsUrl({ address: ' 12 Elm St,\n Springfield #60 ', latitude: null, longitude: 1 }),
    ).toBe(search)
    expect(mapsUrl({ address: '12 Elm St, Springfield #60', latitude: 91, longitude: 1 })).toBe(
      search,
    )
    expect(
      mapsUrl({ address: '12 Elm St, Springfield #60', latitude: Number.NaN, longitude: 1 }),
    ).toBe(search)
  })

  it('encodes what could break out of the query', () => {
    const url = mapsUrl({ address: 'a&b=c?d/e"<x>', latitude: null, longitude: null })
    expect(url).toBe('https://www.openstreetmap.org/search?query=a%26b%3Dc%3Fd%2Fe%22%3Cx%3E')
  })

  it('is null with neither coordinates nor an address', () => {
    expect(mapsUrl({ address: null, latitude: null, longitude: null })).toBeNull()
    expect(mapsUrl({ address: '   ', latitude: 10, longitude: null })).toBeNull()
  })
})

describe('telUrl', () => {
  it('keeps the digits and a leading plus', () => {
    expect(telUrl('(555) 010-2030')).toBe('tel:5550102030')
    expect(telUrl('+44 20 7946 0958')).toBe('tel:+442079460958')
    expect(telUrl('555.0100')).toBe('tel:5550100')
  })

  it('keeps an extension as RFC 3966 writes it', () => {
    expect(telUrl('555-0100 ext. 12')).toBe('tel:5550100;ext=12')
    expect(telUrl('555-0100 x7')).toBe('tel:5550100;ext=7')
  })

  it('is null for text that is not a phone number', () => {
    expect(telUrl(null)).toBeNull()
    expect(telUrl('  ')).toBeNull()
    expect(telUrl('ask at the gate')).toBeNull()
    expect(telUrl('12')).toBeNull()
    expect(telUrl('555-0100; rm -rf')).toBeNull()
    expect(telUrl('1234567890123456')).toBeNull()
  })
})
