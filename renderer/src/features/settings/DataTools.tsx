import { useState } from 'react'
import type { ChannelInput, ChannelOutput } from '../../../../shared/contract'
import { BACKUP_MAX_BYTES, BACKUP_PIECE_BYTES } from '../../../../shared/contract/data'
import { csvText } from '../../../../shared/domain/csv'
import { may } from '../../../../shared/domain/permissions'
import { ApiError, call } from '../../api/client'
import { useChannel, write } from '../../api/queries'
import { currentSettings } from '../../api/reference'
import { formatDateTimeSeconds, plural } from '../../app/format'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { DataJobProgress, useDataJob } from './DataJobProgress'
import { ImportHint } from './ImportHint'
import { ImportReport } from './ImportReport'
import { ReplacedData } from './ReplacedData'

type ExportInput = ChannelInput<'data.export'>
type Report = ChannelOutput<'data.import'>
type ImportKind = ChannelInput<'data.import'>['kind']
type Backup = ChannelOutput<'data.backups'>['backups'][number]

const EXPORTS: { label: string; input: ExportInput }[] = [
  { label: 'Appointments (CSV)', input: { kind: 'appointments', format: 'csv' } },
  { label: 'Appointments (JSON)', input: { kind: 'appointments', format: 'json' } },
  { label: 'Calendar (iCalendar)', input: { kind: 'calendar', format: 'ics' } },
  { label: 'Clients (CSV)', input: { kind: 'clients', format: 'csv' } },
  { label: 'Services (CSV)', input: { kind: 'services', format: 'csv' } },
  { label: 'Products (CSV)', input: { kind: 'products', format: 'csv' } },
]

/** Saves a file the way the browser (and Electron) saves any download. */
function saveFile(content: Blob, filename: string) {
  const url = URL.createObjectURL(content)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

const MIB = 2 ** 20
/** Bytes as MiB to one decimal, for sizes and progress. */
const mib = (bytes: number) => Math.round((bytes / MIB) * 10) / 10

/** A piece of a file as base64, read the way the browser reads any file. */
function base64Of(piece: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''))
    reader.onerror = () => reject(reader.error)
    reader.readAsDataURL(piece)
  })
}

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64)
  const bytes = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i)
  return bytes
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
  const replaced = useChannel('data.replaced', {}, { enabled: admin })
  const [report, setReport] = useState<Report | null>(null)
  // Why the last file was refused whole: it stays beside the form until the next import.
  const [refused, setRefused] = useState<string | null>(null)
  const [kind, setKind] = useState<ImportKind>('clients')
  const [restoring, setRestoring] = useState<string | null>(null)
  const [deleting, setDeleting] = useState<Backup | null>(null)
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

  const when = (at: string) => formatDateTimeSeconds(at, currentSettings().timeZone)

  /** A copy of a backup saved elsewhere: read from the data folder piece by piece. */
  async function saveCopy(b: Backup) {
    try {
      await job.run('backup', 'Reading the backup', async (show) => {
        const pieces: Uint8Array<ArrayBuffer>[] = []
        let offset = 0
        let total = b.bytes
        do {
          const piece = await call('data.backupRead', { file: b.file, offset })
          const bytes = bytesOf(piece.content)
          pieces.push(bytes)
          offset += bytes.length
          total = piece.total
          show('Reading the backup', mib(offset), mib(total), 'MiB')
          if (bytes.length === 0) break
        } while (offset < total)
        saveFile(new Blob(pieces, { type: 'application/octet-stream' }), b.file)
      })
      toast.success(
        `Saving a copy of the backup of ${when(b.createdAt)} as ${b.file}: keep it somewhere other than this laptop`,
      )
    } catch (e) {
      fail(e)
    }
  }

  /** A backup file from elsewhere (another laptop, a USB stick), checked and listed. */
  async function addBackup(form: HTMLFormElement) {
    const upload = new FormData(form).get('backup')
    if (!(upload instanceof File) || upload.name === '')
      return toast.error('Choose a backup file first')
    if (upload.size === 0)
      return toast.error(`The file ${upload.name} is empty: it is not a backup`)
    if (upload.size >= BACKUP_MAX_BYTES)
      return toast.error(`The file ${upload.name} is too large to be a backup (under 2 GiB)`)
    const id = crypto.randomUUID()
    try {
      const added = await job.run('backup', 'Sending the backup', async (show) => {
        for (let offset = 0; ; offset += BACKUP_PIECE_BYTES) {
          const end = Math.min(upload.size, offset + BACKUP_PIECE_BYTES)
          const content = await base64Of(upload.slice(offset, end))
          const r = await call('data.backupAdd', {
            upload: id,
            offset,
            content,
            last: end === upload.size,
          })
          if (r.added) return r
          show('Sending the backup', mib(end), mib(upload.size), 'MiB')
        }
      })
      toast.success(
        added.already
          ? `This backup, of ${when(added.createdAt)}, is already in the list`
          : `The backup of ${when(added.createdAt)} (${added.appointments.toLocaleString()} appointments) is added: restore it from the list`,
      )
      form.reset()
      void backups.refetch()
    } catch (e) {
      toast.error(
        `The file ${upload.name} cannot be added: ${e instanceof ApiError ? e.message : String(e)}`,
      )
    }
  }

  async function removeBackup(b: Backup) {
    try {
      await call('data.deleteBackup', { file: b.file })
      toast.success(`The backup of ${when(b.createdAt)} is deleted`)
      setDeleting(null)
      void backups.refetch()
    } catch (e) {
      fail(e)
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
      void replaced.refetch()
      await load()
    } catch (e) {
      fail(e)
    }
  }

  return (
    <section className="card data-tools" aria-labelledby="data-tools">
      <h2 id="data-tools">Export and backup</h2>
      {(job.job?.task === 'export' || job.job?.task === 'import') && (
        <DataJobProgress job={job.job} />
      )}
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
                  saveFile(new Blob([file.content], { type: file.mimeType }), file.filename)
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
            <ImportHint kind={kind} />
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
          {job.job?.task === 'backup' && <DataJobProgress job={job.job} />}
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              job
                .run('backup', 'Saving the database to disk', () => write('data.backup', {}))
                .then((b) => {
                  toast.success(
                    `Backup saved in this laptop's data folder: ${when(b.createdAt)}, ${mib(b.bytes).toFixed(1)} MiB. Save a copy to keep one off this laptop.`,
                  )
                  void backups.refetch()
                }, fail)
            }}
          >
            Back up now
          </button>
          {backups.data?.backups.length === 0 && (
            <p className="hint">No backups on this laptop yet.</p>
          )}
          <ul className="backups" aria-label="Backups on this laptop">
            {backups.data?.backups.map((b) => (
              <li key={b.file}>
                <span className="backup-when">
                  <span>{when(b.createdAt)}</span>
                  <span className="muted small">{mib(b.bytes).toFixed(1)} MiB</span>
                </span>
                <span className="row-actions">
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={`Save a copy of the backup of ${when(b.createdAt)}`}
                    onClick={() => void saveCopy(b)}
                  >
                    Save a copy
                  </button>
                  <button type="button" disabled={busy} onClick={() => setRestoring(b.file)}>
                    Restore
                  </button>
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={`Delete the backup of ${when(b.createdAt)}`}
                    onClick={() => setDeleting(b)}
                  >
                    Delete
                  </button>
                </span>
              </li>
            ))}
          </ul>
          <form
            className="import-form add-backup"
            aria-label="Add a backup from a file"
            onSubmit={(e) => {
              e.preventDefault()
              void addBackup(e.currentTarget)
            }}
          >
            <label>
              Backup from another laptop or a copy
              <input name="backup" type="file" accept=".gkbackup" />
            </label>
            <button type="submit" disabled={busy}>
              Add backup
            </button>
          </form>
          <ConfirmDialog
            title="Delete this backup?"
            item={deleting}
            onCancel={() => setDeleting(null)}
            confirm="Delete"
            tone="danger"
            onConfirm={(b) => void removeBackup(b)}
          >
            <p>
              The backup of {deleting ? when(deleting.createdAt) : ''} is removed from this laptop's
              data folder. Copies saved elsewhere are not touched.
            </p>
          </ConfirmDialog>
          <ConfirmDialog
            title="Restore this backup?"
            item={restoring}
            onCancel={() => setRestoring(null)}
            confirm="Restore"
            disabled={busy}
            onConfirm={(file) => void restore(file)}
          >
            {job.job?.task === 'restore' && <DataJobProgress job={job.job} />}
            <p>
              The data on this laptop will be replaced by the backup. The current data is kept in
              the data folder, to put back if need be.
            </p>
          </ConfirmDialog>
          <ReplacedData
            copies={replaced.data?.copies ?? []}
            job={job}
            onDone={async () => {
              void replaced.refetch()
              await load()
            }}
          />
        </>
      )}
    </section>
  )
}
