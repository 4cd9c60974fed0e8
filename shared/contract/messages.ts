import { z } from 'zod'

/**
 * What a person reads when an input is refused. Every message the contract gives is in
 * plain words: never a zod default ("Invalid input: expected int, received string"),
 * never "ISO-8601", never an internal value such as `in_progress`. A schema's own
 * message wins; this covers every check that has none.
 */

/** How a date-time field is described: the way the app's date inputs show one. */
export const DATE_TIME_MESSAGE = 'must be a date and time, such as 5/1/2026 2:00 PM'

/** `in_progress` -> "in progress"; `-scheduled_date` -> "scheduled date". */
export const words = (value: unknown): string =>
  String(value).replace(/^-/, '').replaceAll('_', ' ').toLowerCase()

/** "a", "a or b", "a, b or c". */
export function either(values: readonly unknown[]): string {
  const list = [...new Set(values.map(words))]
  if (list.length <= 1) return list[0] ?? ''
  return `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`
}

const KIND: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  string: 'text',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a set of fields',
  date: DATE_TIME_MESSAGE.replace('must be ', ''),
}

const FORMAT: Record<string, string> = {
  email: 'must be an email address',
  uuid: 'must be chosen from the list',
  guid: 'must be chosen from the list',
  datetime: DATE_TIME_MESSAGE,
  date: 'must be a date, such as 5/1/2026',
  time: 'must be a time, such as 2:00 PM',
  url: 'must be a web address, such as https://example.com',
}

function sizeMessage(issue: z.core.$ZodRawIssue, big: boolean): string {
  const limit = Number(big ? issue.maximum : issue.minimum)
  const origin = String(issue.origin ?? '')
  const bound = big ? 'at most' : 'at least'
  if (origin === 'string') {
    if (!big && limit <= 1) return 'is required'
    return big ? `is too long (${limit} at most)` : `is too short (${limit} at least)`
  }
  if (origin === 'array' || origin === 'set') {
    if (!big && limit <= 1) return 'must have at least one'
    return `must have ${bound} ${limit}`
  }
  const exclusive = issue.inclusive === false
  if (exclusive) return `must be ${big ? 'less' : 'more'} than ${limit.toLocaleString('en-US')}`
  return `must be ${bound} ${limit.toLocaleString('en-US')}`
}

/** zod's error map for the whole app: plain words for every check without a message. */
export function plainMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required'
      return `must be ${KIND[String(issue.expected)] ?? 'something else'}`
    case 'too_small':
      return sizeMessage(issue, false)
    case 'too_big':
      return sizeMessage(issue, true)
    case 'invalid_format':
      return FORMAT[String(issue.format)] ?? 'is not in the expected form'
    case 'invalid_value':
      return `must be ${either((issue.values as unknown[]) ?? [])}`
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`
    case 'unrecognized_keys': {
      const keys = (issue.keys as string[]) ?? []
      return `${keys.map((k) => `"${k}"`).join(', ')} ${keys.length === 1 ? 'is' : 'are'} not expected here`
    }
    case 'invalid_union':
      return issue.input === undefined ? 'is required' : 'is not one of the accepted values'
    case 'invalid_key':
    case 'invalid_element':
      return 'contains a value that is not accepted'
    default:
      return 'is not valid'
  }
}

// Configured where the contract is defined, so that every parse of a contract schema —
// in the core's dispatch, the server, and the renderer's forms — speaks the same way.
z.config({ customError: plainMessage })
