import { useState } from 'react'
import { HORIZON_DAYS } from '../../../../shared/domain/series'
import { ApiError } from '../../api/client'
import { useChannel, write } from '../../api/queries'
import { plural } from '../../app/format'
import { Dialog } from '../../components/Dialog'
import { toast } from '../../stores/toasts'

/**
 * The visits recurring series booked on their own as the weeks went by (nobody was asked
 * then) that double-book their crew member: a line above the calendar for the office,
 * and the list behind it, each visit one click from its details, or kept as it is.
 */
export function HorizonClashes(props: { onOpen: (visitId: string) => void }) {
  const { data } = useChannel('series.clashes', {})
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState<string | null>(null)
  const clashes = data?.clashes ?? []
  if (!clashes.length) return null
  const keep = async (visitId: string) => {
    setBusy(visitId)
    try {
      await write('series.keepClash', { visitId })
      toast.info('Kept double-booked')
      if (clashes.length === 1) setOpen(false)
    } catch (e) {
      toast.error(e instanceof ApiError || e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(null)
    }
  }
  return (
    <>
      <p className="notice" role="status">
        {plural(clashes.length, 'visit')} booked ahead by recurring series{' '}
        {clashes.length === 1 ? 'double-books its' : 'double-book their'} crew member.{' '}
        <button type="button" className="link-button" onClick={() => setOpen(true)}>
          Review
        </button>
      </p>
      <Dialog
        title="Visits booked ahead that double-book"
        open={open}
        onClose={() => setOpen(false)}
        wide
      >
        <p>
          As the weeks go by, each series books its visits {HORIZON_DAYS / 7} weeks ahead. These
          clash with a job booked before them: move or reassign each, or keep it as it is.
        </p>
        <ul className="series-clashes">
          {clashes.map((c) => (
            <li key={c.visitId}>
              <strong>{c.when}</strong> — {c.job}: {c.teamMemberName} is also booked:{' '}
              {c.with.map((w) => w.text).join('; ')}
              <button
                type="button"
                className="link"
                aria-label={`Open the visit of ${c.when}`}
                onClick={() => {
                  setOpen(false)
                  props.onOpen(c.visitId)
                }}
              >
                Move or reassign
              </button>
              <button
                type="button"
                className="link"
                disabled={busy === c.visitId}
                aria-label={`Keep the visit of ${c.when} double-booked`}
                onClick={() => void keep(c.visitId)}
              >
                Keep both
              </button>
            </li>
          ))}
        </ul>
      </Dialog>
    </>
  )
}
