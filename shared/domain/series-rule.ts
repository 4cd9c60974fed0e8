import { RRuleTemporal } from 'rrule-temporal'
import { addDays } from './time'

/**
 * A series' recurrence rule: the few shapes a landscaping business books (weekly on one or
 * more weekdays, every N weeks, monthly on a day of the month, monthly on the Nth weekday),
 * stored as the recurrence part of an RRULE ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU") with the
 * season's first day as its DTSTART. The dates themselves come from rrule-temporal.
 *
 * Occurrences are local calendar days in the business's zone. The rule is evaluated on
 * floating days (midnight UTC stands for "that day"), never on instants: a visit's start
 * is built afterwards from its day and the series' local start time, so a change of
 * daylight saving time never moves a visit's hour or its day.
 */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const
export type Weekday = (typeof WEEKDAYS)[number]

export type RepeatRule =
  | { kind: 'weekly'; interval: number; weekdays: Weekday[] }
  | { kind: 'monthlyDay'; interval: number; day: number }
  | { kind: 'monthlyWeekday'; interval: number; ordinal: number; weekday: Weekday }

export const MAX_INTERVAL = 52
/** The ordinals of "monthly on the Nth weekday": first to fourth, and -1 for the last. */
export const ORDINALS = [1, 2, 3, 4, -1] as const

/** Each day of the week in full, by its RRULE code. */
export const WEEKDAY_NAMES: Record<Weekday, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
}
const ORDINAL_NAMES: Record<string, string> = {
  '1': 'first',
  '2': 'second',
  '3': 'third',
  '4': 'fourth',
  '-1': 'last',
}

const byWeek = (days: readonly Weekday[]) =>
  [...new Set(days)].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b))

/** The stored form of a rule: one canonical text per rule, so equal rules compare equal. */
export function toRRule(rule: RepeatRule): string {
  const interval = rule.interval > 1 ? `;INTERVAL=${rule.interval}` : ''
  switch (rule.kind) {
    case 'weekly':
      return `FREQ=WEEKLY${interval};BYDAY=${byWeek(rule.weekdays).join(',')}`
    case 'monthlyDay':
      return `FREQ=MONTHLY${interval};BYMONTHDAY=${rule.day}`
    case 'monthlyWeekday':
      return `FREQ=MONTHLY${interval};BYDAY=${rule.ordinal}${rule.weekday}`
  }
}

const isWeekday = (v: string): v is Weekday => (WEEKDAYS as readonly string[]).includes(v)

/**
 * The rule a stored text holds, or null when it is not one of the shapes above (a row
 * pulled from elsewhere may hold anything the protocol lets through): such a series
 * books nothing rather than something nobody asked for.
 */
export function parseRRule(text: string): RepeatRule | null {
  const parts = new Map<string, string>()
  for (const part of text.split(';')) {
    const [key, value, extra] = part.split('=')
    if (!key || value === undefined || extra !== undefined || parts.has(key)) return null
    parts.set(key, value)
  }
  const interval = parts.has('INTERVAL') ? Number(parts.get('INTERVAL')) : 1
  if (!Number.isInteger(interval) || interval < 1 || interval > MAX_INTERVAL) return null
  const known = (...keys: string[]) => [...parts.keys()].every((k) => keys.includes(k))
  const freq = parts.get('FREQ')
  const byDay = parts.get('BYDAY')
  let rule: RepeatRule | null = null
  if (freq === 'WEEKLY' && byDay && known('FREQ', 'INTERVAL', 'BYDAY')) {
    const days = byDay.split(',')
    if (days.every(isWeekday)) rule = { kind: 'weekly', interval, weekdays: byWeek(days) }
  } else if (
    freq === 'MONTHLY' &&
    parts.has('BYMONTHDAY') &&
    known('FREQ', 'INTERVAL', 'BYMONTHDAY')
  ) {
    const day = Number(parts.get('BYMONTHDAY'))
    if (Number.isInteger(day) && day >= 1 && day <= 31) rule = { kind: 'monthlyDay', interval, day }
  } else if (freq === 'MONTHLY' && byDay && known('FREQ', 'INTERVAL', 'BYDAY')) {
    const m = /^(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)$/.exec(byDay)
    if (m) {
      rule = { kind: 'monthlyWeekday', interval, ordinal: Number(m[1]), weekday: m[2] as Weekday }
    }
  }
  // Only the canonical text: two spellings of one rule would be two different rows' values.
  return rule && toRRule(rule) === text ? rule : null
}

/** A day as rrule-temporal takes a start: it reads the text into its own Temporal. */
const floating = (day: string) => ({
  timeZoneId: 'UTC',
  toString: () => `${day}T00:00:00+00:00[UTC]`,
})

/** rrule-temporal parses and plans a rule once; a horizon run asks the same rules often. */
const compiled = new Map<string, RRuleTemporal>()

function compile(rule: string, startsOn: string): RRuleTemporal | null {
  const key = `${rule}|${startsOn}`
  let r = compiled.get(key)
  if (!r) {
    if (!parseRRule(rule)) return null
    r = new RRuleTemporal({ rruleString: rule, dtstart: floating(startsOn) })
    if (compiled.size > 5000) compiled.clear()
    compiled.set(key, r)
  }
  return r
}

/**
 * The days (YYYY-MM-DD, ascending) in [from, to], both included, on which the rule
 * started on `startsOn` has a visit. Nothing before `startsOn`.
 */
export function occurrences(rule: string, startsOn: string, from: string, to: string): string[] {
  const first = from < startsOn ? startsOn : from
  if (to < first) return []
  const r = compile(rule, startsOn)
  if (!r) return []
  const after = new Date(`${first}T00:00:00Z`)
  const before = new Date(`${to}T00:00:00Z`)
  return r.between(after, before, true).map((z) => z.toPlainDate().toString())
}

/** Whether the rule started on `startsOn` has a visit on `day`. */
export const occursOn = (rule: string, startsOn: string, day: string) =>
  occurrences(rule, startsOn, day, day).length === 1

/** The weekday of a day, as the rule names it. */
export function weekdayOf(day: string): Weekday {
  const sundayFirst = new Date(`${day}T00:00:00Z`).getUTCDay()
  return WEEKDAYS[(sundayFirst + 6) % 7] as Weekday
}

/** The Nth weekday of its month `day` is (1-4, or -1 when it is the fifth: "the last"). */
export function ordinalOf(day: string): number {
  const date = Number(day.slice(8, 10))
  const n = Math.ceil(date / 7)
  return n > 4 ? -1 : n
}

const list = (words: string[]) =>
  words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '')

/** "Every week on Tuesday", "Every 2 weeks on Monday and Thursday", "Monthly on the second Tuesday". */
export function describeRule(rule: RepeatRule): string {
  const every = (unit: string) =>
    rule.interval > 1
      ? `Every ${rule.interval} ${unit}s`
      : unit === 'week'
        ? 'Every week'
        : 'Monthly'
  switch (rule.kind) {
    case 'weekly':
      return `${every('week')} on ${list(byWeek(rule.weekdays).map((d) => WEEKDAY_NAMES[d]))}`
    case 'monthlyDay':
      return `${every('month')} on day ${rule.day}`
    case 'monthlyWeekday':
      return `${every('month')} on the ${ORDINAL_NAMES[String(rule.ordinal)]} ${WEEKDAY_NAMES[rule.weekday]}`
  }
}

/** "Apr 6, 2027" style without the year: "Apr 6". */
export function describeDay(day: string, withYear = false): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    ...(withYear ? { year: 'numeric' } : {}),
  })
}

/** "Every 2 weeks on Tuesday, Apr 6 – Oct 26", or "..., from Apr 6" with no end. */
export function describeSeries(rule: string, startsOn: string, endsOn: string | null): string {
  const parsed = parseRRule(rule)
  const what = parsed ? describeRule(parsed) : 'A repeat this app cannot read'
  const years = startsOn.slice(0, 4) !== (endsOn ?? startsOn).slice(0, 4)
  if (!endsOn) return `${what}, from ${describeDay(startsOn, years)}`
  return `${what}, ${describeDay(startsOn, years)} – ${describeDay(endsOn, years)}`
}

/** The day before `day`: the last day of a series ended from `day`. */
export const dayBefore = (day: string) => addDays(day, -1)
