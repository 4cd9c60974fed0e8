/**
 * CSV as RFC 4180 has it: comma-separated, CRLF rows, fields quoted when they hold a
 * comma, quote or line break, quotes doubled.
 *
 * Formula guard: a spreadsheet runs a cell starting with =, +, -, @, tab or CR as a
 * formula (`-1+HYPERLINK(...)` included), so export prefixes such a cell with a quote
 * unless it is a plain number. `unguardCell` removes exactly that prefix on import, so
 * export -> import returns every string as it was. To keep that unambiguous, a value
 * that already starts with quotes before a guarded value gets one more quote.
 */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
const FORMULA_START = /^[=+\-@\t\r]/

/** Whether a spreadsheet would run `s`, once any quotes it starts with are set aside. */
function needsGuard(s: string): boolean {
  const rest = s.replace(/^'+/, '')
  return FORMULA_START.test(rest) && !PLAIN_NUMBER.test(rest)
}

/** The cell as export writes it (before CSV quoting): guarded if a spreadsheet would run it. */
export const guardCell = (s: string): string => (needsGuard(s) ? `'${s}` : s)

/** The inverse of `guardCell`: strips the quote export added, and only that one. */
export const unguardCell = (s: string): string =>
  s.startsWith("'") && needsGuard(s.slice(1)) ? s.slice(1) : s

export function toCsv(
  header: readonly string[],
  rows: (string | number | boolean | null)[][],
): string {
  const cell = (v: string | number | boolean | null) => {
    if (v === null) return ''
    const s = typeof v === 'string' ? guardCell(v) : String(v)
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`
}

export class CsvError extends Error {
  override name = 'CsvError'
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
  }
}

/** A row of a CSV file and the line it starts on (1-based; a quoted field may span lines). */
export interface CsvRow {
  fields: string[]
  line: number
}

/** Parses CSV text into rows of fields. Accepts LF or CRLF, and a UTF-8 byte-order mark. */
export function parseCsv(text: string): string[][] {
  return parseCsvRows(text).map((r) => r.fields)
}

/** `parseCsv` with the line each row starts on, for messages that name it. Blank lines are left out. */
export function parseCsvRows(text: string): CsvRow[] {
  const rows: CsvRow[] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let line = 1
  let rowLine = 1
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  for (; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else {
        if (c === '\n') line++
        field += c
      }
      continue
    }
    if (c === '"') {
      if (field !== '') throw new CsvError('a quote in the middle of a field', line)
      quoted = true
    } else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push({ fields: row, line: rowLine })
      row = []
      field = ''
      line++
      rowLine = line
    } else {
      field += c
    }
  }
  if (quoted) throw new CsvError('a quoted field is not closed', line)
  if (field !== '' || row.length) {
    row.push(field)
    rows.push({ fields: row, line: rowLine })
  }
  return rows.filter((r) => !(r.fields.length === 1 && r.fields[0] === ''))
}

/**
 * The text of a CSV file from its bytes, as UTF-8 (a byte-order mark dropped). A file
 * saved in another encoding is refused rather than read with its accented letters
 * replaced: "Müller" saved as Windows-1252 would otherwise be imported as "M�ller".
 */
export function csvText(
  bytes: Uint8Array,
): { ok: true; text: string } | { ok: false; message: string } {
  // Not text at all: say what it looks like (a workbook is the usual slip).
  const starts = (...magic: number[]) => magic.every((b, i) => bytes[i] === b)
  const looks = starts(0x50, 0x4b, 0x03, 0x04)
    ? 'an Excel workbook or another zipped document, not CSV text'
    : starts(0x25, 0x50, 0x44, 0x46)
      ? 'a PDF, not CSV text'
      : starts(0x89, 0x50, 0x4e, 0x47) || starts(0xff, 0xd8, 0xff) || starts(0x47, 0x49, 0x46)
        ? 'a picture, not CSV text'
        : bytes.slice(0, 4096).includes(0)
          ? 'not text at all'
          : null
  if (looks)
    return {
      ok: false,
      message: `the file is ${looks}: in the spreadsheet, save the sheet as “CSV UTF-8” and import that`,
    }
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)
  if (utf16)
    return {
      ok: false,
      message: 'the file is UTF-16 text: save it as “CSV UTF-8” and import it again',
    }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
  } catch {
    return {
      ok: false,
      message:
        'the file is not UTF-8 text (it may be saved as Windows-1252 or Latin-1): save it as “CSV UTF-8” and import it again',
    }
  }
}
