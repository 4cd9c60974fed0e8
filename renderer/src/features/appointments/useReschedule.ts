import { ApiError } from '../../api/client'
import { write } from '../../api/queries'
import { toast } from '../../stores/toasts'
import { useConflictRetry } from './useConflictRetry'

/** Where and for how long a job is, and whose it is: everything a move can change. */
export interface Placement {
  scheduledAt: string
  durationMinutes: number
  teamMemberId: string | null
}

/**
 * Moves a job (a drag, a resize, a drop on another crew member) at once, asking first
 * when it would double-book, and offers an Undo. The Undo puts back the whole placement
 * the job had just before *its own* move (start, length and crew member, taken at the
 * moment of the move, never from a list that may be stale), and asks about a double
 * booking like any other change instead of accepting one silently. A visit of a series
 * moved becomes an exception (series edits leave it be); its Undo hands back whether it
 * was one before, as the core reported it from the move, so it follows the series again.
 */
export function useReschedule() {
  const conflict = useConflictRetry()

  /** `seriesException`: only the Undo's, the flag as the move found it. */
  const place = (
    id: string,
    to: Placement,
    seriesException?: boolean,
    saved?: (out: { seriesExceptionBefore: boolean }) => void,
  ) =>
    conflict.run(async (acceptConflict) => {
      const out = await write('appointments.reschedule', {
        id,
        ...to,
        acceptConflict,
        ...(seriesException === undefined ? {} : { seriesException }),
      })
      saved?.(out)
      return out
    })

  async function undo(id: string, before: Placement, wasException: boolean, warnings: number[]) {
    try {
      if (await place(id, before, wasException)) {
        // "Diego is marked unavailable" was about the move taken back.
        for (const w of warnings) toast.dismiss(w)
        toast.success('Move undone')
      }
    } catch (err) {
      toast.error(err instanceof ApiError ? err.message : String(err))
    }
  }

  /** Resolves true when saved, false when the user kept things as they were. */
  async function move(id: string, before: Placement, after: Placement): Promise<boolean> {
    let wasException = false
    const saved = await place(id, after, undefined, (out) => {
      wasException = out.seriesExceptionBefore
    })
    if (saved) {
      const warnings = conflict.lastWarnings()
      toast.success('Appointment moved', {
        label: 'Undo',
        run: () => void undo(id, before, wasException, warnings),
      })
    }
    return saved
  }

  return { move, conflict }
}
