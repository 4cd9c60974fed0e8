import { z } from 'zod'
import { MONEY_PATTERN, moneyInput, normalizeMoney } from '../domain/money'
import {
  inStoredYears,
  inToolYears,
  STORED_YEARS_MESSAGE,
  TOOL_YEARS_MESSAGE,
} from '../domain/time'
import { LONE_SURROGATE } from '../domain/words'
import { DATE_TIME_MESSAGE } from './messages'

/** Building blocks shared by the contract's channels. Wire types are JSON-safe. */
export const id = z.uuid('must be chosen from the list')

/**
 * On the wire, an ISO-8601 instant with a zone or offset ("2026-05-01T14:00:00Z"). The
 * message is for the person at a date input, who never sees that form.
 */
const instantText = z.iso.datetime({ offset: true, message: DATE_TIME_MESSAGE, abort: true })

/** An instant shown or searched: in any year the tools agree on (time.ts). */
export const instant = instantText.refine(inToolYears, TOOL_YEARS_MESSAGE)

/**
 * An instant the app stores (a field written): in the years it stores (time.ts). Shown
 * and searched instants are not held to it, so a row stored before stays readable.
 */
export const storedInstant = instantText.refine(inStoredYears, STORED_YEARS_MESSAGE)

const dayText = z.iso.date({ message: 'must be a date such as 2026-05-01', abort: true })

/** A calendar day ("2026-05-01") shown or searched. */
export const day = dayText.refine(inToolYears, TOOL_YEARS_MESSAGE)

/** A calendar day the app stores, in the years it stores. */
export const storedDay = dayText.refine(inStoredYears, STORED_YEARS_MESSAGE)

/** An amount as typed ("$1,200", "1,200.50", "55"), as exact two-decimal text. */
export const money = z
  .string()
  .transform(moneyInput)
  .pipe(
    z
      .string()
      .regex(
        MONEY_PATTERN,
        'must be an amount such as 55, 55.00 or $1,200 (at most 99,999,999.99)',
      ),
  )
  .transform(normalizeMoney)

/** Money as it comes back from the database: always two decimals. */
export const moneyOut = z.string().regex(/^\d+\.\d{2}$/)

/** Text PostgreSQL can store: it holds no NUL character (a pasted binary, a fuzzer's). */
export const storableText = () =>
  z
    .string()
    .refine(withoutNul, NUL_MESSAGE)
    .refine((s) => !LONE_SURROGATE.test(s), 'has a broken character (half of a pair)')
export const withoutNul = (s: string) => !s.includes('\u0000')
export const NUL_MESSAGE = 'has a character that cannot be saved (NUL)'

export const name = storableText()
  .trim()
  .min(1, 'is required')
  .max(200, 'is too long (200 at most)')
export const optionalText = (max: number) =>
  storableText().trim().max(max, `is too long (${max} at most)`)
export const nullableText = (max: number) =>
  optionalText(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()

/**
 * A phone number as people write them: at least 7 digits, whatever else goes with them
 * ("555-0101 (cell)", "415–555–0123", "+1 415 555 0123, ext. 12", two numbers in one
 * field), or a word number with at least 3 digits ("1-800-FLOWERS"). Text with no number
 * in it ("call me maybe") is not one. Blank is none.
 */
export const isPhoneNumber = (v: string): boolean => {
  const digits = v.replace(/\D/g, '').length
  if (digits >= 7) return true
  const letters = v.replace(/[^A-Za-z]/g, '').length
  return (
    digits >= 3 &&
    digits + letters >= 7 &&
    /^[+\d\s().\-\u2013\u2014/]*\d[\dA-Za-z\s().\-\u2013\u2014/]*$/.test(v)
  )
}
export const phone = nullableText(40).refine(
  (v) => v === null || isPhoneNumber(v),
  'must be a phone number, such as +1 555 010 0199',
)

export const email = z
  .string()
  .trim()
  .max(254)
  .transform((v) => (v === '' ? null : v))
  .pipe(z.email('must be an email address').nullable())
  .nullable()

export const search = storableText().trim().max(200, 'is too long (200 at most)')

/** How long a job or a service takes: the calendar's shortest block to a whole day. */
export const durationMinutes = z
  .number()
  .int()
  .min(5, 'must be at least 5 minutes')
  .max(1440, 'must be at most 24 hours')

export const MAX_LIMIT = 100
export const DEFAULT_LIMIT = 20

export const pageInput = {
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT, `must be at most ${MAX_LIMIT}`)
    .default(DEFAULT_LIMIT),
  offset: z.number().int().min(0).max(10_000_000).default(0),
}

export const page = <T extends z.ZodType>(row: T) =>
  z.object({
    count: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    results: z.array(row),
  })

export const timestamps = {
  createdAt: instant,
  updatedAt: instant,
}

export const idInput = z.strictObject({ id })

export const archiveInput = z.strictObject({
  id,
  /** false restores an archived record. */
  archived: z.boolean().default(true),
})

export const warning = z.object({
  code: z.enum(['MISSING_SPECIALTY', 'UNAVAILABLE', 'OUTSIDE_HOURS', 'DOUBLE_BOOKED']),
  /** For the person: names and times in words, never ids. */
  message: z.string(),
  /** DOUBLE_BOOKED: the jobs it clashes with, for the screen to act on. */
  appointmentIds: z.array(id).optional(),
})
export type Warning = z.infer<typeof warning>
