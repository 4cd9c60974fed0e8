import { v5 as uuidv5 } from 'uuid'
import { jobLocation } from '../domain/job-location'

/**
 * Where a job's forecast comes from. Coordinates are rounded to 2 decimals (about 1 km):
 * jobs on one street share a forecast, and the cache's key is that rounding as text
 * ("51.51,-0.13"). A job's place is its own location's looked-up coordinates when it has
 * a location, else its client's coordinates set by hand, else its client's address looked
 * up; none of these: no place, and no forecast (never a silent "low").
 */
export const PLACE_PATTERN = /^-?\d{1,2}\.\d{2},-?\d{1,3}\.\d{2}$/

export interface Coordinates {
  latitude: number
  longitude: number
}

export function placeKey(at: Coordinates): string {
  const r = (n: number) => (Math.round(n * 100) / 100).toFixed(2).replace(/^-0\.00$/, '0.00')
  return `${r(at.latitude)},${r(at.longitude)}`
}

export function placeCoordinates(key: string): Coordinates {
  const [latitude, longitude] = key.split(',').map(Number)
  return { latitude: latitude ?? 0, longitude: longitude ?? 0 }
}

/** An address as a lookup key: trimmed, spaces collapsed, lower case. */
export const normalQuery = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase()

const NAMESPACE = '6f1b6c8e-5b0e-4a7e-9a51-3c2f0f6b8d21'

/** The cache row of a place's day: the same id wherever it is written. */
export const forecastId = (place: string, day: string) =>
  uuidv5(`forecast|${place}|${day}`, NAMESPACE)

export const geocodeId = (query: string) => uuidv5(`geocode|${normalQuery(query)}`, NAMESPACE)

export interface PlaceSources {
  job: { location: string | null }
  client: {
    address: string | null
    postalCode: string | null
    latitude: number | null
    longitude: number | null
  } | null
  /** Looked-up coordinates by normalised query; null coordinates: nothing found. */
  geocoded: (query: string) => Coordinates | null | undefined
}

export interface JobPlace {
  /** The forecast key, or null when the job has no known place. */
  place: string | null
  /** What to look up to find one (set when it was never looked up). */
  lookup: string | null
}

export function jobPlace({ job, client, geocoded }: PlaceSources): JobPlace {
  const own = job.location?.trim()
  if (!own && client && client.latitude !== null && client.longitude !== null)
    return {
      place: placeKey({ latitude: client.latitude, longitude: client.longitude }),
      lookup: null,
    }
  const text = own || jobLocation({ location: null }, client)
  if (!text) return { place: null, lookup: null }
  // A postcode finds a place more often than a street address on the geocoder.
  const query = normalQuery(own || client?.postalCode?.trim() || text)
  const found = geocoded(query)
  if (found === undefined) return { place: null, lookup: query }
  return { place: found ? placeKey(found) : null, lookup: null }
}
