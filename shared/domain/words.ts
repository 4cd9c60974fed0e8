/** A count with its noun, as people write it: "1 change", "3 changes", "2 addresses". */
export const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
