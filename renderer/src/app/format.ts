import { localToUtc } from '../../../shared/domain/time'

/** Dates shown in the business's time zone, whatever the laptop's own zone. */
const cache = new Map<string, Intl.DateTimeFormat>()

function fmt(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`
  let f = cache.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, { timeZone, ...options })
    cache.set(key, f)
  }
  return f
}

export const formatDateTime = (iso: string, tz: string) =>
  fmt(tz, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
/** With seconds: tells apart things made in the same minute (backups). */
export const formatDateTimeSeconds = (iso: string, tz: string) =>
  fmt(tz, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso))
export const formatDate = (iso: string, tz: string) =>
  fmt(tz, { dateStyle: 'medium' }).format(new Date(iso))
export const formatTime = (iso: string, tz: string) =>
  fmt(tz, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso))
/** "Thursday, November 20", with the year when it is not this year's ("…, 2025"). */
export function formatDay(iso: string, tz: string): string {
  const year = (at: string | number) => fmt(tz, { year: 'numeric' }).format(new Date(at))
  const other = year(iso) !== year(Date.now())
  return fmt(tz, {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    ...(other ? { year: 'numeric' } : {}),
  }).format(new Date(iso))
}

/** "2026-05-04T09:30" as the business zone's wall clock, for <input type="datetime-local">. */
export function toLocalInput(iso: string, tz: string): string {
  const parts: Record<string, string> = {}
  for (const p of fmt(tz, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso))) {
    parts[p.type] = p.value
  }
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`
}

/** The instant a datetime-local value means in the business zone, or null if malformed. */
export function fromLocalInput(value: string, tz: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value)
  if (!m) return null
  const [, y, mo, d, h, mi] = m.map(Number) as number[]
  const ms = localToUtc(
    {
      year: y as number,
      month: mo as number,
      day: d as number,
      hour: h as number,
      minute: mi as number,
    },
    tz,
  )
  return new Date(ms).toISOString()
}

/** The start (as an instant) of the business day containing `at`, and the next one. */
export function businessDay(at: Date, tz: string): { from: string; to: string } {
  const [date = ''] = toLocalInput(at.toISOString(), tz).split('T')
  const from = fromLocalInput(`${date}T00:00`, tz) ?? at.toISOString()
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
  const to = fromLocalInput(`${next}T00:00`, tz) ?? at.toISOString()
  return { from, to }
}

export const money = (amount: string) =>
  Number(amount).toLocaleString(undefined, { style: 'currency', currency: 'USD' })

/** "just now", "4 min ago", "3 h ago", "2 days ago": how long since an instant. */
export function formatAgo(iso: string, now = Date.now()): string {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000)
  if (minutes < 1) return 'just now'
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return `${hours} h ago`
  const days = Math.floor(hours / 24)
  return days === 1 ? 'yesterday' : `${days} days ago`
}

export { amountOf, plural } from '../../../shared/domain/words'
