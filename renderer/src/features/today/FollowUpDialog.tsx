import { useState } from 'react'
import type { Appointment } from '../../../../shared/contract/appointments'
import { shiftDays } from '../../../../shared/domain/time'
import { ApiError } from '../../api/client'
import { write } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { formatDay, formatTime, fromLocalInput, toLocalInput } from '../../app/format'
import { ConfirmConflict } from '../../components/ConfirmConflict'
import { Dialog } from '../../components/Dialog'
import { toast } from '../../stores/toasts'
import { useConflictRetry } from '../appointments/useConflictRetry'

/** Two taps: "Follow-up", then "Book follow-up" (same time next week unless changed). */
export function FollowUpDialog({
  original,
  onClose,
}: {
  original: Appointment | null
  onClose: () => void
}) {
  const tz = useSettings().timeZone
  const [when, setWhen] = useState('')
  // A follow-up that double-books the crew asks first, as any booking does.
  const conflict = useConflictRetry()
  // Same time next week on the business's clocks, a clock change between them or not.
  const proposed = original
    ? toLocalInput(new Date(shiftDays(Date.parse(original.scheduledAt), 7, tz)).toISOString(), tz)
    : ''
  async function book() {
    if (!original) return
    const scheduledAt = fromLocalInput(when || proposed, tz)
    if (!scheduledAt) return toast.error('Choose a date and time')
    try {
      const booked = await conflict.run((acceptConflict) =>
        write('appointments.create', {
          clientId: original.clientId,
          serviceId: original.serviceId,
          teamMemberId: original.teamMemberId,
          scheduledAt,
          followUpOfId: original.id,
          acceptConflict,
        }),
      )
      if (!booked) return
      toast.success(
        `Follow-up visit booked for ${formatDay(scheduledAt, tz)} at ${formatTime(scheduledAt, tz)}`,
      )
      setWhen('')
      onClose()
    } catch (e) {
      toast.error(e instanceof ApiError ? e.message : String(e))
    }
  }
  return (
    <Dialog
      title={original ? `Follow-up for ${original.clientName}` : ''}
      open={original !== null}
      onClose={onClose}
    >
      {original && (
        <p className="follow-up-what">
          {original.serviceName} with {original.teamMemberName ?? 'no crew member yet'}, at the
          service's price; same time next week unless you change it.
        </p>
      )}
      {/* A form: Enter in "When" books, as the button does. */}
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void book()
        }}
      >
        <label className="field">
          When
          <input
            type="datetime-local"
            min={toLocalInput(new Date().toISOString(), tz)}
            value={when || proposed}
            onChange={(e) => setWhen(e.target.value)}
          />
        </label>
        <div className="form-actions follow-up-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary big">
            Book follow-up
          </button>
        </div>
      </form>
      <ConfirmConflict
        message={conflict.prompt}
        onKeepBoth={conflict.keepBoth}
        onCancel={conflict.cancel}
      />
    </Dialog>
  )
}
