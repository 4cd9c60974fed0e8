import { useRef, useState } from 'react'
import type { Warning } from '../../../../shared/contract/common'
import { ApiError, call } from '../../api/client'
import { currentSettings } from '../../api/reference'
import { formatDay, formatTime } from '../../app/format'
import { toast } from '../../stores/toasts'

/**
 * Runs a change that may hit a double booking. On CONFLICT it asks (through the
 * returned `prompt` state) whether to keep both; "keep both" re-runs it accepting the
 * conflict. Warnings from the core are shown as toasts.
 */
export function useConflictRetry() {
  const [prompt, setPrompt] = useState<string | null>(null)
  // The warnings the last saved change showed: an undo takes them away with it.
  const warned = useRef<number[]>([])
  const pending = useRef<{
    run: (accept: boolean) => Promise<{ warnings: Warning[] }>
    resolve: (ok: boolean) => void
  } | null>(null)

  async function attempt(accept: boolean): Promise<boolean> {
    const current = pending.current
    if (!current) return false
    try {
      const { warnings } = await current.run(accept)
      warned.current = warnings.map((w) => toast.info(w.message))
      return true
    } catch (e) {
      if (isDoubleBooking(e) && !accept) {
        setPrompt(await describeClash(e))
        return new Promise<boolean>((resolve) => {
          current.resolve = resolve
        })
      }
      throw e
    }
  }

  return {
    prompt,
    /** The toasts of the warnings the last saved change showed, to take away on its undo. */
    lastWarnings: (): number[] => [...warned.current],
    /** Resolves true when the change was saved, false when the user cancelled. */
    run(change: (accept: boolean) => Promise<{ warnings: Warning[] }>): Promise<boolean> {
      pending.current = { run: change, resolve: () => {} }
      return attempt(false)
    },
    keepBoth() {
      setPrompt(null)
      const current = pending.current
      attempt(true).then(
        (ok) => current?.resolve(ok),
        (e: unknown) => {
          toast.error(e instanceof Error ? e.message : String(e))
          current?.resolve(false)
        },
      )
    },
    cancel() {
      setPrompt(null)
      pending.current?.resolve(false)
    },
  }
}

/**
 * A refusal for a double booking, which "keep both" can override: CONFLICT naming the
 * jobs it clashes with. Other conflicts (a job completed meanwhile, a record busy) are
 * errors to show, not a choice to offer.
 */
export const isDoubleBooking = (e: unknown): e is ApiError =>
  e instanceof ApiError &&
  e.error.code === 'CONFLICT' &&
  (e.error.issues ?? []).some((i) => i.path === 'conflictsWith')

/** "Ana Crew is already booked 10:00 AM–10:45 AM on Wednesday, March 17: Jones HOA, Lawn mowing." */
export async function describeClash(e: ApiError): Promise<string> {
  const ids = (e.error.issues ?? []).filter((i) => i.path === 'conflictsWith').map((i) => i.message)
  const first = ids[0]
  if (!first) return e.message
  try {
    const other = await call('appointments.get', { id: first })
    const tz = currentSettings().timeZone
    const more = ids.length > 1 ? ` (and ${ids.length - 1} more)` : ''
    return (
      `${other.teamMemberName ?? 'This crew member'} is already booked ` +
      `${formatTime(other.scheduledAt, tz)}–${formatTime(other.endsAt, tz)} on ` +
      `${formatDay(other.scheduledAt, tz)}: ${other.clientName}, ${other.serviceName}${more}.`
    )
  } catch {
    return e.message
  }
}
