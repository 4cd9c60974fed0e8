/**
 * A length of work as people say it: "45 min", "1 h", "1 h 30 min", "8 h" (a day's work
 * reads better as hours than as 480 minutes).
 */
export function durationLabel(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 60) return `${minutes} min`
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return m ? `${h} h ${m} min` : `${h} h`
}
