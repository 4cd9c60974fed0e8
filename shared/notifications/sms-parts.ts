/**
 * How many parts an SMS is sent (and billed) as. Written only in the GSM 03.38 alphabet,
 * one part holds 160 characters, and each part of a longer one 153 (the rest carries
 * the joining header); the extension table's characters (€, [, ], {, }, \, ^, ~, |)
 * take two places. A single character outside it (á, ç, a curly quote, a dash, an
 * emoji) sends the whole message as UCS-2: 70 per part, 67 in a longer one, counted in
 * UTF-16 units.
 */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
)
const GSM_EXTENDED = new Set('€[]{}\\^~|\f')

export interface SmsParts {
  encoding: 'GSM-7' | 'UCS-2'
  /** Places used, as the encoding counts them. */
  length: number
  parts: number
  /** The characters that made it UCS-2, each once, in order; empty for GSM-7. */
  outside: string[]
}

export function smsParts(text: string): SmsParts {
  const outside: string[] = []
  let gsmLength = 0
  for (const ch of text) {
    if (GSM_BASIC.has(ch)) gsmLength += 1
    else if (GSM_EXTENDED.has(ch)) gsmLength += 2
    else if (!outside.includes(ch)) outside.push(ch)
  }
  const [encoding, length, single, multi] = outside.length
    ? (['UCS-2', text.length, 70, 67] as const)
    : (['GSM-7', gsmLength, 160, 153] as const)
  return { encoding, length, parts: length <= single ? 1 : Math.ceil(length / multi), outside }
}
