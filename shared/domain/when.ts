/**
 * Times in messages a person reads: in the business's time zone, in words ("8:00–9:30 AM
 * on Thu, Dec 10"), never as an ISO instant. Messages are written in English, so the
 * format is en-US whatever the machine's locale.
 */
const formats = new Map<string, Intl.DateTimeFormat>()

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      hour12: true,
    })
    formats.set(timeZone, f)
  }
  return f
}

interface Parts {
  day: string
  time: string
  period: string
}

function parts(epochMs: number, timeZone: string): Parts {
  const p: Record<string, string> = {}
  for (const part of format(timeZone).formatToParts(new Date(epochMs))) p[part.type] = part.value
  return {
    day: `${p.weekday}, ${p.month} ${p.day}`,
    time: `${p.hour}:${p.minute}`,
    period: (p.dayPeriod ?? '').toUpperCase(),
  }
}

/** "Thu, Dec 10 at 8:00 AM". */
export function describeInstant(epochMs: number, timeZone: string): string {
  const at = parts(epochMs, timeZone)
  return `${at.day} at ${at.time} ${at.period}`
}

/**
 * A visit's time in the words of `locale` (a message template's language): its day, its
 * time, and both. English keeps the app's own ("Thu, Dec 10" / "8:00 AM"); another
 * language is written as that language writes it ("mié, 10 dic" / "8:00").
 */
export function instantWords(
  epochMs: number,
  timeZone: string,
  locale = 'en',
): { date: string; time: string; when: string } {
  if (locale === 'en') {
    const when = describeInstant(epochMs, timeZone)
    const [date = '', time = ''] = when.split(' at ')
    return { date, time, when }
  }
  const at = new Date(epochMs)
  const date = new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
  }).format(at)
  const time = new Intl.DateTimeFormat(locale, {
    timeZone,
    hour: 'numeric',
    minute: '2-digit',
  }).format(at)
  return { date, time, when: `${date}, ${time}` }
}

/**
 * "8:00–9:30 AM on Thu, Dec 10", "11:30 AM–12:15 PM on Thu, Dec 10", or across
 * midnight "11:00 PM on Thu, Dec 10 to 1:00 AM on Fri, Dec 11".
 */
export function describeSpan(startMs: number, endMs: number, timeZone: string): string {
  const from = parts(startMs, timeZone)
  const to = parts(endMs, timeZone)
  if (from.day !== to.day) {
    return `${from.time} ${from.period} on ${from.day} to ${to.time} ${to.period} on ${to.day}`
  }
  const start = from.period === to.period ? from.time : `${from.time} ${from.period}`
  return `${start}–${to.time} ${to.period} on ${from.day}`
}
