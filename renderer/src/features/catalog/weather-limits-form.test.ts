import { describe, expect, it } from 'vitest'
import { KIND_LIMITS } from '../../../../shared/weather/risk'
import {
  limitInputs,
  limitLabel,
  limitRangeMessage,
  type WeatherValues,
  weatherDefaults,
  weatherInput,
} from './weather-limits-form'

const mowing = {
  weatherKind: 'mowing' as const,
  weatherLimits: { rainMm: 5, rainProbability: 70, windKmh: 20, heatC: 35 },
}

describe("the catalog's weather limits in the business's units", () => {
  it('labels and shows the limits in US units', () => {
    expect(limitLabel('rainMm', 'us')).toBe('Rain (in)')
    expect(limitLabel('windKmh', 'us')).toBe('Wind (mph)')
    expect(limitLabel('heatC', 'us')).toBe('Heat (°F)')
    expect(limitLabel('rainProbability', 'us')).toBe('Rain chance (%)')
    expect(limitLabel('rainMm', 'metric')).toBe('Rain (mm)')
    expect(weatherDefaults(mowing, 'us').weatherLimits).toEqual({
      rainMm: '0.2',
      rainProbability: '70',
      windKmh: '12',
      heatC: '95',
      noRain: false,
      noFrost: false,
    })
  })

  it('saves limits nobody changed exactly as stored: no drift from converting back', () => {
    const shown = weatherDefaults(mowing, 'us')
    expect(weatherInput(shown, 'us')).toEqual(mowing)
    // Another field changed: only that one is converted.
    const edited: WeatherValues = {
      ...shown,
      weatherLimits: { ...shown.weatherLimits, windKmh: '15' },
    }
    expect(weatherInput(edited, 'us').weatherLimits).toEqual({
      rainMm: 5,
      rainProbability: 70,
      windKmh: 24.14,
      heatC: 35,
    })
    // Opened, saved and opened again: the same text, the same stored limits.
    expect(weatherDefaults({ ...mowing, weatherLimits: { windKmh: 24.14 } }, 'us')).toMatchObject({
      weatherLimits: { windKmh: '15' },
    })
  })

  it("keeps a kind's limits exactly when its own limits start from them untouched", () => {
    const start: WeatherValues = {
      weatherKind: 'spraying',
      ownLimits: true,
      weatherLimits: limitInputs(KIND_LIMITS.spraying, 'us'),
      limitsShown: KIND_LIMITS.spraying,
    }
    expect(start.weatherLimits.windKmh).toBe('12')
    expect(weatherInput(start, 'us').weatherLimits).toEqual({ windKmh: 20, noRain: true })
  })

  it('converts typed US amounts to metric; metric and text that is no number pass as typed', () => {
    const typed = (limits: Partial<WeatherValues['weatherLimits']>): WeatherValues => ({
      weatherKind: '',
      ownLimits: true,
      weatherLimits: { ...limitInputs(null, 'us'), ...limits },
      limitsShown: {},
    })
    expect(
      weatherInput(typed({ rainMm: '0.25', windKmh: '20', heatC: '90' }), 'us').weatherLimits,
    ).toEqual({ rainMm: 6.35, windKmh: 32.19, heatC: 32.22 })
    expect(weatherInput(typed({ rainMm: '6.5' }), 'metric').weatherLimits).toEqual({ rainMm: 6.5 })
    expect(weatherInput(typed({ windKmh: 'fast' }), 'us').weatherLimits).toEqual({
      windKmh: 'fast',
    })
    expect(weatherInput({ ...typed({}), ownLimits: false }, 'us').weatherLimits).toBeNull()
  })

  it('words a refused US amount with the range in US units', () => {
    expect(limitRangeMessage('rainMm', '25', 'us')).toBe('must be from 0 to 19.68 in')
    expect(limitRangeMessage('windKmh', '200', 'us')).toBe('must be from 0 to 186 mph')
    expect(limitRangeMessage('heatC', '150', 'us')).toBe('must be from -58 to 140 °F')
    expect(limitRangeMessage('rainMm', '19.68', 'us')).toBeNull()
    expect(limitRangeMessage('rainMm', 'fast', 'us')).toBeNull()
    expect(limitRangeMessage('rainMm', '600', 'metric')).toBeNull()
  })
})
