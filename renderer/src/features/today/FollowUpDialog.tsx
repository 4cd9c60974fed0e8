import { useId, useState } from 'react'
import type { Appointment } from '../../../../shared/contract/appointments'
import { assignmentWarnings } from '../../../../shared/domain/assignee-warnings'
import { localDay } from '../../../../shared/domain/time'
import { followUpStart, memberHours } from '../../../../shared/domain/working-hours'
import { ApiError } from '../../api/client'
import { useChannel, write } from '../../api/queries'
import { useServices, useSettings, useTeam } from '../../api/reference'
import { formatDay, formatTime, fromLocalInput, toLocalInput } from '../../app/format'
import { ConfirmConflict } from '../../components/ConfirmConflict'
import { Dialog } from '../../components/Dialog'
import { Loading } from '../../components/States'
import { toast } from '../../stores/toasts'
import { useConflictRetry } from '../appointments/useConflictRetry'

/**
 * Two taps: "Follow-up", then "Book follow-up": the same time next week, or the crew
 * member's next working day after it when they are off or do not work then, unless
 * changed. What the core would warn of (time off, hours, marked unavailable, a service
 * not theirs) is said under the field before booking, and booked all the same if they
 * insist (a warning, as the booking form's); the booking is taken back from its toast.
 */
export function FollowUpDialog({
  original,
  onClose,
}: {
  original: Appointment | null
  onClose: () => void
}) {
  const settings = useSettings()
  const tz = settings.timeZone
  const member = useTeam().find((m) => m.id === original?.teamMemberId)
  const service = useServices().find((s) => s.id === original?.serviceId)
  const [when, setWhen] = useState('')
  const id = useId()
  // A follow-up that double-books the crew asks first, as any booking does.
  const conflict = useConflictRetry()
  const today = localDay(Date.now(), tz)
  const memberId = original?.teamMemberId ?? ''
  const off = useChannel(
    'team.timeOff.list',
    { teamMemberId: memberId, from: today },
    { enabled: !!memberId },
  )
  // Proposed only once their time off is known: a day proposed before could be in it.
  const ready = !memberId || off.data !== undefined
  const timeOff = (off.data?.results ?? []).filter((t) => t.teamMemberId === memberId)
  const hours = member ? memberHours(member, settings.workingHours) : settings.workingHours
  const proposed = original ? propose(original, hours, timeOff, tz) : ''

  // Said before booking, as the core warns after: marked unavailable, time off that day,
  // hours not worked, a service not theirs.
  const value = when || proposed
  const startMs = Date.parse(fromLocalInput(value, tz) ?? '')
  const name = member?.name ?? original?.teamMemberName
  const warnings =
    original && name && !Number.isNaN(startMs)
      ? assignmentWarnings({
          member: { name, markedAvailable: member?.markedAvailable ?? true },
          service:
            member && service
              ? { name: service.name, isSpecialty: member.specialtyIds.includes(service.id) }
              : null,
          timeOff,
          hours,
          startMs,
          durationMinutes: service?.durationMinutes ?? original.durationMinutes,
          timeZone: tz,
        }).map((w) => w.message)
      : []

  async function book() {
    if (!original || !ready) return
    const scheduledAt = fromLocalInput(value, tz)
    if (!scheduledAt) return toast.error('Choose a date and time')
    try {
      let bookedId = ''
      const booked = await conflict.run(async (acceptConflict) => {
        const out = await write('appointments.create', {
          clientId: original.clientId,
          serviceId: original.serviceId,
          teamMemberId: original.teamMemberId,
          scheduledAt,
          followUpOfId: original.id,
          acceptConflict,
        })
        bookedId = out.appointment.id
        return out
      })
      if (!booked) return
      // Undo deletes the visit just booked, and the warnings about it go with it.
      const warned = conflict.lastWarnings()
      toast.undoable(
        `Follow-up visit booked for ${formatDay(scheduledAt, tz)} at ${formatTime(scheduledAt, tz)}`,
        async () => {
          await write('appointments.delete', { id: bookedId })
          for (const w of warned) toast.dismiss(w)
        },
        bookedId,
      )
      setWhen('')
      onClose()
    } catch (e) {
      toast.error(e instanceof ApiError ? e.message : String(e))
    }
  }
  // A time typed for one job is not proposed for the next.
  const close = () => {
    setWhen('')
    onClose()
  }
  const who = original?.teamMemberName
  return (
    <Dialog
      title={original ? `Follow-up for ${original.clientName}` : ''}
      open={original !== null}
      onClose={close}
    >
      {original && (
        <p className="follow-up-what">
          {original.serviceName} with {who ?? 'no crew member yet'}, at the service's price; same
          time next week{who ? ` if ${who} works then` : ''} unless you change it.
        </p>
      )}
      {!ready && <Loading />}
      {/* A form: Enter in "When" books, as the button does. */}
      {ready && (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void book()
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-when`}>When</label>
            <input
              id={`${id}-when`}
              type="datetime-local"
              min={toLocalInput(new Date().toISOString(), tz)}
              value={value}
              onChange={(e) => setWhen(e.target.value)}
              aria-describedby={warnings.length ? `${id}-warning` : undefined}
            />
            {warnings.length > 0 && (
              <small id={`${id}-warning`} className="notice follow-up-warning">
                {warnings.join('. ')}. You can still book it.
              </small>
            )}
          </div>
          <div className="form-actions follow-up-actions">
            <button type="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="primary big">
              Book follow-up
            </button>
          </div>
        </form>
      )}
      <ConfirmConflict
        message={conflict.prompt}
        onKeepBoth={conflict.keepBoth}
        onCancel={conflict.cancel}
      />
    </Dialog>
  )
}

/** The time proposed, as the field writes it (shared/domain/working-hours.ts). */
function propose(
  original: Appointment,
  hours: Parameters<typeof followUpStart>[0]['hours'],
  timeOff: Parameters<typeof followUpStart>[0]['timeOff'],
  tz: string,
): string {
  const start = followUpStart({
    startMs: Date.parse(original.scheduledAt),
    durationMinutes: original.durationMinutes,
    hours,
    timeOff,
    timeZone: tz,
    nowMs: Date.now(),
  })
  return toLocalInput(new Date(start).toISOString(), tz)
}
