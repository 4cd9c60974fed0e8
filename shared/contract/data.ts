import { z } from 'zod'
import { appointmentStatus } from './appointments'
import { id, instant, search, withoutNul } from './common'
import { seriesClash } from './series'

/** Getting data out and back in: exports, CSV imports, backups and restores. */
const count = z.number().int()
const lines = z.array(z.number().int())

/**
 * What an import did. Rows are numbered as lines of the file (the header is line 1).
 * Rows that match a record already here update it, or are skipped when they change
 * nothing, so importing a file twice creates nothing the second time. `written` is
 * false when mode `all` met a refused row: then nothing was written and the counts of
 * created, updated and skipped rows are 0.
 */
export const importReport = z.object({
  rows: count,
  /** Rows written: created + updated. */
  imported: count,
  created: count,
  updated: count,
  skipped: count,
  refused: count,
  written: z.boolean(),
  lines: z.object({ created: lines, updated: lines, skipped: lines }),
  /** Why each refused row was refused, by line and column (several per row at times). */
  errors: z.array(z.object({ line: z.number().int(), field: z.string(), message: z.string() })),
  /**
   * Recurring visits only: the visits the new series booked, and those that double-book
   * their crew member (the first 50 in words; `clashCount` counts them all).
   */
  visits: z
    .object({ booked: count, clashCount: count, clashes: z.array(seriesClash).max(50) })
    .optional(),
})

/**
 * The columns of a file of clients or of services: an export's own, so an export imports
 * back as it is. The importer reads these and no others (in any order, any left out but
 * the required ones); the import form lists them.
 */
export const CLIENT_COLUMNS = [
  'name',
  'email',
  'phone',
  'address',
  'postal_code',
  'latitude',
  'longitude',
  'notes',
  // How the client wants to hear from the business: an opt-out travels with them.
  'notify_email',
  'notify_sms',
  'notify_off',
  'locale',
] as const
export const CLIENT_IMPORT_REQUIRED = ['name'] as const
export const SERVICE_COLUMNS = [
  'name',
  'description',
  'priority',
  'base_price',
  'duration_minutes',
  'is_active',
] as const
export const SERVICE_IMPORT_REQUIRED = ['name', 'base_price', 'duration_minutes'] as const

/**
 * The columns of a file of recurring visits, one series a row. The client, service and
 * crew member are named as the app names them.
 */
export const SERIES_IMPORT_COLUMNS = [
  'client',
  'service',
  'crew',
  'days',
  'every_weeks',
  'starts_on',
  'ends_on',
  'start_time',
  'duration_minutes',
  'price',
  'notes',
  'location',
] as const
export const SERIES_IMPORT_REQUIRED = ['client', 'service', 'days', 'starts_on', 'start_time']

const backupInfo = z.object({ file: z.string(), bytes: z.number().int(), createdAt: instant })
const backupFile = z.string().regex(/^[\w.-]+\.gkbackup$/, 'must be the name of a backup file')
const replacedName = z
  .string()
  .regex(/^pgdata\.before-restore-[\dTZ-]+$/, 'must be the name of data a restore replaced')

/**
 * Backup files cross to and from the screen in pieces of at most this many bytes, as
 * base64: a copy saved elsewhere (a USB stick, another disk) and a backup brought from
 * another laptop. Small enough for one IPC message or bridge request each.
 */
export const BACKUP_PIECE_BYTES = 4 * 1024 * 1024
/** Backup files from outside are smaller than this (what one file read can hold). */
export const BACKUP_MAX_BYTES = 2 * 1024 * 1024 * 1024
/** How many databases replaced by restores are kept beside the data, to put back. */
export const KEPT_REPLACED = 3
const piece = z
  .base64('must be base64')
  .max(Math.ceil(BACKUP_PIECE_BYTES / 3) * 4, 'a piece is at most 4 MiB')

/**
 * A long data job as it runs: its current step in plain words ("Exporting
 * appointments") and, when the step can be counted, how many of its `total` are done.
 */
export const dataJob = z.object({
  task: z.enum(['export', 'import', 'backup', 'restore']),
  step: z.string(),
  done: count,
  total: count.nullable(),
})

export const dataContract = {
  'data.export': {
    input: z
      .strictObject({
        kind: z.enum(['appointments', 'clients', 'services', 'products', 'calendar']),
        format: z.enum(['csv', 'json', 'ics']).default('csv'),
        /** For appointments and the calendar: the list's filters. */
        filters: z
          .strictObject({
            search: search.optional(),
            scheduledFrom: instant.optional(),
            scheduledTo: instant.optional(),
            status: z.array(appointmentStatus).min(1).max(4).optional(),
            clientId: id.optional(),
            serviceId: id.optional(),
            teamMemberId: id.optional(),
          })
          .default({}),
      })
      .refine((v) => v.format !== 'ics' || v.kind === 'appointments' || v.kind === 'calendar', {
        path: ['format'],
        message: 'ics is a calendar: it holds appointments only',
      })
      .refine((v) => v.kind !== 'calendar' || v.format === 'ics', {
        path: ['format'],
        message: 'must be ics for the calendar (appointments export as csv or json)',
      })
      .refine(
        ({ filters: f }) =>
          !f.scheduledFrom ||
          !f.scheduledTo ||
          Date.parse(f.scheduledFrom) <= Date.parse(f.scheduledTo),
        { path: ['filters', 'scheduledFrom'], message: 'must not be after the end of the range' },
      ),
    output: z.object({
      filename: z.string(),
      mimeType: z.string(),
      content: z.string(),
      rows: z.number().int(),
    }),
  },
  'data.import': {
    input: z.strictObject({
      /** `series`: recurring visits, one series a row (see data/import-series.ts). */
      kind: z.enum(['clients', 'services', 'series']),
      csv: z
        .string()
        .max(20 * 1024 * 1024, 'the file is too large (20 MB at most)')
        .refine(withoutNul, 'holds a NUL character: it is not a text CSV file'),
      /** `all`: write nothing if any row is bad. `valid`: write the good rows. */
      mode: z.enum(['all', 'valid']).default('all'),
    }),
    output: importReport,
  },
  'data.backup': { input: z.strictObject({}), output: backupInfo },
  'data.backups': { input: z.strictObject({}), output: z.object({ backups: z.array(backupInfo) }) },
  /** The jobs running now (see electron/main/core/data/progress.ts): polled while one runs. */
  'data.progress': { input: z.strictObject({}), output: z.object({ jobs: z.array(dataJob) }) },
  /** One piece of a backup file, to save a copy of it elsewhere. */
  'data.backupRead': {
    input: z.strictObject({ file: backupFile, offset: z.number().int().nonnegative().default(0) }),
    output: z.object({ file: z.string(), offset: count, total: count, content: z.string() }),
  },
  /**
   * A backup brought from elsewhere, sent in order in pieces under one `upload` id; the
   * last piece checks the whole file as a restore would, and only then is it listed.
   */
  'data.backupAdd': {
    input: z.strictObject({
      upload: z.uuid('must be the upload id (a UUID) its first piece was sent with'),
      offset: z.number().int().nonnegative().max(BACKUP_MAX_BYTES),
      content: piece,
      last: z.boolean(),
    }),
    output: z.discriminatedUnion('added', [
      z.object({ added: z.literal(false), received: count }),
      backupInfo.extend({
        added: z.literal(true),
        appointments: count,
        /** The same backup was here already: nothing new is listed. */
        already: z.boolean(),
      }),
    ]),
  },
  'data.deleteBackup': {
    input: z.strictObject({ file: backupFile }),
    output: z.object({ deleted: z.string() }),
  },
  /** The data that the last restores replaced, kept beside the data, newest first. */
  'data.replaced': {
    input: z.strictObject({}),
    output: z.object({ copies: z.array(z.object({ name: z.string(), replacedAt: instant })) }),
  },
  /**
   * Puts back the data a restore replaced (a name from `data.replaced`); the data in
   * use is kept in its turn, so this is undone the same way.
   */
  'data.putBack': {
    input: z.strictObject({ name: replacedName }),
    output: z.object({
      putBack: z.string(),
      replacedAt: instant,
      appointments: z.number().int(),
      previousDataKept: z.string(),
      sync: z.string(),
    }),
  },
  'data.restore': {
    input: z.strictObject({
      file: backupFile,
    }),
    output: z.object({
      restoredFrom: z.string(),
      backupCreatedAt: instant,
      appointments: z.number().int(),
      previousDataKept: z.string(),
      /** What became of sync: this laptop's own connection is kept, never the backup's. */
      sync: z.string(),
    }),
  },
} as const
