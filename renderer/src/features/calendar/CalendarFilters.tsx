import { APPOINTMENT_STATUSES } from '../../../../shared/domain/enums'
import { statusLabel } from '../../components/States'
import { useCalendarUi } from '../../stores/calendar'
import { useSession } from '../../stores/session'

/** Who, what and which statuses the calendar shows, and how it colours them. */
export function CalendarFilters() {
  const { team, services } = useSession()
  const ui = useCalendarUi()
  return (
    <fieldset className="filters">
      <legend className="visually-hidden">Calendar filters</legend>
      <label>
        Crew member
        <select
          value={ui.teamMemberIds[0] ?? ''}
          onChange={(e) => ui.set({ teamMemberIds: e.target.value ? [e.target.value] : [] })}
        >
          <option value="">Everyone</option>
          {team.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Service
        <select value={ui.serviceId} onChange={(e) => ui.set({ serviceId: e.target.value })}>
          <option value="">All services</option>
          {services
            .filter((s) => s.isActive)
            .map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
        </select>
      </label>
      <fieldset className="status-filter">
        <legend>Status</legend>
        {APPOINTMENT_STATUSES.map((s) => (
          <label key={s} className="check">
            <input
              type="checkbox"
              checked={ui.statuses.includes(s)}
              onChange={(e) =>
                ui.set({
                  statuses: e.target.checked
                    ? [...ui.statuses, s]
                    : ui.statuses.filter((x) => x !== s),
                })
              }
            />
            {statusLabel(s)}
          </label>
        ))}
      </fieldset>
      <label>
        Colour by
        <select
          value={ui.colorBy}
          onChange={(e) => ui.set({ colorBy: e.target.value as 'member' | 'status' })}
        >
          <option value="member">Crew member</option>
          <option value="status">Status</option>
        </select>
      </label>
    </fieldset>
  )
}
