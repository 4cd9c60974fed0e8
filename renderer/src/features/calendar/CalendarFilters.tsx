import { useId } from 'react'
import { useServices, useTeam } from '../../api/reference'
import { NamedOptions } from '../../components/NamedOptions'
import { useCalendarUi } from '../../stores/calendar'
import { StatusMenu } from './StatusMenu'

/**
 * Who, what and which statuses the calendar shows, and how it colours them: one compact
 * row under the calendar's title, labels beside their controls.
 */
export function CalendarFilters() {
  const team = useTeam()
  const services = useServices()
  const ui = useCalendarUi()
  const id = useId()
  return (
    <fieldset className="filters calendar-filters">
      <legend className="visually-hidden">Calendar filters</legend>
      <div className="field">
        <label htmlFor={`${id}-crew`}>Crew member</label>
        <select
          id={`${id}-crew`}
          value={ui.teamMemberIds[0] ?? ''}
          onChange={(e) => ui.set({ teamMemberIds: e.target.value ? [e.target.value] : [] })}
        >
          <option value="">Everyone</option>
          <NamedOptions items={team} />
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-service`}>Service</label>
        <select
          id={`${id}-service`}
          value={ui.serviceId}
          onChange={(e) => ui.set({ serviceId: e.target.value })}
        >
          <option value="">All services</option>
          {services
            .filter((s) => s.isActive)
            .map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
        </select>
      </div>
      <StatusMenu value={ui.statuses} onChange={(statuses) => ui.set({ statuses })} />
      <div className="field">
        <label htmlFor={`${id}-colour`}>Color by</label>
        <select
          id={`${id}-colour`}
          value={ui.colorBy}
          onChange={(e) => ui.set({ colorBy: e.target.value as 'member' | 'status' })}
        >
          <option value="member">Crew member</option>
          <option value="status">Status</option>
        </select>
      </div>
    </fieldset>
  )
}
