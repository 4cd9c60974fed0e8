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
 * booking like any other change instead of accepting one silently.
 */
export function useReschedule() {
  const conflict = useConflictRetry()

  const place = (id: string, to: Placement) =>
    conflict.run((acceptConflict) =>
      write('appointments.reschedule', { id, ...to, acceptConflict }),
    )

  async function undo(id: string, before: Placement, warnings: number[]) {
    try {
      if (await place(id, before)) {
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
    const saved = await place(id, after)
    if (saved) {
      const warnings = conflict.lastWarnings()
      toast.success('Appointment moved', {
        label: 'Undo',
        run: () => void undo(id, before, warnings),
      })
    }
    return saved
  }

  return { move, conflict }
}
