import type { AppointmentStatus } from './enums'
import { isManager } from './permissions'

/**
 * The appointment lifecycle. Work moves forward: scheduled -> in progress -> completed,
 * and can be cancelled until it is done. An in-progress job can be put back to scheduled
 * (started by mistake). Completed and cancelled are final, except that an office
 * manager or admin may reopen them (back to scheduled).
 */
const FORWARD: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  scheduled: ['in_progress', 'completed', 'cancelled'],
  in_progress: ['completed', 'cancelled', 'scheduled'],
  completed: [],
  cancelled: [],
}

export const FINAL_STATUSES: readonly AppointmentStatus[] = ['completed', 'cancelled']

export const canReopen = (role: string): boolean => isManager(role)

export type TransitionCheck =
  | { ok: true; reopen: boolean }
  | { ok: false; reason: 'same' | 'not-allowed' | 'final' }

/**
 * How long after completing a job it may be taken back to where it was by anyone who
 * may complete it (the Undo of "Job completed"), crew leads included: a mis-tap on a
 * field laptop is not a reopening. Where it was is read from the job: in progress if it
 * had been started before it was completed, scheduled if not; never further back. Later, only office staff
 * reopen it.
 */
export const UNDO_COMPLETION_MS = 60_000

export function checkTransition(
  from: AppointmentStatus,
  to: AppointmentStatus,
  role: string,
  /**
   * When the job was started and completed (ISO) and when this change is made, for the
   * undo.
   */
  moment?: {
    startedAt?: string | null | undefined
    completedAt: string | null | undefined
    atMs: number
  },
): TransitionCheck {
  if (from === to) return { ok: false, reason: 'same' }
  if (FORWARD[from].includes(to)) return { ok: true, reopen: false }
  // Completing a job never started stamps its start with the same moment.
  const started = moment?.startedAt ? Date.parse(moment.startedAt) : Number.NaN
  const wasAt =
    !Number.isNaN(started) && started !== Date.parse(moment?.completedAt ?? '')
      ? 'in_progress'
      : 'scheduled'
  if (from === 'completed' && to === wasAt && moment) {
    const doneMs = moment.completedAt ? Date.parse(moment.completedAt) : Number.NaN
    const since = moment.atMs - doneMs
    if (since >= 0 && since <= UNDO_COMPLETION_MS) return { ok: true, reopen: false }
  }
  if (FINAL_STATUSES.includes(from)) {
    return to === 'scheduled' && canReopen(role)
      ? { ok: true, reopen: true }
      : { ok: false, reason: 'final' }
  }
  return { ok: false, reason: 'not-allowed' }
}

/** Whether an appointment in this status may still be edited (time, crew, price...). */
export const isEditable = (status: AppointmentStatus) => !FINAL_STATUSES.includes(status)
