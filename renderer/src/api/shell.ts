import {
  type ShellChannel,
  type ShellInput,
  type ShellOutput,
  shellContract,
} from '../../../shared/contract/shell'
import { ApiError } from './client'

/**
 * The desktop shell's own channels (shared/contract/shell.ts). Only the Electron preload
 * offers them; over the browser bridge `window.api` has no `shell` and callers use the
 * browser's own way instead (see savePdf).
 */
export const hasShell = (): boolean => typeof window.api?.shell === 'function'

async function callShell<C extends ShellChannel>(
  channel: C,
  input: ShellInput<C>,
): Promise<ShellOutput<C>> {
  const shell = window.api?.shell
  if (!shell)
    throw new ApiError({ code: 'UNAVAILABLE', message: 'only the desktop app can do this' })
  const result = await shell(channel, input)
  if (!result.ok) throw new ApiError(result.error)
  return shellContract[channel].output.parse(result.data) as ShellOutput<C>
}

/**
 * Saves the page as printed to a PDF: in the desktop app through its save dialog
 * ('saved', or 'cancelled' when the dialog is closed); in a browser the print dialog
 * opens instead, whose "Save as PDF" does the same ('printing').
 */
export async function savePdf(fileName: string): Promise<'saved' | 'cancelled' | 'printing'> {
  if (!hasShell()) {
    window.print()
    return 'printing'
  }
  return (await callShell('shell.savePdf', { fileName })).saved ? 'saved' : 'cancelled'
}
