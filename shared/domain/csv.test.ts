import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CsvError, parseCsv, toCsv } from './csv'

describe('csv', () => {
  it('quotes what needs quoting and reads it back', () => {
    const text = toCsv(
      ['name', 'notes'],
      [
        ['Smith, J.', 'said "hi"\nthen left'],
        ['Plain', null],
      ],
    )
    expect(text).toBe('name,notes\r\n"Smith, J.","said ""hi""\nthen left"\r\nPlain,\r\n')
    expect(parseCsv(text)).toEqual([
      ['name', 'notes'],
      ['Smith, J.', 'said "hi"\nthen left'],
      ['Plain', ''],
    ])
  })

  it('defuses spreadsheet formulas but keeps negative numbers', () => {
    expect(toCsv(['x'], [['=HYPERLINK("x")'], ['-12.50'], ['@SUM(A1)']])).toBe(
      'x\r\n"\'=HYPERLINK(""x"")"\r\n-12.50\r\n\'@SUM(A1)\r\n',
    )
  })

  it('reads a byte-order mark, LF endings and a missing final newline', () => {
    expect(parseCsv('\ufeffa,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ])
  })

  it('refuses a quote that is never closed, naming the line', () => {
    expect(() => parseCsv('a,b\n"c,d\n')).toThrow(CsvError)
  })

  it('round-trips any table of strings', () => {
    const safe = fc.string().filter((s) => !/^[=+\-@\t\r]/.test(s))
    fc.assert(
      fc.property(
        fc.array(fc.array(safe, { minLength: 2, maxLength: 2 }), { maxLength: 8 }),
        (rows) => {
          const parsed = parseCsv(toCsv(['a', 'b'], rows))
          expect(parsed.slice(1)).toEqual(rows)
        },
      ),
    )
  })
})
