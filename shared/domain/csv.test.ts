import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CsvError, csvText, guardCell, parseCsv, toCsv, unguardCell } from './csv'

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

  it('defuses spreadsheet formulas but keeps plain numbers', () => {
    expect(toCsv(['x'], [['=HYPERLINK("x")'], ['-12.50'], ['@SUM(A1)']])).toBe(
      'x\r\n"\'=HYPERLINK(""x"")"\r\n-12.50\r\n\'@SUM(A1)\r\n',
    )
    for (const formula of ['-1+HYPERLINK("http://x")', '+1 555 0101', '-', '\tcmd', '\r=1', '1e']) {
      expect(guardCell(formula), formula).toBe(
        formula.match(/^[=+\-@\t\r]/) ? `'${formula}` : formula,
      )
    }
    for (const number of ['-12.50', '+3', '42', '-.5', '1e6', '-2.5E-3']) {
      expect(guardCell(number)).toBe(number)
    }
  })

  it('strips exactly the guard export added', () => {
    expect(unguardCell("'+1 555 0101")).toBe('+1 555 0101')
    expect(unguardCell("'tis the season")).toBe("'tis the season")
    expect(unguardCell("'-12")).toBe("'-12")
    // A value that really starts with a quote before a formula keeps it.
    expect(guardCell("'=1")).toBe("''=1")
    expect(unguardCell(guardCell("'=1"))).toBe("'=1")
  })

  it('never writes a cell a spreadsheet would run, and reads every value back exactly', () => {
    const risky = fc
      .tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", "''", '-1', '+1'), fc.string())
      .map(([head, tail]) => head + tail)
    const value = fc.oneof(fc.string(), risky, fc.constantFrom('-1+HYPERLINK("x")', '+1 555 0101'))
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { maxLength: 8 }), (rows) => {
        const parsed = parseCsv(toCsv(['a', 'b'], rows)).slice(1)
        for (const cell of parsed.flat()) {
          if (/^[=+\-@\t\r]/.test(cell)) expect(Number.isNaN(Number(cell))).toBe(false)
        }
        expect(parsed.map((r) => r.map(unguardCell))).toEqual(rows)
      }),
      { numRuns: 500 },
    )
  })

  it('reads a byte-order mark, LF endings and a missing final newline', () => {
    expect(parseCsv('\ufeffa,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ])
  })

  it('reads a file as UTF-8, and refuses one in another encoding rather than garble it', () => {
    const utf8 = new TextEncoder().encode('\uFEFFname\nMüller GmbH\n')
    // Not text: said what it looks like, the usual slip (a workbook) first.
    const workbook = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0])
    expect(csvText(workbook)).toEqual({
      ok: false,
      message:
        'the file is an Excel workbook or another zipped document, not CSV text: in the spreadsheet, save the sheet as “CSV UTF-8” and import that',
    })
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    expect(csvText(png)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^the file is a picture, not CSV text/),
    })
    expect(csvText(new Uint8Array([0x6e, 0, 0x61]))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^the file is not text at all/),
    })
    expect(csvText(utf8)).toEqual({ ok: true, text: 'name\nMüller GmbH\n' })
    const latin1 = Uint8Array.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x0a])
    expect(csvText(latin1)).toEqual({
      ok: false,
      message: expect.stringMatching(/^the file is not UTF-8 text .*save it as “CSV UTF-8”/),
    })
    const utf16 = Uint8Array.from([0xff, 0xfe, 0x6e, 0x00, 0x61, 0x00])
    expect(csvText(utf16)).toMatchObject({ ok: false, message: /UTF-16/ })
  })

  it('refuses a quote that is never closed, naming the line', () => {
    expect(() => parseCsv('a,b\n"c,d\n')).toThrow(CsvError)
  })
})
