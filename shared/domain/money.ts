/**
 * Money is exact: decimal strings on the wire ("55.00"), numeric(10,2) in the database,
 * integer cents for arithmetic. Never a float.
 */
export const MONEY_PATTERN = /^\d{1,8}(\.\d{1,2})?$/
export const MAX_CENTS = 9_999_999_999

export function toCents(amount: string): number {
  if (!MONEY_PATTERN.test(amount)) throw new RangeError('not a money amount')
  const [whole = '0', frac = ''] = amount.split('.')
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'))
}

export function fromCents(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0 || cents > MAX_CENTS) {
    throw new RangeError('cents out of range')
  }
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`
}

/** Canonical two-decimal form: "5" -> "5.00", "5.5" -> "5.50". */
export const normalizeMoney = (amount: string): string => fromCents(toCents(amount))
