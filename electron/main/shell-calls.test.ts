import { describe, expect, it } from 'vitest'
import { daySheetFileName } from '../../shared/contract/shell'
import { parseShellCall, pdfPath } from './shell-calls'

describe('parseShellCall', () => {
  it('accepts a PDF to save, A4 unless asked otherwise', () => {
    expect(
      parseShellCall('shell.savePdf', { fileName: 'Day sheet 2027-05-04 Ana Crew.pdf' }),
    ).toEqual({
      ok: true,
      channel: 'shell.savePdf',
      input: { fileName: 'Day sheet 2027-05-04 Ana Crew.pdf', pageSize: 'A4' },
    })
    const letter = parseShellCall('shell.savePdf', { fileName: 'x.pdf', pageSize: 'Letter' })
    expect(letter.ok && letter.input.pageSize).toBe('Letter')
  })

  it('refuses a channel that is not the shell’s', () => {
    for (const channel of ['appointments.list', 'shell.openExternal', 42, undefined, '__proto__']) {
      expect(parseShellCall(channel, {})).toEqual({
        ok: false,
        error: { code: 'NOT_FOUND', message: 'unknown channel' },
      })
    }
  })

  it.each([
    ['a path instead of a name', { fileName: '../../.bashrc.pdf' }],
    ['an absolute path', { fileName: '/etc/cron.d/x.pdf' }],
    ['another kind of file', { fileName: 'sheet.exe' }],
    ['a name starting with a dot', { fileName: '.hidden.pdf' }],
    ['an overlong name', { fileName: `${'a'.repeat(120)}.pdf` }],
    ['an unknown page size', { fileName: 'x.pdf', pageSize: 'A0' }],
    ['an unknown field', { fileName: 'x.pdf', landscape: true }],
    ['no input', undefined],
    ['not an object', 'x.pdf'],
  ])('refuses %s with a typed error', (_why, input) => {
    const result = parseShellCall('shell.savePdf', input)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.code).toBe('VALIDATION')
  })
})

describe('pdfPath', () => {
  it('keeps a .pdf path, adds .pdf otherwise, and is null when cancelled', () => {
    expect(pdfPath({ canceled: false, filePath: '/home/a/Day.PDF' })).toBe('/home/a/Day.PDF')
    expect(pdfPath({ canceled: false, filePath: '/home/a/Day sheet' })).toBe(
      '/home/a/Day sheet.pdf',
    )
    expect(pdfPath({ canceled: true, filePath: '/home/a/x.pdf' })).toBeNull()
    expect(pdfPath({ canceled: false })).toBeNull()
  })
})

describe('daySheetFileName', () => {
  it('names the day and the crew, without characters file systems refuse', () => {
    expect(daySheetFileName('2027-05-04', 'Ana Crew')).toBe('Day sheet 2027-05-04 Ana Crew.pdf')
    expect(daySheetFileName('2027-05-04', 'Zoë / "North" crew: A*')).toBe(
      'Day sheet 2027-05-04 Zoë North crew A.pdf',
    )
    expect(daySheetFileName('2027-05-04', '')).toBe('Day sheet 2027-05-04.pdf')
    const long = daySheetFileName('2027-05-04', 'x'.repeat(300))
    expect(parseShellCallName(long)).toBe(true)
  })
})

const parseShellCallName = (fileName: string) => parseShellCall('shell.savePdf', { fileName }).ok
