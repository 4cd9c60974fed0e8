import { createDb } from '../electron/main/core/db/create-db'
import { sourceResources } from '../electron/main/core/paths'
import { DEMO_PIN } from '../electron/main/core/seed/demo-pin'
import { clearAll, isEmpty, seed } from '../electron/main/core/seed/seed'
import { FIRST_YEAR, LAST_YEAR } from '../shared/domain/time'
import { plural } from '../shared/domain/words'
import { dataDirToOpen, parseFlags, progressLine, runCommand, UsageError } from './lib/cli'

const USAGE =
  'npm run db:seed -- --data-dir DIR [--appointments N] [--clients N] [--team-members N] ' +
  '[--seed N] [--anchor YYYY-MM-DD] [--replace]'

await runCommand(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), {
    'data-dir': { type: 'string', required: true, help: 'the data folder (made if missing)' },
    appointments: { type: 'int', default: 10_000, min: 0, max: 2_000_000, help: 'how many' },
    clients: { type: 'int', default: 1000, min: 1, max: 1_000_000, help: 'how many' },
    'team-members': { type: 'int', default: 25, min: 1, max: 500, help: 'crew members' },
    seed: {
      type: 'int',
      default: 1,
      min: 0,
      max: 2 ** 31 - 1,
      help: 'the same seed, the same data',
    },
    anchor: {
      type: 'string',
      pattern: /^\d{4}-\d{2}-\d{2}$/,
      hint: 'must be a date as YYYY-MM-DD',
      help: 'the day the data is centred on (default: today)',
    },
    replace: { type: 'boolean', help: 'replace the data already in the folder' },
  })
  const anchor = flags.anchor ? new Date(`${flags.anchor}T00:00:00Z`) : undefined
  // A day that does not exist (2026-02-30) would roll over into the next month.
  if (
    anchor &&
    (Number.isNaN(anchor.getTime()) || anchor.toISOString().slice(0, 10) !== flags.anchor)
  )
    throw new UsageError('--anchor is not a real date')
  // The demo data spans a year or so on each side of its day, inside the stored years.
  const year = anchor?.getUTCFullYear()
  if (year !== undefined && (year <= FIRST_YEAR + 1 || year >= LAST_YEAR - 1))
    throw new UsageError(`--anchor must be in the years ${FIRST_YEAR + 2} to ${LAST_YEAR - 2}`)

  const started = performance.now()
  dataDirToOpen(flags['data-dir'], { mayMake: true })
  const db = await createDb({ dataDir: flags['data-dir'], resources: sourceResources() })
  try {
    if (!(await isEmpty(db.pg))) {
      if (!flags.replace) {
        throw new UsageError('the database already holds data: pass --replace to wipe it and seed')
      }
      await clearAll(db.pg)
    }
    const result = await seed(db.pg, {
      appointments: flags.appointments,
      clients: flags.clients,
      teamMembers: flags['team-members'],
      seed: flags.seed,
      ...(anchor ? { anchor } : {}),
      onProgress: progressLine('appointments'),
    })
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    console.log(
      `seeded ${plural(result.clients, 'client')}, ${plural(result.services, 'service')}, ` +
        `${plural(result.products, 'product')}, ${plural(result.teamMembers, 'team member')}, ` +
        `${plural(result.users, 'user')}, ${plural(result.appointments, 'appointment')} in ${seconds} s`,
    )
    console.log(`the demo admin and office manager share the PIN ${DEMO_PIN}`)
  } finally {
    await db.close()
  }
})
