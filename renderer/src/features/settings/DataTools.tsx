import { useState } from 'react'
import type { ChannelInput, ChannelOutput } from '../../../../shared/contract'
import { SERIES_IMPORT_COLUMNS } from '../../../../shared/contract/data'
import { csvText } from '../../../../shared/domain/csv'
import { may } from '../../../../shared/domain/permissions'
import { ApiError, call } from '../../api/client'
import { useChannel, write } from '../../api/queries'
import { currentSettings } from '../../api/reference'
import { formatDateTimeSeconds, plural } from '../../app/format'
import { Dialog } from '../../components/Dialog'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { DataJobProgress, useDataJob } from './DataJobProgress'
import { ImportReport } from './ImportReport'

type ExportInput = ChannelInput<'data.export'>
type Report = ChannelOutput<'data.import'>
type ImportKind = ChannelInput<'data.import'>['kind']

const EXPORTS: { label: string; input: ExportInput }[] = [
  { label: 'Appointments (CSV)', input: { kind: 'appointments', format: 'csv' } },
  { label: 'Appointments (JSON)', input: { kind: 'appointments', format: 'json' } },
  { label: 'Calendar (iCalendar)', input: { kind: 'calendar', format: 'ics' } },
  { label: 'Clients (CSV)', input: { kind: 'clients', format: 'csv' } },
  { label: 'Services (CSV)', input: { kind: 'services', format: 'csv' } },
  { label: 'Products (CSV)', input: { kind: 'products', format: 'csv' } },
]

/** Saves text as a file the way the browser (and Electron) saves any download. */
function download(file: { filename: string; mimeType: string; content: string }) {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }))
  const a = document.createElement('a')
  a.href = url
  a.download = file.filename
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** The first words of an export's progress, as the core names its step. */
const exportStep = (kind: ExportInput['kind']) =>
  kind === 'calendar' ? 'Exporting the calendar' : `Exporting ${kind}`

const fail = (e: unknown) => toast.error(e instanceof ApiError ? e.message : String(e))

/** Export, import, back up and restore: the admin's tools for getting data out and in. */
export function DataTools() {
  const { user, load } = useSession()
  const admin = !!user && may(user.role, 'data.admin')
  const backups = useChannel('data.backups', {}, { enabled: admin })
  const [report, setReport] = useState<Report | null>(null)
  // Why the last file was refused whole: it stays beside the form until the next import.
  const [refused, setRefused] = useState<string | null>(null)
  const [kind, setKind] = useState<ImportKind>('clients')
  const [restoring, setRestoring] = useState<string | null>(null)
  const job = useDataJob()
  const busy = job.busy

  async function runImport(form: HTMLFormElement) {
    const f = new FormData(form)
    const upload = f.get('file')
    // The last report goes as soon as a new import starts: it never sits beside a new error.
    setReport(null)
    setRefused(null)
    const refuse = (message: string) => {
      setRefused(message)
      toast.error(message)
    }
    if (!(upload instanceof File) || upload.name === '')
      return toast.error('Choose a CSV file first')
    if (upload.size === 0)
      return refuse(`The file ${upload.name} is empty: there is nothing to import`)
    try {
      const read = csvText(new Uint8Array(await upload.arrayBuffer()))
      if (!read.ok) return refuse(`The file ${upload.name} cannot be imported: ${read.message}`)
      const csv = read.text
      const result = await job.run('import', 'Reading the file', () =>
        write('data.import', {
          kind,
          csv,
          mode: f.get('valid') ? 'valid' : 'all',
        }),
      )
      setReport(result)
      if (result.imported) {
        toast.success(
          result.visits
            ? `${plural(result.imported, 'series', 'series')} imported`
            : `${plural(result.imported, 'row')} imported`,
        )
      }
    } catch (e) {
      refuse(
        `The file ${upload.name} cannot be imported: ${e instanceof ApiError ? e.message : String(e)}`,
      )
    }
  }

  async function restore(file: string) {
    try {
      const r = await job.run('restore', 'Checking the backup', () =>
        write('data.restore', { file }),
      )
      toast.success(`Restored ${r.restoredFrom} (${r.appointments.toLocaleString()} appointments)`)
      // Sync stays as this laptop had it, never the backup's: say which.
      toast.info(r.sync)
      setRestoring(null)
      await load()
    } catch (e) {
      fail(e)
    }
  }

  return (
    <section className="card data-tools" aria-labelledby="data-tools">
      <h2 id="data-tools">Export and backup</h2>
      {job.job && job.job.task !== 'restore' && <DataJobProgress job={job.job} />}
      <div className="button-grid">
        {EXPORTS.map((x) => (
          <button
            key={x.label}
            type="button"
            disabled={busy}
            onClick={() =>
              void job
                .run('export', exportStep(x.input.kind), () => call('data.export', x.input))
                .then((file) => {
                  download(file)
                  toast.success(`${file.rows.toLocaleString()} rows exported to ${file.filename}`)
                }, fail)
            }
          >
            {x.label}
          </button>
        ))}
      </div>
      {admin && (
        <>
          <h3>Import from CSV</h3>
          <form
            className="import-form"
            aria-label="Import from CSV"
            onSubmit={(e) => {
              e.preventDefault()
              void runImport(e.currentTarget)
            }}
          >
            <label>
              Import
              <select
                name="kind"
                value={kind}
                onChange={(e) => {
                  // Another kind of import: the last one's report and file no longer apply.
                  setKind(e.target.value as ImportKind)
                  setReport(null)
                  setRefused(null)
                  const file = e.currentTarget.form?.elements.namedItem('file')
                  if (file instanceof HTMLInputElement) file.value = ''
                }}
              >
                <option value="clients">Clients</option>
                <option value="services">Services</option>
                <option value="series">Recurring visits</option>
              </select>
            </label>
            {kind === 'series' && (
              <p className="hint" id="series-import-hint">
                One series a row, with the columns {SERIES_IMPORT_COLUMNS.join(', ')}. Clients,
                services and crew are found by name; days are written as “Mon Thu”, dates as
                2027-04-06 and times as 08:30. A row already booked is skipped.
              </p>
            )}
            <label>
              CSV file
              <input name="file" type="file" accept=".csv,text/csv" />
            </label>
            <label className="check">
              <input name="valid" type="checkbox" /> Import the good rows even if some are bad
            </label>
            <button type="submit" disabled={busy}>
              Import
            </button>
          </form>
          {refused && (
            <p className="form-error" role="alert">
              {refused}
            </p>
          )}
          {report && <ImportReport report={report} />}
          <h3>Backups</h3>
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              job
                .run('backup', 'Saving the database to disk', () => write('data.backup', {}))
                .then((b) => {
                  toast.success(
                    `Backup saved in this laptop's data folder: ${formatDateTimeSeconds(b.createdAt, currentSettings().timeZone)}, ${(b.bytes / 2 ** 20).toFixed(1)} MiB`,
                  )
                  void backups.refetch()
                }, fail)
            }}
          >
            Back up now
          </button>
          <ul className="backups">
            {backups.data?.backups.map((b) => (
              <li key={b.file}>
                <span>{formatDateTimeSeconds(b.createdAt, currentSettings().timeZone)}</span>
                <span className="muted small">{(b.bytes / 2 ** 20).toFixed(1)} MiB</span>
                <button type="button" disabled={busy} onClick={() => setRestoring(b.file)}>
                  Restore
                </button>
              </li>
            ))}
          </ul>
          <Dialog
            title="Restore this backup?"
            role="alertdialog"
            open={restoring !== null}
            onClose={() => setRestoring(null)}
            footer={
              <>
                <button type="button" onClick={() => setRestoring(null)}>
                  Cancel
                </button>
                <button
                  type="button"
                  className="primary"
                  disabled={busy}
                  onClick={() => restoring && void restore(restoring)}
                >
                  Restore
                </button>
              </>
            }
          >
            {job.job?.task === 'restore' && <DataJobProgress job={job.job} />}
            <p>
              The data on this laptop will be replaced by the backup. The current data is kept in
              the data folder, so nothing is lost.
            </p>
          </Dialog>
        </>
      )}
    </section>
  )
}
