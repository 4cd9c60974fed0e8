import {
  DAY_NAMES,
  describeDays,
  describeHours,
  type WorkingHours,
} from '../../../../shared/domain/working-hours'
import { Field } from '../../components/Field'

/** Monday first, as the calendar shows the week. */
const WEEK = [1, 2, 3, 4, 5, 6, 0]

/**
 * A crew member's working hours and days: the business's (null) or their own. The two
 * values are the contract's (`"07:00-16:00"`, `[1, 2, 3]`), so the form's schema checks
 * them like any other field.
 */
export function WorkingHoursFields(props: {
  business: WorkingHours
  hours: string | null
  days: number[] | null
  onHours: (hours: string | null) => void
  onDays: (days: number[] | null) => void
  hoursError: string | undefined
  daysError: string | undefined
}) {
  const { business, hours, days } = props
  const [start = business.start, end = business.end] = hours?.split('-') ?? []
  const businessTimes = describeHours(business).split(', ')[0]
  return (
    <div className="working-time">
      <fieldset className="choice">
        <legend>Working hours</legend>
        <label className="check">
          <input
            type="radio"
            name="hours-kind"
            checked={hours === null}
            onChange={() => props.onHours(null)}
          />
          Same as the business ({businessTimes})
        </label>
        <label className="check">
          <input
            type="radio"
            name="hours-kind"
            checked={hours !== null}
            onChange={() => props.onHours(`${business.start}-${business.end}`)}
          />
          Own hours
        </label>
        {hours !== null && (
          <div className="time-pair">
            <Field label="Starts">
              <input
                type="time"
                value={start}
                onChange={(e) => props.onHours(`${e.target.value}-${end}`)}
              />
            </Field>
            <Field label="Ends">
              <input
                type="time"
                value={end}
                onChange={(e) => props.onHours(`${start}-${e.target.value}`)}
              />
            </Field>
          </div>
        )}
        {props.hoursError && <small className="error-text">{props.hoursError}</small>}
      </fieldset>
      <fieldset className="choice">
        <legend>Working days</legend>
        <label className="check">
          <input
            type="radio"
            name="days-kind"
            checked={days === null}
            onChange={() => props.onDays(null)}
          />
          Same as the business ({describeDays(business.days)})
        </label>
        <label className="check">
          <input
            type="radio"
            name="days-kind"
            checked={days !== null}
            onChange={() => props.onDays([...business.days])}
          />
          Own days
        </label>
        {days !== null && (
          <div className="day-checks">
            {WEEK.map((d) => (
              <label key={d} className="check">
                <input
                  type="checkbox"
                  checked={days.includes(d)}
                  onChange={(e) =>
                    props.onDays(
                      e.target.checked ? [...days, d].sort() : days.filter((x) => x !== d),
                    )
                  }
                />
                {DAY_NAMES[d]}
              </label>
            ))}
          </div>
        )}
        {props.daysError && <small className="error-text">{props.daysError}</small>}
      </fieldset>
    </div>
  )
}
