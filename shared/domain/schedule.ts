/**
 * Time ranges of appointments: [start, start + duration). Two appointments of one team
 * member clash when their ranges overlap; touching ends (one ends at 10:00, the next
 * starts at 10:00) do not. Cancelled appointments never clash.
 */
export interface Booking {
  id: string
  teamMemberId: string | null
  startMs: number
  durationMinutes: number
  status: string
}

export const endMs = (b: Pick<Booking, 'startMs' | 'durationMinutes'>) =>
  b.startMs + b.durationMinutes * 60_000

export function overlaps(
  a: Pick<Booking, 'startMs' | 'durationMinutes'>,
  b: Pick<Booking, 'startMs' | 'durationMinutes'>,
): boolean {
  return a.startMs < endMs(b) && b.startMs < endMs(a)
}

/** The bookings that `candidate` would double-book, earliest first. */
export function findClashes(candidate: Booking, others: readonly Booking[]): Booking[] {
  if (!candidate.teamMemberId || candidate.status === 'cancelled') return []
  return others
    .filter(
      (o) =>
        o.id !== candidate.id &&
        o.teamMemberId === candidate.teamMemberId &&
        o.status !== 'cancelled' &&
        overlaps(candidate, o),
    )
    .sort((x, y) => x.startMs - y.startMs)
}

/** The longest appointment the schema allows: bounds the clash search window. */
export const MAX_DURATION_MINUTES = 1440
