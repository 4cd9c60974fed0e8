import type { ChannelInput } from '../../../../shared/contract'
import {
  CLIENT_COLUMNS,
  CLIENT_IMPORT_REQUIRED,
  SERIES_IMPORT_COLUMNS,
  SERVICE_COLUMNS,
  SERVICE_IMPORT_REQUIRED,
} from '../../../../shared/contract/data'

type ImportKind = ChannelInput<'data.import'>['kind']

const and = new Intl.ListFormat('en', { type: 'conjunction' })

/** The columns a file of clients or services may name, as the importer reads them. */
const RECORD_COLUMNS = {
  clients: { row: 'client', columns: CLIENT_COLUMNS, required: CLIENT_IMPORT_REQUIRED },
  services: { row: 'service', columns: SERVICE_COLUMNS, required: SERVICE_IMPORT_REQUIRED },
}

/**
 * What a file of this kind must look like: its columns, from the lists the importer
 * itself reads (shared/contract/data.ts), so the hint cannot name a column it refuses.
 */
export function ImportHint({ kind }: { kind: ImportKind }) {
  if (kind === 'series') {
    return (
      <p className="hint" id="series-import-hint">
        One series a row, with the columns {SERIES_IMPORT_COLUMNS.join(', ')}. Clients, services and
        crew are found by name; days are written as “Mon Thu”, dates as 2027-04-06 and times as
        08:30. A row already booked is skipped.
      </p>
    )
  }
  const { row, columns, required } = RECORD_COLUMNS[kind]
  return (
    <p className="hint" id={`${kind}-import-hint`}>
      One {row} a row, with the columns {columns.join(', ')}. Needed: {and.format(required)}; the
      other columns may be left out.
    </p>
  )
}
