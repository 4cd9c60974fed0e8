import { describe, expect, it } from 'vitest'
import { describeLimits } from './limits'
import { KIND_LIMITS } from './risk'
import { amount, amounts, figure, fromMetric, toMetric, unitOf, unitsForZone } from './units'

describe('weather amounts in the business units', () => {
  it('converts metric to US measures and back', () => {
    expect(fromMetric('rain', 25.4, 'us')).toBe(1)
    expect(fromMetric('wind', 1.609344, 'us')).toBe(1)
    expect(fromMetric('temperature', 100, 'us')).toBe(212)
    expect(fromMetric('temperature', -40, 'us')).toBe(-40)
    for (const q of ['rain', 'wind', 'temperature'] as const) {
      expect(toMetric(q, fromMetric(q, 37, 'us'), 'us')).toBeCloseTo(37, 10)
      expect(fromMetric(q, 37, 'metric')).toBe(37)
      expect(toMetric(q, 37, 'metric')).toBe(37)
    }
  })

  it('words US amounts: inches to the hundredth, mph and °F whole', () => {
    expect(amount('rain', 8, 'us')).toBe('0.31 in')
    expect(amount('rain', 5, 'us')).toBe('0.20 in')
    expect(amount('rain', 0, 'us')).toBe('0.00 in')
    expect(amount('wind', 30, 'us')).toBe('19 mph')
    expect(amount('temperature', 38, 'us')).toBe('100 °F')
    expect(amount('temperature', -1, 'us')).toBe('30 °F')
    expect(amount('temperature', -18, 'us')).toBe('0 °F')
    expect(amount('temperature', -20, 'us')).toBe('-4 °F')
    // A trace of rain is still rain, never "0.00 in" of it.
    expect(amount('rain', 0.1, 'us')).toBe('under 0.01 in')
  })

  it('keeps the metric words the app has always written', () => {
    expect(amount('rain', 8, 'metric')).toBe('8 mm')
    expect(amount('rain', 3.84, 'metric')).toBe('3.8 mm')
    expect(amount('wind', 30, 'metric')).toBe('30 km/h')
    expect(amount('temperature', -1, 'metric')).toBe('-1 °C')
    expect(amount('temperature', 18.4, 'metric', { whole: true })).toBe('18 °C')
    expect(figure('temperature', -0.3, 'metric', { whole: true })).toBe('0')
    expect(unitOf('wind', 'metric')).toBe('km/h')
    expect(unitOf('wind', 'us')).toBe('mph')
  })

  it('tells an amount from its limit when US rounding would word them alike', () => {
    expect(amounts('wind', 30.5, 30, 'us')).toEqual(['19.0 mph', '18.6 mph'])
    expect(amounts('wind', 40, 30, 'us')).toEqual(['25 mph', '19 mph'])
    expect(amounts('rain', 5.1, 5, 'us')).toEqual(['0.201 in', '0.197 in'])
    // Metric words stay as they are.
    expect(amounts('wind', 30.02, 30.04, 'metric')).toEqual(['30.0 km/h', '30.0 km/h'])
  })

  it("describes a service's limits in the units", () => {
    expect(describeLimits(KIND_LIMITS.spraying, 'us')).toBe('any rain, wind over 12 mph')
    expect(describeLimits({ rainMm: 5, rainProbability: 70, heatC: 35 }, 'us')).toBe(
      'rain over 0.20 in, rain over 70 % likely, heat over 95 °F',
    )
    expect(describeLimits({ rainMm: 5, rainProbability: 70, heatC: 35 })).toBe(
      'rain over 5 mm, rain over 70 % likely, heat over 35 °C',
    )
  })

  it('suggests US units for a zone of the United States, metric elsewhere', () => {
    for (const zone of [
      'America/Chicago',
      'America/New_York',
      'America/Indiana/Indianapolis',
      'Pacific/Honolulu',
      'US/Eastern',
    ])
      expect(unitsForZone(zone), zone).toBe('us')
    for (const zone of ['America/Toronto', 'America/Mexico_City', 'Europe/Berlin', 'UTC'])
      expect(unitsForZone(zone), zone).toBe('metric')
  })
})
