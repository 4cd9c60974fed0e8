import { useId, useState } from 'react'
import type { ChannelInput } from '../../../../shared/contract'
import {
  describeDay,
  describeRule,
  ordinalOf,
  parseRRule,
  type RepeatRule,
  toRRule,
  WEEKDAYS,
  type Weekday,
  weekdayOf,
} from '../../../../shared/domain/series-rule'

/**
 * "Repeats" in the booking form: does not repeat, weekly (one or more weekdays), every N
 * weeks, monthly on day N, monthly on the Nth weekday; the season (from the booking's day
 * until a last day, or open) and days to skip. The rule itself lives in shared/.
 */
export type RepeatKind = 'none' | 'weekly' | 'weeks' | 'monthlyDay' | 'monthlyWeekday'

export interface RepeatValue {
  kind: RepeatKind
  interval: number
  weekdays: Weekday[]
  until: string
  skips: string
}

export const NO_REPEAT: RepeatValue = {
  kind: 'none',
  interval: 2,
  weekdays: [],
  until: '',
  skips: '',
}

const DAY_LABELS: Record<Weekday, string> = {
  MO: 'Mon',
  TU: 'Tue',
  WE: 'Wed',
  TH: 'Thu',
  FR: 'Fri',
  SA: 'Sat',
  SU: 'Sun',
}
const ORDINAL_WORDS: Record<string, string> = {
  '1': 'first',
  '2': 'second',
  '3': 'third',
  '4': 'fourth',
  '-1': 'last',
}

/** The rule the choices make, for a series starting on `day` (YYYY-MM-DD). */
export function ruleOf(v: RepeatValue, day: string): RepeatRule | null {
  const weekdays = v.weekdays.length ? v.weekdays : [weekdayOf(day)]
  switch (v.kind) {
    case 'none':
      return null
    case 'weekly':
      return { kind: 'weekly', interval: 1, weekdays }
    case 'weeks':
      return { kind: 'weekly', interval: v.interval, weekdays }
    case 'monthlyDay':
      return { kind: 'monthlyDay', interval: 1, day: Number(day.slice(8, 10)) }
    case 'monthlyWeekday':
      return {
        kind: 'monthlyWeekday',
        interval: 1,
        ordinal: ordinalOf(day),
        weekday: weekdayOf(day),
      }
  }
}

/**
 * The choices that make a stored rule (an RRULE text) and season end, for editing a
 * series from one of its visits; null when the text is not a rule the form can show.
 */
export function repeatOf(rule: string, endsOn: string | null): RepeatValue | null {
  const r = parseRRule(rule)
  if (!r) return null
  const base = { ...NO_REPEAT, until: endsOn ?? '' }
  switch (r.kind) {
    case 'weekly':
      return r.interval === 1
        ? { ...base, kind: 'weekly', weekdays: r.weekdays }
        : { ...base, kind: 'weeks', interval: r.interval, weekdays: r.weekdays }
    case 'monthlyDay':
      return { ...base, kind: 'monthlyDay' }
    case 'monthlyWeekday':
      return { ...base, kind: 'monthlyWeekday' }
  }
}

/**
 * series.update's changes to how a series repeats, from the choices as they were
 * (`before`) and as they are, for the series from the visit on `day`: the rule when it
 * repeats otherwise, the season's end when it moved.
 */
export function repeatChanges(
  before: RepeatValue,
  now: RepeatValue,
  day: string,
): Pick<ChannelInput<'series.update'>['changes'], 'rule' | 'endsOn'> {
  const was = ruleOf(before, day)
  const is = ruleOf(now, day)
  return {
    ...(is && (!was || toRRule(was) !== toRRule(is))
      ? { rule: is as NonNullable<ChannelInput<'series.update'>['changes']['rule']> }
      : {}),
    ...(now.until !== before.until ? { endsOn: now.until || null } : {}),
  }
}

/** Skipped days as kept: dates (YYYY-MM-DD) separated by commas. */
export const skipDays = (text: string) => text.split(/[\s,]+/).filter(Boolean)

/** series.create's input from a booking's values (its start as local day and time). */
export function seriesInput(
  booking: {
    clientId?: string
    serviceId?: string
    teamMemberId?: string | null
    durationMinutes?: number
    price?: string
    notes?: string
    location?: string | null
  },
  local: { day: string; time: string },
  v: RepeatValue,
): ChannelInput<'series.create'> {
  return {
    clientId: booking.clientId ?? '',
    serviceId: booking.serviceId ?? '',
    teamMemberId: booking.teamMemberId ?? null,
    rule: ruleOf(v, local.day) as ChannelInput<'series.create'>['rule'],
    startsOn: local.day,
    endsOn: v.until || null,
    startTime: local.time,
    ...(booking.durationMinutes ? { durationMinutes: booking.durationMinutes } : {}),
    ...(booking.price ? { price: booking.price } : {}),
    notes: booking.notes ?? '',
    location: booking.location ?? null,
    skipDates: skipDays(v.skips),
  }
}

/**
 * series.update's changes from an edited visit: only what the person changed in it (its
 * local start time among them). The visits of the following or whole series keep the
 * rest as they have it: a note written on later visits is not replaced by this visit's.
 */
export function seriesChanges(
  booking: Parameters<typeof seriesInput>[0],
  time: string,
  before: {
    time: string
    serviceId: string
    teamMemberId: string | null
    durationMinutes: number
    price: string
    notes: string
    location: string | null
  },
): ChannelInput<'series.update'>['changes'] {
  const { serviceId, teamMemberId, durationMinutes, price, notes, location } = booking
  const now = { time, serviceId, teamMemberId, durationMinutes, price, notes, location }
  const changed = <K extends keyof typeof now>(k: K) =>
    now[k] !== undefined && (now[k] ?? null) !== (before[k] ?? null)
  return {
    ...(changed('time') ? { startTime: time } : {}),
    ...(changed('serviceId') ? { serviceId } : {}),
    ...(changed('teamMemberId') ? { teamMemberId } : {}),
    ...(changed('durationMinutes') ? { durationMinutes } : {}),
    ...(changed('price') ? { price } : {}),
    ...(changed('notes') ? { notes } : {}),
    ...(changed('location') ? { location } : {}),
  }
}

export function SeriesFields(props: {
  value: RepeatValue
  onChange: (v: RepeatValue) => void
  /** The booking's first day (YYYY-MM-DD), or '' before one is chosen. */
  day: string
  /**
   * Changing a series from one of its visits: it keeps repeating (ending it is its own
   * action), and its skipped days are skipped visit by visit.
   */
  editing?: boolean
}) {
  const id = useId()
  const v = props.value
  const set = (patch: Partial<RepeatValue>) => props.onChange({ ...v, ...patch })
  const day = props.day
  const rule = day ? ruleOf(v, day) : null
  const weekly = v.kind === 'weekly' || v.kind === 'weeks'
  const shown = weekly && day && !v.weekdays.length ? [weekdayOf(day)] : v.weekdays
  return (
    <fieldset className="series-fields" aria-label="Recurring visits">
      <div className="field">
        <label htmlFor={`${id}-kind`}>Repeats</label>
        <select
          id={`${id}-kind`}
          value={v.kind}
          onChange={(e) => set({ kind: e.target.value as RepeatKind })}
        >
          {!props.editing && <option value="none">Does not repeat</option>}
          <option value="weekly">Weekly</option>
          <option value="weeks">Every N weeks</option>
          <option value="monthlyDay">Monthly on day {day ? Number(day.slice(8, 10)) : 'N'}</option>
          <option value="monthlyWeekday">
            Monthly on the{' '}
            {day
              ? `${ORDINAL_WORDS[String(ordinalOf(day))]} ${DAY_LABELS[weekdayOf(day)]}`
              : 'Nth weekday'}
          </option>
        </select>
      </div>
      {v.kind === 'weeks' && (
        <div className="field">
          <label htmlFor={`${id}-interval`}>Every how many weeks</label>
          <input
            id={`${id}-interval`}
            type="number"
            min={2}
            max={52}
            value={v.interval}
            onChange={(e) => set({ interval: Math.max(1, Number(e.target.value) || 1) })}
          />
        </div>
      )}
      {weekly && (
        <fieldset className="field weekday-set">
          <legend className="field-label">On these days</legend>
          <div className="weekday-picks">
            {WEEKDAYS.map((d) => (
              <label key={d} className="weekday-pick">
                <input
                  type="checkbox"
                  checked={shown.includes(d)}
                  onChange={(e) =>
                    set({
                      weekdays: e.target.checked ? [...shown, d] : shown.filter((x) => x !== d),
                    })
                  }
                />
                {DAY_LABELS[d]}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      {v.kind !== 'none' && (
        <>
          <div className="field">
            <label htmlFor={`${id}-until`}>Season ends</label>
            <input
              id={`${id}-until`}
              type="date"
              value={v.until}
              min={day || undefined}
              onChange={(e) => set({ until: e.target.value })}
            />
          </div>
          {!props.editing && (
            <SkipDays
              id={`${id}-skips`}
              days={skipDays(v.skips)}
              first={day}
              last={v.until}
              onChange={(days) => set({ skips: days.join(',') })}
            />
          )}
          {rule && (
            <p className="muted series-rule-text" aria-live="polite">
              {describeRule(rule)}
              {v.until ? `, until ${describeDay(v.until, true)}` : ', until the series is ended'}.
              {rule.kind === 'monthlyDay' && rule.day > 28
                ? ` A month with no day ${rule.day} has no visit.`
                : ''}
              {props.editing
                ? ' A change here applies from this visit on, or to the whole series.'
                : ' Visits are booked 12 weeks ahead.'}
            </p>
          )}
        </>
      )}
    </fieldset>
  )
}

/** Days the series skips, picked on a calendar (as every other date in the app), listed in words. */
function SkipDays(props: {
  id: string
  days: string[]
  first: string
  last: string
  onChange: (days: string[]) => void
}) {
  const [draft, setDraft] = useState('')
  const add = () => {
    if (!draft) return
    props.onChange([...new Set([...props.days, draft])].sort())
    setDraft('')
  }
  return (
    <div className="field skip-days">
      <label htmlFor={props.id}>Skip these days</label>
      <div className="skip-add">
        <input
          id={props.id}
          type="date"
          value={draft}
          min={props.first || undefined}
          max={props.last || undefined}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="button" disabled={!draft} onClick={add}>
          Skip this day
        </button>
      </div>
      {props.days.length > 0 && (
        <ul className="skip-list" aria-label="Days skipped">
          {props.days.map((d) => (
            <li key={d}>
              {describeDay(d, true)}
              <button
                type="button"
                className="icon"
                aria-label={`Book ${describeDay(d, true)} after all`}
                onClick={() => props.onChange(props.days.filter((x) => x !== d))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
