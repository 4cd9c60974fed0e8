import { useRef, useState } from 'react'
import { create } from 'zustand'
import type { Appointment } from '../../../../shared/contract/appointments'
import type { SeriesSummary } from '../../../../shared/contract/series'
import { HORIZON_DAYS } from '../../../../shared/domain/series'
import { ApiError, call } from '../../api/client'
import { useChannel, write } from '../../api/queries'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Dialog } from '../../components/Dialog'
import { toast } from '../../stores/toasts'

/**
 * The series parts of the appointment screens: the summary after booking or changing a
 * series ("14 visits booked, 2 clash — review"), the question an edit of a series visit
 * asks first, and a visit's "Part of: ..." line with its skip action.
 */
export type Scope = 'this' | 'following' | 'all'

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/**
 * "14 visits booked, 2 clash — review", or what an edit changed. A new series starting
 * beyond the weeks booked ahead has no visit yet: it says when they come.
 */
export function summaryText(s: SeriesSummary, created = false): string {
  const parts = []
  if (s.booked) parts.push(`${plural(s.booked, 'visit')} booked`)
  if (s.updated) parts.push(`${plural(s.updated, 'visit')} changed`)
  if (s.removed) parts.push(`${plural(s.removed, 'visit')} removed`)
  if (!parts.length && created)
    parts.push(`Series saved: its visits are booked as they come within ${HORIZON_DAYS / 7} weeks`)
  if (!parts.length) parts.push('No visit changed')
  const text = parts.join(', ')
  return s.clashes.length ? `${text}, ${s.clashes.length} clash — review` : text
}

const useSummary = create<{
  summary: SeriesSummary | null
  show: (s: SeriesSummary | null) => void
}>((set) => ({ summary: null, show: (summary) => set({ summary }) }))

/** Tells what a series write did: a toast, or a dialog listing its clashes. */
export function reportSeries(summary: SeriesSummary, created = false) {
  if (summary.clashes.length) useSummary.getState().show(summary)
  else {
    toast.success(summaryText(summary, created))
    // Booked all the same, as one job outside someone's hours is: said, not refused.
    for (const line of summary.crew) toast.info(line)
  }
}

/**
 * Mounted beside the booking form: the clashes of the last series booked, to review,
 * each visit one click from its edit form (`onEdit`).
 */
export function SeriesSummaryDialog(props: { onEdit?: (visit: Appointment) => void }) {
  const { summary, show } = useSummary()
  const close = () => show(null)
  async function edit(visitId: string) {
    try {
      const visit = await call('appointments.get', { id: visitId })
      close()
      props.onEdit?.(visit)
    } catch (e) {
      toast.error(e instanceof ApiError ? e.message : String(e))
    }
  }
  return (
    <Dialog
      title={summary ? summaryText(summary) : ''}
      open={summary !== null}
      onClose={close}
      wide
    >
      {summary && (
        <>
          <p>
            These visits double-book their crew member. They are booked: move or reassign each here,
            or keep them as they are.
          </p>
          <ul className="series-clashes">
            {summary.clashes.map((c) => (
              <li key={c.visitId}>
                <strong>{c.when}</strong> — {c.teamMemberName} is also booked:{' '}
                {c.with.map((w) => w.text).join('; ')}
                {props.onEdit && (
                  <button
                    type="button"
                    className="link"
                    aria-label={`Move or reassign the visit of ${c.when}`}
                    onClick={() => void edit(c.visitId)}
                  >
                    Move or reassign
                  </button>
                )}
              </li>
            ))}
          </ul>
          {summary.crew.length > 0 && (
            <ul className="series-crew-notes">
              {summary.crew.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
          <div className="form-actions">
            <button type="button" className="primary" onClick={close}>
              Done
            </button>
          </div>
        </>
      )}
    </Dialog>
  )
}

/**
 * Asks which visits an edit of a series visit is for; resolves null when cancelled. A
 * change to how the series repeats is for this and following visits or all of them
 * (`seriesOnly`): a single visit does not repeat.
 */
export function useScopeChoice() {
  const [open, setOpen] = useState(false)
  const [seriesOnly, setSeriesOnly] = useState(false)
  const resolve = useRef<(s: Scope | null) => void>(() => undefined)
  const ask = (options: { seriesOnly?: boolean } = {}) =>
    new Promise<Scope | null>((r) => {
      resolve.current = r
      setSeriesOnly(options.seriesOnly ?? false)
      setOpen(true)
    })
  const choose = (s: Scope | null) => {
    setOpen(false)
    resolve.current(s)
  }
  const element = (
    <Dialog
      title="Change which visits?"
      open={open}
      onClose={() => choose(null)}
      role="alertdialog"
    >
      <p>
        {seriesOnly
          ? 'This changes how the series repeats: from this visit on, or for the whole series.'
          : 'This visit is part of a recurring series.'}
      </p>
      <div className="form-actions scope-choices">
        <button type="button" onClick={() => choose(null)}>
          Cancel
        </button>
        {!seriesOnly && (
          <button type="button" onClick={() => choose('this')}>
            This visit
          </button>
        )}
        <button type="button" onClick={() => choose('following')}>
          This and following
        </button>
        <button type="button" className="primary" onClick={() => choose('all')}>
          The whole series
        </button>
      </div>
    </Dialog>
  )
  return { ask, element }
}

/** "Part of: Every week on Tuesday, Apr 6 – Oct 26" and, for office staff, "Skip this visit". */
export function SeriesPart(props: {
  appointment: Appointment
  canEdit: boolean
  onDone: () => void
}) {
  const a = props.appointment
  const series = useChannel('series.get', { id: a.id }, { enabled: !!a.seriesId })
  const [busy, setBusy] = useState(false)
  const [ending, setEnding] = useState<Appointment | null>(null)
  if (!a.seriesId) return null
  const end = async (visit: Appointment) => {
    setBusy(true)
    try {
      const summary = await write('series.end', { visitId: visit.id, scope: 'following' })
      setEnding(null)
      toast.success(`Series ended: ${summaryText(summary).toLowerCase()}`)
      props.onDone()
    } catch (e) {
      toast.error(
        e instanceof ApiError || e instanceof Error ? e.message : 'The series was not ended',
      )
    } finally {
      setBusy(false)
    }
  }
  const skip = async () => {
    setBusy(true)
    try {
      await write('series.skip', { visitId: a.id })
      toast.success('Visit skipped: the series will not book this day again')
      props.onDone()
    } catch (e) {
      toast.error(
        e instanceof ApiError || e instanceof Error ? e.message : 'The visit was not skipped',
      )
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <dt>Part of</dt>
      <dd>
        {series.data?.current.description ?? 'a recurring series'}
        {a.seriesException && <span className="muted"> (changed on its own)</span>}
        {props.canEdit && a.status === 'scheduled' && (
          <span className="row-actions">
            <button
              type="button"
              className="link-button"
              disabled={busy}
              onClick={() => void skip()}
            >
              Skip this visit
            </button>
            <button
              type="button"
              className="link-button"
              disabled={busy}
              onClick={() => setEnding(a)}
            >
              End the series here
            </button>
          </span>
        )}
        <ConfirmDialog
          title="End the series here?"
          item={ending}
          onCancel={() => setEnding(null)}
          confirm="End the series"
          tone="danger"
          disabled={busy}
          onConfirm={(visit) => void end(visit)}
        >
          <p>
            This visit and every visit of the series after it are removed; the visits before it
            stay. No more visits are booked for it.
          </p>
        </ConfirmDialog>
      </dd>
    </>
  )
}
