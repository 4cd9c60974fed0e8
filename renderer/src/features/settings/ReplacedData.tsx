import { useState } from 'react'
import type { ChannelOutput } from '../../../../shared/contract'
import { KEPT_REPLACED } from '../../../../shared/contract/data'
import { ApiError } from '../../api/client'
import { write } from '../../api/queries'
import { currentSettings } from '../../api/reference'
import { formatDateTimeSeconds } from '../../app/format'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { toast } from '../../stores/toasts'
import { DataJobProgress, type useDataJob } from './DataJobProgress'

type Copy = ChannelOutput<'data.replaced'>['copies'][number]

/**
 * The data that the last restores replaced, kept in the data folder: each can be put
 * back (a restore made by mistake undone), and the data in use is kept in its turn.
 */
export function ReplacedData(props: {
  copies: readonly Copy[]
  job: ReturnType<typeof useDataJob>
  /** After a put back: what the screens show is read again. */
  onDone: () => Promise<void> | void
}) {
  const [asking, setAsking] = useState<Copy | null>(null)
  const { job } = props
  const when = (at: string) => formatDateTimeSeconds(at, currentSettings().timeZone)
  if (!props.copies.length) return null

  async function putBack(copy: Copy) {
    try {
      const r = await job.run('restore', 'Putting the data back', () =>
        write('data.putBack', { name: copy.name }),
      )
      toast.success(
        `The data from before the restore of ${when(r.replacedAt)} is back (${r.appointments.toLocaleString()} appointments)`,
      )
      toast.info(r.sync)
      setAsking(null)
      await props.onDone()
    } catch (e) {
      toast.error(e instanceof ApiError ? e.message : String(e))
    }
  }

  return (
    <>
      <h3>Data replaced by restores</h3>
      <p className="hint">
        Each restore keeps the data it replaced (for the last {KEPT_REPLACED} restores): put it back
        to undo a restore.
      </p>
      <ul className="backups" aria-label="Data replaced by restores">
        {props.copies.map((c) => (
          <li key={c.name}>
            <span className="backup-when">
              <span>Replaced {when(c.replacedAt)}</span>
            </span>
            <span className="row-actions">
              <button
                type="button"
                disabled={job.busy}
                aria-label={`Put back the data replaced ${when(c.replacedAt)}`}
                onClick={() => setAsking(c)}
              >
                Put back
              </button>
            </span>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        title="Put this data back?"
        item={asking}
        onCancel={() => setAsking(null)}
        confirm="Put back"
        disabled={job.busy}
        onConfirm={(copy) => void putBack(copy)}
      >
        {job.job?.task === 'restore' && <DataJobProgress job={job.job} />}
        <p>
          The data on this laptop goes back to what it was until{' '}
          {asking ? when(asking.replacedAt) : ''}. The data in use now is kept in the data folder in
          its turn, so this too can be undone.
        </p>
      </ConfirmDialog>
    </>
  )
}
