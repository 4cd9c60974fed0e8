/** A count with its noun, as people write it: "1 change", "3 changes", "2 addresses". */
export const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/** Units written the same for any amount: abbreviations, and units of several words. */
const INVARIABLE_UNITS = new Set(
  'lb oz gal yd ft in kg g l ml m cm mm pt qt hr min pc pcs qty'.split(' '),
)

/**
 * An amount of a product in its unit, as a person writes it: "1 bag", "2 bags",
 * "2.5 cu yd", "3 lb", "4 boxes"; "each" is left out ("3").
 */
export function amountOf(quantity: string, unit: string): string {
  const u = unit.trim()
  if (!u || /^(each|ea)\.?$/i.test(u)) return quantity
  const one = Number(quantity) === 1
  if (one || /[\s.]/.test(u) || /s$/i.test(u) || INVARIABLE_UNITS.has(u.toLowerCase())) {
    return `${quantity} ${u}`
  }
  return `${quantity} ${/(ch|sh|x|z)$/i.test(u) ? `${u}es` : `${u}s`}`
}

/** Half of a surrogate pair (a character cut in two): the database would store "�". */
export const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
