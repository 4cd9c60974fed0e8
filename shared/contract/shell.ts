import { z } from 'zod'

/**
 * Channels only the desktop shell answers: things the window itself does (save what it
 * shows as a PDF), which the core cannot (it has no window) and the browser bridge does
 * with the browser's own tools (its print dialog). They travel on their own IPC channel,
 * are handled in electron/main only (ipc-shell.ts), and the preload exposes exactly
 * these. In a plain browser `window.api.shell` is absent and callers fall back.
 */
export const SHELL_CHANNEL = 'groundskeeper:shell'

/** A file name the save dialog proposes: letters, digits, spaces, dots, dashes; ends .pdf. */
const pdfName = z
  .string()
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,98}\.pdf$/u,
    'must be a file name ending in .pdf, of letters, digits, spaces, dots and dashes',
  )

export const shellContract = {
  /** The window's page, as printed (print stylesheet), saved where the person chooses. */
  'shell.savePdf': {
    input: z.strictObject({
      fileName: pdfName,
      pageSize: z.enum(['A4', 'Letter']).default('A4'),
    }),
    /** saved false: the person closed the save dialog. */
    output: z.object({ saved: z.boolean() }),
  },
} as const

export type ShellContract = typeof shellContract
export type ShellChannel = keyof ShellContract
export type ShellInput<C extends ShellChannel> = z.input<ShellContract[C]['input']>
export type ShellOutput<C extends ShellChannel> = z.output<ShellContract[C]['output']>
export const SHELL_CHANNELS = Object.keys(shellContract) as ShellChannel[]

export function isShellChannel(value: unknown): value is ShellChannel {
  return typeof value === 'string' && Object.hasOwn(shellContract, value)
}

/** The day sheet's file name: "Day sheet 2027-05-04 Ana Crew.pdf", safe for any file system. */
export function daySheetFileName(date: string, crewName: string): string {
  const crew = crewName
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60)
    .replace(/[ .]+$/, '')
  return `Day sheet ${date}${crew ? ` ${crew}` : ''}.pdf`
}
