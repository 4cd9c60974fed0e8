import { describe, expect, it } from 'vitest'
import { checkInterval } from './cadence'
import { assessRisk, type DailyForecast, GENERAL_LIMITS, KIND_LIMITS } from './risk'

const day = (over: Partial<DailyForecast> = {}): DailyForecast => ({
  date: '2027-06-08',
  precipitationMm: 0,
  precipitationProbability: 10,
  windKmh: 10,
  gustKmh: 15,
  tempMinC: 12,
  tempMaxC: 24,
  ...over,
})
const here = { known: true }

describe('weather risk', () => {
  it('flags mowing on a 9 mm day, not the indoor work, with the reason in words', () => {
    const wet = day({ precipitationMm: 9, precipitationProbability: 90 })
    expect(assessRisk(wet, KIND_LIMITS.mowing, here)).toEqual({
      risk: 'high',
      reason: '9 mm rain expected, limit 5 mm; rain 90% likely, limit 70%',
    })
    expect(assessRisk(wet, KIND_LIMITS.indoor, here).risk).toBe('low')
    expect(assessRisk(day(), KIND_LIMITS.mowing, here)).toEqual({
      risk: 'low',
      reason: 'the forecast is within this work’s limits',
    })
  })

  it('knows each kind of work: wind and any rain for spraying, frost for planting, heat', () => {
    expect(assessRisk(day({ windKmh: 24, gustKmh: 38 }), KIND_LIMITS.spraying, here)).toEqual({
      risk: 'high',
      reason: 'wind up to 24 km/h, limit 20 km/h',
    })
    // Gusts alone over the limit: weighed, not a stop.
    expect(assessRisk(day({ gustKmh: 28 }), KIND_LIMITS.spraying, here)).toEqual({
      risk: 'moderate',
      reason: 'gusts up to 28 km/h, limit 20 km/h',
    })
    expect(assessRisk(day({ windKmh: null, gustKmh: 28 }), KIND_LIMITS.spraying, here).reason).toBe(
      'wind up to 28 km/h, limit 20 km/h',
    )
    expect(assessRisk(day({ precipitationMm: 0.4 }), KIND_LIMITS.spraying, here).risk).toBe('high')
    expect(assessRisk(day({ tempMinC: -2 }), KIND_LIMITS.planting, here).reason).toBe(
      'frost expected (-2 °C)',
    )
    expect(assessRisk(day({ tempMaxC: 37 }), KIND_LIMITS.heavy, here).risk).toBe('high')
    // Near a limit: moderate.
    expect(assessRisk(day({ precipitationMm: 4 }), GENERAL_LIMITS, here)).toEqual({
      risk: 'moderate',
      reason: '4 mm rain expected, limit 5 mm',
    })
  })

  it('words its reasons in US units when the business uses them', () => {
    const us = { units: 'us' as const }
    const wet = day({ precipitationMm: 8, precipitationProbability: 90 })
    expect(assessRisk(wet, KIND_LIMITS.mowing, here, us)).toEqual({
      risk: 'high',
      reason: '0.31 in rain expected, limit 0.20 in; rain 90% likely, limit 70%',
    })
    expect(assessRisk(day({ windKmh: 30, gustKmh: 38 }), KIND_LIMITS.spraying, here, us)).toEqual({
      risk: 'high',
      reason: 'wind up to 19 mph, limit 12 mph',
    })
    expect(assessRisk(day({ gustKmh: 28 }), KIND_LIMITS.spraying, here, us).reason).toBe(
      'gusts up to 17 mph, limit 12 mph',
    )
    expect(assessRisk(day({ tempMaxC: 38 }), KIND_LIMITS.heavy, here, us).reason).toBe(
      '100 °F expected, limit 95 °F',
    )
    expect(assessRisk(day({ tempMinC: -1 }), KIND_LIMITS.planting, here, us).reason).toBe(
      'frost expected (30 °F)',
    )
    expect(assessRisk(day({ tempMinC: 1.5 }), KIND_LIMITS.planting, here, us).reason).toBe(
      'near frost (35 °F)',
    )
    expect(assessRisk(day({ precipitationMm: 0.4 }), KIND_LIMITS.spraying, here, us).reason).toBe(
      '0.02 in rain expected, this work needs a dry day',
    )
    // Metric stays the default, word for word.
    expect(assessRisk(wet, KIND_LIMITS.mowing, here, { units: 'metric' })).toEqual(
      assessRisk(wet, KIND_LIMITS.mowing, here),
    )
    expect(assessRisk(day({ tempMaxC: 38 }), KIND_LIMITS.heavy, here).reason).toBe(
      '38 °C expected, limit 35 °C',
    )
  })

  it('is unknown without a place or a forecast, never silently low', () => {
    expect(assessRisk(day(), GENERAL_LIMITS, { known: false }).risk).toBe('unknown')
    expect(assessRisk(null, GENERAL_LIMITS, here)).toEqual({
      risk: 'unknown',
      reason: 'no forecast for this day yet',
    })
  })

  it('checks sooner as the day nears', () => {
    const now = Date.parse('2027-06-01T12:00:00Z')
    const H = 3_600_000
    expect(checkInterval(now + 5 * 24 * H, now)).toBe(24 * H)
    expect(checkInterval(now + 60 * H, now)).toBe(6 * H)
    expect(checkInterval(now + 20 * H, now)).toBe(3 * H)
  })
})
