/**
 * What must never reach a person in a message: ids, ISO instants, zod's default texts,
 * and internal values such as `in_progress`. Tests of messages assert `leaks(text)` is
 * empty; each entry names what leaked.
 */
const LEAKS: [string, RegExp][] = [
  ['an id', /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i],
  ['an ISO instant', /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/],
  ['the word ISO', /\bISO\b/],
  [
    'a zod default',
    /Invalid (input|option|ISO|UUID|email)|expected \w+, received|Too (small|big)|Unrecognized key/,
  ],
  ['an uncaught value', /\b(undefined|NaN|\[object Object\])\b/],
]

/** Quoted words ("postal_code") are what a person must type, word for word: allowed there. */
const INTERNAL_VALUE = /\b[a-z]+_[a-z_]+\b/

export function leaks(text: string): string[] {
  const found = LEAKS.filter(([, pattern]) => pattern.test(text)).map(([what]) => what)
  if (INTERNAL_VALUE.test(text.replace(/"[^"]*"/g, '""'))) found.push('an internal value')
  return found.map((what) => `${what} in "${text}"`)
}
