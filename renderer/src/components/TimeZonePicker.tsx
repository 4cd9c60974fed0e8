import { useMemo, useState } from 'react'
import { Combobox } from './Combobox'
import { ZONE_CITIES } from './zone-aliases'

/** How many matches the list shows at once; typing narrows the rest. */
const SHOWN = 60

/** This laptop's own zone, suggested first. */
export const laptopZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone

/** Every zone the runtime knows, with the laptop's and the current one always in. */
function allZones(current: string): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'))
  zones.add(laptopZone())
  if (current) zones.add(current)
  return [...zones].sort()
}

/** A zone's name as the runtime says it in `style` ("Central Time", "CT"), or "". */
const names = new Map<string, string>()
export function zoneName(zone: string, style: 'longGeneric' | 'shortGeneric'): string {
  const key = `${zone} ${style}`
  let name = names.get(key)
  if (name === undefined) {
    try {
      name =
        new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: style })
          .formatToParts(new Date())
          .find((p) => p.type === 'timeZoneName')?.value ?? ''
    } catch {
      name = ''
    }
    // Only an offset ("GMT+3") is no name.
    if (/^GMT([+-]|$)/.test(name)) name = ''
    names.set(key, name)
  }
  return name
}

const searched = new Map<string, string>()
/**
 * What a zone is found by: "America/Chicago" by "chic", "america chi", "central", "CT"
 * or "Dallas"; "America/New_York" by "new york" or "eastern".
 */
function words(zone: string): string {
  let text = searched.get(zone)
  if (text === undefined) {
    text = [
      zone.replace(/[_/]/g, ' '),
      zoneName(zone, 'longGeneric'),
      zoneName(zone, 'shortGeneric'),
      ...(ZONE_CITIES[zone] ?? []),
    ]
      .join(' ')
      .toLowerCase()
    searched.set(zone, text)
  }
  return text
}

/**
 * Which matches come first: the laptop's own zone, then a zone whose city starts with
 * what was typed ("chic"), then the zones of the places the app is sold in, in the order
 * the city list gives them (so "eastern" puts New York before Detroit, and both before
 * Cairo's "Eastern European Time"), then the rest.
 */
function rank(zone: string, terms: readonly string[], here: string): number {
  if (zone === here) return 0
  const city = (zone.split('/').pop() ?? '').replace(/_/g, ' ').toLowerCase()
  if (terms.length > 0 && city.startsWith(terms.join(' '))) return 1
  const market = MARKET_ORDER.indexOf(zone)
  return market >= 0 ? 2 + market : 2 + MARKET_ORDER.length
}
const MARKET_ORDER = Object.keys(ZONE_CITIES)

function offsetOf(zone: string): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')
    return part?.value.replace('GMT', 'UTC') || 'UTC'
  } catch {
    return ''
  }
}

/**
 * A time zone chosen from the IANA list, never typed free-form: the field filters the
 * list as you type, the laptop's own zone first.
 */
export function TimeZonePicker(props: {
  id?: string
  'aria-invalid'?: boolean
  'aria-describedby'?: string
  value: string
  onChange: (zone: string) => void
  disabled?: boolean
  /** Sends the chosen zone with a plain form, under this name. */
  name?: string
}) {
  const [query, setQuery] = useState('')
  const zones = useMemo(() => allZones(props.value), [props.value])
  const here = laptopZone()
  const matches = useMemo(() => {
    const terms = query.toLowerCase().replace(/[_/,]/g, ' ').split(/\s+/).filter(Boolean)
    const hit = zones.filter((z) => terms.every((t) => words(z).includes(t)))
    // Array.sort is stable: within a rank the zones stay in name order.
    return hit.sort((a, b) => rank(a, terms, here) - rank(b, terms, here))
  }, [zones, query, here])
  const options = matches.slice(0, SHOWN).map((z) => ({
    id: z,
    label: z,
    detail: [offsetOf(z), zoneName(z, 'longGeneric'), z === here ? "this laptop's zone" : '']
      .filter(Boolean)
      .join(' · '),
  }))
  return (
    <>
      {props.name && <input type="hidden" name={props.name} value={props.value} />}
      <Combobox
        id={props.id}
        aria-invalid={props['aria-invalid']}
        aria-describedby={props['aria-describedby']}
        selectedLabel={props.value}
        options={options}
        onQuery={setQuery}
        onChoose={(o) => props.onChange(o.id)}
        placeholder="Type a city, such as Chicago"
        disabled={props.disabled}
        listLabel="Time zones"
        noMatch={`No time zone matches “${query}”: try the nearest large city`}
        footer={
          matches.length > options.length
            ? `${options.length} of ${matches.length} shown: type more to narrow`
            : null
        }
      />
    </>
  )
}
