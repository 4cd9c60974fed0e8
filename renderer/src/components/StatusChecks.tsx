import { APPOINTMENT_STATUSES, type AppointmentStatus } from '../../../shared/domain/enums'
import { statusLabel } from './States'

/** A checkbox per appointment status: several may be chosen at once. */
export function StatusChecks(props: {
  value: AppointmentStatus[]
  onChange: (next: AppointmentStatus[]) => void
}) {
  return (
    <fieldset className="status-filter">
      <legend>Status</legend>
      {APPOINTMENT_STATUSES.map((s) => (
        <label key={s} className="check">
          <input
            type="checkbox"
            checked={props.value.includes(s)}
            onChange={(e) =>
              props.onChange(
                e.target.checked ? [...props.value, s] : props.value.filter((x) => x !== s),
              )
            }
          />
          {statusLabel(s)}
        </label>
      ))}
    </fieldset>
  )
}
