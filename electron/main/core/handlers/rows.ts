/** Conversions from database values to the contract's wire types. */
export const iso = (value: string): string => new Date(value).toISOString()
export const isoOrNull = (value: string | null): string | null =>
  value === null ? null : iso(value)
