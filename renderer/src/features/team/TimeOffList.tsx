import type { TimeOff } from '../../../../shared/contract/weather'
import { OPEN_ENDED_REVIEW_DAYS } from '../../../../shared/domain/reassign'
import { addDays, localDay } from '../../../../shared/domain/time'
import { ApiError } from '../../api/client'
import { write } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { formatDate, fromLocalInput } from '../../app/format'
import { href } from '../../app/router'
import { toast } from '../../stores/toasts'
import { reassignHref } from './TimeOffDialog'

/** "Dec 3, 2026 – Dec 5, 2026", "Dec 3, 2026", "From Dec 3, 2026 until further notice". */
export function rangeText(t: { startsOn: string; endsOn: string | null }, tz: string): string {
  const day = (d: string) => formatDate(fromLocalInput(`${d}T12:00`, tz) ?? d, tz)
  if (t.endsOn === null) return `From ${day(t.startsOn)} until further notice`
  if (t.endsOn === t.startsOn) return day(t.startsOn)
  return `${day(t.startsOn)} – ${day(t.endsOn)}`
}

/**
 * The days a review of a time off covers: all of them; for one until further notice, the
 * next weeks from its first day or, once it has begun, from today (its past days have no
 * jobs left to hand over).
 */
export function reviewDays(
  t: { startsOn: string; endsOn: string | null },
  today: string,
): { from: string; to: string } {
  if (t.endsOn) return { from: t.startsOn, to: t.endsOn }
  const from = t.startsOn < today ? today : t.startsOn
  return { from, to: addDays(from, OPEN_ENDED_REVIEW_DAYS - 1) }
}

/** A member's time off, now and ahead: each range with its reason, its jobs, Remove. */
export function TimeOffList(props: { name: string; rows: readonly TimeOff[]; manager: boolean }) {
  const tz = useSettings().timeZone
  async function remove(t: TimeOff) {
    try {
      await write('team.timeOff.remove', { id: t.id })
      // Undone by booking the same days off again (refused if they overlap time off
      // added meanwhile, which the toast then says).
      toast.undoable(`Time off removed for ${props.name}`, () =>
        write('team.timeOff.add', {
          teamMemberId: t.teamMemberId,
          startsOn: t.startsOn,
          endsOn: t.endsOn,
          reason: t.reason,
        }),
      )
    } catch (err) {
      toast.error(err instanceof ApiError ? err.message : String(err))
    }
  }
  if (!props.rows.length) return null
  const today = localDay(Date.now(), tz)
  return (
    <ul className="time-off-list" aria-label={`${props.name}'s time off`}>
      {props.rows.map((t) => {
        const range = rangeText(t, tz)
        // Recent time off that is over stays listed a while: entered late (or by mistake),
        // it is seen, and can be removed, rather than refusing new days for no visible reason.
        const past = t.endsOn !== null && t.endsOn < today
        return (
          <li key={t.id} className={past ? 'past' : undefined}>
            <span className="time-off-range">
              {range}
              {t.reason && <span className="muted"> · {t.reason}</span>}
              {past && <span className="muted"> · over</span>}
            </span>
            {props.manager && (
              <span className="row-actions">
                {!past && (
                  <a
                    href={href(
                      '/team',
                      reassignHref({
                        teamMemberId: t.teamMemberId,
                        ...reviewDays(t, today),
                        openEnded: t.endsOn === null,
                      }),
                    )}
                  >
                    Review jobs
                  </a>
                )}
                <button
                  type="button"
                  className="link"
                  aria-label={`Remove time off ${range}`}
                  onClick={() => void remove(t)}
                >
                  Remove
                </button>
              </span>
            )}
          </li>
        )
      })}
    </ul>
  )
}
