/**
 * The links a job card offers: "Open in maps" and the client's phone number to call. One
 * place builds both, so the Today card, the job details and the day sheet link the same
 * way, and the desktop shell's allow-list (electron/main/external-links.ts) knows what
 * to expect.
 */

export interface MapPlace {
  /** The job's place in words (jobLocation's answer). */
  address: string | null
  /** The client's coordinates, when the job is at the client's address and they are known. */
  latitude: number | null
  longitude: number | null
}

export const MAP_HOST = 'www.openstreetmap.org'

const inRange = (v: number | null, limit: number): v is number =>
  v !== null && Number.isFinite(v) && Math.abs(v) <= limit

/** Six decimals is about 10 cm: enough for a front door, and no float noise in the URL. */
const fixed = (v: number) => String(Number(v.toFixed(6)))

/**
 * An OpenStreetMap link to the job: a marker at the coordinates when both are known and
 * valid, otherwise a search for the address; null when there is neither. OpenStreetMap
 * rather than a `geo:` URI because every desktop opens a web page, while `geo:` needs a
 * maps app registered for it (common on phones, rare on laptops).
 */
export function mapsUrl(place: MapPlace): string | null {
  if (inRange(place.latitude, 90) && inRange(place.longitude, 180)) {
    const lat = fixed(place.latitude)
    const lon = fixed(place.longitude)
    return `https://${MAP_HOST}/?mlat=${lat}&mlon=${lon}#map=18/${lat}/${lon}`
  }
  const query = place.address?.replace(/\s+/g, ' ').trim()
  if (!query) return null
  return `https://${MAP_HOST}/search?query=${encodeURIComponent(query)}`
}

/**
 * A `tel:` link (RFC 3966) for a phone number as people write it ("(555) 010-2030",
 * "+44 20 7946 0958", "555-0100 ext. 12"): the separators go, a leading + and an
 * extension stay. Null when the text is not a phone number (letters, too few digits),
 * so the screen shows it as plain text instead of a link that dials nonsense.
 */
export function telUrl(phone: string | null | undefined): string | null {
  const text = phone?.trim()
  if (!text) return null
  const match = /^(\+?[\d\s().\-/]+?)\s*(?:(?:ext\.?|x|#)\s*(\d{1,6}))?$/i.exec(text)
  if (!match) return null
  const [, main = '', extension] = match
  const plus = main.startsWith('+') ? '+' : ''
  const digits = main.replace(/\D/g, '')
  if (digits.length < 3 || digits.length > 15) return null
  return `tel:${plus}${digits}${extension ? `;ext=${extension}` : ''}`
}
