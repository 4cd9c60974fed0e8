import { requireActor } from '../auth'
import {
  addBackupPiece,
  backup,
  deleteBackup,
  listBackups,
  readBackupPiece,
  restore,
} from '../data/backup'
import { exportData } from '../data/export'
import { importCsv } from '../data/import'
import { importSeries } from '../data/import-series'
import { runningJobs, trackJob } from '../data/progress'
import { listReplaced, putBack } from '../data/replace-data'
import type { Handlers } from './types'

export const dataHandlers = {
  'data.export': async (ctx, input) => {
    await requireActor(ctx, 'data.export')
    const step = `Exporting ${input.kind === 'calendar' ? 'the calendar' : input.kind}`
    return trackJob(ctx, 'export', step, (report) =>
      exportData(ctx, input.kind, input.format, input.filters, report),
    )
  },
  'data.import': async (ctx, input) => {
    await requireActor(ctx, 'data.admin')
    return trackJob(ctx, 'import', 'Reading the file', (report) =>
      input.kind === 'series'
        ? importSeries(ctx, input.csv, input.mode, report)
        : importCsv(ctx, input.kind, input.csv, input.mode, report),
    )
  },
  'data.backup': async (ctx) => {
    await requireActor(ctx, 'data.admin')
    return trackJob(ctx, 'backup', 'Saving the database to disk', (report) =>
      backup(ctx, undefined, report),
    )
  },
  'data.backups': async (ctx) => {
    await requireActor(ctx, 'data.admin')
    return { backups: listBackups(ctx) }
  },
  'data.backupRead': async (ctx, input) => {
    await requireActor(ctx, 'data.admin')
    return readBackupPiece(ctx, input.file, input.offset)
  },
  'data.backupAdd': async (ctx, input) => {
    await requireActor(ctx, 'data.admin')
    // Only the last piece has long work to follow: checking the whole backup.
    return input.last
      ? trackJob(ctx, 'backup', 'Checking the backup', (report) =>
          addBackupPiece(ctx, input, report),
        )
      : addBackupPiece(ctx, input)
  },
  'data.deleteBackup': async (ctx, input) => {
    await requireActor(ctx, 'data.admin')
    return deleteBackup(ctx, input.file)
  },
  // No actor is needed, like sync.status: a step name and two counts say nothing about
  // the business, and finding the actor would read the database, which an import holds
  // in its transaction until it ends (see data/progress.ts).
  'data.progress': async (ctx) => ({ jobs: runningJobs(ctx) }),
  'data.restore': async (ctx, input) => {
    await requireActor(ctx, 'data.admin')
    return trackJob(ctx, 'restore', 'Checking the backup', (report) =>
      restore(ctx, input.file, report),
    )
  },
  'data.replaced': async (ctx) => {
    await requireActor(ctx, 'data.admin')
    return { copies: listReplaced(ctx) }
  },
  'data.putBack': async (ctx, input) => {
    await requireActor(ctx, 'data.admin')
    return trackJob(ctx, 'restore', 'Putting the data back', (report) =>
      putBack(ctx, input.name, report),
    )
  },
} satisfies Partial<Handlers>
