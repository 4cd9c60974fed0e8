import {
  BACKFILL_DEFAULT_BATCH_SIZE,
  BACKFILL_MAX_BATCH_SIZE,
  backfillPriority,
  PRIORITY_NOT_NULL_MIGRATION,
} from '../drizzle/runner/backfill-priority'
import { loadMigrations } from '../drizzle/runner/migrations'
import { createDb } from '../electron/main/core/db/create-db'
import { sourceResources } from '../electron/main/core/paths'
import { existingDataDir, parseFlags, progressLine, runCommand } from './lib/cli'

const USAGE = 'npm run db:backfill-priority -- --data-dir DIR [--batch-size N] [--pause-ms N]'

await runCommand(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), {
    'data-dir': { type: 'string', required: true, help: 'the data folder' },
    'batch-size': {
      type: 'int',
      default: BACKFILL_DEFAULT_BATCH_SIZE,
      min: 1,
      max: BACKFILL_MAX_BATCH_SIZE,
      help: 'rows written per transaction',
    },
    'pause-ms': {
      type: 'int',
      default: 0,
      min: 0,
      max: 60_000,
      help: 'pause between batches, in ms',
    },
  })
  existingDataDir(flags['data-dir'])
  const resources = sourceResources()
  // Bring an older database up to the stage before the NOT NULL step, then backfill.
  const migrations = loadMigrations(resources.migrationsFolder)
  const gate = migrations.findIndex((m) => m.tag === PRIORITY_NOT_NULL_MIGRATION)
  const target = migrations[gate - 1]?.tag
  const db = await createDb({
    dataDir: flags['data-dir'],
    resources,
    migrate: target ? { target } : false,
  })
  try {
    const show = progressLine('services backfilled')
    const started = performance.now()
    const result = await backfillPriority(db.runner, {
      batchSize: flags['batch-size'],
      pauseMs: flags['pause-ms'],
      onProgress: (p) => show(p.done, p.total),
    })
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    console.log(
      `backfill complete: ${result.done} rows in ${result.batches} batches, ${seconds} s. ` +
        'The next start of the app (or npm run db:migrate) finishes the migration.',
    )
  } finally {
    await db.close()
  }
})
