import { formatDate, formatTime } from '../../app/format'

/** A day over its time, each kept whole: narrow columns wrap between them, not inside. */
export function When({ iso, tz }: { iso: string | null; tz: string }) {
  if (!iso) return <>—</>
  return (
    <time dateTime={iso} className="when">
      <span>{formatDate(iso, tz)}</span> <span>{formatTime(iso, tz)}</span>
    </time>
  )
}
