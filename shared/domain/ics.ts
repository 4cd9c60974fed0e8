/**
 * iCalendar (RFC 5545) for exporting the schedule to other calendars: UTC times, text
 * escaped, lines folded at 75 octets with CRLF endings.
 */
export interface IcsEvent {
  uid: string
  start: string // ISO instant
  end: string
  summary: string
  description: string
  location?: string | null
  status: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED'
  updated: string
}

const utc = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')

/**
 * RFC 5545 TEXT (3.3.11): backslash, semicolon and comma are escaped, and every line
 * break — CRLF, a lone LF or a lone CR — becomes the escape `\n`. Other control characters are
 * not allowed in TEXT at all (tab is), so they are dropped: a stray CR left in a note
 * would otherwise end the content line early and corrupt the file.
 */
const escapeText = (s: string) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')

/** UTF-8 octets of one character (a code point). */
const octets = (code: number) => (code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4)

/**
 * Folds a content line at 75 octets (UTF-8), never inside a multi-byte character. Most
 * lines are short ASCII and go as they are; sizes are counted, not encoded, because a
 * calendar of thousands of jobs folds tens of thousands of lines.
 */
function fold(line: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is the whole range here
  if (line.length <= 75 && /^[\u0000-\u007f]*$/.test(line)) return line
  const parts: string[] = []
  let current = ''
  let size = 0
  for (const ch of line) {
    const n = octets(ch.codePointAt(0) ?? 0)
    if (size + n > (parts.length ? 74 : 75)) {
      parts.push(current)
      current = ''
      size = 0
    }
    current += ch
    size += n
  }
  parts.push(current)
  return parts.join('\r\n ')
}

export function toIcs(events: IcsEvent[], calendarName: string): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Groundskeeper//Scheduling//EN',
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:${escapeText(calendarName)}`,
  ]
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${utc(e.updated)}`,
      `LAST-MODIFIED:${utc(e.updated)}`,
      `DTSTART:${utc(e.start)}`,
      `DTEND:${utc(e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
      ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
      ...(e.location ? [`LOCATION:${escapeText(e.location)}`] : []),
      `STATUS:${e.status}`,
      'END:VEVENT',
    )
  }
  lines.push('END:VCALENDAR')
  return `${lines.map(fold).join('\r\n')}\r\n`
}
