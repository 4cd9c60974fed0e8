import type { AppointmentListQuery } from './schemas'

/**
 * Deep pages of the appointment list without skipping their offset row by row. Skipping
 * 50,000 entries of an index costs about 5 ms whatever the index; the database keeps
 * live appointments per day and status (`appointment_day_counts`, server migration 0007,
 * maintained by triggers in the writing transaction, so exact), so adding up those
 * counts, newest day first, finds the day the page starts on and how many rows come
 * before that day. The page then skips only within that day. Served this way: the whole
 * list or some statuses, by time in either direction, from JUMP_FROM rows deep. Other
 * filters (dates, search, a crew) skip their offset as usual.
 */
export const JUMP_FROM = 10_000

export type Direction = 'ASC' | 'DESC'

export function jumpDirection(q: AppointmentListQuery, crewScoped: boolean): Direction | null {
  if (q.offset < JUMP_FROM || crewScoped) return null
  if (q.search || q.schedule_start_date || q.schedule_end_date) return null
  const [first, second, ...more] = q.ordering
  if (more.length) return null
  if (first === '-scheduled_date' && (second === undefined || second === '-id')) return 'DESC'
  if (first === 'scheduled_date' && (second === undefined || second === 'id')) return 'ASC'
  return null
}

/**
 * The parts of the page's statement: a `jump` CTE (the page's first day and the rows
 * before it), the bound that starts the page at that day, and the offset left within it.
 * Past the end there is no such day: the bound is NULL and the page empty.
 */
export function jumpSql(dir: Direction, offset: string, statuses: string | null) {
  const which = statuses ? ` WHERE status = ANY(${statuses}::text[])` : ''
  return {
    with: `WITH jump AS (
      SELECT day, upto - n AS before FROM (
        SELECT day, n, sum(n) OVER (ORDER BY day ${dir}) AS upto
        FROM (SELECT day, sum(n) AS n FROM appointment_day_counts${which} GROUP BY day) d
      ) c WHERE upto > ${offset} ORDER BY day ${dir} LIMIT 1)`,
    // Days are UTC dates of scheduled_at, as the triggers count them.
    bound:
      dir === 'DESC'
        ? `a.scheduled_at < (SELECT (day + 1)::timestamp AT TIME ZONE 'UTC' FROM jump)`
        : `a.scheduled_at >= (SELECT day::timestamp AT TIME ZONE 'UTC' FROM jump)`,
    offset: `(SELECT ${offset} - before FROM jump)`,
  }
}
