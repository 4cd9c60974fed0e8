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

export function checkTransition(
  from: AppointmentStatus,
  to: AppointmentStatus,
  role: string,
): TransitionCheck {
  if (from === to) return { ok: false, reason: 'same' }
  if (FORWARD[from].includes(to)) return { ok: true, reopen: false }
  if (FINAL_STATUSES.includes(from)) {
    return to === 'scheduled' && canReopen(role)
      ? { ok: true, reopen: true }
      : { ok: false, reason: 'final' }
  }
  return { ok: false, reason: 'not-allowed' }
}

/** Whether an appointment in this status may still be edited (time, crew, price...). */
export const isEditable = (status: AppointmentStatus) => !FINAL_STATUSES.includes(status)
