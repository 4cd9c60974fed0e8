import { appliedMigrations, loadMigrations } from '../drizzle/runner/migrations'
import { pgliteRunner } from '../drizzle/runner/sql-runner'
import { createDb } from '../electron/main/core/db/create-db'
import { sourceResources } from '../electron/main/core/paths'
import { dataDirToOpen, parseFlags, progressLine, runCommand, UsageError } from './lib/cli'

const USAGE = 'npm run db:migrate -- --data-dir DIR [--target TAG] [--batch-size N]'

await runCommand(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), {
    'data-dir': { type: 'string', required: true, help: 'the data folder' },
    target: {
      type: 'string',
      pattern: /^\d{4}_[a-z0-9_]+$/,
      hint: 'must be a migration tag',
      help: 'stop at this migration (default: the latest)',
    },
    'batch-size': {
      type: 'int',
      default: 5000,
      min: 1,
      max: 100_000,
      help: 'rows per batch of a data migration',
    },
  })
  const resources = sourceResources()
  const migrations = loadMigrations(resources.migrationsFolder)
  // Checked before the folder is touched: a tag no migration has is a typo.
  if (flags.target && !migrations.some((m) => m.tag === flags.target))
    throw new UsageError(`--target ${flags.target} is not a migration of this app`)
  const { fresh } = dataDirToOpen(flags['data-dir'])
  if (fresh) console.log(`starting a new database in ${flags['data-dir']}`)
  const show = progressLine('priority backfill')
  const db = await createDb({
    dataDir: flags['data-dir'],
    resources,
    ...(flags.target ? { migrate: { target: flags.target } } : {}),
    backfill: { batchSize: flags['batch-size'], onProgress: (p) => show(p.done, p.total) },
    onMigration: (m) => console.log(`applied ${m.tag}`),
  })
  let applied: string[]
  try {
    applied = await appliedMigrations(pgliteRunner(db.pg), migrations)
  } finally {
    await db.close()
  }
  const at = applied[applied.length - 1] ?? 'no migration'
  const later = migrations.length - applied.length
  const waiting = `${later} later migration${later === 1 ? '' : 's'} not applied`
  if (flags.target && applied.indexOf(flags.target) < applied.length - 1) {
    // Migrations only go forward: an older target is already behind this database.
    const rest = later ? `; ${waiting}` : ''
    console.log(
      `database is at ${at}, past --target ${flags.target} (migrations are never undone)${rest}`,
    )
  } else if (later === 0) console.log(`database is up to date (${at})`)
  else console.log(`database is at ${at}; ${waiting} (run without --target to apply them)`)
})
