import { describe, expect, it } from 'vitest'
import type { ForecastDay } from '../../../../shared/contract/weather'
import { dayParts, daySentence, forecastLine } from './weather-text'

const TZ = 'America/Chicago'
// 2031-04-08 11:00 in Chicago (CDT, UTC-5).
const NOW = Date.parse('2031-04-08T16:00:00Z')
const TRIED = '2031-04-08T15:42:00Z' // 10:42 AM in Chicago
const UNREACHABLE = '24 places could not be refreshed: the weather service could not be reached'

describe('forecastLine: the weather strip says why there is no forecast', () => {
  it('no forecast and a failed refresh: the reason and when it was tried', () => {
    expect(
      forecastLine(
        { fetchedAt: null, lastError: UNREACHABLE, lastRefreshAt: TRIED, timeZone: TZ },
        NOW,
      ),
    ).toBe('No forecast: the weather service could not be reached (last tried 10:42 AM)')
  })

  it('an old forecast and a failed refresh: its age and the reason', () => {
    expect(
      forecastLine(
        {
          fetchedAt: '2031-04-07T16:00:00Z',
          lastError: UNREACHABLE,
          lastRefreshAt: '2031-04-07T20:05:00Z',
          timeZone: TZ,
        },
        NOW,
      ),
    ).toBe(
      'Forecast from yesterday: the weather service could not be reached (last tried Apr 7, 3:05 PM)',
    )
  })

  it('a stale forecast says so; a fresh one only its age', () => {
    const line = (fetchedAt: string) =>
      forecastLine({ fetchedAt, lastError: null, lastRefreshAt: null, timeZone: TZ }, NOW)
    expect(line('2031-04-08T07:00:00Z')).toBe('Forecast from 9 h ago, out of date')
    expect(line('2031-04-08T15:20:00Z')).toBe('Forecast from 40 min ago')
  })

  it('no forecast and no trouble: none yet', () => {
    expect(
      forecastLine({ fetchedAt: null, lastError: null, lastRefreshAt: null, timeZone: TZ }, NOW),
    ).toBe('No forecast for these days yet')
  })
})

describe("the strip's forecast, in the business's units", () => {
  const day: ForecastDay = {
    date: '2031-04-08',
    weatherCode: 63,
    precipitationMm: 8,
    precipitationProbability: 90,
    windKmh: 30,
    gustKmh: 45,
    tempMinC: -4.4,
    tempMaxC: 18.4,
    fetchedAt: '2031-04-08T15:00:00Z',
  }

  it('metric: mm, km/h and °C, as always', () => {
    expect(dayParts(day, 'metric')).toEqual({
      rain: '8 mm · 90%',
      wind: '30 km/h',
      temp: '\u22124 to 18 °C',
    })
    expect(daySentence(day, 'metric')).toBe(
      'Rain, 8 mm rain (90% likely), wind up to 30 km/h, gusts 45 km/h, \u22124 to 18 °C',
    )
  })

  it('US: inches, mph and °F', () => {
    expect(dayParts(day, 'us')).toEqual({
      rain: '0.31 in · 90%',
      wind: '19 mph',
      temp: '24 to 65 °F',
    })
    expect(daySentence(day, 'us')).toBe(
      'Rain, 0.31 in rain (90% likely), wind up to 19 mph, gusts 28 mph, 24 to 65 °F',
    )
  })

  it('a day with parts missing leaves them out', () => {
    const sparse = { ...day, precipitationMm: null, windKmh: null, tempMinC: null, tempMaxC: 2 }
    expect(dayParts(sparse, 'us')).toEqual({ rain: null, wind: '28 mph', temp: '? to 36 °F' })
  })
})
