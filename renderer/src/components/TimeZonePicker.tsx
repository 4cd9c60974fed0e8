import { useMemo, useState } from 'react'
import { Combobox } from './Combobox'

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

/** "America/Chicago" is found by "chic", "chicago", "america chi" or "new york" for New_York. */
const words = (zone: string) => zone.toLowerCase().replace(/[_/]/g, ' ')

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
    const terms = words(query).split(/\s+/).filter(Boolean)
    const hit = zones.filter((z) => terms.every((t) => words(z).includes(t)))
    // The laptop's zone first, when it matches.
    return hit.includes(here) ? [here, ...hit.filter((z) => z !== here)] : hit
  }, [zones, query, here])
  const options = matches.slice(0, SHOWN).map((z) => ({
    id: z,
    label: z,
    detail: [offsetOf(z), z === here ? "this laptop's zone" : ''].filter(Boolean).join(' · '),
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
