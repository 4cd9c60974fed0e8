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

/**
 * An amount as a person types it, in the form the wire carries: a leading "$" and
 * thousands separators ("$1,200", "1,200.50") are dropped, spaces around it too. Commas
 * count only as thousands separators (groups of three); anything else is left as typed,
 * for the amount's own check to refuse.
 */
export function moneyInput(text: string): string {
  const t = text.trim().replace(/^\$\s*/, '')
  return /^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(t) ? t.replaceAll(',', '') : t
}
