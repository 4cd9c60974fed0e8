import { OPEN_METEO_DEFAULTS, openMeteo, type WeatherProvider } from '../../weather/provider'
import type { FlagSpec } from './cli'

/**
 * The central forecast refresh's settings, for `npm run server`, `npm run worker` and
 * `npm run server:weather`: Open-Meteo by default (no key), its addresses configurable
 * (tests point them at a stand-in).
 */
const HTTP = /^https?:\/\/[^\s]+$/

export const WEATHER_FLAGS = {
  'weather-url': {
    type: 'string',
    env: 'WEATHER_URL',
    default: OPEN_METEO_DEFAULTS.forecastUrl,
    pattern: HTTP,
    hint: 'must be an http:// or https:// address',
    help: "the forecast API's address (Open-Meteo's /v1/forecast)",
  },
  'geocoding-url': {
    type: 'string',
    env: 'GEOCODING_URL',
    default: OPEN_METEO_DEFAULTS.geocodingUrl,
    pattern: HTTP,
    hint: 'must be an http:// or https:// address',
    help: "the place search's address (Open-Meteo's /v1/search), for clients without coordinates",
  },
  'weather-max-places': {
    type: 'int',
    default: 50,
    min: 1,
    max: 10_000,
    help: 'at most this many places fetched per refresh cycle',
  },
} as const satisfies Record<string, FlagSpec>

type WeatherFlags = {
  'weather-url': string
  'geocoding-url': string
}

export function providerFromFlags(f: WeatherFlags): WeatherProvider {
  return openMeteo({
    forecastUrl: f['weather-url'].replace(/\/+$/, ''),
    geocodingUrl: f['geocoding-url'].replace(/\/+$/, ''),
  })
}

/**
 * The workers' scheduled refresh (`startWorkers`' `weather`), for `npm run server` and
 * `npm run worker`: none on an instance started with --no-weather.
 */
export function workerWeather(
  f: WeatherFlags & { 'weather-max-places': number; 'no-weather': boolean },
): { weather?: { provider: WeatherProvider; maxPlaces: number } } {
  if (f['no-weather']) return {}
  return { weather: { provider: providerFromFlags(f), maxPlaces: f['weather-max-places'] } }
}
