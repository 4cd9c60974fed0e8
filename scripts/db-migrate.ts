import { loadMigrations } from '../drizzle/runner/migrations'
import { createDb } from '../electron/main/core/db/create-db'
import { sourceResources } from '../electron/main/core/paths'
import { parseFlags, progressLine, runCommand, UsageError } from './lib/cli'

const USAGE = 'npm run db:migrate -- --data-dir DIR [--target TAG] [--batch-size N]'

await runCommand(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), {
    'data-dir': { type: 'string', required: true },
    target: { type: 'string', pattern: /^\d{4}_[a-z0-9_]+$/, hint: 'must be a migration tag' },
    'batch-size': { type: 'int', default: 5000, min: 1, max: 100_000 },
  })
  const resources = sourceResources()
  // Checked before the folder is touched: a tag no migration has is a typo.
  if (
    flags.target &&
    !loadMigrations(resources.migrationsFolder).some((m) => m.tag === flags.target)
  )
    throw new UsageError(`--target ${flags.target} is not a migration of this app`)
  const show = progressLine('priority backfill')
  const db = await createDb({
    dataDir: flags['data-dir'],
    resources,
    ...(flags.target ? { migrate: { target: flags.target } } : {}),
    backfill: { batchSize: flags['batch-size'], onProgress: (p) => show(p.done, p.total) },
    onMigration: (m) => console.log(`applied ${m.tag}`),
  })
  await db.close()
  console.log('database is up to date')
})
