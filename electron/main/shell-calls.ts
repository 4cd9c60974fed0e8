import { extname } from 'node:path'
import { isShellChannel, type ShellChannel, shellContract } from '../../shared/contract/shell'
import { AppError, type ErrorData } from '../../shared/errors'

/**
 * The checks on a call to the shell's own channels (shared/contract/shell.ts), kept free
 * of `electron` imports so they can be tested under Node: the channel must be one of
 * them and the input must match its schema, else a typed error and nothing happens.
 */
export type ParsedShellCall =
  | { ok: true; channel: ShellChannel; input: ShellParsed }
  | { ok: false; error: ErrorData }

type ShellParsed = ReturnType<(typeof shellContract)['shell.savePdf']['input']['parse']>

export function parseShellCall(channel: unknown, input: unknown): ParsedShellCall {
  if (!isShellChannel(channel)) {
    return { ok: false, error: new AppError('NOT_FOUND', 'unknown channel').toData() }
  }
  const parsed = shellContract[channel].input.safeParse(input ?? {})
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
    return { ok: false, error: new AppError('VALIDATION', 'invalid input', issues).toData() }
  }
  return { ok: true, channel, input: parsed.data }
}

/**
 * Where the PDF goes: the path the save dialog returned, with `.pdf` added when the
 * person typed a name without it (some desktops' dialogs do not add it). Null: cancelled.
 */
export function pdfPath(chosen: {
  canceled: boolean
  filePath?: string | undefined
}): string | null {
  if (chosen.canceled || !chosen.filePath) return null
  return extname(chosen.filePath).toLowerCase() === '.pdf'
    ? chosen.filePath
    : `${chosen.filePath}.pdf`
}
